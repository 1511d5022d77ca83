"""Daily reconciliation (issue 21.4): bank against ledger per day, every difference explained.

On the demo every day agrees. Against reality: a statement withheld by the bank
(missing, then arriving late), a line imported but not booked, money waiting in
suspense, and a booking on the bank account no statement shows (unexplained: a
signal, once).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from cli.main import main as hhb
from huishoudboekje.adapters.persistence.db import open_database
from huishoudboekje.adapters.persistence.journal import append_journal_entries, load_ledger
from huishoudboekje.adapters.persistence.nightly_tables import BankTransactionRow, SignalRow
from huishoudboekje.adapters.persistence.tables import JournalEntryRow, PostingRow
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.day_reconcile import (
    DatedStatement,
    DayStatus,
    LedgerDay,
    reconcile_day,
)
from huishoudboekje.domain.ledger import BANK, FUND, transfer
from huishoudboekje.domain.money import ZERO, Money
from sample_statements.run_demo import CONFIG, DemoRun, call_hhb, demo_days
from tests.demo_once import demo_copy, demo_database

WITHHELD = date(2026, 9, 8)  # a bank day with one credit on it (the demo bank books € 1.826,72)


def _reconcile(
    url: str, start: str, end: str, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = hhb(["reconcile", "--from", start, "--to", end, "--json", "--database", url, *extra])
    return code, json.loads(capsys.readouterr().out)


def _by_day(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["day"]: d for d in report["days"]}


def test_every_demo_day_agrees_with_the_ledger(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{demo_database()}"
    code, report = _reconcile(url, "2026-09-01", "2026-11-30", capsys, "--no-signals")
    assert code == 0 and report["unexplained_days"] == 0
    engine = open_database(url)
    try:
        with UnitOfWork(engine) as uow:
            ledger = load_ledger(uow)
    finally:
        engine.dispose()
    days = _by_day(report)
    for day in demo_days():
        row = days[day.isoformat()]
        assert Money(row["ledger_bank"]) == ledger.balance(BANK, until=day)
        assert row["difference"] == "0.00", row
        assert row["status"] == DayStatus.OK.value
    # the unmatched credit of 14 October waits in suspense, and the page says so
    assert any("tussenrekening: 1 post" in t for t in days["2026-10-14"]["explanations"])


@pytest.fixture(scope="module")
def withheld(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRun]:
    """The demo's first half of September with the statement of 8 September withheld."""
    root = tmp_path_factory.mktemp("withheld")
    run = DemoRun(root, f"sqlite:///{root / 'hhb.sqlite3'}")
    for folder in (run.inbox, run.outbox, root / "held"):
        folder.mkdir(parents=True, exist_ok=True)
    assert call_hhb(["config", "apply", str(CONFIG)], run.database_url)[0] == 0
    for day in demo_days(date(2026, 9, 16)):
        for path in run.bank.book_day(day):
            if day == WITHHELD:
                shutil.move(path, root / "held" / path.name)
        _night(run, day)
    yield run


def _night(run: DemoRun, day: date) -> None:
    args = ["nightly", "--date", day.isoformat(), "--yes", "--inbox", str(run.inbox)]
    code, out = call_hhb([*args, "--outbox", str(run.outbox)], run.database_url)
    assert code in (0, 1), out  # 1: the night saw problems (the missing statement)


