"""Staff edit forms: a field left out of the submitted form keeps its stored value;
a field submitted empty becomes null (optional) or gets the usual error (required)."""

from __future__ import annotations

from typing import Any

from huishoudboekje.adapters.persistence import UnitOfWork, load_audit_events, load_household
from huishoudboekje.domain.household import FixedCharge, Household
from huishoudboekje.domain.money import Money
from huishoudboekje.services.rule_editing import household_data
from huishoudboekje.services.staff import audit_changes
from tests.test_web_four_eyes import RENT_PATH, rent_form
from tests.web_fixtures import WebEnv, web  # noqa: F401
from web.staff_forms import CHARGE_FORM, HOUSEHOLD_FORM, read_form, shown_value

HOUSEHOLD_PATH = "/medewerker/huishouden/HH-0001/bewerken"


def stored(web: WebEnv) -> Household:
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, "HH-0001")
    assert household is not None
    return household


def rent_charge(web: WebEnv) -> FixedCharge:
    return next(c for c in stored(web).charges if c.id == "huur")


def last_update_changes(web: WebEnv) -> list[tuple[str, str, str]]:
    with UnitOfWork(web.engine) as uow:
        event = load_audit_events(uow, object_id="HH-0001", action="household.update")[-1]
    return audit_changes(event)


def household_form(web: WebEnv) -> dict[str, str]:
    data = household_data(stored(web))
    return {f.path: shown_value(f, data) for f in HOUSEHOLD_FORM.fields if not f.only_new}


def test_read_form_keeps_a_left_out_field_and_empties_a_submitted_empty_one() -> None:
    base: dict[str, Any] = {"id": "huur", "reference": "1234567890123456", "priority": 10}
    left_out = read_form(CHARGE_FORM, {"id": "huur"}, base, is_new=True)
    assert left_out["reference"] == "1234567890123456" and left_out["priority"] == 10
    emptied = read_form(CHARGE_FORM, {"reference": " ", "priority": ""}, base, is_new=True)
    assert emptied["reference"] == "" and emptied["priority"] is None


def test_a_field_left_out_of_the_charge_form_keeps_its_stored_value(web: WebEnv) -> None:
    form = rent_form(amount="735,40")
    del form["reference"]
    response = web.client("mira").post(RENT_PATH, data=form)
    assert response.status_code == 302, response.data
    charge = rent_charge(web)
    assert charge.amount == Money("735.40")
    assert charge.reference == "1234567890123456"
    # the audit log shows the amount changed, and nothing about the reference
    assert last_update_changes(web) == [("charges.huur.amount", "725.40", "735.40")]
    audit_url = "/medewerker/audit?object=HH-0001&actie=household.update"
    audit = web.client("mira").get(audit_url).data.decode()
    assert "charges.huur.amount" in audit and "charges.huur.reference" not in audit


def test_a_field_left_out_of_the_household_form_keeps_its_stored_value(web: WebEnv) -> None:
    before = stored(web)
    form = household_form(web)
    del form["name"]  # required: blanking it would be refused
    del form["buffer.target"]
    form["members"] = str(before.members + 1)
    response = web.client("mira").post(HOUSEHOLD_PATH, data=form)
    assert response.status_code == 302, response.data
    after = stored(web)
    assert after.name == before.name and after.buffer.target == before.buffer.target
    assert after.members == before.members + 1
    assert last_update_changes(web) == [("members", str(before.members), str(before.members + 1))]


def test_a_field_submitted_empty_is_emptied_or_refused_when_required(web: WebEnv) -> None:
    response = web.client("mira").post(RENT_PATH, data=rent_form(reference=""))
    assert response.status_code == 302, response.data
    assert rent_charge(web).reference == ""

    refused = web.client("mira").post(RENT_PATH, data=rent_form(payee_name=""))
    assert refused.status_code == 400
    assert 'id="f-payee_name-fout"' in refused.data.decode()
    assert rent_charge(web).payee_name == "Woonstichting Voorbeeld"
