"""Staff end a fixed charge, an income or a reserve ("Beëindigen", "Tot en met").

The form goes through the same `_propose()` path as every staff edit, so the tests
check what that path promises: the configuration's rules, four-eyes, the audit log
with before → after, CSRF, the role check; and that the engine stops after the end.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from huishoudboekje.adapters.config import dump_config, load_config, parse_config
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_audit_events,
    load_household,
    save_household,
)
from huishoudboekje.adapters.persistence.approvals import list_change_requests
from huishoudboekje.adapters.persistence.web_tables import ChangeRequestRow
from huishoudboekje.domain.household import FixedCharge, Household
from huishoudboekje.domain.leefgeld import budget
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.schedule import Schedule
from huishoudboekje.domain.simulation import ActualIncome, simulate
from huishoudboekje.services.rule_changes import four_eyes_reasons
from tests.web_fixtures import (  # noqa: F401
    DEMO_CONFIG,
    PASSWORD,
    TODAY,
    WebEnv,
    make_app,
    second_step,
    web,
)

CODE = "HH-0001"
PAGE = f"/medewerker/huishouden/{CODE}"


def end_url(section: str, rule_id: str) -> str:
    return f"{PAGE}/{section}/{rule_id}/beeindigen"


def stored(web: WebEnv) -> Household:
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, CODE)
    assert household is not None
    return household


def charge(web: WebEnv, charge_id: str) -> FixedCharge:
    return next(c for c in stored(web).charges if c.id == charge_id)


def pending(web: WebEnv) -> list[Any]:
    with UnitOfWork(web.engine) as uow:
        return list(list_change_requests(uow, status="pending"))


def updates(web: WebEnv) -> list[Any]:
    with UnitOfWork(web.engine) as uow:
        return list(load_audit_events(uow, object_id=CODE, action="household.update"))


def put(web: WebEnv, household: Household) -> None:
    """Store a household directly (test set-up, not a staff change)."""
    with UnitOfWork(web.engine) as uow:
        save_household(uow, household)
        uow.commit()


def add_library_charge(web: WebEnv, valid_until: date | None = None) -> None:
    """A charge below the four-eyes threshold, to a payee the household already pays."""
    energie = charge(web, "energie")
    small = replace(
        energie, id="bibliotheek", amount=Money("4.50"), reference="", valid_until=valid_until
    )
    household = stored(web)
    put(web, replace(household, charges=(*household.charges, small)))


def text(data: bytes) -> str:
    return data.decode().replace("\u00a0", " ")


def field_error(page: str) -> str:
    found = re.search(r'<p class="error" id="f-valid_until-fout">([^<]*)</p>', page)
    assert found is not None, page
    return html.unescape(found[1])


# ---------------------------------------------------------------- the form


def test_end_form_says_what_stops_and_is_linked_from_the_pages(web: WebEnv) -> None:
    client = web.client("mira")
    form = text(client.get(end_url("vaste-last", "energie")).data)
    assert "Vaste last energie beëindigen" in form
    assert "€ 132,00 aan Stroom en Gas Noord" in form
    assert "Nu: geen einddatum." in form
    assert '<label for="f-valid_until">Tot en met (verplicht)</label>' in form
    assert 'aria-describedby="f-valid_until-hint"' in form
    page = text(client.get(PAGE).data)
    assert page.count('<th scope="col">Tot en met</th>') == 3  # charges, incomes, reserves
    for section, rule_id in (
        ("vaste-last", "huur"),
        ("inkomen", "loon"),
        ("reservering", "energie-jaarafrekening"),
    ):
        assert f'href="{end_url(section, rule_id)}"' in page
        edit = text(client.get(f"{PAGE}/{section}/{rule_id}").data)
        assert f'href="{end_url(section, rule_id)}"' in edit
    assert "Inkomen loon beëindigen" in text(client.get(end_url("inkomen", "loon")).data)
    reserve = text(client.get(end_url("reservering", "energie-jaarafrekening")).data)
    assert "Wat er al gespaard is, blijft staan." in reserve


def test_unknown_rule_or_section_is_not_found(web: WebEnv) -> None:
    client = web.client("mira")
    assert client.get(end_url("vaste-last", "bestaat-niet")).status_code == 404
    assert client.get(end_url("vaste-last", "nieuw")).status_code == 404
    assert client.get(end_url("onzin", "huur")).status_code == 404
    assert (
        client.get("/medewerker/huishouden/HH-9999/vaste-last/huur/beeindigen").status_code == 404
    )


def test_small_charge_ends_at_once_and_the_audit_log_has_before_and_after(web: WebEnv) -> None:
    add_library_charge(web)
    client = web.client("mira")
    response = client.post(end_url("vaste-last", "bibliotheek"), data={"valid_until": "2026-06-30"})
    assert response.status_code == 302 and response.headers["Location"] == PAGE
    assert charge(web, "bibliotheek").valid_until == date(2026, 6, 30)
    assert pending(web) == []
    event = updates(web)[-1]
    assert event.actor == "mira" and event.approved_by is None
    before = next(c for c in event.before["charges"] if c["id"] == "bibliotheek")
    after = next(c for c in event.after["charges"] if c["id"] == "bibliotheek")
    assert (before["valid_until"], after["valid_until"]) == (None, "2026-06-30")
    page = text(client.get(PAGE).data)
    assert "De wijziging is opgeslagen." in page
    assert "<td>30 juni 2026</td>" in page  # the "Tot en met" column
    audit = text(client.get("/medewerker/audit?object=HH-0001&actie=household.update").data)
    assert "2026-06-30" in audit


def test_the_dutch_way_of_writing_a_date_and_today_itself_are_accepted(web: WebEnv) -> None:
    add_library_charge(web)
    client = web.client("mira")
    client.post(end_url("vaste-last", "bibliotheek"), data={"valid_until": "30-6-2026"})
    assert charge(web, "bibliotheek").valid_until == date(2026, 6, 30)
    client.post(
        end_url("reservering", "energie-jaarafrekening"), data={"valid_until": " 2026-03-04 "}
    )
    assert stored(web).reserves[0].valid_until == TODAY


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-03-03", "Deze dag is al voorbij. Kies vandaag (woensdag 4 maart 2026) of later."),
        ("2020-01-01", "Deze dag is al voorbij."),
        ("", "Vul de laatste dag in, zoals 2026-06-30."),
        ("31-02-2026", '"31-02-2026" is geen datum.'),
        ("volgende week", '"volgende week" is geen datum.'),
    ],
)
def test_a_wrong_or_past_date_is_refused_beside_the_field_and_nothing_is_saved(
    web: WebEnv, typed: str, message: str
) -> None:
    before = stored(web)
    events = len(updates(web))
    response = web.client("mira").post(end_url("vaste-last", "huur"), data={"valid_until": typed})
    assert response.status_code == 400
    page = text(response.data)
    assert message in field_error(page)
    assert "Er is niets opgeslagen." in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="f-valid_until-hint f-valid_until-fout"' in page
    assert f'value="{typed}"' in page  # what was typed stays, to correct it
    assert stored(web) == before
    assert pending(web) == [] and len(updates(web)) == events


def test_a_rule_that_is_already_over_cannot_be_ended_again(web: WebEnv) -> None:
    add_library_charge(web, valid_until=date(2026, 2, 28))
    client = web.client("mira")
    page = text(client.get(PAGE).data)
    assert f'href="{end_url("vaste-last", "bibliotheek")}"' not in page
    assert "<td>28 februari 2026</td>" in page
    response = client.post(end_url("vaste-last", "bibliotheek"), data={"valid_until": "2026-06-30"})
    assert response.status_code == 400
    assert "al afgelopen op zaterdag 28 februari 2026" in field_error(text(response.data))
    assert charge(web, "bibliotheek").valid_until == date(2026, 2, 28)


def test_an_end_before_the_first_date_is_refused(web: WebEnv) -> None:
    household = stored(web)
    loon = household.incomes[0]
    later = replace(loon, id="nieuw-werk", schedule=Schedule(date(2026, 5, 1), "FREQ=MONTHLY"))
    huur = household.charges[0]
    future = replace(huur, id="nieuwe-huur", valid_from=date(2026, 7, 1))
    put(
        web,
        replace(
            household,
            incomes=(*household.incomes, later),
            charges=(*household.charges, future),
        ),
    )
    client = web.client("mira")
    income = client.post(end_url("inkomen", "nieuw-werk"), data={"valid_until": "2026-04-30"})
    assert income.status_code == 400
    assert "pas voor het eerst op vrijdag 1 mei 2026" in field_error(text(income.data))
    charge_page = client.post(
        end_url("vaste-last", "nieuwe-huur"), data={"valid_until": "2026-06-30"}
    )
    assert charge_page.status_code == 400
    assert "begint pas op woensdag 1 juli 2026" in field_error(text(charge_page.data))
    assert pending(web) == []


# ---------------------------------------------------------------- security


def test_the_form_needs_the_csrf_token(web: WebEnv) -> None:
    app = make_app(web.db_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/inloggen").data.decode())
    assert token is not None
    login = {"username": "mira", "password": PASSWORD, "csrf_token": token[1]}
    assert client.post("/inloggen", data=login).status_code == 302
    assert second_step(app, client, "mira").status_code == 302
    add_library_charge(web)
    url = end_url("vaste-last", "bibliotheek")
    refused = client.post(url, data={"valid_until": "2026-06-30"})
    assert refused.status_code == 400
    assert "Het formulier was verlopen" in refused.data.decode()
    assert charge(web, "bibliotheek").valid_until is None
    form = client.get(url).data.decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    ok = client.post(url, data={"valid_until": "2026-06-30", "csrf_token": token[1]})
    assert ok.status_code == 302
    assert charge(web, "bibliotheek").valid_until == date(2026, 6, 30)
    app.extensions["hhb_engine"].dispose()


def test_a_household_account_may_not_end_anything(web: WebEnv) -> None:
    before = stored(web)
    client = web.client("jansen")
    assert client.get(end_url("vaste-last", "huur")).status_code == 403
    response = client.post(end_url("vaste-last", "huur"), data={"valid_until": "2026-06-30"})
    assert response.status_code == 403
    assert stored(web) == before and pending(web) == []
    anonymous = web.app.test_client().post(
        end_url("vaste-last", "huur"), data={"valid_until": "2026-06-30"}
    )
    assert anonymous.status_code == 302 and "/inloggen" in anonymous.headers["Location"]


# ---------------------------------------------------------------- four-eyes


def test_ending_the_rent_waits_for_a_teamleider_who_is_not_the_requester(web: WebEnv) -> None:
    mira, mats, tom = web.client("mira"), web.client("mats"), web.client("tom")
    response = mira.post(end_url("vaste-last", "huur"), data={"valid_until": "2026-04-30"})
    assert response.status_code == 302
    assert "wacht op goedkeuring" in text(mira.get(PAGE).data)
    assert charge(web, "huur").valid_until is None  # nothing changed yet
    [request] = pending(web)
    assert request.reasons == (
        "vaste last huur (€ 725,40, meer dan € 25,00) beëindigd: tot en met 30 april 2026",
    )
    assert request.requested_by == "mira"
    assert "beëindigen tot en met" in request.summary

    mira.post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    mats.post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    assert charge(web, "huur").valid_until is None and len(pending(web)) == 1

    tom.post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren", "note": "ok"})
    assert charge(web, "huur").valid_until == date(2026, 4, 30)
    assert pending(web) == []
    event = updates(web)[-1]
    assert (event.actor, event.approved_by) == ("mira", "tom")
    assert event.before["charges"][0]["valid_until"] is None
    assert event.after["charges"][0]["valid_until"] == "2026-04-30"


def test_moving_an_end_earlier_needs_approval_and_moving_it_later_does_not(web: WebEnv) -> None:
    add_library_charge(web, valid_until=date(2026, 12, 31))
    mira = web.client("mira")
    mira.post(end_url("vaste-last", "bibliotheek"), data={"valid_until": "2027-06-30"})
    assert charge(web, "bibliotheek").valid_until == date(2027, 6, 30)  # later: at once
    assert pending(web) == []
    mira.post(end_url("vaste-last", "bibliotheek"), data={"valid_until": "2026-05-31"})
    assert charge(web, "bibliotheek").valid_until == date(2027, 6, 30)
    [request] = pending(web)
    assert request.reasons == (
        "einddatum vaste last bibliotheek vervroegd: 30 juni 2027 → 31 mei 2026",
    )
    web.client("tom").post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    assert charge(web, "bibliotheek").valid_until == date(2026, 5, 31)


def test_ending_an_income_waits_for_approval_and_lowers_the_expected_income_when_it_ends(
    web: WebEnv,
) -> None:
    before = stored(web)
    web.client("mira").post(end_url("inkomen", "zorgtoeslag"), data={"valid_until": "2026-06-30"})
    [request] = pending(web)
    assert request.reasons == (
        "inkomen zorgtoeslag (€ 131,00, meer dan € 25,00) beëindigd: tot en met 30 juni 2026",
    )
    assert stored(web) == before
    web.client("tom").post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    after = stored(web)
    zorgtoeslag = after.incomes[1]
    assert zorgtoeslag.schedule.rrule == "FREQ=MONTHLY;BYMONTHDAY=20;UNTIL=20260630"
    assert zorgtoeslag.schedule.between(TODAY, date(2026, 12, 31))[-1] == date(2026, 6, 20)
    # the rate steps once, when the income ends, not spread over the months before
    assert budget(after, TODAY).monthly_income == budget(before, TODAY).monthly_income
    july = date(2026, 7, 1)
    lost = budget(before, july).monthly_income - budget(after, july).monthly_income
    assert lost == Money("131.00")
    page = text(web.client("mira").get(PAGE).data)
    assert "<td>30 juni 2026</td>" in page


def test_ending_a_reserve_takes_effect_at_once(web: WebEnv) -> None:
    response = web.client("mira").post(
        end_url("reservering", "energie-jaarafrekening"), data={"valid_until": "2026-04-30"}
    )
    assert response.status_code == 302 and pending(web) == []
    household = stored(web)
    assert household.reserves[0].valid_until == date(2026, 4, 30)
    # the rate counts the reserve while it runs and no longer after its end
    assert budget(household, TODAY).monthly_reserves == Money("25.00")
    assert budget(household, date(2026, 5, 1)).monthly_reserves == Money("0.00")


def test_four_eyes_rules_for_ends() -> None:
    household = load_config(DEMO_CONFIG).households[0]
    threshold = Money("25.00")
    huur, energie, zorgpremie = household.charges
    small = replace(energie, id="klein", amount=Money("25.00"))
    base = replace(household, charges=(huur, energie, zorgpremie, small))

    def ended(**ends: date) -> Household:
        charges = tuple(replace(c, valid_until=ends.get(c.id, c.valid_until)) for c in base.charges)
        return replace(base, charges=charges)

    assert four_eyes_reasons(base, ended(klein=date(2026, 6, 30)), threshold) == []
    assert len(four_eyes_reasons(base, ended(energie=date(2026, 6, 30)), threshold)) == 1
    later = ended(klein=date(2026, 6, 30))
    assert four_eyes_reasons(later, ended(klein=date(2026, 9, 30)), threshold) == []
    assert four_eyes_reasons(later, base, threshold) == []  # the end taken away
    [reason] = four_eyes_reasons(later, ended(klein=date(2026, 5, 31)), threshold)
    assert reason.startswith("einddatum vaste last klein vervroegd")

    reserve = base.reserves[0]
    with_end = replace(base, reserves=(replace(reserve, valid_until=date(2026, 9, 30)),))
    assert four_eyes_reasons(base, with_end, threshold) == []  # a reserve holds no payment
    earlier = replace(base, reserves=(replace(reserve, valid_until=date(2026, 6, 30)),))
    [reason] = four_eyes_reasons(with_end, earlier, threshold)
    assert reason == (
        "einddatum reservering energie-jaarafrekening vervroegd: 30 september 2026 → 30 juni 2026"
    )
    # a new rule with an end date is judged as new, not as an end
    extra = replace(small, id="nieuw", valid_until=date(2026, 6, 30))
    assert four_eyes_reasons(base, replace(base, charges=(*base.charges, extra)), threshold) == []


# ---------------------------------------------------------------- the engine


def run_nights(household: Household, first: date, last: date) -> Any:
    incomes = [
        ActualIncome(day, stream.id, stream.amount)
        for stream in household.incomes
        for day in stream.schedule.between(first, last)
    ]
    return simulate(household, incomes, first, last)


def test_the_nights_stop_paying_an_ended_charge(web: WebEnv) -> None:
    web.client("mira").post(end_url("vaste-last", "huur"), data={"valid_until": "2026-04-30"})
    [request] = pending(web)
    web.client("tom").post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    household = stored(web)
    run = run_nights(household, date(2026, 3, 15), date(2026, 7, 31))
    paid = [
        i.execution_date for day in run.days for i in day.plan.instructions if i.charge_id == "huur"
    ]
    assert paid and max(paid) <= date(2026, 4, 1)  # April's rent, not May's
    energie = [
        i.execution_date
        for day in run.days
        for i in day.plan.instructions
        if i.charge_id == "energie"
    ]
    assert max(energie) >= date(2026, 7, 1)  # the other charges go on
    # the same household with the rent still running pays it in July
    running = run_nights(
        replace(
            household,
            charges=(replace(household.charges[0], valid_until=None), *household.charges[1:]),
        ),
        date(2026, 3, 15),
        date(2026, 7, 31),
    )
    assert any(
        i.charge_id == "huur" and i.execution_date >= date(2026, 6, 25)
        for day in running.days
        for i in day.plan.instructions
    )


def test_the_nights_stop_filling_an_ended_reserve(web: WebEnv) -> None:
    web.client("mira").post(
        end_url("reservering", "energie-jaarafrekening"), data={"valid_until": "2026-04-30"}
    )
    household = stored(web)
    run = run_nights(household, date(2026, 3, 15), date(2026, 7, 31))
    saved = [e.day for e in run.entries if e.kind == "reserve"]
    assert saved and max(saved) <= date(2026, 4, 30)
    running = run_nights(
        replace(household, reserves=(replace(household.reserves[0], valid_until=None),)),
        date(2026, 3, 15),
        date(2026, 7, 31),
    )
    assert max(e.day for e in running.entries if e.kind == "reserve") >= date(2026, 5, 1)


# ---------------------------------------------------------------- configuration


def test_ends_survive_export_and_apply() -> None:
    config = load_config(DEMO_CONFIG)
    household = config.households[0]
    loon, zorgtoeslag = household.incomes
    ended = replace(
        household,
        incomes=(
            loon,
            replace(zorgtoeslag, schedule=zorgtoeslag.schedule.ending_on(date(2026, 6, 30))),
        ),
        charges=(
            replace(household.charges[0], valid_until=date(2026, 4, 30)),
            *household.charges[1:],
        ),
        reserves=(replace(household.reserves[0], valid_until=date(2026, 9, 30)),),
    )
    exported = dump_config(config.gemeente, (ended, *config.households[1:]))
    assert "valid_until: 2026-09-30" in exported
    assert "UNTIL=20260630" in exported
    again = parse_config(exported)
    assert again.households[0] == ended


def test_an_income_schedule_ends_with_until_and_a_count_becomes_an_until() -> None:
    monthly = Schedule(date(2026, 1, 1), "FREQ=MONTHLY;BYMONTHDAY=1")
    assert monthly.until is None
    ended = monthly.ending_on(date(2026, 6, 30))
    assert (ended.rrule, ended.until) == (
        "FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20260630",
        date(2026, 6, 30),
    )
    assert ended.ending_on(date(2026, 3, 31)).rrule == "FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20260331"
    counted = Schedule(date(2026, 1, 1), "RRULE:FREQ=MONTHLY;COUNT=3;BYMONTHDAY=1")
    # the third and last date is 1 March: a later end keeps it, an earlier one cuts
    assert (
        counted.ending_on(date(2026, 6, 30)).rrule
        == "RRULE:FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20260301"
    )
    assert counted.ending_on(date(2026, 2, 15)).until == date(2026, 2, 15)
    timed = Schedule(date(2026, 1, 1), "FREQ=MONTHLY;UNTIL=20261231T000000;BYMONTHDAY=1")
    assert timed.until == date(2026, 12, 31)
    assert timed.ending_on(date(2026, 3, 3)).between(date(2026, 1, 1), date(2027, 1, 1))[
        -1
    ] == date(2026, 3, 1)


def test_a_request_stored_before_reserves_could_end_can_still_be_approved(web: WebEnv) -> None:
    """Requests made before `valid_until` existed on reserves lack that key in their
    stored "before"; the household is the same, so the request is not stale."""
    web.client("mira").post(end_url("vaste-last", "huur"), data={"valid_until": "2026-04-30"})
    [request] = pending(web)
    with UnitOfWork(web.engine) as uow:
        row = uow.session.get(ChangeRequestRow, request.id)
        assert row is not None
        old_before = dict(row.before)
        old_before["reserves"] = [
            {k: v for k, v in r.items() if k != "valid_until"} for r in old_before["reserves"]
        ]
        row.before = old_before
        uow.session.add(row)
        uow.commit()
    web.client("tom").post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    assert charge(web, "huur").valid_until == date(2026, 4, 30)
