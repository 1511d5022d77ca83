"""`hhb export journal`: the journal of a period as a spreadsheet for the controller.

One row per posting, in booking order: date, entry id and sequence number, kind,
description, general-ledger account (the same chart as the XAF auditfile), the
engine's own account, household code, debit and credit. CSV is written for Dutch
Excel (semicolon, decimal comma, UTF-8 with a byte-order mark); XLSX with openpyxl's
write-only workbook. Both stream the journal page by page, and amounts are
written from `Decimal` (never a float): the XLSX file stores "1234.56" as written.
The file is written next to the target and moved into place when complete.

The view log (issue 21.5): `JournalSummary.households` lists whose postings the file
holds; the command records them (`cli/export_cmd.py`).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from huishoudboekje.adapters.persistence.ledger_export import entry_pages
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.gl_accounts import gl_account
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.services.database import Engine
from huishoudboekje.services.gemeente_ledger import scoped_pages
from huishoudboekje.services.gemeente_scope import REGIONAL, GemeenteScope
from huishoudboekje.services.xaf_export import ExportError

COLUMNS = (
    "datum",
    "boeking",
    "volgnummer",
    "soort",
    "omschrijving",
    "grootboekrekening",
    "rekening",
    "huishouden",
    "debet",
    "credit",
)


class SheetFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@dataclass(frozen=True, slots=True)
class JournalSummary:
    path: Path
    rows: int
    debit: Money
    credit: Money
    households: tuple[str, ...] = ()  # whose postings the file holds: for the view log


def journal_rows(
    engine: Engine, start: date, end: date, scope: GemeenteScope = REGIONAL
) -> Iterator[tuple[Any, ...]]:
    """The rows of the sheet (without the header), amounts as `Decimal` (None when zero
    on that side); of one gemeente's entries when `scope` is one gemeente's (issue 22)."""
    with UnitOfWork(engine) as uow:
        pages = (
            entry_pages(uow, start, end) if scope.regional else scoped_pages(uow, scope, start, end)
        )
        for page in pages:
            for numbered in page:
                entry = numbered.entry
                for posting in entry.postings:
                    amount = posting.amount.amount
                    yield (
                        entry.day,
                        entry.id,
                        numbered.seq,
                        entry.kind,
                        entry.description,
                        gl_account(posting.account).id,
                        posting.account.name,
                        posting.account.household,
                        amount if amount >= 0 else None,
                        -amount if amount < 0 else None,
                    )


def export_journal(
    engine: Engine,
    start: date,
    end: date,
    target: Path,
    sheet: SheetFormat,
    scope: GemeenteScope = REGIONAL,
) -> JournalSummary:
    """Write the journal start..end to `target` as CSV or XLSX."""
    if end < start:
        raise ExportError(f"--to ({end}) ligt voor --from ({start})")
    partial = target.with_name(target.name + ".part")
    counted = _Counter()
    rows = counted.count(journal_rows(engine, start, end, scope))
    try:
        if sheet is SheetFormat.CSV:
            _write_csv(partial, rows)
        else:
            _write_xlsx(partial, rows)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportError(f"kan {target} niet schrijven: {exc.strerror or exc}") from exc
    except BaseException:  # a database error half-way: no half file left behind
        partial.unlink(missing_ok=True)
        raise
    return JournalSummary(
        target, counted.rows, counted.debit, counted.credit, tuple(sorted(counted.households))
    )


class _Counter:
    def __init__(self) -> None:
        self.rows = 0
        self.debit = ZERO
        self.credit = ZERO
        self.households: set[str] = set()

    def count(self, rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        for row in rows:
            self.rows += 1
            if row[7]:
                self.households.add(row[7])
            if row[8] is not None:
                self.debit += Money(row[8])
            if row[9] is not None:
                self.credit += Money(row[9])
            yield row


def dutch_amount(value: Any) -> str:
    """A `Decimal` as Dutch Excel reads it: 1234,56 (empty for None)."""
    return "" if value is None else str(value).replace(".", ",")


def _write_csv(path: Path, rows: Iterator[tuple[Any, ...]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(
                (row[0].isoformat(), *row[1:8], dutch_amount(row[8]), dutch_amount(row[9]))
            )


def _write_xlsx(path: Path, rows: Iterator[tuple[Any, ...]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Journaal")
    sheet.append(list(COLUMNS))
    for row in rows:
        cells: list[Any] = list(row[:8])
        for value in row[8:]:
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "#,##0.00"
            cells.append(cell)
        date_cell = WriteOnlyCell(sheet, value=row[0])
        date_cell.number_format = "yyyy-mm-dd"
        cells[0] = date_cell
        sheet.append(cells)
    book.save(str(path))
