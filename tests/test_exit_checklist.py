"""Exit and hand-over (issue 19.6): the checklist ticks itself from the data (no
credit from a payer since the last day although a payday passed; the
eindafrekening paid out; no advance owed), staff tick the rest (audit-logged,
CSRF), and `start_exit` (a withdrawn consent) plans an exit."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_audit_events,
    load_household,
    save_household,
)
from huishoudboekje.domain.handover import (
    Balances,
    Credit,
    ItemKind,
    checklist,
    income_item,
    item_key,
)
from huishoudboekje.domain.household import Household, IncomeKind, IncomeStream
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.schedule import Schedule
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.exit_checklist import exit_checklist, start_exit, tick_item
from tests.exit_support import LAST_DAY, TODAY, ended  # noqa: F401
from tests.web_fixtures import WebEnv, make_app, second_step, web  # noqa: F401

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
LAST = date(2026, 6, 30)
SALARY = IncomeStream(
    "loon",
    IncomeKind.LOON,
    Money("1850.00"),
    Schedule(date(2026, 1, 25), "FREQ=MONTHLY;BYMONTHDAY=25"),
    payer_iban="NL20INGB0001234567",
    payer_name="Bakkerij",
    window_days=5,
)


def credit(day: date, iban: str = "NL20INGB0001234567", income: str | None = None) -> Credit:
    return Credit(day, Money("1850.00"), "Bakkerij", iban, income)


# ------------------------------------------------------------ pure rules


@pytest.mark.parametrize(
    ("today", "credits", "done"),
    [
        (date(2026, 7, 31), [], True),  # payday 25 July + 5 days passed, nothing came
        (date(2026, 7, 30), [], False),  # within the window of 25 July: not yet sure
        (date(2026, 7, 31), [credit(date(2026, 7, 27))], False),  # still paid to us
        (date(2026, 7, 31), [credit(date(2026, 7, 27), "NL00OTHER", "loon")], False),  # by id
        (date(2026, 7, 31), [credit(date(2026, 7, 27), "NL00OTHER")], True),  # someone else
    ],
)
def test_an_income_is_redirected_once_a_payday_passed_without_credit(
    today: date, credits: list[Credit], done: bool
) -> None:
    item = income_item(SALARY, LAST, credits, today, closing=True)
    assert item.auto_done is done, item.detail
    assert item.key == "income:loon" and item.rule_id == "loon"


def test_nothing_ticks_itself_before_the_closing_day() -> None:
    household = Household("HH-X", "Fam. X", "NL44RABO0123456789", incomes=(SALARY,))
    empty = Balances(ZERO, ZERO, ZERO, ZERO, None)
    items = checklist(household, LAST, [], empty, date(2026, 8, 31), closing_day=date(2026, 9, 1))
    assert not any(i.auto_done for i in items)
    after = checklist(household, LAST, [], empty, date(2026, 8, 31), closing_day=LAST)
    assert {i.key for i in after if i.auto_done} == {"income:loon", "buffer", "advance"}


def test_the_buffer_and_the_advance_from_the_balances() -> None:
    household = Household("HH-X", "Fam. X", "NL44RABO0123456789")
    owing = Balances(Money("10.00"), Money("5.00"), Money("200.00"), ZERO, None)
    items = {i.key: i for i in checklist(household, LAST, [], owing, LAST, LAST)}
    assert not items["buffer"].auto_done and "€ 15,00" in items["buffer"].detail
    assert not items["advance"].auto_done and "€ 200,00" in items["advance"].detail
    paid = Balances(Money("10.00"), ZERO, ZERO, Money("310.00"), date(2026, 6, 30))
    items = {i.key: i for i in checklist(household, LAST, [], paid, LAST, LAST)}
    assert items["buffer"].auto_done and "€ 310,00" in items["buffer"].detail
    assert item_key(ItemKind.OVERVIEW) == "overview" and not items["overview"].auto_done


# ------------------------------------------------------------ on real data


def test_the_ended_household_ticks_itself_from_its_data(ended: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(ended.engine) as uow:
        found = exit_checklist(uow, "HH-0001", TODAY)
    assert found is not None
    assert (found.last_day, found.handover) == (LAST_DAY, date(2026, 2, 14))
    done = {line.item.key: line.done for line in found.lines}
    assert done == {
        "income:loon": False,  # the salary still came on 2 March
        "income:zorgtoeslag": True,  # 20 February passed and nothing came
        "charge:huur": False,
        "charge:energie": False,
        "charge:zorgpremie": False,
        "buffer": True,  # the eindafrekening paid out
        "advance": True,
        "overview": False,
    }
    loon = found.line("income:loon")
    assert loon is not None and "2 maart 2026" in loon.item.detail


def test_staff_tick_and_untick_with_audit(ended: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(ended.engine) as uow:
        line = tick_item(
            uow,
            "HH-0001",
            "charge:huur",
            done=True,
            actor="mira",
            now=NOW,
            today=TODAY,
            note="Woonstichting gebeld",
        )
        assert line.done and line.ticked_by == "mira"
        again = exit_checklist(uow, "HH-0001", TODAY)
        assert again is not None and again.done == 4
        tick_item(uow, "HH-0001", "charge:huur", done=False, actor="tom", now=NOW, today=TODAY)
        events = load_audit_events(uow, object_type="household", object_id="HH-0001")
    kinds = [(e.action, e.actor) for e in events if e.action.startswith("exit.")]
    assert kinds == [("exit.tick", "mira"), ("exit.untick", "tom")]


@pytest.mark.parametrize(
    ("key", "done", "note", "message"),
    [
        ("bestaat-niet", True, "", "staat niet op de lijst"),
        ("buffer", True, "", "al vanzelf afgevinkt"),
        ("overview", False, "", "was niet afgevinkt"),
        ("overview", True, "x" * 2001, "hoogstens 2000 tekens"),
    ],
)
def test_a_tick_that_cannot_be_done_changes_nothing(
    ended: WebEnv,  # noqa: F811
    key: str,
    done: bool,
    note: str,
    message: str,
) -> None:
    with UnitOfWork(ended.engine) as uow, pytest.raises(UserError, match=message):
        tick_item(uow, "HH-0001", key, done=done, actor="mira", now=NOW, today=TODAY, note=note)
    with UnitOfWork(ended.engine) as uow:
        found = exit_checklist(uow, "HH-0001", TODAY)
        assert found is not None and found.done == 3
        assert not [e for e in load_audit_events(uow) if e.action.startswith("exit.")]


def test_start_exit_for_a_withdrawn_consent(web: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(web.engine) as uow:
        assert exit_checklist(uow, "HH-0002", TODAY) is None
        found = start_exit(
            uow, "HH-0002", date(2026, 3, 31), "toestemming ingetrokken", actor="mira", now=NOW
        )
        assert found is not None and found.reason == "toestemming ingetrokken"
        household = load_household(uow, "HH-0002")
        assert household is not None and household.end == date(2026, 3, 31)
        # starting again later keeps the earlier end
        start_exit(uow, "HH-0002", date(2026, 4, 30), "verhuisd", actor="mira", now=NOW)
        later = load_household(uow, "HH-0002")
        assert later is not None and later.end == date(2026, 3, 31)
        found = exit_checklist(uow, "HH-0002", TODAY)
        assert found is not None and found.last_day == date(2026, 3, 31)
        assert [e.action for e in load_audit_events(uow, object_id="HH-0002")][-2:] == [
            "exit.start",
            "exit.start",
        ]


@pytest.mark.parametrize(
    ("day", "reason", "message"),
    [
        (date(2026, 3, 31), "  ", "waarom de deelname eindigt"),
        (date(2026, 3, 31), "x" * 501, "hoogstens 500"),
        (date(2025, 12, 31), "verhuisd", "voor het begin"),
        (date(2101, 1, 1), "verhuisd", "tussen 01-01-2000 en 31-12-2100"),
    ],
)
def test_start_exit_refuses_bad_input(
    web: WebEnv,  # noqa: F811
    day: date,
    reason: str,
    message: str,
) -> None:
    with UnitOfWork(web.engine) as uow, pytest.raises(UserError, match=message):
        start_exit(uow, "HH-0002", day, reason, actor="mira", now=NOW)
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, "HH-0002")
        assert household is not None and household.end is None


# ------------------------------------------------------------ the web


def test_the_household_page_shows_the_checklist_and_staff_tick(ended: WebEnv) -> None:  # noqa: F811
    client = ended.client("mira")
    page = client.get("/medewerker/huishouden/HH-0001").data.decode()
    assert "Einde deelname" in page and "3 van 8" in page
    checklist_page = client.get("/medewerker/huishouden/HH-0001/einde").data.decode()
    assert "Vanzelf afgevinkt" in checklist_page and "Brief downloaden (PDF)" in checklist_page
    response = client.post(
        "/medewerker/huishouden/HH-0001/einde/afvinken",
        data={"item": "overview", "done": "1", "note": "per post verstuurd"},
    )
    assert response.status_code == 302
    after = client.get("/medewerker/huishouden/HH-0001/einde").data.decode()
    assert "Afgevinkt door mira" in after and "per post verstuurd" in after
    assert "4 van 8" in after


def test_bad_input_on_the_web_is_one_line_and_changes_nothing(web: WebEnv) -> None:  # noqa: F811
    client = web.client("mira")
    page = client.get("/medewerker/huishouden/HH-0002/einde").data.decode()
    assert "geen einde van de deelname gepland" in page and 'type="date"' in page
    for data, wording in (
        ({"last_day": "31-02-2026", "reason": "x"}, "vul de laatste dag in als datum"),
        ({"last_day": "2026-03-31", "reason": ""}, "Schrijf kort waarom"),
    ):
        response = client.post(
            "/medewerker/huishouden/HH-0002/einde/starten", data=data, follow_redirects=True
        )
        text = response.data.decode()
        assert response.status_code == 200 and "Einde niet vastgelegd" in text and wording in text
    tick = client.post(
        "/medewerker/huishouden/HH-0002/einde/afvinken",
        data={"item": "overview"},
        follow_redirects=True,
    )
    assert "geen einde van de deelname gepland" in tick.data.decode()
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, "HH-0002")
        assert household is not None and household.end is None
    ok = client.post(
        "/medewerker/huishouden/HH-0002/einde/starten",
        data={"last_day": "2026-03-31", "reason": "toestemming ingetrokken"},
        follow_redirects=True,
    )
    assert "Het einde van de deelname is vastgelegd." in ok.data.decode()
    assert client.get("/medewerker/huishouden/HH-9999/einde").status_code == 404
    assert (
        client.post(
            "/medewerker/huishouden/HH-9999/einde/starten",
            data={"last_day": "2026-03-31", "reason": "x"},
        ).status_code
        == 404
    )


def test_every_exit_form_needs_the_csrf_token(ended: WebEnv) -> None:  # noqa: F811
    app = make_app(ended.db_url, WTF_CSRF_ENABLED=True)
    try:
        client = app.test_client()
        login = client.get("/inloggen").data.decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', login)
        assert token is not None
        client.post(
            "/inloggen",
            data={"username": "mira", "password": "correct-horse-battery", "csrf_token": token[1]},
        )
        assert second_step(app, client, "mira").status_code == 302
        page = client.get("/medewerker/huishouden/HH-0001/einde").data.decode()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert csrf is not None
        for url, data in (
            ("/medewerker/huishouden/HH-0001/einde/afvinken", {"item": "overview", "done": "1"}),
            (
                "/medewerker/huishouden/HH-0001/einde/starten",
                {"last_day": "2026-02-01", "reason": "x"},
            ),
        ):
            assert client.post(url, data=data).status_code == 400
        with UnitOfWork(ended.engine) as uow:
            assert not [e for e in load_audit_events(uow) if e.action.startswith("exit.")]
        ok = client.post(
            "/medewerker/huishouden/HH-0001/einde/afvinken",
            data={"item": "overview", "done": "1", "csrf_token": csrf[1]},
        )
        assert ok.status_code == 302
    finally:
        app.extensions["hhb_engine"].dispose()


def test_an_ended_household_without_nights_still_has_a_checklist(web: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, "HH-0002")
        assert household is not None
        save_household(uow, replace(household, end=date(2026, 2, 27)))
        uow.commit()
        found = exit_checklist(uow, "HH-0002", TODAY)
    assert found is not None and found.reason == "einddatum deelname"
    assert len(found.lines) == 5 + 4 + 3  # 5 incomes, 4 charges, 3 more
