"""Four-eyes: risky changes wait for a second staff member; the requester cannot approve."""

from __future__ import annotations

import re
from typing import Any

from huishoudboekje.adapters.config import load_config
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_audit_events,
    load_household,
)
from huishoudboekje.adapters.persistence.approvals import list_change_requests
from huishoudboekje.domain.money import Money
from huishoudboekje.services.configuration import apply_config
from huishoudboekje.services.rule_changes import four_eyes_reasons
from tests.intake_support import propose_via_intake
from tests.web_fixtures import DEMO_CONFIG, WebEnv, web  # noqa: F401

RENT_PATH = "/medewerker/huishouden/HH-0001/vaste-last/huur"


def rent_form(**changes: str) -> dict[str, str]:
    form = {
        "id": "huur",
        "kind": "huur",
        "payee_name": "Woonstichting Voorbeeld",
        "payee_iban": "NL93RABO0123456780",
        "amount": "725,40",
        "schedule.start": "2026-01-01",
        "schedule.rrule": "FREQ=MONTHLY;BYMONTHDAY=1",
        "reference": "1234567890123456",
        "lead_days": "0",
        "priority": "",
    }
    form.update(changes)
    return form


def rent(web: WebEnv) -> Money:
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, "HH-0001")
    assert household is not None
    return next(c.amount for c in household.charges if c.id == "huur")


def pending(web: WebEnv) -> list[Any]:
    with UnitOfWork(web.engine) as uow:
        return list(list_change_requests(uow, status="pending"))


def test_small_change_takes_effect_at_once_and_is_audited(web: WebEnv) -> None:
    response = web.client("mira").post(RENT_PATH, data=rent_form(amount="735,40"))
    assert response.status_code == 302
    assert rent(web) == Money("735.40")
    assert pending(web) == []
    with UnitOfWork(web.engine) as uow:
        event = load_audit_events(uow, object_id="HH-0001", action="household.update")[-1]
    assert event.actor == "mira" and event.approved_by is None
    assert event.before["charges"][0]["amount"] == "725.40"
    assert event.after["charges"][0]["amount"] == "735.40"


def test_big_rent_change_waits_for_a_teamleider_and_not_the_requester(web: WebEnv) -> None:
    mira, mats, tom = web.client("mira"), web.client("mats"), web.client("tom")
    response = mira.post(RENT_PATH, data=rent_form(amount="800,00"))
    assert response.status_code == 302
    assert rent(web) == Money("725.40")  # nothing changed yet
    [request] = pending(web)
    assert "vaste last huur" in request.reasons[0]
    page = mira.get(response.headers["Location"]).data.decode()
    assert "wacht op goedkeuring" in page

    # the requester cannot approve, nor can a medewerker without the approver role
    mira.post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    mats.post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    assert rent(web) == Money("725.40") and len(pending(web)) == 1

    tom.post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren", "note": "ok"})
    assert rent(web) == Money("800.00")
    assert pending(web) == []
    with UnitOfWork(web.engine) as uow:
        event = load_audit_events(uow, object_id="HH-0001", action="household.update")[-1]
    assert (event.actor, event.approved_by) == ("mira", "tom")
    audit = tom.get("/medewerker/audit?object=HH-0001&actie=household.update").data.decode()
    assert "charges.huur.amount</code>: 725.40 → 800.00" in audit


def test_a_teamleider_cannot_approve_their_own_change(web: WebEnv) -> None:
    tom = web.client("tom")
    tom.post(RENT_PATH, data=rent_form(amount="900,00"))
    [request] = pending(web)
    page = tom.post(
        f"/medewerker/goedkeuren/{request.id}",
        data={"besluit": "goedkeuren"},
        follow_redirects=True,
    ).data.decode()
    assert "eigen wijziging" in page
    assert rent(web) == Money("725.40")
    web.client("ada").post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    assert rent(web) == Money("900.00")


def test_refused_change_changes_nothing(web: WebEnv) -> None:
    web.client("mira").post(RENT_PATH, data=rent_form(amount="999,00"))
    [request] = pending(web)
    web.client("tom").post(
        f"/medewerker/goedkeuren/{request.id}", data={"besluit": "afwijzen", "note": "klopt niet"}
    )
    assert rent(web) == Money("725.40")
    with UnitOfWork(web.engine) as uow:
        [decided] = list_change_requests(uow, status="refused")
    assert decided.decided_by == "tom" and decided.note == "klopt niet"


def test_stale_change_is_not_applied(web: WebEnv) -> None:
    web.client("mira").post(RENT_PATH, data=rent_form(amount="800,00"))
    [request] = pending(web)
    web.client("mats").post(RENT_PATH, data=rent_form(amount="730,00"))  # small: applied
    page = web.client("tom").post(
        f"/medewerker/goedkeuren/{request.id}",
        data={"besluit": "goedkeuren"},
        follow_redirects=True,
    )
    assert "sinds deze aanvraag gewijzigd" in page.data.decode()
    assert rent(web) == Money("730.00")


