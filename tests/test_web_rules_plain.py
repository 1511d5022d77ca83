"""Issue 19, points 1 and 2 in the staff forms: the repeat-rule picker (rules in plain
Dutch everywhere) and pausing a charge, a temporary amount and a total, with
four-eyes, CSRF, bad input (a Dutch message, nothing changed) and the household's
own page saying until when."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_audit_events,
    load_household,
    save_household,
)
from huishoudboekje.adapters.persistence.approvals import list_change_requests
from huishoudboekje.domain.charge_windows import Pause, TemporaryAmount
from huishoudboekje.domain.household import ChargeKind, FixedCharge, Household
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.schedule import Schedule
from huishoudboekje.services.rule_changes import four_eyes_reasons
from tests.web_fixtures import PASSWORD, WebEnv, make_app, second_step, web  # noqa: F401

CODE = "HH-0001"
PAGE = f"/medewerker/huishouden/{CODE}"
NEW_CHARGE = f"{PAGE}/vaste-last/nieuw"


def stored(web: WebEnv) -> Household:
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, CODE)
    assert household is not None
    return household


def charge(web: WebEnv, charge_id: str) -> FixedCharge:
    return next(c for c in stored(web).charges if c.id == charge_id)


def put(web: WebEnv, household: Household) -> None:
    with UnitOfWork(web.engine) as uow:
        save_household(uow, household)
        uow.commit()


def pending(web: WebEnv) -> list[Any]:
    with UnitOfWork(web.engine) as uow:
        return list(list_change_requests(uow, status="pending"))


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.data.decode()))


def add_library(web: WebEnv) -> None:
    """A small charge (below the four-eyes threshold) to a payee already paid."""
    energie = charge(web, "energie")
    small = replace(energie, id="bibliotheek", kind=ChargeKind.OVERIG, amount=Money("4.50"))
    household = stored(web)
    put(web, replace(household, charges=(*household.charges, small)))


def picker(**changes: str) -> dict[str, str]:
    form = {
        "herhaling": "maand",
        "dag": "1",
        "weekdag": "0",
        "elke": "1",
        "kwartaal": "1",
        "maand": "1",
        "vanaf": "2026-04-01",
        "einde": "geen",
        "aantal": "",
        "tot_en_met": "",
    }
    form.update(changes)
    return form


def new_charge(**changes: str) -> dict[str, str]:
    form = {
        "id": "sport",
        "kind": "overig",
        "payee_name": "Stroom en Gas Noord",
        "payee_iban": "NL03RABO0345678901",  # paid already: no four-eyes for a new IBAN
        "amount": "€ 12,50",
    }
    form.update(picker(**changes))
    return form


# ------------------------------------------------------------------- the picker


def test_the_charge_form_has_the_picker_and_no_rrule(web: WebEnv) -> None:
    page = text(web.client("mira").get(NEW_CHARGE))
    assert 'name="herhaling"' in page and 'type="date"' in page
    assert "RRULE" not in page and "FREQ=" not in page
    edit = text(web.client("mira").get(f"{PAGE}/vaste-last/huur"))
    assert "Nu: elke maand op de 1e, vanaf 1 januari 2026." in edit
    assert "Geavanceerd" not in edit  # the tab is for admins


@pytest.mark.parametrize(
    ("choice", "rrule", "start", "sentence"),
    [
        (
            {"dag": "5"},
            "FREQ=MONTHLY;BYMONTHDAY=5",
            date(2026, 4, 5),
            "elke maand op de 5e, vanaf 5 april 2026",
        ),
        (
            {"herhaling": "week", "elke": "4", "weekdag": "3", "einde": "keer", "aantal": "6"},
            "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH;COUNT=6",
            date(2026, 4, 2),
            "elke 4 weken op donderdag, vanaf 2 april 2026, 6 keer",
        ),
        (
            {"dag": "laatste", "einde": "datum", "tot_en_met": "2026-12-31"},
            "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20261231",
            date(2026, 4, 30),
            "elke maand op de laatste dag, vanaf 30 april 2026, tot en met 31 december 2026",
        ),
        (
            {"herhaling": "kwartaal", "kwartaal": "2", "dag": "15"},
            "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
            date(2026, 5, 15),
            "elk kwartaal op de 15e van februari, mei, augustus en november, vanaf 15 mei 2026",
        ),
        (
            {"herhaling": "jaar", "maand": "9", "dag": "30"},
            "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=28,29,30;BYSETPOS=-1",
            date(2026, 9, 30),
            "elk jaar op 30 september, vanaf 30 september 2026",
        ),
        (
            {"herhaling": "eenmalig", "vanaf": "20-05-2026"},
            "FREQ=YEARLY;COUNT=1",
            date(2026, 5, 20),
            "eenmalig op 20 mei 2026",
        ),
    ],
)
def test_a_charge_added_with_the_picker_is_stored_as_rrule_and_shown_in_dutch(
    web: WebEnv, choice: dict[str, str], rrule: str, start: date, sentence: str
) -> None:
    client = web.client("mira")
    response = client.post(NEW_CHARGE, data=new_charge(**choice))
    assert response.status_code == 302, text(response)
    sport = charge(web, "sport")
    assert sport.schedule == Schedule(start, rrule)
    assert sport.amount == Money("12.50")
    page = text(client.get(PAGE))
    assert sentence in page
    assert "FREQ=" not in page
    assert sentence in text(client.get("/medewerker/audit"))  # the audit log in Dutch


def test_saving_an_unchanged_form_changes_nothing(web: WebEnv) -> None:
    before = stored(web)
    client = web.client("mira")
    form = {
        "id": "energie",
        "kind": "energie",
        "payee_name": "Stroom en Gas Noord",
        "payee_iban": "NL03RABO0345678901",
        "amount": "132,00",
        "reference": "",
        **picker(dag="15", vanaf="2026-01-15"),
    }
    assert client.post(f"{PAGE}/vaste-last/energie", data=form).status_code == 302
    assert stored(web) == before


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ({"vanaf": "morgen"}, '"morgen" is geen datum'),
        ({"vanaf": ""}, "Vul de eerste datum in"),
        ({"herhaling": "jaar", "maand": "2", "dag": "30"}, "Februari heeft geen 30 dagen"),
        ({"dag": "31"}, "Kies een dag van 1 tot en met 30"),
        ({"einde": "keer", "aantal": "nul"}, "Vul in hoe vaak"),
        ({"einde": "datum", "tot_en_met": "2026-03-01"}, "voor de eerste keer"),
        ({"herhaling": "elke-dag"}, "Kies hoe vaak"),
    ],
)
def test_a_wrong_choice_says_what_is_wrong_and_changes_nothing(
    web: WebEnv, choice: dict[str, str], message: str
) -> None:
    before = stored(web)
    response = web.client("mira").post(NEW_CHARGE, data=new_charge(**choice))
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert "Er is niets opgeslagen" in page
    assert "Traceback" not in page
    assert stored(web) == before


def test_an_amount_with_the_euro_sign_and_a_comma_is_read(web: WebEnv) -> None:
    response = web.client("mira").post(NEW_CHARGE, data=new_charge(amount="€ 725,40"))
    assert response.status_code == 302
    assert charge(web, "sport").amount == Money("725.40")  # a new charge: no four-eyes


def test_an_income_takes_the_picker_too(web: WebEnv) -> None:
    form = {"id": "bijbaan", "kind": "loon", "amount": "200,00"}
    form.update(picker(herhaling="week", elke="2", weekdag="4"))
    response = web.client("mira").post(f"{PAGE}/inkomen/nieuw", data=form)
    assert response.status_code == 302, text(response)
    income = next(i for i in stored(web).incomes if i.id == "bijbaan")
    assert income.schedule == Schedule(date(2026, 4, 3), "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR")
    assert "elke 2 weken op vrijdag, vanaf 3 april 2026" in text(web.client("mira").get(PAGE))


def test_a_rule_the_picker_cannot_express_is_kept_and_only_an_admin_edits_it(
    web: WebEnv,
) -> None:
    add_library(web)
    odd = Schedule(date(2026, 1, 1), "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO")
    put(
        web,
        replace(
            stored(web),
            charges=tuple(
                replace(c, schedule=odd) if c.id == "bibliotheek" else c
                for c in stored(web).charges
            ),
        ),
    )
    url = f"{PAGE}/vaste-last/bibliotheek"
    mira = web.client("mira")
    page = text(mira.get(url))
    assert "elke 2 maanden op maandag, vanaf 5 januari 2026" in page
    assert "een beheerder kan hem aanpassen" in page
    assert 'name="herhaling"' not in page
    form = {
        "id": "bibliotheek",
        "kind": "overig",
        "payee_name": "Stroom en Gas Noord",
        "payee_iban": "NL03RABO0345678901",
        "amount": "5,00",
        **picker(),  # sent anyway: ignored, the rule stays
    }
    assert mira.post(url, data=form).status_code == 302
    assert charge(web, "bibliotheek").schedule == odd
    assert charge(web, "bibliotheek").amount == Money("5.00")
    advanced = f"{url}/geavanceerd"
    assert mira.get(advanced).status_code == 403
    ada = web.client("ada")
    assert "Geavanceerd" in text(ada.get(url))
    bad = ada.post(advanced, data={"schedule.start": "2026-01-01", "schedule.rrule": "ONZIN"})
    assert bad.status_code == 400
    assert charge(web, "bibliotheek").schedule == odd
    rule = "FREQ=MONTHLY;BYMONTHDAY=3"
    ok = ada.post(advanced, data={"schedule.start": "2026-01-01", "schedule.rrule": rule})
    assert ok.status_code == 302
    assert charge(web, "bibliotheek").schedule == Schedule(date(2026, 1, 1), rule)
    assert (
        web.client("ada").get(f"{PAGE}/reservering/energie-jaarafrekening/geavanceerd").status_code
        == 404
    )


# ------------------------------------------------- pause, temporary amount, total


def test_a_small_pause_takes_effect_at_once_and_the_household_reads_until_when(
    web: WebEnv,
) -> None:
    add_library(web)
    client = web.client("mira")
    url = f"{PAGE}/vaste-last/bibliotheek/pauzeren"
    assert "Vaste last bibliotheek: pauzeren" in text(client.get(url))
    response = client.post(url, data={"from": "2026-03-01", "until": "2026-03-31"})
    assert response.status_code == 302
    assert charge(web, "bibliotheek").pause == (Pause(date(2026, 3, 1), date(2026, 3, 31)),)
    assert pending(web) == []
    sentence = "De betaling voor bibliotheek is gepauzeerd tot en met 31 maart 2026."
    assert sentence in text(web.client("jansen").get("/betaald"))
    assert sentence in text(client.get(PAGE))
    # and lifted again
    lift = client.post(
        f"{PAGE}/vaste-last/bibliotheek/opheffen", data={"soort": "pause", "van": "2026-03-01"}
    )
    assert lift.status_code == 302
    assert charge(web, "bibliotheek").pause == ()


def test_pausing_a_large_charge_needs_a_second_pair_of_eyes(web: WebEnv) -> None:
    client = web.client("mira")
    url = f"{PAGE}/vaste-last/energie/pauzeren"
    response = client.post(
        url, data={"from": "2026-03-10", "until": "31-03-2026"}, follow_redirects=True
    )
    assert "wacht op goedkeuring" in text(response)
    assert charge(web, "energie").pause == ()
    [request] = pending(web)
    assert any(
        "gepauzeerd van 10 maart 2026 tot en met 31 maart 2026" in r for r in request.reasons
    )
    tom = web.client("tom")
    assert tom.post(
        f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren", "note": ""}
    ).status_code in (302, 303)
    assert charge(web, "energie").pause == (Pause(date(2026, 3, 10), date(2026, 3, 31)),)
    household = text(web.client("jansen").get("/betaald"))
    assert "stopt van 10 maart 2026 tot en met 31 maart 2026" in household


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"from": "2026-04-01", "until": "2026-03-01"}, "ligt voor de eerste dag"),
        ({"from": "2026-01-01", "until": "2026-02-01"}, "al voorbij"),
        ({"from": "gisteren", "until": "2026-05-01"}, '"gisteren" is geen datum'),
        ({"from": "", "until": "2026-05-01"}, "Vul de eerste dag in"),
    ],
)
def test_a_wrong_pause_says_what_is_wrong_and_changes_nothing(
    web: WebEnv, form: dict[str, str], message: str
) -> None:
    before = stored(web)
    response = web.client("mira").post(f"{PAGE}/vaste-last/energie/pauzeren", data=form)
    assert response.status_code == 400
    assert message in text(response)
    assert stored(web) == before and pending(web) == []


def test_an_overlapping_pause_is_refused_in_dutch(web: WebEnv) -> None:
    add_library(web)
    client = web.client("mira")
    url = f"{PAGE}/vaste-last/bibliotheek/pauzeren"
    assert client.post(url, data={"from": "2026-04-01", "until": "2026-04-30"}).status_code == 302
    before = stored(web)
    response = client.post(url, data={"from": "2026-04-15", "until": "2026-05-15"})
    assert response.status_code == 400
    assert "overlapt" in text(response) or "overlap" in text(response)
    assert stored(web) == before


def test_a_temporary_amount(web: WebEnv) -> None:
    client = web.client("mira")
    url = f"{PAGE}/vaste-last/energie/tijdelijk"
    small = {"amount": "€ 120,00", "from": "2026-04-01", "until": "2026-06-30"}
    assert client.post(url, data=small).status_code == 302  # € 12 less: at once
    window = TemporaryAmount(date(2026, 4, 1), date(2026, 6, 30), Money("120.00"))
    assert charge(web, "energie").temporary == (window,)
    assert "tijdelijk € 120,00 van 1 april 2026 tot en met 30 juni 2026" in text(
        web.client("jansen").get("/betaald")
    )
    large = {"amount": "50,00", "from": "2026-07-01", "until": "2026-09-30"}
    assert client.post(url, data=large).status_code == 302
    assert charge(web, "energie").temporary == (window,)  # € 82 less: waits
    [request] = pending(web)
    assert any("tijdelijk € 50,00 in plaats van € 132,00" in r for r in request.reasons)
    bad = client.post(url, data={"amount": "veel", "from": "2026-10-01", "until": "2026-10-31"})
    assert bad.status_code == 400 and "Vul een bedrag in" in text(bad)


def test_a_total_shows_what_is_left_and_needs_four_eyes(web: WebEnv) -> None:
    client = web.client("mira")
    url = f"{PAGE}/vaste-last/energie/totaal"
    assert "Er is nog geen totaalbedrag" in text(client.get(url))
    assert client.post(url, data={"total": "€ 1.200,00"}).status_code == 302
    assert charge(web, "energie").total is None
    [request] = pending(web)
    assert "totaalbedrag vaste last energie: geen → € 1.200,00" in request.reasons
    approve = web.client("tom").post(
        f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren", "note": ""}
    )
    assert approve.status_code in (302, 303)
    assert charge(web, "energie").total == Money("1200.00")
    page = text(client.get(url))
    assert "nog € 1.200,00 te gaan van € 1.200,00" in page
    assert "nog € 1.200,00 te gaan" in text(web.client("jansen").get("/betaald"))
    bad = client.post(url, data={"total": "-5"})
    assert bad.status_code == 400 and "meer dan € 0,00" in text(bad)
    assert charge(web, "energie").total == Money("1200.00")


def test_four_eyes_reasons_for_windows(web: WebEnv) -> None:
    before = stored(web)
    energie = charge(web, "energie")
    paused = replace(energie, pause=(Pause(date(2026, 4, 1), date(2026, 4, 30)),))
    after = replace(
        before, charges=tuple(paused if c.id == "energie" else c for c in before.charges)
    )
    reasons = four_eyes_reasons(before, after)
    assert reasons == [
        "vaste last energie (€ 132,00, meer dan € 25,00) gepauzeerd van 1 april 2026 "
        "tot en met 30 april 2026"
    ]
    assert four_eyes_reasons(after, before) == [
        "pauze van vaste last energie (€ 132,00) opgeheven: van 1 april 2026 tot en met "
        "30 april 2026"
    ]
    close = replace(
        energie, temporary=(TemporaryAmount(date(2026, 4, 1), date(2026, 4, 30), Money("110.00")),)
    )
    after = replace(
        before, charges=tuple(close if c.id == "energie" else c for c in before.charges)
    )
    assert four_eyes_reasons(before, after) == []


def test_ending_a_charge_through_the_picker_is_an_end_for_four_eyes(web: WebEnv) -> None:
    form = {
        "id": "energie",
        "kind": "energie",
        "payee_name": "Stroom en Gas Noord",
        "payee_iban": "NL03RABO0345678901",
        "amount": "132,00",
        **picker(dag="15", vanaf="2026-01-15", einde="keer", aantal="4"),
    }
    response = web.client("mira").post(f"{PAGE}/vaste-last/energie", data=form)
    assert response.status_code == 302
    [request] = pending(web)
    assert any("beëindigd: tot en met 15 april 2026" in r for r in request.reasons)


def test_the_window_forms_need_the_csrf_token(web: WebEnv) -> None:
    add_library(web)
    app = make_app(web.db_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/inloggen").data.decode())
    assert token is not None
    login = {"username": "mira", "password": PASSWORD, "csrf_token": token[1]}
    assert client.post("/inloggen", data=login).status_code == 302
    assert second_step(app, client, "mira").status_code == 302
    url = f"{PAGE}/vaste-last/bibliotheek/pauzeren"
    window = {"from": "2026-04-01", "until": "2026-04-30"}
    refused = client.post(url, data=window)
    assert refused.status_code == 400
    assert charge(web, "bibliotheek").pause == ()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).data.decode())
    assert token is not None
    assert client.post(url, data={**window, "csrf_token": token[1]}).status_code == 302
    assert charge(web, "bibliotheek").pause == (Pause(date(2026, 4, 1), date(2026, 4, 30)),)
    refused = client.post(NEW_CHARGE, data=new_charge())
    assert refused.status_code == 400
    app.extensions["hhb_engine"].dispose()


def test_a_household_account_may_not_pause(web: WebEnv) -> None:
    before = stored(web)
    client = web.client("jansen")
    url = f"{PAGE}/vaste-last/energie/pauzeren"
    assert client.post(url, data={"from": "2026-04-01", "until": "2026-04-30"}).status_code == 403
    assert stored(web) == before


def test_audit_log_shows_a_schedule_change_in_dutch(web: WebEnv) -> None:
    add_library(web)
    form = {
        "id": "bibliotheek",
        "kind": "overig",
        "payee_name": "Stroom en Gas Noord",
        "payee_iban": "NL03RABO0345678901",
        "amount": "4,50",
        **picker(dag="20", vanaf="2026-04-01"),
    }
    assert web.client("mira").post(f"{PAGE}/vaste-last/bibliotheek", data=form).status_code == 302
    with UnitOfWork(web.engine) as uow:
        event = load_audit_events(uow, object_id=CODE, action="household.update")[-1]
    assert event.after is not None
    audit = text(web.client("mira").get("/medewerker/audit"))
    assert (
        "elke maand op de 15e, vanaf 15 januari 2026 → elke maand op de 20e, vanaf 20 april 2026"
        in audit
    )


def test_a_wrong_choice_and_a_missing_field_show_at_once(web: WebEnv) -> None:
    before = stored(web)
    response = web.client("mira").post(NEW_CHARGE, data=new_charge(vanaf="", payee_name=""))
    assert response.status_code == 400
    page = text(response)
    assert "Vul de eerste datum in" in page
    assert 'id="f-payee_name-fout"' in page  # the other field's problem beside it
    assert stored(web) == before
