"""The dashboard's stored figures (issue 21.1, performance): what the night stores and
the page reads equals what the live SQL gives, on the hand-computed fixture and on a
generated gemeente, for every team, after late bookings and team changes, and a
night run twice stores the same rows."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from cli.main import main as hhb
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    append_journal_entries,
    load_household,
    save_household,
)
from huishoudboekje.adapters.persistence.report_tables import (
    ReportHouseholdRow,
    ReportMovementRow,
    ReportStampRow,
)
from huishoudboekje.adapters.persistence.tables import table_of
from huishoudboekje.domain import ledger
from huishoudboekje.domain.ledger import JournalEntry
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.simulation import ActualIncome, simulate
from huishoudboekje.services.reports import TeamReport, team_report
from huishoudboekje.services.reports_store import (
    store_report_figures,
    stored_daily_sums,
    stored_household_figures,
)
from tests.realistic_gemeente import generate
from tests.test_dashboard import MONTH, TODAY, _advance, _entry, _income, _moves, _seed

TEAMS = (None, "Noord", "Zuid", "")
NOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)


def _both(engine: Engine, month: date, today: date, team: str | None) -> tuple[Any, Any]:
    with UnitOfWork(engine) as uow:
        stored = team_report(uow, month, today, team)
        live = team_report(uow, month, today, team, live=True)
    return stored, live


def _uses_the_store(engine: Engine, month: date, as_of: date, team: str | None) -> bool:
    last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    with UnitOfWork(engine) as uow:
        sums = stored_daily_sums(uow, last, team)
        figures = stored_household_figures(uow, month, as_of, team)
    return sums is not None and figures is not None


def _stored_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    with UnitOfWork(engine) as uow:
        for row in (ReportMovementRow, ReportHouseholdRow, ReportStampRow):
            table = table_of(row)
            out[table.name] = sorted(tuple(r) for r in uow.read(select(table)))
    return out


def _night(engine: Engine, day: date) -> None:
    with UnitOfWork(engine) as uow:
        store_report_figures(uow, day)


def _same(engine: Engine, months: tuple[date, ...], today: date) -> None:
    for month in months:
        for team in TEAMS:
            stored, live = _both(engine, month, today, team)
            assert stored == live, (month, team)


def test_stored_figures_equal_the_hand_computed_ones(engine: Engine) -> None:
    _seed(engine)
    _night(engine, TODAY)
    assert _uses_the_store(engine, MONTH, TODAY, None)
    assert _uses_the_store(engine, date(2026, 10, 1), date(2026, 10, 31), "Noord")
    with UnitOfWork(engine) as uow:
        report = team_report(uow, MONTH, TODAY)
    # the figures of test_dashboard.test_every_figure_matches_the_hand_computed_value
    assert report.current.in_pool == Money("3740.00")
    assert report.current.advances == Money("480.00")
    assert report.ledger_bank == Money("5035.00")
    assert (report.buffers_measured, report.buffers_below_target) == (3, 2)
    assert (report.buffer_days_median, report.buffer_days_p10) == (68, 68)
    assert (report.leefgeld_households, report.leefgeld_changed, report.leefgeld_changes) == (
        2,
        1,
        2,
    )
    _same(engine, (MONTH, date(2026, 10, 1), date(2026, 9, 1)), TODAY)


def test_a_booking_after_the_night_is_counted_before_the_next_night(engine: Engine) -> None:
    _seed(engine)
    _night(engine, TODAY)
    before = _both(engine, MONTH, TODAY, "Noord")[0]
    late = [
        _advance("HH-A", date(2026, 10, 20), "50.00"),  # late: a closed month
        _moves("HH-A", TODAY, "instruct_leefgeld", "90.00"),  # today
        _income("HH-E", date(2026, 11, 29), "10.00"),
    ]
    with UnitOfWork(engine) as uow:
        append_journal_entries(uow, late)
        uow.commit()
    assert _uses_the_store(engine, MONTH, TODAY, "Noord")
    after = _both(engine, MONTH, TODAY, "Noord")[0]
    assert after != before and after.current.advances == before.current.advances + Money("50.00")
    _same(engine, (MONTH, date(2026, 10, 1)), TODAY)
    _night(engine, TODAY)  # the night folds them in
    _same(engine, (MONTH, date(2026, 10, 1)), TODAY)


def test_a_night_run_twice_stores_the_same_rows(engine: Engine) -> None:
    _seed(engine)
    _night(engine, TODAY)
    once = _stored_rows(engine)
    _night(engine, TODAY)
    assert _stored_rows(engine) == once
    assert once["report_movement"] and once["report_household"]


def test_a_household_that_changes_team_is_counted_in_its_new_team(engine: Engine) -> None:
    _seed(engine)
    _night(engine, TODAY)
    with UnitOfWork(engine) as uow:
        moved = load_household(uow, "HH-E")
        assert moved is not None
        save_household(uow, dataclasses.replace(moved, team="Noord"), at=NOW)
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert stored_daily_sums(uow, TODAY, "Noord") is None  # split by the old teams
    _same(engine, (MONTH, date(2026, 10, 1)), TODAY)
    _night(engine, TODAY)
    assert _uses_the_store(engine, MONTH, TODAY, "Noord")
    _same(engine, (MONTH, date(2026, 10, 1)), TODAY)


def test_another_day_than_the_night_computes_live(engine: Engine) -> None:
    _seed(engine)
    _night(engine, date(2026, 11, 29))
    assert not _uses_the_store(engine, MONTH, TODAY, None)
    _same(engine, (MONTH,), TODAY)


def test_a_pool_entry_without_household_after_the_night(engine: Engine) -> None:
    _seed(engine)
    _night(engine, TODAY)
    entry = _entry(TODAY, "unmatched", (ledger.BANK, "12.00"), (ledger.SUSPENSE, "-12.00"))
    with UnitOfWork(engine) as uow:
        append_journal_entries(uow, [entry])
        uow.commit()
    _same(engine, (MONTH,), TODAY)


# --- a generated gemeente: realistic incomes, nights with late bookings between ---

FIRST, LAST = date(2026, 3, 1), date(2026, 4, 30)
NIGHTS = (date(2026, 3, 14), date(2026, 4, 1), date(2026, 4, 12), date(2026, 4, 30))


def _generated_journal(engine: Engine) -> list[JournalEntry]:
    gemeente = generate(24, 2121, FIRST, LAST)
    entries: list[JournalEntry] = []
    with UnitOfWork(engine) as uow:
        for n, household in enumerate(gemeente.households):
            team = ("Noord", "Zuid", "")[n % 3]
            household = dataclasses.replace(household, team=team)
            save_household(uow, household, at=NOW)
            incomes = [
                ActualIncome(c.tx.booking_date, c.income, Money(c.tx.amount))
                for c in gemeente.credits
                if c.household == household.code and c.income is not None
            ]
            entries.extend(simulate(household, incomes, FIRST, LAST).entries)
        uow.commit()
    return sorted(entries, key=lambda e: e.day)


def test_stored_figures_equal_live_ones_on_a_generated_gemeente(engine: Engine) -> None:
    entries = _generated_journal(engine)
    assert len(entries) > 300
    booked = 0
    for night in NIGHTS:
        todays = [e for e in entries[booked:] if e.day <= night]
        with UnitOfWork(engine) as uow:
            append_journal_entries(uow, todays)
            uow.commit()
        booked += len(todays)
        _night(engine, night)
        months = (night.replace(day=1), (night.replace(day=1) - timedelta(days=1)).replace(day=1))
        assert _uses_the_store(engine, months[0], night, "Zuid")
        _same(engine, months, night)
        # a late correction in the month before and one of today, after the night
        code = entries[0].postings[0].account.household or "HH-0001"
        late = [
            _advance(code, months[1] + timedelta(days=9), "25.00"),
            _entry(night, "unmatched", (ledger.BANK, "7.00"), (ledger.SUSPENSE, "-7.00")),
        ]
        with UnitOfWork(engine) as uow:
            append_journal_entries(uow, late)
            uow.commit()
        _same(engine, months, night)


@pytest.mark.parametrize("team", TEAMS)
def test_every_team_sees_the_same_figures_stored_or_live(engine: Engine, team: str | None) -> None:
    _seed(engine)
    _night(engine, TODAY)
    stored, live = _both(engine, MONTH, TODAY, team)
    assert isinstance(stored, TeamReport) and stored == live


def test_hhb_report_gives_the_same_json_stored_and_live(
    engine: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(engine)
    _night(engine, TODAY)
    outputs = []
    for extra in ([], ["--live"]):
        args = ["report", "--month", "2026-11", "--date", "2026-11-30", "--json"]
        assert hhb([*args, "--team", "Noord", "--database", db_url, *extra]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and '"buffer' in outputs[0]


def test_a_closed_month_untouched_by_a_night_keeps_its_rows_and_stays_exact(
    engine: Engine,
) -> None:
    _seed(engine)
    october = date(2026, 10, 1)
    _night(engine, TODAY)
    with UnitOfWork(engine) as uow:  # today's booking: nothing of October's changes
        append_journal_entries(uow, [_moves("HH-B", TODAY, "instruct_leefgeld", "20.00")])
        uow.commit()
    _night(engine, TODAY)
    with UnitOfWork(engine) as uow:  # then a late one in October
        append_journal_entries(uow, [_advance("HH-B", date(2026, 10, 30), "40.00")])
        uow.commit()
    assert _uses_the_store(engine, october, date(2026, 10, 31), "Noord")
    _same(engine, (october, MONTH), TODAY)
    _night(engine, TODAY)
    _same(engine, (october, MONTH), TODAY)