def test_a_missing_statement_explains_the_difference(
    withheld: DemoRun, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = _reconcile(withheld.database_url, "2026-09-01", "2026-09-16", capsys)
    days = _by_day(report)
    assert code == 0 and report["unexplained_days"] == 0
    # the statement of 9 September was empty and undated: the first dated one after the
    # gap is that of 10 September, so the days up to it are "afschrift ontbreekt"
    for day in ("2026-09-05", "2026-09-07", "2026-09-08", "2026-09-09"):
        assert days[day]["status"] == DayStatus.MISSING.value
        assert any("ontbreekt tussen 2026-09-04" in t for t in days[day]["explanations"])
    after = days["2026-09-10"]
    assert after["status"] == DayStatus.EXPLAINED.value
    assert Money(after["difference"]) == Money("-1826.72")
    assert any("ontbrekend afschrift" in t for t in after["explanations"])
    assert days["2026-09-04"]["status"] == DayStatus.OK.value
    # in flight is shown beside it (the night of 9 September instructed payments)
    assert any(Money(d["in_flight"]) != ZERO for d in report["days"])


def test_the_late_statement_closes_the_gap(
    withheld: DemoRun, capsys: pytest.CaptureFixture[str]
) -> None:
    held = withheld.root / "held"
    for path in held.iterdir():
        shutil.move(path, withheld.inbox / path.name)
    night = date(2026, 9, 17)
    withheld.bank.book_day(night)
    _night(withheld, night)
    code, report = _reconcile(withheld.database_url, "2026-09-01", "2026-09-17", capsys)
    assert code == 0
    assert {d["status"] for d in report["days"]} == {DayStatus.OK.value}


def _tamper(url: str, change: Any) -> None:
    engine = open_database(url)
    try:
        with UnitOfWork(engine) as uow:
            change(uow)
            uow.commit()
    finally:
        engine.dispose()


def test_an_unbooked_line_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = demo_copy(tmp_path)

    def unbook(uow: UnitOfWork) -> None:
        row = (
            uow.session.execute(
                select(BankTransactionRow).where(
                    BankTransactionRow.booking_date == date(2026, 10, 5)
                )  # type: ignore[arg-type]
            )
            .scalars()
            .first()
        )
        assert row is not None and row.journal_entry_id
        seq = uow.session.execute(
            select(JournalEntryRow.seq).where(JournalEntryRow.entry_id == row.journal_entry_id)  # type: ignore[arg-type]
        ).scalar_one()
        uow.session.execute(delete(PostingRow).where(PostingRow.entry_seq == seq))  # type: ignore[arg-type]
        uow.session.execute(delete(JournalEntryRow).where(JournalEntryRow.seq == seq))  # type: ignore[arg-type]
        uow.session.execute(
            update(BankTransactionRow)
            .where(BankTransactionRow.id == row.id)  # type: ignore[arg-type]
            .values(journal_entry_id=None)
        )

    _tamper(url, unbook)
    code, report = _reconcile(url, "2026-10-01", "2026-10-09", capsys)
    days = _by_day(report)
    assert code == 0
    assert days["2026-10-02"]["status"] == DayStatus.OK.value
    for day in ("2026-10-05", "2026-10-09"):
        assert days[day]["status"] == DayStatus.EXPLAINED.value
        assert any("nog niet geboekt" in t for t in days[day]["explanations"])


def test_an_unexplained_difference_is_one_signal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = demo_copy(tmp_path)
    stray = transfer("proef:los", date(2026, 10, 6), "los geboekt", BANK, FUND, Money("12.34"))
    _tamper(url, lambda uow: append_journal_entries(uow, [stray]))
    code, report = _reconcile(url, "2026-10-01", "2026-10-09", capsys)
    days = _by_day(report)
    assert code == 1
    assert days["2026-10-05"]["status"] == DayStatus.OK.value
    for day in ("2026-10-06", "2026-10-09"):
        assert days[day]["status"] == DayStatus.UNEXPLAINED.value
        assert Money(days[day]["unexplained"]) == Money("12.34")
    assert report["signals_raised"] >= 1
    again_code, again = _reconcile(url, "2026-10-01", "2026-10-09", capsys)
    assert again_code == 1 and again["signals_raised"] == report["signals_raised"]
    engine = open_database(url)
    try:
        with UnitOfWork(engine) as uow:
            rows = (
                uow.session.execute(
                    select(SignalRow).where(SignalRow.source == "reconcile")  # type: ignore[arg-type]
                )
                .scalars()
                .all()
            )
    finally:
        engine.dispose()
    assert len(rows) == report["signals_raised"]
    assert {r.kind for r in rows} == {"saldo_verschil"}
    assert all(r.status == "open" and "12,34" in r.message for r in rows)


def test_no_signals_only_looks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = demo_copy(tmp_path)
    stray = transfer("proef:los", date(2026, 10, 6), "los geboekt", BANK, FUND, Money("1.00"))
    _tamper(url, lambda uow: append_journal_entries(uow, [stray]))
    code, report = _reconcile(url, "2026-10-06", "2026-10-06", capsys, "--no-signals")
    assert code == 1 and report["signals_raised"] == 0


def test_a_backwards_range_is_one_dutch_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = hhb(
        ["reconcile", "--from", "2026-10-09", "--to", "2026-10-01", "--database", "sqlite://"]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith("hhb reconcile: ") and "\n" not in err


def test_a_statement_over_several_days_has_no_daily_balance() -> None:
    month = DatedStatement("M", date(2026, 10, 1), date(2026, 10, 31), Money(0), Money("50.00"))
    ledger = LedgerDay(Money("20.00"), ZERO, ZERO, 0, 0, ZERO)
    inside = reconcile_day(date(2026, 10, 10), [month], ledger)
    assert inside.status is DayStatus.NO_BALANCE and inside.difference is None
    end = reconcile_day(
        date(2026, 10, 31), [month], LedgerDay(Money("50.00"), ZERO, ZERO, 0, 0, ZERO)
    )
    assert end.status is DayStatus.OK
    later = reconcile_day(
        date(2026, 11, 2), [month], LedgerDay(Money("50.00"), ZERO, ZERO, 0, 0, ZERO)
    )
    assert later.status is DayStatus.OK and later.bank_closing == Money("50.00")
    assert Decimal(str(later.ledger_bank)) == Decimal("50.00")
    assert timedelta(days=0) == later.day - date(2026, 11, 2)
