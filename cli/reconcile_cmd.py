"""`hhb reconcile`: the bank's closing balance against the ledger, per day.

    hhb reconcile --from D --to D [--json] [--no-signals]

Per day: the statement's closing balance, the ledger's bank account, the difference
and what explains it (lines not booked yet, a missing statement), with payments in
flight and the suspense account beside it. An unexplained difference becomes a
"saldo verschil" signal (unless --no-signals). Exit codes: 0 everything explained,
1 an unexplained difference, 2 refused (the one line says why).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cli.engine_scope import database_engine
from cli.gemeente_option import add_gemeente_options, regional_only
from cli.night_common import iso_date
from huishoudboekje.domain.day_reconcile import DayReconciliation
from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.money import Money
from huishoudboekje.services.day_reconcile import ReconcileReport, reconcile_days
from huishoudboekje.services.errors import UserError

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EXIT_OK = 0
EXIT_UNEXPLAINED = 1
EXIT_BAD_INPUT = 2


def register(subparsers: Any) -> None:
    """Add `reconcile` to the `hhb` parser."""
    command = subparsers.add_parser(
        "reconcile", help="dagelijkse afstemming: bank tegen grootboek, met verklaring"
    )
    command.add_argument("--from", dest="start", type=iso_date, required=True)
    command.add_argument("--to", dest="end", type=iso_date, required=True)
    command.add_argument("--json", action="store_true", help="machineleesbare uitvoer")
    command.add_argument(
        "--no-signals", action="store_true", help="maak geen signalen (alleen kijken)"
    )
    command.add_argument("--database", default=None)
    add_gemeente_options(command)
    command.set_defaults(func=run_reconcile)


def run_reconcile(args: argparse.Namespace) -> int:
    """`hhb reconcile`: print the reconciliation of every day in the range."""
    try:
        with database_engine(args) as engine:
            if not regional_only(args, engine, "het grootboek heeft één bankrekening"):
                return EXIT_BAD_INPUT
            report = reconcile_days(
                engine,
                args.start,
                args.end,
                today=datetime.now(AMSTERDAM).date(),
                raise_signals=not args.no_signals,
            )
    except UserError as exc:
        print(f"hhb reconcile: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(as_json(report), indent=1, ensure_ascii=False))
    else:
        print(as_text(report))
    return EXIT_UNEXPLAINED if report.unexplained_days else EXIT_OK


def as_json(report: ReconcileReport) -> dict[str, Any]:
    return {
        "account": report.account_iban,
        "days": [day.as_json() for day in report.days],
        "unexplained_days": len(report.unexplained_days),
        "signals_raised": report.signals_raised,
    }


def _amount(value: Money | None) -> str:
    return "-" if value is None else eur(value)


def _line(day: DayReconciliation) -> str:
    head = (
        f"{day.day.isoformat()}  bank {_amount(day.bank_closing):>14}  "
        f"grootboek {_amount(day.ledger_bank):>14}  verschil {_amount(day.difference):>12}  "
        f"{day.status.value}"
    )
    return "\n".join([head, *(f"    - {text}" for text in day.explanations)])


def as_text(report: ReconcileReport) -> str:
    lines = [f"Afstemming derdengeldenrekening {report.account_iban}"]
    lines += [_line(day) for day in report.days]
    unexplained = len(report.unexplained_days)
    lines.append(
        f"{unexplained} dag(en) met een onverklaard verschil"
        + (f"; {report.signals_raised} signaal/signalen gemaakt" if report.signals_raised else "")
        if unexplained
        else "Alle verschillen zijn verklaard."
    )
    return "\n".join(lines)
