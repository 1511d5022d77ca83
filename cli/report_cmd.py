"""`hhb report`: the team dashboard of one month (issue 21.1), as on /medewerker/rapportage.

    hhb report --month 2026-11 [--team NAME] [--json] [--date D] [--live]

`--live` computes every figure from the journal instead of reading what the night
stored (the two are the same; the stored ones are quicker).

The database is `--database URL`, else `HHB_DATABASE_URL`, else var/hhb.sqlite3.
Exit codes: 0 done, 2 bad month, 1 anything else.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from cli.engine_scope import database_engine
from cli.gemeente_option import add_gemeente_options, gemeente_scope_of
from cli.night_common import iso_date
from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.services.gemeente_scope import report_scope
from huishoudboekje.services.reports import TeamReport, team_report_of
from huishoudboekje.services.reports_figures import parse_month
from huishoudboekje.services.reports_json import report_as_json

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EXIT_OK = 0
EXIT_BAD_INPUT = 2


def month_argument(text: str) -> date:
    """`--month 2026-11` as its first day; a one-line error otherwise."""
    try:
        return parse_month(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: Any) -> None:
    """Add `report` to the `hhb` parser."""
    report = subparsers.add_parser("report", help="het teamdashboard van een maand")
    report.add_argument(
        "--month", type=month_argument, required=True, help="de maand, bijv. 2026-11"
    )
    report.add_argument("--team", default=None, help="alleen de huishoudens van dit team")
    report.add_argument("--date", type=iso_date, default=None, help="stand op deze dag (vandaag)")
    report.add_argument("--json", action="store_true", help="machine-readable output")
    report.add_argument(
        "--live", action="store_true", help="alles uit het journaal, niet uit wat de nacht bewaarde"
    )
    report.add_argument(
        "--database",
        default=argparse.SUPPRESS,
        help="database URL (default: HHB_DATABASE_URL, else var/hhb.sqlite3)",
    )
    add_gemeente_options(report)
    report.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Print the dashboard of `--month` as text or JSON."""
    today = args.date or datetime.now(AMSTERDAM).date()
    try:
        with database_engine(args) as engine:
            scope = gemeente_scope_of(args, engine)
            if scope is None:
                return EXIT_BAD_INPUT
            team = report_scope(engine, scope, args.team)  # issue 22: one gemeente's
            report = team_report_of(engine, args.month, today, team, live=args.live)
    except ValueError as exc:
        print(f"hhb report: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(report_as_json(report), indent=2, ensure_ascii=False))
    else:
        print(render_report(report))
    return EXIT_OK


def render_report(r: TeamReport) -> str:
    """The dashboard as plain Dutch text for a terminal."""
    c = r.current
    bank = "geen afschrift" if r.bank_closing is None else eur(r.bank_closing)
    lines = [
        f"Teamdashboard {r.month:%Y-%m}"
        + (f", team {r.team}" if r.team else "")
        + f" (stand op {r.as_of.isoformat()})",
        f"  Huishoudens:        {c.active} actief, {c.starting} gestart, {c.ending} gestopt",
        f"  In vaten en reserveringen: {eur(c.in_pool)}",
        f"  Bank (grootboek):   {eur(r.ledger_bank)}; afschrift: {bank}",
        f"  Voorschotten:       {r.advances.count} voor {eur(r.advances.total)}; "
        + ", ".join(f"{label} dagen: {n}" for label, n in r.advances.buckets),
        f"  Buffers onder doel: {r.buffers_below_target} van {r.buffers_measured}; "
        f"bufferdagen mediaan {_days(r.buffer_days_median)}, "
        f"laagste 10% {_days(r.buffer_days_p10)}",
        f"  Achtergehouden:     {c.held_back}",
        f"  Tussenrekening:     {r.suspense.count} voor {eur(r.suspense.total)}; "
        + ", ".join(f"{label} dagen: {n}" for label, n in r.suspense.buckets),
        f"  Signalen:           {c.signals_opened} geopend, {c.signals_closed} gesloten; "
        f"mediaan {_days(r.median_days_to_close)} tot gesloten",
        f"  Leefgeld:           {r.leefgeld_changed} van {r.leefgeld_households} huishoudens "
        f"kregen een ander bedrag ({r.leefgeld_changes} wijzigingen)",
        "  Inkomen te laat per betaler:",
    ]
    if not r.late_payers:
        lines.append("    (geen)")
    for p in r.late_payers:
        lines.append(f"    {p.payer}: {p.count}x, mediaan {p.median_days_late} dagen te laat")
    return "\n".join(lines)


def _days(value: int | None) -> str:
    return "-" if value is None else f"{value} dagen"
