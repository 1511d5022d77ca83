"""`hhb signals`: the open signals with their owner and deadline (issue 19.5).

    hhb signals [--household CODE] [--owner USERNAME] [--overdue] [--date D] [--json]

Overdue signals come first, then by due day. The database is `--database URL`,
else `HHB_DATABASE_URL`, else var/hhb.sqlite3. Exit codes: 0 done, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cli.engine_scope import database_engine
from cli.night_common import iso_date
from huishoudboekje.domain.dutch_text import day_nl
from huishoudboekje.services.signal_deadlines import (
    SEVERITY_NL,
    SignalDeadline,
    open_signal_deadlines,
)
from huishoudboekje.services.staff_pages import household_known

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EXIT_OK = 0
EXIT_BAD_INPUT = 2


def register(subparsers: Any) -> None:
    """Add `signals` to the `hhb` parser."""
    parser = subparsers.add_parser(
        "signals", help="open signals with owner and deadline, overdue first"
    )
    parser.add_argument("--household", default=None, help="only this household, e.g. HH-0001")
    parser.add_argument("--owner", default=None, help="only signals of this medewerker")
    parser.add_argument("--overdue", action="store_true", help="only signals past their deadline")
    parser.add_argument("--date", type=iso_date, default=None, help="as of this day (today)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--database",
        default=argparse.SUPPRESS,
        help="database URL (default: HHB_DATABASE_URL, else var/hhb.sqlite3)",
    )
    parser.set_defaults(func=run_signals)


def run_signals(args: argparse.Namespace) -> int:
    """`hhb signals`: list the open signals."""
    today = args.date or datetime.now(AMSTERDAM).date()
    with database_engine(args) as engine:
        if args.household is not None and not household_known(engine, args.household):
            print(f"hhb signals: huishouden {args.household!r} bestaat niet", file=sys.stderr)
            return EXIT_BAD_INPUT
        found = open_signal_deadlines(
            engine,
            today,
            household=args.household,
            owner=args.owner,
            overdue_only=args.overdue,
        )
    if args.json:
        print(json.dumps([s.as_json() for s in found], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not found:
        print("Geen open signalen.")
    for signal in found:
        print(render_signal(signal))
    return EXIT_OK


def render_signal(signal: SignalDeadline) -> str:
    """One signal as a line of plain Dutch."""
    if signal.due is None:
        when = "geen termijn"
    else:
        when = f"{'TE LAAT, ' if signal.overdue else ''}uiterlijk {day_nl(signal.due)}"
        when += f" {signal.due.year}"
    who = signal.owner or "niemand"
    where = signal.household or "gemeente"
    severity = SEVERITY_NL.get(signal.severity, signal.severity)
    return f"[{severity}] {where} ({who}, {when}): {signal.message}"
