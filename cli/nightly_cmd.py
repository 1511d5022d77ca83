"""The nightly run from the command line, and what staff do with its outcome.

    hhb nightly --date D [--inbox DIR] [--outbox DIR] [--json]   the whole night (catch-up)
    (hhb assign and hhb learn: see cli/assign_cmd.py)
    hhb signals [--json] [--all] [--date D]                     open signals (age_days,
        [--household CODE] [--owner USER] [--overdue]          owner, due, overdue)
    hhb runs                                                    history of nights
    hhb scheduler [--workers N]                                 the 02:00 process
    (hhb nightly --workers N: stages plan and export in N processes, PostgreSQL only;
    hhb worker joins them from another machine: see cli/worker_cmd.py)

Exit codes of `nightly`: 0 ok, 1 problems or a failed night, 3 another night holds
the lock (the second process does not wait; it says so and exits).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from cli.engine_scope import database_engine
from cli.night_common import (
    add_common,
    add_workers,
    crash_hook,
    fault_hook,
    iso_date,
    night_paths,
    progress_bar,
    worker_crash_stage,
    workers_of,
)
from cli.view_log import log_reads
from huishoudboekje.services.database import Engine
from huishoudboekje.services.night_history import night_run_list
from huishoudboekje.services.night_runs import charges_due_between, is_configured
from huishoudboekje.services.signal_deadlines import signal_list_with_deadlines
from huishoudboekje.services.staff_pages import household_known
from scheduler.context import AMSTERDAM
from scheduler.lock import NightLockedError
from scheduler.nightly import NightOutcome, first_night_to_run, run_nights

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2
EXIT_LOCKED = 3


def register(subparsers: Any) -> None:
    """Add nightly, signals, runs and scheduler to the `hhb` parser."""
    nightly = subparsers.add_parser("nightly", help="run the night for a date (and missed ones)")
    nightly.add_argument("--date", type=iso_date, default=None, help="the night (default today)")
    nightly.add_argument("--json", action="store_true", help="machine-readable output")
    nightly.add_argument(
        "--yes",
        action="store_true",
        help="also a date more than 7 days ahead or a catch-up of more than 60 nights",
    )
    add_common(nightly)
    add_workers(nightly)
    nightly.set_defaults(func=run_nightly)

    signals = subparsers.add_parser("signals", help="open signals for staff")
    signals.add_argument("--json", action="store_true")
    signals.add_argument("--all", action="store_true", help="closed ones too")
    signals.add_argument(
        "--date", type=iso_date, default=None, help="count age_days up to this day (default today)"
    )
    signals.add_argument("--household", default=None, help="only this household")
    signals.add_argument("--owner", default=None, help="only signals of this medewerker")
    signals.add_argument(
        "--overdue", action="store_true", help="only open signals past their deadline"
    )
    signals.add_argument("--database", default=None)
    signals.set_defaults(func=run_signals)

    runs = subparsers.add_parser("runs", help="history of nightly runs")
    runs.add_argument("--json", action="store_true")
    runs.add_argument("--database", default=None)
    runs.set_defaults(func=run_runs)

    scheduler = subparsers.add_parser("scheduler", help="run the nightly job every night at 02:00")
    add_common(scheduler)
    add_workers(scheduler)
    scheduler.set_defaults(func=run_scheduler)


def run_nightly(args: argparse.Namespace) -> int:
    """`hhb nightly`: run the night (and any missed before it) and report each.

    Refuses (exit 2, nothing changed) a date more than `MAX_DAYS_AHEAD` days after
    today or a catch-up of more than `MAX_CATCH_UP` nights unless --yes, saying how
    many nights and how much money that would queue; an --inbox/--outbox that does
    not exist; and a database without configuration. Without --json one line per
    night is printed (and flushed) as soon as that night is done."""
    today = datetime.now(AMSTERDAM).date()
    night = args.date or today
    for option in ("inbox", "outbox"):
        folder = getattr(args, option)
        if folder is not None and not folder.is_dir():
            what = "is een bestand, geen map" if folder.exists() else "bestaat niet"
            print(
                f"hhb nightly: --{option} {folder} {what}; maak de map eerst aan of "
                "controleer de naam (alleen de standaardmappen onder --var worden "
                "vanzelf aangemaakt)",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
    if args.var.exists() and not args.var.is_dir():
        print(f"hhb nightly: --var {args.var} is een bestand, geen map", file=sys.stderr)
        return EXIT_BAD_INPUT
    workers = workers_of(args, "nightly")
    if isinstance(workers, str):
        print(workers, file=sys.stderr)
        return EXIT_BAD_INPUT

    def report_night(outcome: NightOutcome) -> None:
        if not args.json:
            _print_outcome(outcome)

    try:
        with database_engine(args) as engine, progress_bar(not args.json) as progress:
            if not is_configured(engine):
                print(
                    "hhb nightly: er is nog geen configuratie in deze database; draai eerst "
                    "`hhb config apply BESTAND.yaml`",
                    file=sys.stderr,
                )
                return EXIT_BAD_INPUT
            refusal = _too_far(engine, night, today, args.yes)
            if refusal:
                print(f"hhb nightly: {refusal}", file=sys.stderr)
                return EXIT_BAD_INPUT
            outcomes = run_nights(
                engine,
                night,
                night_paths(args),
                after_stage=crash_hook(),
                progress=progress,
                fault=fault_hook(),
                on_night=report_night,
                workers=workers,
                crash_worker_in=worker_crash_stage(),
            )
    except NightLockedError as exc:
        print(f"hhb nightly: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    last = outcomes[-1]
    if args.json:
        print(json.dumps(last.report, indent=2, ensure_ascii=False))
    return EXIT_OK if all(o.status == "ok" for o in outcomes) else EXIT_PROBLEMS


MAX_DAYS_AHEAD = 7  # `hhb nightly --date` further after today needs --yes
MAX_CATCH_UP = 60  # a catch-up of more nights needs --yes
MAX_ESTIMATE_NIGHTS = 3660  # beyond this the money is not even estimated


def _too_far(engine: Engine, night: date, today: date, yes: bool) -> str | None:
    """Why `night` needs --yes (and what it would queue), or None."""
    if yes:
        return None
    first = first_night_to_run(engine, night)
    count = (night - first).days + 1
    ahead = (night - today).days
    if ahead <= MAX_DAYS_AHEAD and count <= MAX_CATCH_UP:
        return None
    why = (
        f"{night} ligt {ahead} dagen na vandaag (meer dan {MAX_DAYS_AHEAD})"
        if ahead > MAX_DAYS_AHEAD
        else f"dit haalt {count} nachten in (meer dan {MAX_CATCH_UP})"
    )
    if count > MAX_ESTIMATE_NIGHTS:
        money = "meer dan tien jaar aan betalingen"
    else:
        payments, total = charges_due_between(engine, first, night)
        money = f"ten minste {payments} vaste lasten, samen {total} euro, plus leefgeld"
    return (
        f"{why}: {count} {'nacht' if count == 1 else 'nachten'} ({first} tot en met "
        f"{night}) zouden {money} klaarzetten. "
        "Klopt de datum? Draai opnieuw met --yes om het toch te doen."
    )


def _print_outcome(outcome: NightOutcome) -> None:
    """One line per night (and its problems), flushed at once: a log that is not a
    terminal still shows how far a long catch-up got if it is stopped."""
    report = outcome.report
    print(
        f"Nacht {outcome.night}: {outcome.status}; "
        f"{len(report['statements'])} bestanden, {report['matched']} gematcht, "
        f"{report['unmatched']} onbekend, {report['settled']} uitgevoerd, "
        f"{report['returned']} teruggekomen, {len(report['payments'])} betaalopdrachten, "
        f"{len(report['payment_files'])} betaalbestanden, {len(report['signals'])} signalen",
        flush=True,
    )
    for problem in outcome.problems:
        print(f"  ! {problem}", flush=True)


def run_signals(args: argparse.Namespace) -> int:
    """`hhb signals`: the open signals (with --all the closed ones too)."""
    today = args.date or datetime.now(AMSTERDAM).date()
    if args.household is not None:
        with database_engine(args) as engine:
            if not household_known(engine, args.household):
                print(f"hhb signals: huishouden {args.household!r} bestaat niet", file=sys.stderr)
                return EXIT_BAD_INPUT

    def read(engine: Engine) -> list[dict[str, Any]]:
        found = signal_list_with_deadlines(
            engine,
            today,
            include_closed=args.all,
            household=args.household,
            owner=args.owner,
            overdue_only=args.overdue,
        )
        # a household's signals are a read of its data (issue 20.2)
        log_reads(engine, (i["household"] for i in found if i["household"]), "hhb signals")
        return found

    items = _listing(args, read)
    if items is None:
        return EXIT_OK
    if not items:
        print("Geen open signalen.")
    for item in items:
        who = item["household"] or "gemeente"
        print(
            f"[{item['severity']}] {who}: {item['message']}  "
            f"(sinds {item['first_seen']}, {item['age_days']} dagen)"
        )
        print(f"    {_deadline_line(item)}")
        reference = (item["data"] or {}).get("dedupe_key")
        if reference:  # what `hhb assign` takes as TRANSACTION_ID
            print(f"    transactie {reference}")
    return EXIT_OK


def _deadline_line(item: dict[str, Any]) -> str:
    """Who acts on a signal and by when, in plain Dutch."""
    who = f"eigenaar {item['owner'] or 'niemand'}"
    if item["due"] is None:
        return f"{who}, geen termijn"
    late = "TE LAAT, " if item["overdue"] else ""
    return f"{who}, {late}uiterlijk {item['due']}"


def run_runs(args: argparse.Namespace) -> int:
    """`hhb runs`: the history of nights."""
    items = _listing(args, night_run_list)
    if items is None:
        return EXIT_OK
    if not items:
        print("Nog geen nachten gedraaid.")
    not_ok = 0
    for item in items:
        mark = "  " if item["status"] == "ok" else "!!"
        not_ok += item["status"] != "ok"
        print(
            f"{mark} {item['night']}  {STATUS_NL.get(item['status'], item['status']):<16} "
            f"poging {item['attempts']}  "
            f"{item['started_at'][:19]} → {(item['finished_at'] or '-')[:19]}"
        )
        if item["error"]:
            for line in str(item["error"]).splitlines()[:5]:
                print(f"      {line}")
        for earlier in item.get("earlier", []):
            print(
                f"      eerder: poging {earlier['attempt']} "
                f"{STATUS_NL.get(earlier['status'], earlier['status'])}; "
                f"{_stage_counts(earlier['stages'])}"
            )
    if not_ok:
        print(
            f"{not_ok} nacht(en) niet ok: zie `hhb signals`; een nacht opnieuw draaien staat "
            "in docs/operations.md."
        )
    return EXIT_OK


STATUS_NL = {
    "ok": "ok",
    "problems": "NIET OK (problemen)",
    "failed": "NIET OK (mislukt)",
    "running": "NIET OK (bezig of afgebroken)",
}


def _stage_counts(stages: dict[str, Any]) -> str:
    """One short line with what the plan and export stages did."""
    parts = []
    plan = stages.get("plan") or {}
    if "planned" in plan:
        parts.append(f"plan {plan['planned']} gepland, {plan.get('failed', 0)} mislukt")
    export = stages.get("export") or {}
    if isinstance(export, dict) and export:
        parts.append(f"export {export.get('files', 0)} betaalbestand(en)")
    return ", ".join(parts) or "geen stappen"


def run_scheduler(args: argparse.Namespace) -> int:
    """`hhb scheduler`: the process that runs the night every night at 02:00."""
    from scheduler.process import serve

    workers = workers_of(args, "scheduler")
    if isinstance(workers, str):
        print(workers, file=sys.stderr)
        return EXIT_BAD_INPUT
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return serve(args.database, night_paths(args), workers=workers)


def _listing(
    args: argparse.Namespace, fetch: Callable[[Engine], list[dict[str, Any]]]
) -> list[dict[str, Any]] | None:
    """What `fetch` reads from the database; with --json it is printed as JSON here
    and None comes back (the caller has nothing left to print)."""
    with database_engine(args) as engine:
        items = fetch(engine)
    if args.json:
        print(json.dumps(items, indent=2, ensure_ascii=False))
        return None
    return items
