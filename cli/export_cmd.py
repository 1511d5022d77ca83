"""`hhb export`: the ledger for the accountant and the controller.

    hhb export xaf --year 2026 -o FILE.xml                  XAF 3.2 auditfile (validated)
    hhb export journal --from D --to D --format csv|xlsx -o FILE

Exit codes: 0 written, 2 refused (the one line says why; no file is left behind).
Every household in an export is recorded in the view log (issue 20.2), as
`hhb export xaf` / `hhb export journal` by the operator who ran it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cli.engine_scope import database_engine
from cli.gemeente_option import add_gemeente_options, gemeente_scope_of
from cli.night_common import iso_date
from cli.view_log import log_reads
from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.journal_export import SheetFormat, export_journal
from huishoudboekje.services.xaf_export import export_xaf

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is geen jaar zoals 2026") from None
    if not 2000 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"{year} ligt niet tussen 2000 en 2100")
    return year


def register(subparsers: Any) -> None:
    """Add `export xaf` and `export journal` to the `hhb` parser."""
    export = subparsers.add_parser("export", help="grootboek naar XAF of spreadsheet")
    kinds = export.add_subparsers(dest="export_kind", metavar="WAT", required=True)
    xaf = kinds.add_parser("xaf", help="XAF 3.2 auditfile van een boekjaar")
    xaf.add_argument("--year", type=_year, required=True, help="boekjaar, bijv. 2026")
    xaf.add_argument("-o", "--output", type=Path, required=True, help="doelbestand (.xml)")
    xaf.add_argument("--database", default=None)
    add_gemeente_options(xaf)
    xaf.set_defaults(func=run_xaf)
    journal = kinds.add_parser("journal", help="journaal als CSV of XLSX")
    journal.add_argument("--from", dest="start", type=iso_date, required=True)
    journal.add_argument("--to", dest="end", type=iso_date, required=True)
    journal.add_argument("--format", choices=[f.value for f in SheetFormat], default="csv")
    journal.add_argument("-o", "--output", type=Path, required=True, help="doelbestand")
    journal.add_argument("--database", default=None)
    add_gemeente_options(journal)
    journal.set_defaults(func=run_journal)


def _today() -> date:
    return datetime.now(AMSTERDAM).date()


def _refused(what: str, message: str) -> int:
    print(f"hhb export {what}: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _output_ok(path: Path) -> str | None:
    """Why `path` cannot be written to, if it cannot (checked before any work)."""
    if path.is_dir():
        return f"{path} is een map; geef een bestandsnaam"
    if not path.parent.is_dir():
        return f"de map {path.parent} bestaat niet"
    return None


def run_xaf(args: argparse.Namespace) -> int:
    """`hhb export xaf`: write and validate the auditfile of one fiscal year."""
    problem = _output_ok(args.output)
    if problem:
        return _refused("xaf", problem)
    try:
        with database_engine(args) as engine:
            scope = gemeente_scope_of(args, engine)
            if scope is None:
                return EXIT_BAD_INPUT
            summary = export_xaf(engine, args.year, args.output, created=_today(), scope=scope)
            log_reads(engine, summary.households, "hhb export xaf")
    except (UserError, ValueError) as exc:
        return _refused("xaf", str(exc))
    print(
        f"{summary.path}: XAF 3.2, boekjaar {summary.year}, {summary.transactions} boekingen, "
        f"{summary.lines} regels, debet {eur(summary.debit)} = credit {eur(summary.credit)}; "
        "gecontroleerd tegen het XAF 3.2-schema"
    )
    return EXIT_OK


def run_journal(args: argparse.Namespace) -> int:
    """`hhb export journal`: the journal of a period as CSV or XLSX."""
    problem = _output_ok(args.output)
    if problem:
        return _refused("journal", problem)
    try:
        with database_engine(args) as engine:
            scope = gemeente_scope_of(args, engine)
            if scope is None:
                return EXIT_BAD_INPUT
            summary = export_journal(
                engine, args.start, args.end, args.output, SheetFormat(args.format), scope
            )
            log_reads(engine, summary.households, "hhb export journal")
    except UserError as exc:
        return _refused("journal", str(exc))
    print(
        f"{summary.path}: {summary.rows} regels, debet {eur(summary.debit)}, "
        f"credit {eur(summary.credit)}"
    )
    return EXIT_OK
