"""`hhb export journal` (issue 21.3): the journal as CSV and XLSX, read back equal to the ledger."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli.main import main as hhb
from huishoudboekje.adapters.persistence.db import open_database
from huishoudboekje.adapters.persistence.journal import load_journal_entries
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.gl_accounts import gl_account
from huishoudboekje.domain.ledger import Account
from huishoudboekje.domain.money import Money
from huishoudboekje.services.journal_export import COLUMNS
from tests.demo_once import demo_database

START, END = date(2026, 10, 1), date(2026, 10, 31)
Row = tuple[str, str, str, str, str, Money]


def _ledger_rows() -> list[Row]:
    """(day, entry id, gl account, account, household, signed amount) from the ledger."""
    engine = open_database(f"sqlite:///{demo_database()}")
    try:
        with UnitOfWork(engine) as uow:
            entries = load_journal_entries(uow, since=START, until=END)
    finally:
        engine.dispose()
    return [
        (
            e.day.isoformat(),
            e.id,
            gl_account(p.account).id,
            p.account.name,
            p.account.household,
            p.amount,
        )
        for e in entries
        for p in e.postings
    ]


def _export(tmp_path: Path, sheet: str) -> Path:
    target = tmp_path / f"journaal.{sheet}"
    args = ["export", "journal", "--from", str(START), "--to", str(END), "--format", sheet]
    url = f"sqlite:///{demo_database()}"
    assert hhb([*args, "-o", str(target), "--database", url]) == 0
    return target


def _signed(debit: Decimal | None, credit: Decimal | None) -> Money:
    if debit is not None and credit is not None:
        raise AssertionError("a row with both a debit and a credit")
    return Money(debit) if debit is not None else -Money(credit or Decimal(0))


def test_the_csv_reads_back_equal_to_the_ledger(tmp_path: Path) -> None:
    path = _export(tmp_path, "csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert rows and tuple(rows[0]) == COLUMNS
    read = [
        (
            r["datum"],
            r["boeking"],
            r["grootboekrekening"],
            r["rekening"],
            r["huishouden"],
            _signed(
                Decimal(r["debet"].replace(",", ".")) if r["debet"] else None,
                Decimal(r["credit"].replace(",", ".")) if r["credit"] else None,
            ),
        )
        for r in rows
    ]
    assert read == _ledger_rows()
    assert all(Account.parse(r["rekening"]) for r in rows)


def _exact(value: object) -> Decimal | None:
    """A numeric cell as openpyxl reads it, back to the exact amount written (the file
    holds the decimal text "1234.56"; openpyxl hands out a float or int)."""
    if value is None:
        return None
    assert isinstance(value, int | float)
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def test_the_xlsx_reads_back_equal_to_the_ledger(tmp_path: Path) -> None:
    path = _export(tmp_path, "xlsx")
    book = load_workbook(path, read_only=True)
    try:
        sheet = book["Journaal"]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    assert tuple(rows[0]) == COLUMNS
    read = [
        (
            r[0].date().isoformat() if hasattr(r[0], "date") else str(r[0]),
            r[1],
            r[5],
            r[6],
            r[7] or "",
            _signed(_exact(r[8]), _exact(r[9])),
        )
        for r in rows[1:]
    ]
    assert read == _ledger_rows()


def test_a_period_backwards_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "j.csv"
    args = ["export", "journal", "--from", "2026-10-31", "--to", "2026-10-01", "-o", str(target)]
    code = hhb([*args, "--database", f"sqlite:///{demo_database()}"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith("hhb export journal: ") and "\n" not in err
    assert not target.exists()


def test_every_exported_household_is_in_the_view_log(tmp_path: Path) -> None:
    from huishoudboekje.services.access_control import view_log
    from tests.demo_once import demo_copy

    url = demo_copy(tmp_path)
    args = ["export", "journal", "--from", str(START), "--to", str(END)]
    assert hhb([*args, "-o", str(tmp_path / "j.csv"), "--database", url]) == 0
    assert (
        hhb(["export", "xaf", "--year", "2026", "-o", str(tmp_path / "a.xml"), "--database", url])
        == 0
    )
    engine = open_database(url)
    try:
        events = view_log(engine)
    finally:
        engine.dispose()
    exported = {row[4] for row in _ledger_rows() if row[4]}
    journal = {e.household for e in events if e.what == "hhb export journal"}
    audit = {e.household for e in events if e.what == "hhb export xaf"}
    assert journal == exported and len(audit) == 8
    assert all(e.via == "cli" for e in events)
