"""`hhb worker`: a worker of nights spread over processes and machines (issue 22.2).

    hhb worker [--stages plan[,export]] [--once] [--database URL] [--var DIR]

Run it (like the scheduler, as a service) on any machine that reaches the night's
PostgreSQL database: while a night runs with `--workers`, it claims free batches
of stage `plan` (with `--stages plan,export` also payment files, written to its
--outbox, which must then be the night's own outbox folder, shared). SIGTERM or
SIGINT stop it after the batch it is doing. `--once`: stop when no batch is free.
Exit codes: 0 stopped, 2 not PostgreSQL (nothing changed).
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

from cli.engine_scope import database_engine
from cli.night_common import add_common, fault_hook, night_paths, worker_crash_hook
from huishoudboekje.services.night_batches import SPREAD_STAGES, url_can_spread
from scheduler.workers import SERVE_POLL_SECONDS, serve, stop_on_signals

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _stages(text: str) -> tuple[str, ...]:
    """argparse type for --stages: plan and/or export, comma-separated."""
    stages = tuple(s.strip() for s in text.split(",") if s.strip())
    wrong = [s for s in stages if s not in SPREAD_STAGES]
    if wrong or not stages:
        raise argparse.ArgumentTypeError(
            f"{text!r}: kies uit {', '.join(SPREAD_STAGES)} (met komma's ertussen)"
        )
    return stages


def register(subparsers: Any) -> None:
    """Add `worker` to the `hhb` parser."""
    worker = subparsers.add_parser(
        "worker", help="do batches of nights spread over workers (PostgreSQL)"
    )
    worker.add_argument(
        "--stages",
        type=_stages,
        default=("plan",),
        help="plan (default), or plan,export with the night's own --outbox folder",
    )
    worker.add_argument("--once", action="store_true", help="stop when no batch is free")
    add_common(worker)
    worker.set_defaults(func=run_worker)


def run_worker(args: argparse.Namespace) -> int:
    """`hhb worker`: claim and do batches until stopped (or, with --once, none is free)."""
    if not url_can_spread(args.database):
        print(
            "hhb worker: werkers kunnen alleen met PostgreSQL; SQLite draait de nacht in "
            "één proces / workers need PostgreSQL",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    stop = threading.Event()
    with database_engine(args) as engine:
        stop_on_signals(stop)
        done = serve(
            engine,
            night_paths(args),
            args.stages,
            once=args.once,
            stop=stop,
            poll=SERVE_POLL_SECONDS,
            fault=fault_hook(),
            after_work=worker_crash_hook(),
        )
    print(f"hhb worker: {done} {'batch' if done == 1 else 'batches'} gedaan")
    return EXIT_OK
