"""`hhb status` and `hhb plan`: what a household has and gets, and what tonight would pay.

    hhb status CODE [--date D] [--json]
    hhb plan --date D [--household CODE] [--json]     (changes nothing)

The database is `--database URL`, else `HHB_DATABASE_URL`, else var/hhb.sqlite3.
Exit codes: 0 done, 2 unknown household or bad date, 1 anything else.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from cli.engine_scope import database_engine
from cli.gemeente_option import add_gemeente_options, gemeente_scope_of, household_check
from cli.night_common import iso_date
from cli.view_log import log_reads
from huishoudboekje.domain.dutch_text import day_nl, eur
from huishoudboekje.domain.planner import Plan
from huishoudboekje.domain.recurrence_read import schedule_sentence
from huishoudboekje.domain.status_report import StatusReport
from huishoudboekje.services.database import Engine
from huishoudboekje.services.gemeente_scope import scope_codes_of
from huishoudboekje.services.households import (
    UnknownHouseholdError,
    plan_previews,
    status_reports,
)
from huishoudboekje.services.overview import charge_word, status_sentences

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
T = TypeVar("T")
EXIT_OK = 0
EXIT_BAD_INPUT = 2
SEVERITY_NL = {"info": "info", "warning": "let op", "high": "urgent"}


def _iso_date(text: str) -> date:
    return iso_date(text)


def _database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        default=argparse.SUPPRESS,
        help="database URL (default: HHB_DATABASE_URL, else var/hhb.sqlite3)",
    )


def register(subparsers: Any) -> None:
    """Add `status` and `plan` to the `hhb` parser."""
    status = subparsers.add_parser("status", help="balances, leefgeld and what comes next")
    status.add_argument("code", nargs="?", help="household code, e.g. HH-0001")
    status.add_argument("--all", action="store_true", help="every household, one after another")
    status.add_argument("--date", type=_iso_date, default=None, help="as of this day (today)")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    _database_option(status)
    add_gemeente_options(status)
    status.set_defaults(func=run_status)

    preview = subparsers.add_parser(
        "plan", help="show what the planner would instruct on a day (changes nothing)"
    )
    preview.add_argument("--date", type=_iso_date, required=True, help="the planning day")
    preview.add_argument("--household", default=None, help="only this household")
    preview.add_argument("--json", action="store_true", help="machine-readable output")
    _database_option(preview)
    add_gemeente_options(preview)
    preview.set_defaults(func=run_plan)


def _read(
    command: str,
    args: argparse.Namespace,
    query: Callable[[Engine, frozenset[str] | None], T],
    code: str | None = None,
) -> T | None:
    """Run a read-only query on the households of the command's gemeente (issue 22;
    None: every household); None (after saying why) when the household does not
    exist, or belongs to another gemeente, or no gemeente was chosen."""
    try:
        with database_engine(args) as engine:
            scope = gemeente_scope_of(args, engine)
            if scope is None:
                return None
            problem = household_check(engine, scope, code)
            if problem is not None:
                print(f"hhb {command}: {problem}", file=sys.stderr)
                return None
            return query(engine, scope_codes_of(engine, scope))
    except UnknownHouseholdError as exc:
        print(f"hhb {command}: {exc}", file=sys.stderr)
        return None


def run_status(args: argparse.Namespace) -> int:
    """`hhb status`: one household, or every household with --all."""
    today = args.date or datetime.now(AMSTERDAM).date()
    if bool(args.code) == bool(args.all):
        print("hhb status: give a household code or --all", file=sys.stderr)
        return EXIT_BAD_INPUT

    codes = None if args.all else (args.code,)
    # today: what the night stored (planned only when it stored none); another day: computed
    stored = args.date is None

    def read(engine: Engine, within: frozenset[str] | None) -> list[StatusReport]:
        asked = codes if codes is not None or within is None else tuple(sorted(within))
        found = list(status_reports(engine, asked, today, stored=stored)) if asked != () else []
        log_reads(engine, (r.household.code for r in found), "hhb status")
        return found

    reports = _read("status", args, read, args.code)
    if reports is None:
        return EXIT_BAD_INPUT
    if args.json:
        documents = [r.as_json() for r in reports]
        output = documents if args.all else documents[0]
        print(json.dumps(output, indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(render_status(r) for r in reports))
    return EXIT_OK


def render_status(report: StatusReport) -> str:
    """The status as plain Dutch text for a terminal."""
    h = report.household
    state = report.state
    data = report.as_json()
    said = status_sentences(report, eur, day_nl)  # the sentences the web shows too
    lines = [
        f"{h.name} ({h.code}), stand op {day_nl(report.today)} {report.today.year}",
    ]
    if said.ended:
        lines.append(f"  {said.ended}")
    lines += [
        f"  Buffer:               {eur(state.vat)}"
        + ("" if report.buffer is None else f" ({report.buffer.sentence()})"),
    ]
    if not report.ended:
        lines += [
            f"    gereserveerd:       {eur(report.set_aside_total)}"
            + (f" ({said.set_aside})" if said.set_aside else ""),
            f"    vrij:               {eur(report.buffer_free)} (doel {eur(h.buffer.target)})",
            f"    {said.target}",
        ]
    lines.append(
        f"  Voorschot:            {eur(state.advance_used)} van {eur(h.buffer.advance_limit)}"
    )
    for rid, amount in state.reserves:
        lines.append(f"  Reservering:          {rid} {eur(amount)}")
    unit = "per week" if data["leefgeld"]["cadence"] == "weekly" else "per maand"
    if report.ended:
        lines.append("  Leefgeld:             geen (deelname beëindigd)")
    else:
        lines.append(f"  Leefgeld:             {eur(report.leefgeld_rate)} {unit}")
    nxt = report.plan.next_release
    if nxt is not None and not report.ended:
        lines.append(f"  Volgende uitbetaling: {day_nl(nxt.day)}: {eur(nxt.amount)}")
        lines.append(f"  Waarom: {said.why}")
    lines.append("  Komende vaste lasten:")
    if not report.upcoming:
        lines.append("    (geen in de komende 5 weken)")
    for item in report.upcoming:
        mark = "gedekt" if item.covered else "NIET GEDEKT"
        lines.append(
            f"    {day_nl(item.day):<24} {charge_word(item.kind):<17} {eur(item.amount):>12}  "
            f"{item.payee}  ({mark})"
        )
    lines.append("  Vaste lasten:")
    lines.extend(
        f"    {c.id:<24} {eur(c.amount):>12}  {schedule_sentence(c.schedule)}" for c in h.charges
    )
    names = {i.id: f"{i.kind.label_nl} ({i.id})" for i in h.incomes}
    for learned in report.learned_incomes():  # an irregular income: what is expected
        lines.append(f"  {names[learned.income_id] + ':':<22}{learned.sentence()}")
    for note in report.notes:
        for sentence in (note.window, note.total_sentence()):
            if sentence:
                lines.append(f"  {note.label.capitalize() + ':':<22}{sentence}")
    lines.append(
        f"  Laagste stand komende 60 dagen: {eur(report.lowest_balance)} "
        f"op {day_nl(report.lowest_day)}"
    )
    if report.signals:
        lines.append("  Signalen:")
        for signal in report.signals:
            lines.append(f"    [{SEVERITY_NL[signal.severity.value]}] {signal.message}")
    return "\n".join(lines)


def plan_json(plan: Plan) -> dict[str, Any]:
    """A plan as JSON-ready data (amounts as strings, dates in ISO form)."""
    return {
        "household": plan.household,
        "instructions": [
            {
                "end_to_end_id": i.end_to_end_id,
                "kind": i.kind,
                "subject": i.charge_id,
                "name": i.payee_name,
                "iban": i.payee_iban,
                "amount": str(i.amount),
                "execution_date": i.execution_date.isoformat(),
                "remittance": i.remittance or i.structured_reference,
                "reason": i.reason,
            }
            for i in plan.instructions
        ],
        "decisions": [
            {
                "kind": d.kind,
                "subject": d.subject,
                "date": d.day.isoformat(),
                "amount": str(d.amount),
                "status": d.status,
                "reason": d.reason,
            }
            for d in plan.decisions
        ],
        "signals": [s.as_dict() for s in plan.signals],
    }


def run_plan(args: argparse.Namespace) -> int:
    """`hhb plan`: what the planner would instruct on a day; saves nothing."""

    def read(engine: Engine, within: frozenset[str] | None) -> list[Plan]:
        found = [
            p
            for p in plan_previews(engine, args.date, args.household)
            if within is None or p.household in within
        ]
        log_reads(engine, (p.household for p in found), "hhb plan")
        return found

    plans = _read("plan", args, read, args.household)
    if plans is None:
        return EXIT_BAD_INPUT
    if args.json:
        document = {"date": args.date.isoformat(), "households": [plan_json(p) for p in plans]}
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"Plan voor {day_nl(args.date)} {args.date.year} (er wordt niets opgeslagen)")
    for plan in plans:
        print(f"\n{plan.household}")
        if not plan.decisions:
            print("  niets te doen")
        for decision in plan.decisions:
            print(
                f"  {decision.status:<14} {decision.subject:<24} {eur(decision.amount):>12}  "
                f"{day_nl(decision.day)}"
            )
        for signal in plan.signals:
            print(f"  [{SEVERITY_NL[signal.severity.value]}] {signal.message}")
    return EXIT_OK
