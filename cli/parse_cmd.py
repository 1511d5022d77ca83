"""`hhb parse FILE`: show what an importer reads from a bank file. Never touches a database."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from connectors.base import ConnectorError, StatementImporter
from connectors.registry import all_importers, detect, importer_by_name
from connectors.render import to_json
from huishoudboekje.domain.banking import BankTransaction, Statement
from huishoudboekje.domain.money import Money

EXIT_OK = 0
EXIT_BAD_INPUT = 2
AUTO = "auto"
WIDTH_WITHOUT_TERMINAL = 160


def register(subparsers: Any) -> None:
    """Add the `parse` command to the `hhb` argument parser."""
    parser = subparsers.add_parser(
        "parse",
        help="read a bank statement file and show its transactions (no database)",
        description=(
            "Parse a bank statement file (CAMT, MT940, OFX, bank CSV) and print the "
            "normalized statements. Exit 0 when the whole file was read, 2 when it was refused."
        ),
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="statement file")
    parser.add_argument(
        "--format",
        default=AUTO,
        metavar="FORMAT",
        help=f"{AUTO} (default: detect from the content) or an importer name: {_known_names()}",
    )
    parser.add_argument("--json", action="store_true", help="print the normalized JSON")
    parser.add_argument(
        "--no-balance-check",
        action="store_true",
        help=(
            "show the transactions even when opening + transactions does not equal the "
            "closing balance (a warning comes first; the night still refuses such a file)"
        ),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Parse `args.file` and print it; return the process exit code."""
    out, err = sys.stdout, sys.stderr
    path: Path = args.file
    if not path.is_file():
        print(f"hhb parse: {path}: no such file", file=err)
        return EXIT_BAD_INPUT
    try:
        importer = _importer(path, args.format)
        statements = importer.extract(path)
    except ConnectorError as error:
        if not args.no_balance_check or not _is_balance_refusal(error):
            print(error, file=err)
            return EXIT_BAD_INPUT
        try:
            statements = importer.extract_unchecked(path)
        except ConnectorError as second:  # also wrong in another way: that is the answer
            print(second, file=err)
            return EXIT_BAD_INPUT
        warning = f"LET OP: de saldi kloppen niet; dit bestand wordt 's nachts geweigerd. ({error})"
        # on top of the table; with --json on stderr, so the JSON stays clean
        print(warning, file=err if args.json else out)
    except LookupError as error:  # unknown --format
        print(f"hhb parse: {error.args[0]}", file=err)
        return EXIT_BAD_INPUT
    if args.json:
        out.write(to_json(importer.name, statements))
    else:
        print_statements(importer.name, statements, out)
    return EXIT_OK


def _is_balance_refusal(error: ConnectorError) -> bool:
    """Whether the importer refused the file only because its balances do not add up."""
    message = error.message
    return "do not reconcile" in message or "running balance does not add up" in message


def _importer(path: Path, name: str) -> StatementImporter:
    if name == AUTO:
        return detect(path)
    try:
        return importer_by_name(name)
    except KeyError as error:
        raise LookupError(error.args[0]) from None


def _known_names() -> str:
    try:
        return ", ".join(importer.name for importer in all_importers()) or "none yet"
    except Exception:  # a broken importer module must not break `hhb --help`
        return "see connectors/registry.py"


def print_statements(format_name: str, statements: Sequence[Statement], out: TextIO) -> None:
    """A human-readable table per statement."""
    console = Console(
        file=out,
        width=None if out.isatty() else WIDTH_WITHOUT_TERMINAL,
        highlight=False,
    )
    count = sum(len(statement.transactions) for statement in statements)
    console.print(Text(f"{format_name}: {len(statements)} afschrift(en), {count} transactie(s)"))
    for statement in statements:
        console.print(_statement_table(statement))


def _statement_table(statement: Statement) -> Table:
    period = " t/m ".join(
        day.isoformat() for day in (statement.period_start, statement.period_end) if day
    )
    title = " · ".join(
        part
        for part in (
            f"rekening {statement.account_iban}",
            f"afschrift {statement.statement_id}" if statement.statement_id else "",
            period,
            f"begin {_money(statement.opening_balance)}",
            f"eind {_money(statement.closing_balance)} {statement.currency}",
            _skipped(statement),
        )
        if part
    )
    table = Table(title=Text(title), title_justify="left", show_lines=False)
    for header, justify in _COLUMNS:
        table.add_column(header, justify=justify, overflow="fold")
    for tx in statement.transactions:
        table.add_row(*(Text(cell) for cell in _row(tx, statement.currency)))
    return table


_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("boekdatum", "left"),
    ("bedrag", "right"),
    ("tegenpartij", "left"),
    ("omschrijving", "left"),
    ("kenmerk / end-to-end", "left"),
    ("let op", "left"),
)


def _row(tx: BankTransaction, currency: str) -> tuple[str, ...]:
    amount = str(tx.amount) if tx.currency == currency else f"{tx.amount} {tx.currency}"
    party = "\n".join(part for part in (tx.counterparty_name, tx.counterparty_iban) if part)
    reference = "\n".join(part for part in (tx.structured_reference, tx.end_to_end_id) if part)
    return (tx.booking_date.isoformat(), amount, party, tx.description, reference, _flags(tx))


def _flags(tx: BankTransaction) -> str:
    flags = []
    if tx.is_reversal:
        flags.append("storno")
    if tx.is_return:
        flags.append(f"retour {tx.return_reason}".strip())
    return ", ".join(flags)


def _skipped(statement: Statement) -> str:
    """The note on entries that were left out (pending, "PDNG"), or ""."""
    skipped = dict(statement.extra).get("skipped_entries", "")
    return f"overgeslagen (nog niet geboekt): {skipped}" if skipped else ""


def _money(amount: Money | None) -> str:
    return "-" if amount is None else str(amount)