def test_new_iban_and_raised_advance_limit_need_approval(web: WebEnv) -> None:
    with UnitOfWork(web.engine) as uow:
        before = load_household(uow, "HH-0001")
    assert before is not None
    from dataclasses import replace

    new_payee = replace(
        before,
        charges=tuple(
            replace(c, payee_iban="NL20INGB0001234567") if c.id == "huur" else c
            for c in before.charges
        ),
    )
    assert any("nieuwe IBAN" in r for r in four_eyes_reasons(before, new_payee))
    raised = replace(before, buffer=replace(before.buffer, advance_limit=Money("1500.00")))
    assert any("voorschotlimiet" in r for r in four_eyes_reasons(before, raised))
    lowered = replace(before, buffer=replace(before.buffer, advance_limit=Money("500.00")))
    assert four_eyes_reasons(before, lowered) == []
    assert four_eyes_reasons(None, before) == ["nieuw huishouden"]

    web.client("mira").post(RENT_PATH, data=rent_form(payee_iban="NL20INGB0001234567"))
    assert [r.kind for r in pending(web)] == ["household.update"]


NEW_HOUSEHOLD = {
    "code": "HH-0100",
    "name": "Fam. Nieuw",
    "iban": "NL44RABO0123456789",
    "members": "2",
    "start": "2026-03-01",
    "end": "",
    "leefgeld.policy": "smoothed",
    "leefgeld.cadence": "weekly",
    "leefgeld.weekday": "friday",
    "leefgeld.floor": "",
    "leefgeld.amount": "",
    "buffer.target": "1000,00",
    "buffer.advance_limit": "0,00",
    "buffer.repay_months": "",
}


def test_new_household_exists_only_after_approval(web: WebEnv) -> None:
    response = propose_via_intake(web.client("mira"), NEW_HOUSEHOLD)  # issue 19.3: the intake
    assert response.status_code == 302
    with UnitOfWork(web.engine) as uow:
        assert load_household(uow, "HH-0100") is None
    [request] = pending(web)
    assert request.kind == "household.create"
    web.client("tom").post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    with UnitOfWork(web.engine) as uow:
        created = load_household(uow, "HH-0100")
    assert created is not None and created.buffer.target == Money("1000.00")


def test_invalid_form_saves_nothing_and_shows_errors_beside_fields(web: WebEnv) -> None:
    bad = dict(NEW_HOUSEHOLD, iban="NL00BANK0000000000", members="nul", code="HH 1")
    response = web.client("mira").post(
        "/medewerker/huishouden-nieuw", data={**bad, "stap": "gegevens"}
    )
    assert response.status_code == 400
    page = response.data.decode()
    assert "Er is niets opgeslagen" in page
    for field in ("iban", "members", "code"):
        assert re.search(rf'id="f-{field}-fout"', page), field
    assert 'IBAN "NL00BANK0000000000" klopt niet' in page.replace("&#34;", '"')
    assert "Vul een heel getal in." in page
    assert pending(web) == []
    charge = web.client("mira").post(RENT_PATH, data=rent_form(amount="12.345,678"))
    assert charge.status_code == 400
    assert 'id="f-amount-fout"' in charge.data.decode()
    assert rent(web) == Money("725.40")


def test_extra_payment_request_needs_two_staff_members(web: WebEnv) -> None:
    household = web.client("jansen")
    household.post(
        "/verzoek", data={"kind": "eenmalige_betaling", "amount": "120,00", "reason": "Wasmachine"}
    )
    mira = web.client("mira")
    assert "Wasmachine" in mira.get("/medewerker/verzoeken").data.decode()
    mira.post("/medewerker/verzoeken/1", data={"besluit": "akkoord", "answer": "Goed plan"})
    assert "wacht op akkoord" in household.get("/verzoek").data.decode()
    [request] = pending(web)
    assert request.kind == "extra_payment"
    mira.post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    assert len(pending(web)) == 1  # not by the same person
    web.client("tom").post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    page = household.get("/verzoek").data.decode()
    assert "Stand: goedgekeurd" in page and "Goed plan" in page


def test_staff_can_refuse_a_request_with_an_answer(web: WebEnv) -> None:
    household = web.client("jansen")
    household.post("/verzoek", data={"kind": "extra_leefgeld", "amount": "50", "reason": "Feest"})
    mira = web.client("mira")
    mira.post("/medewerker/verzoeken/1", data={"besluit": "afwijzen", "answer": ""})
    assert "ontvangen, nog niet bekeken" in household.get("/verzoek").data.decode()
    mira.post("/medewerker/verzoeken/1", data={"besluit": "afwijzen", "answer": "Past niet"})
    page = household.get("/verzoek").data.decode()
    assert "Stand: afgewezen" in page and "Past niet" in page


def test_config_apply_counts_as_approved_and_says_so(web: WebEnv) -> None:
    config = load_config(DEMO_CONFIG)
    with UnitOfWork(web.engine) as uow:
        apply_config(uow, config, actor="operator")
        created = load_audit_events(uow, action="household.create")
    assert created and all(e.approved_by == "config-apply" for e in created)
    page = web.client("tom").get("/medewerker/audit?actie=household.create").data.decode()
    assert "config-apply" in page


def test_signal_acknowledged_with_a_note(web: WebEnv) -> None:
    mira = web.client("mira")
    page = mira.get("/medewerker/werklijsten").data.decode()
    keys = re.findall(r'name="key" value="([^"]+)"', page)
    codes = re.findall(r'action="/medewerker/huishouden/([^/]+)/signaal"', page)
    assert keys, "the demo households have signals on the worklist"
    mira.post(
        f"/medewerker/huishouden/{codes[0]}/signaal",
        data={"key": keys[0], "note": "Gebeld, komt goed", "terug": "werklijst"},
    )
    after = mira.get("/medewerker/werklijsten").data.decode()
    assert keys[0] not in re.findall(r'name="key" value="([^"]+)"', after)
    assert "Gebeld, komt goed" in mira.get(f"/medewerker/huishouden/{codes[0]}").data.decode()
