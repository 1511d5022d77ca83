"""The nightly run from the command line, and what staff do with its outcome.

    hhb nightly --date D [--inbox DIR] [--outbox DIR] [--json]   the whole night (catch-up)
    (hhb assign and hhb learn: see cli/assign_cmd.py)
    hhb signals [--json] [--all] [--date D]                     open signals (age_days)
    hhb runs                                                    history of nights
    hhb scheduler                                               the 02:00 process

Exit codes of `nightly`: 0 ok, 1 problems or a failed night, 3 another night holds
the lock (the second process does not wait; it says so and exits).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cli.engine_scope import database_engine
from cli.night_common import add_common, crash_hook, iso_date, night_paths, progress_bar
from huishoudboekje.services.database import Engine
from huishoudboekje.services.night_history import night_run_list, signal_list
from scheduler.context import AMSTERDAM
from scheduler.lock import NightLockedError
from scheduler.nightly import run_nights

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2
EXIT_LOCKED = 3


def register(subparsers: Any) -> None:
    """Add nightly, signals, runs and scheduler to the `hhb` parser."""
    nightly = subparsers.add_parser("nightly", help="run the night for a date (and missed ones)")
    nightly.add_argument("--date", type=iso_date, default=None, help="the night (default today)")
    nightly.add_argument("--json", action="store_true", help="machine-readable output")
    add_common(nightly)
    nightly.set_defaults(func=run_nightly)

    signals = subparsers.add_parser("signals", help="open signals for staff")
    signals.add_argument("--json", action="store_true")
    signals.add_argument("--all", action="store_true", help="closed ones too")
    signals.add_argument(
        "--date", type=iso_date, default=None, help="count age_days up to this day (default today)"
    )
    signals.add_argument("--database", default=None)
    signals.set_defaults(func=run_signals)

    runs = subparsers.add_parser("runs", help="history of nightly runs")
    runs.add_argument("--json", action="store_true")
    runs.add_argument("--database", default=None)
    runs.set_defaults(func=run_runs)

    scheduler = subparsers.add_parser("scheduler", help="run the nightly job every night at 02:00")
    add_common(scheduler)
    scheduler.set_defaults(func=run_scheduler)


def run_nightly(args: argparse.Namespace) -> int:
    """`hhb nightly`: run the night (and any missed before it) and report each."""
    night = args.date or datetime.now(AMSTERDAM).date()
    try:
        with database_engine(args) as engine, progress_bar(not args.json) as progress:
            outcomes = run_nights(
                engine, night, night_paths(args), after_stage=crash_hook(), progress=progress
            )
    except NightLockedError as exc:
        print(f"hhb nightly: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    last = outcomes[-1]
    if args.json:
        print(json.dumps(last.report, indent=2, ensure_ascii=False))
    else:
        for outcome in outcomes:
            report = outcome.report
            print(
                f"Nacht {outcome.night}: {outcome.status}; "
                f"{len(report['statements'])} bestanden, {report['matched']} gematcht, "
                f"{report['unmatched']} onbekend, {report['settled']} uitgevoerd, "
                f"{report['returned']} teruggekomen, {len(report['payments'])} betaalopdrachten, "
                f"{len(report['payment_files'])} betaalbestanden, {len(report['signals'])} signalen"
            )
            for problem in outcome.problems:
                print(f"  ! {problem}")
    return EXIT_OK if all(o.status == "ok" for o in outcomes) else EXIT_PROBLEMS


def run_signals(args: argparse.Namespace) -> int:
    """`hhb signals`: the open signals (with --all the closed ones too)."""
    today = args.date or datetime.now(AMSTERDAM).date()
    items = _listing(args, lambda engine: signal_list(engine, include_closed=args.all, today=today))
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
        reference = (item["data"] or {}).get("dedupe_key")
        if reference:  # what `hhb assign` takes as TRANSACTION_ID
            print(f"    transactie {reference}")
    return EXIT_OK


def run_runs(args: argparse.Namespace) -> int:
    """`hhb runs`: the history of nights."""
    items = _listing(args, night_run_list)
    if items is None:
        return EXIT_OK
    if not items:
        print("Nog geen nachten gedraaid.")
    for item in items:
        print(
            f"{item['night']}  {item['status']:<9} poging {item['attempts']}  "
            f"{item['started_at'][:19]} → {(item['finished_at'] or '-')[:19]}"
        )
        if item["error"]:
            for line in str(item["error"]).splitlines()[:5]:
                print(f"    {line}")
    return EXIT_OK


def run_scheduler(args: argparse.Namespace) -> int:
    """`hhb scheduler`: the process that runs the night every night at 02:00."""
    from scheduler.process import serve

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return serve(args.database, night_paths(args))


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
