"""Shared bits of `hhb import`, `hhb nightly` and `hhb scheduler`: options, paths,
terminal progress and the test hook that kills the process after a stage."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from scheduler.context import NightPaths

CRASH_ENV = "HHB_CRASH_AFTER_STAGE"  # test hook: SIGKILL this process after that stage
HOLD_ENV = "HHB_HOLD_AFTER_STAGE"  # test hook: "<stage>:<file>" wait there for <file>
FAULT_ENV = "HHB_FAIL_PLAN"  # test hook: "HH-0002,HH-0007" fail to save their plan
# The three hooks above work only with HHB_TEST_SEAMS=1, so a stray variable in a
# production environment cannot kill, stall or fail a night.
SEAMS_ENV = "HHB_TEST_SEAMS"


def test_seam(name: str) -> str:
    """The value of the test hook `name`, or "" unless HHB_TEST_SEAMS=1 is set too;
    a hook that is set but not enabled is named on stderr and ignored."""
    value = os.environ.get(name, "")
    if value and os.environ.get(SEAMS_ENV) != "1":
        print(
            f"{name} is genegeerd: testhaken werken alleen met {SEAMS_ENV}=1",
            file=sys.stderr,
            flush=True,
        )
        return ""
    return value


FIRST_DATE = date(2000, 1, 1)  # a --date outside these is a typo, not a night
LAST_DATE = date(2100, 12, 31)


def iso_date(text: str) -> date:
    """argparse type for YYYY-MM-DD, between 2000-01-01 and 2100-12-31."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-01") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise argparse.ArgumentTypeError(
            f"{text} ligt niet tussen {FIRST_DATE} en {LAST_DATE}; controleer de datum"
        )
    return day


def add_common(parser: argparse.ArgumentParser, *, boxes: bool = True) -> None:
    """--database, --var (and --inbox/--outbox)."""
    parser.add_argument("--database", default=None, help="database URL (default HHB_DATABASE_URL)")
    parser.add_argument(
        "--var", type=Path, default=Path("var"), help="working folder (default ./var)"
    )
    if boxes:
        parser.add_argument("--inbox", type=Path, default=None, help="default VAR/inbox")
        parser.add_argument("--outbox", type=Path, default=None, help="default VAR/outbox")


def night_paths(args: argparse.Namespace) -> NightPaths:
    """The folders from the options."""
    return NightPaths.under(args.var, getattr(args, "inbox", None), getattr(args, "outbox", None))


def crash_hook() -> Callable[[str], None]:
    """After-stage callback: with HHB_CRASH_AFTER_STAGE=<stage> the process kills itself
    (SIGKILL, no clean-up at all) right after that stage, to test crash recovery; with
    HHB_HOLD_AFTER_STAGE=<stage>:<file> it waits there (holding the lock) for <file>."""
    target = test_seam(CRASH_ENV)
    hold_stage, _, hold_file = test_seam(HOLD_ENV).partition(":")

    def after(stage: str) -> None:
        if target and stage == target:
            os.kill(os.getpid(), signal.SIGKILL)
        if hold_stage and stage == hold_stage and hold_file:
            _hold(Path(hold_file))

    return after


def _hold(release: Path) -> None:
    """HHB_HOLD_AFTER_STAGE: say so in `<file>.held`, then wait (at most a minute) for
    `<file>` to appear, so a test can run a second process while this one holds the lock."""
    Path(f"{release}.held").write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + 60
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def fault_hook() -> Callable[[str, str], None]:
    """Fault seam: with HHB_FAIL_PLAN=<code>[,<code>...] saving those households' plan
    raises, as a database error while saving would (to test that no payment is lost)."""
    codes = {c.strip() for c in test_seam(FAULT_ENV).split(",") if c.strip()}

    def fault(stage: str, household: str) -> None:
        if stage == "plan" and household in codes:
            from sqlalchemy.exc import OperationalError

            raise OperationalError(
                "UPDATE engine_state SET value=? WHERE household=? AND key=?",
                (household,),
                Exception(
                    f"({FAULT_ENV}) disk I/O error (raised as a result of Query-invoked "
                    "autoflush; consider using a session.no_autoflush block)"
                ),
            )

    return fault


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar on a terminal; a no-op otherwise."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _what, _done, _total: None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=max(total, 1))
            bar.update(tasks[what], completed=done, total=max(total, 1))

        yield update


WORKER_CRASH_ENV = "HHB_WORKER_CRASH"  # test hook: "<stage>": a worker dies mid-batch


def worker_crash_stage() -> str:
    """HHB_WORKER_CRASH=<stage> (with HHB_TEST_SEAMS=1): a worker process SIGKILLs itself
    after the work of its first batch of that stage is committed and before the batch
    is marked done; the night's own process lets its workers go first in that stage."""
    return test_seam(WORKER_CRASH_ENV)


def worker_crash_hook() -> Callable[[Any], None]:
    """After-work callback of `hhb worker` for the HHB_WORKER_CRASH seam."""
    from scheduler.workers import crash_after

    return crash_after(worker_crash_stage())


def positive_count(text: str) -> int:
    """argparse type for --workers: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is geen geheel getal") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: geef 1 of meer")
    return value


def add_workers(parser: argparse.ArgumentParser) -> None:
    """--workers N (default HHB_NIGHT_WORKERS, else 1)."""
    parser.add_argument(
        "--workers",
        type=positive_count,
        default=None,
        help="processes for stages plan and export (PostgreSQL only; default "
        "HHB_NIGHT_WORKERS, else 1)",
    )


def workers_of(args: argparse.Namespace, command: str) -> int | str:
    """The number of workers asked for, or the one-line refusal (nothing is changed):
    more than one on a database that is not PostgreSQL, or a bad HHB_NIGHT_WORKERS."""
    from huishoudboekje.services.night_batches import REFUSED_ON_SQLITE, url_can_spread

    workers = args.workers
    if workers is None:
        text = os.environ.get("HHB_NIGHT_WORKERS", "").strip() or "1"
        try:
            workers = positive_count(text)
        except argparse.ArgumentTypeError as exc:
            return f"hhb {command}: HHB_NIGHT_WORKERS={text}: {exc}"
    if workers > 1 and not url_can_spread(args.database):
        return f"hhb {command}: {REFUSED_ON_SQLITE.format(workers=workers)}"
    return int(workers)
