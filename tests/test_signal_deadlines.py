"""Signals with an owner and a deadline (issue 19.5): urgent in 2 working days, let op
in 10, info never; weekends and closing days do not count; an overdue signal goes
to the teamleider's list and puts its household first in the caseload;
`hhb signals --json` has owner, due and overdue."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.main import main
from huishoudboekje.adapters.persistence import UnitOfWork, load_household, save_household
from huishoudboekje.adapters.persistence.night_run_repo import finish_run, start_run
from huishoudboekje.adapters.persistence.signal_repo import upsert_signals
from huishoudboekje.domain.business_calendar import DEFAULT_CALENDAR, BusinessCalendar
from huishoudboekje.domain.deadlines import due_date, is_overdue
from huishoudboekje.domain.signals import Severity, Signal, SignalKind
from huishoudboekje.services.signal_deadlines import signal_deadlines
from tests.web_fixtures import TODAY, WebEnv, web  # noqa: F401

FRI, SAT = date(2026, 3, 6), date(2026, 3, 7)


@pytest.mark.parametrize(
    ("severity", "first_seen", "due"),
    [
        ("high", FRI, date(2026, 3, 10)),  # Mon, Tue: the weekend does not count
        ("high", SAT, date(2026, 3, 10)),  # seen on a Saturday: Mon, Tue
        ("high", date(2026, 3, 4), date(2026, 3, 6)),  # Wed: Thu, Fri
        ("warning", date(2026, 3, 4), date(2026, 3, 18)),  # two whole weeks
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April are closing days
        ("high", date(2026, 4, 2), date(2026, 4, 8)),
        # Christmas: 25 and 26 December closed, 1 January too
        ("warning", date(2026, 12, 23), date(2027, 1, 8)),
    ],
)
def test_due_in_working_days_by_severity(severity: str, first_seen: date, due: date) -> None:
    assert due_date(severity, first_seen, DEFAULT_CALENDAR) == due


def test_info_has_no_deadline_and_is_never_overdue() -> None:
    assert due_date("info", FRI, DEFAULT_CALENDAR) is None
    assert not is_overdue(None, date(2099, 1, 1))


def test_the_gemeentes_own_closing_days_do_not_count() -> None:
    closed_monday = BusinessCalendar.with_extra([date(2026, 3, 9)])
    assert due_date("high", FRI, closed_monday) == date(2026, 3, 11)


def test_a_signal_may_carry_its_own_deadline_and_a_broken_one_falls_back() -> None:
    assert due_date("info", FRI, DEFAULT_CALENDAR, {"due": "2026-05-29"}) == date(2026, 5, 29)
    assert due_date("high", FRI, DEFAULT_CALENDAR, {"due": "29-05-2026"}) == date(2026, 3, 10)


def test_overdue_from_the_day_after_the_due_day() -> None:
    due = date(2026, 3, 10)
    assert not is_overdue(due, due) and is_overdue(due, due + timedelta(days=1))


@settings(max_examples=60)
@given(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
    st.sampled_from(["high", "warning"]),
)
def test_the_due_day_is_the_nth_working_day_after(first_seen: date, severity: str) -> None:
    due = due_date(severity, first_seen, DEFAULT_CALENDAR)
    assert due is not None and due > first_seen
    assert DEFAULT_CALENDAR.is_business_day(due)
    days = [first_seen + timedelta(n) for n in range(1, (due - first_seen).days + 1)]
    working = [d for d in days if d.weekday() < 5 and DEFAULT_CALENDAR.is_business_day(d)]
    assert len(working) == {"high": 2, "warning": 10}[severity]


# ------------------------------------------------------------ stored signals


def _signal(household: str, topic: str, severity: Severity) -> Signal:
    return Signal(
        SignalKind.PAYMENT_RETURNED,
        household,
        severity,
        f"Test {topic} van {household or 'gemeente'}",
        key=f"test|{household}|{topic}",
    )


def seed_signals(env: WebEnv) -> None:
    """HH-0001 (medewerker mats): a let op from 2 March, due 16 March; HH-0002
    (medewerker mira): an urgent one from Friday 27 February, due Tuesday 3 March, so
    overdue on TODAY (Wednesday 4 March), and an info; the pooled account: an urgent one."""
    with UnitOfWork(env.engine) as uow:
        for code, who in (("HH-0001", "mats"), ("HH-0002", "mira")):
            household = load_household(uow, code)
            assert household is not None
            save_household(uow, replace(household, caseworker=who))
        upsert_signals(uow, [_signal("HH-0001", "letop", Severity.WARNING)], date(2026, 3, 2), "x")
        upsert_signals(uow, [_signal("HH-0002", "urgent", Severity.HIGH)], date(2026, 2, 27), "x")
        upsert_signals(uow, [_signal("HH-0002", "info", Severity.INFO)], date(2026, 2, 1), "x")
        upsert_signals(uow, [_signal("", "bank", Severity.HIGH)], TODAY, "x")
        uow.commit()


def test_owner_due_and_overdue_per_signal_overdue_first(web: WebEnv) -> None:  # noqa: F811
    seed_signals(web)
    with UnitOfWork(web.engine) as uow:
        found = signal_deadlines(uow, TODAY)
        day_before = signal_deadlines(uow, date(2026, 3, 3), overdue_only=True)
        of_mats = signal_deadlines(uow, TODAY, owner="mats")
        of_hh2 = signal_deadlines(uow, TODAY, household="HH-0002")
    rows = [(s.household, s.owner, s.due, s.overdue) for s in found if s.key.startswith("test|")]
    assert rows == [
        ("HH-0002", "mira", date(2026, 3, 3), True),  # overdue first
        ("", "", date(2026, 3, 6), False),  # the pooled account's: nobody's, but due
        ("HH-0001", "mats", date(2026, 3, 16), False),
        ("HH-0002", "mira", None, False),  # info: no deadline, last
    ]
    assert day_before == []  # on its due day a signal is not late yet
    assert {s.household for s in of_mats} == {"HH-0001"}
    assert {s.household for s in of_hh2} == {"HH-0002"}


def test_hhb_signals_json_has_owner_due_and_overdue(
    web: WebEnv,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed_signals(web)
    capsys.readouterr()
    base = ["signals", "--json", "--date", TODAY.isoformat(), "--database", web.db_url]
    assert main(base) == 0
    items = {i["key"]: i for i in json.loads(capsys.readouterr().out)}
    urgent = items["test|HH-0002|urgent"]
    assert (urgent["owner"], urgent["due"], urgent["overdue"]) == ("mira", "2026-03-03", True)
    assert items["test|HH-0002|info"]["due"] is None
    assert main([*base, "--overdue"]) == 0
    assert [i["key"] for i in json.loads(capsys.readouterr().out)] == ["test|HH-0002|urgent"]
    assert main([*base, "--owner", "mats"]) == 0
    assert {i["household"] for i in json.loads(capsys.readouterr().out)} == {"HH-0001"}
    assert main([*base, "--household", "HH-0001"]) == 0
    assert {i["key"] for i in json.loads(capsys.readouterr().out)} == {"test|HH-0001|letop"}
    assert main(["signals", "--date", TODAY.isoformat(), "--database", web.db_url]) == 0
    text = capsys.readouterr().out
    assert "eigenaar mira, TE LAAT, uiterlijk 2026-03-03" in text
    assert "eigenaar mats, uiterlijk 2026-03-16" in text


def test_hhb_signals_refuses_an_unknown_household(
    web: WebEnv,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    assert main(["signals", "--household", "HH-9999", "--database", web.db_url]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "hhb signals: huishouden 'HH-9999' bestaat niet"


def test_an_overdue_signal_escalates_to_the_teamleiders_list(web: WebEnv) -> None:  # noqa: F811
    seed_signals(web)
    lead = web.client("tom").get("/medewerker/werklijsten").data.decode()
    assert "Over tijd: lijst van de teamleider (1)" in lead
    section = lead.split('id="over-tijd"')[1].split("</section>")[0]
    assert "Test urgent van HH-0002" in section and "eigenaar mira" in section
    assert "Test letop" not in section  # not late yet
    owner = web.client("mira").get("/medewerker/werklijsten").data.decode()
    assert "Mijn signalen over tijd (1)" in owner
    other = web.client("mats").get("/medewerker/werklijsten").data.decode()
    assert 'id="over-tijd"' not in other  # not his signal, and he is no teamleider


def test_the_caseload_shows_households_with_overdue_signals_first(web: WebEnv) -> None:  # noqa: F811
    page = web.client("mira").get("/medewerker/").data.decode()
    codes = re.findall(r'<td><a href="/medewerker/huishouden/(HH-\d+)">', page)
    # sorted by urgency (the read model's order) while nothing is late
    assert codes and "over tijd" not in page
    seed_signals(web)
    page = web.client("mira").get("/medewerker/").data.decode()
    codes = re.findall(r'<td><a href="/medewerker/huishouden/(HH-\d+)">', page)
    assert codes[0] == "HH-0002"
    assert "1 over tijd" in page
    by_buffer = web.client("mira").get("/medewerker/?sorteer=buffer").data.decode()
    assert "1 over tijd" in by_buffer  # another order asked: the mark stays


def test_the_household_page_says_who_and_by_when(web: WebEnv) -> None:  # noqa: F811
    seed_signals(web)
    with UnitOfWork(web.engine) as uow:  # a night has run: the page lists stored signals
        start_run(uow, TODAY)
        finish_run(uow, TODAY, "ok")
        uow.commit()
    page = web.client("mats").get("/medewerker/huishouden/HH-0002").data.decode()
    sub = re.findall(r"sinds [^<]*eigenaar[^\n]*", page)
    assert sub[0].startswith(
        "sinds vrijdag 27 februari 2026 · eigenaar mira · <strong>over tijd</strong>, "
        "uiterlijk dinsdag 3 maart 2026"
    ), sub
    assert "eigenaar mira</span>" in sub[1]  # the info signal: no deadline
