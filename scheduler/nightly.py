"""The nightly run: ONE list of named stages, in one place.

    import → dedupe → match → reconcile → book → plan → extras → export → signals
    → report

Each stage is a small function of the night's context that does its work in
its own database transaction(s) and returns a small result for the night's
record. A stage that raises is recorded (the night ends "failed") and the next
stages still run; a bad file or household is a recorded problem inside its
stage (the night ends "problems"). Every stage reads its work from the
database, so running a night again, or after a crash, finishes what is left and
repeats nothing (see docs/operations.md).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from huishoudboekje.services.database import Engine
from huishoudboekje.services.night_batches import check_workers
from huishoudboekje.services.night_runs import (
    finish_night,
    finish_night_with_report,
    last_completed,
    latest_started,
    record_stage_result,
    start_night,
)
from huishoudboekje.services.night_work import Fault, StageResult, no_fault, plain_problem
from scheduler.context import NightContext, NightPaths, Progress, _quiet
from scheduler.lock import NightLock
from scheduler.spread import Spread, export_stage, plan_stage
from scheduler.stage_book import book_transactions
from scheduler.stage_dedupe import store_new_transactions
from scheduler.stage_extras import pay_extra_requests
from scheduler.stage_import import import_files
from scheduler.stage_match import match_credits, reconcile_debits
from scheduler.stage_report import store_report_figures
from scheduler.stage_signals import refresh_signals
from scheduler.workers import LocalWorkers, batch_size_from_env

log = logging.getLogger("hhb.nightly")

StageFunction = Callable[[NightContext], StageResult]


@dataclass(frozen=True)
class Stage:
    """One named step of the night."""

    name: str
    run: StageFunction


STAGES: tuple[Stage, ...] = (
    Stage("import", import_files),
    Stage("dedupe", store_new_transactions),
    Stage("match", match_credits),
    Stage("reconcile", reconcile_debits),
    Stage("book", book_transactions),
    Stage("plan", plan_stage),
    Stage("extras", pay_extra_requests),
    Stage("export", export_stage),
    Stage("signals", refresh_signals),
    Stage("report", store_report_figures),
)
# `hhb import` runs these, in the night's order, for the files it is given
IMPORT_STAGE_NAMES = ("import", "dedupe", "match", "reconcile", "book")
IMPORT_STAGES: tuple[Stage, ...] = tuple(s for s in STAGES if s.name in IMPORT_STAGE_NAMES)
assert len(IMPORT_STAGES) == len(IMPORT_STAGE_NAMES), "an import stage name is not in STAGES"

AfterStage = Callable[[str], None]


def _nothing(_stage: str) -> None:
    """No-op `after_stage`."""
    return None


@dataclass
class NightOutcome:
    """What a night did: its status, each stage's result and the JSON report."""

    night: date
    status: str
    stages: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)


def run_stages(
    ctx: NightContext,
    stages: Sequence[Stage],
    *,
    record: bool,
    after_stage: AfterStage = _nothing,
) -> tuple[dict[str, Any], bool]:
    """Run `stages` in order; returns their results and whether one of them raised."""
    results: dict[str, Any] = {}
    failed = False
    for stage in stages:
        log.info("%s: stage %s", ctx.night, stage.name)
        started = time.perf_counter()
        try:
            result: dict[str, Any] = dict(stage.run(ctx).as_json())
        except Exception as exc:
            failed = True
            log.exception("%s: stage %s failed", ctx.night, stage.name)
            result = {"error": f"{type(exc).__name__}: {plain_problem(exc)}"}
            ctx.problem(f"stap {stage.name} mislukt: {plain_problem(exc)}")
        result["seconds"] = round(time.perf_counter() - started, 3)
        results[stage.name] = result
        if record:
            record_stage_result(ctx.engine, ctx.night, stage.name, result)
        after_stage(stage.name)
    return results, failed


def run_night(
    engine: Engine,
    night: date,
    paths: NightPaths,
    *,
    after_stage: AfterStage = _nothing,
    progress: Progress = _quiet,
    catching_up_to: date | None = None,
    fault: Fault = no_fault,
    spread: Spread | None = None,
) -> NightOutcome:
    """Run every stage for `night` (the caller holds the lock); `catching_up_to`: the
    day it really is when `night` is a missed night being caught up; `spread`: the
    workers that share stages plan and export (None: this process does them)."""
    paths.create()
    ctx = NightContext(
        engine,
        night,
        paths,
        progress=progress,
        catching_up_to=catching_up_to,
        fault=fault,
        spread=spread,
    )
    start_night(engine, night)
    try:
        results, failed = run_stages(ctx, STAGES, record=True, after_stage=after_stage)
    except BaseException as exc:  # the traceback goes to the log (cli/errors.py)
        finish_night(engine, night, "failed", f"nacht afgebroken: {plain_problem(exc)}")
        raise
    status = "failed" if failed else ("problems" if ctx.problems else "ok")
    error = "\n".join(ctx.problems) or None
    report = finish_night_with_report(engine, night, status, error, ctx.results)
    log.info("%s: night %s", night, status)
    return NightOutcome(night, status, results, list(ctx.problems), report)


def nights_to_run(engine: Engine, target: date) -> list[date]:
    """The missed nights after the last completed one, up to and including `target`."""
    first = first_night_to_run(engine, target)
    return [first + timedelta(days=n) for n in range((target - first).days + 1)]


def first_night_to_run(engine: Engine, target: date) -> date:
    """The first night `run_nights(target)` runs (the count is known without a list)."""
    last = last_completed(engine)
    if last is None or last >= target:
        return target
    return last + timedelta(days=1)


def run_nights(
    engine: Engine,
    target: date,
    paths: NightPaths,
    *,
    after_stage: AfterStage = _nothing,
    progress: Progress = _quiet,
    fault: Fault = no_fault,
    on_night: Callable[[NightOutcome], None] | None = None,
    workers: int = 1,
    batch_size: int | None = None,
    crash_worker_in: str = "",
) -> list[NightOutcome]:
    """Catch up: run every missed night in date order, then `target`, under the lock.

    The day it really is counts as at least the latest night that ever ran: a night
    rerun by hand after later nights ran (to finish what failed) never instructs a
    payment for a day before that.

    `workers` > 1 (PostgreSQL only, else `WorkersRefusedError` before anything
    changes) spreads stages plan and export over this process and `workers` - 1
    local worker processes, started here and stopped when the nights are done;
    `batch_size`: households per plan batch (default HHB_NIGHT_BATCH, else 100).
    `crash_worker_in` (a test seam): the local workers SIGKILL themselves once the
    work of their first batch of that stage is committed, before it is marked done;
    this process waits for them to end before it claims batches of that stage."""
    check_workers(engine, workers)
    paths.create()
    with (
        NightLock(paths.lock_file, engine),
        _spread(engine, paths, workers, batch_size, fault, crash_worker_in) as spread,
    ):
        latest = latest_started(engine)
        real_day = max(target, latest) if latest is not None else target
        outcomes = []
        for night in nights_to_run(engine, target):
            outcome = run_night(
                engine,
                night,
                paths,
                after_stage=after_stage,
                progress=progress,
                catching_up_to=real_day,
                fault=fault,
                spread=spread,
            )
            outcomes.append(outcome)
            if on_night is not None:  # e.g. print a progress line per night at once
                on_night(outcome)
        return outcomes


@contextmanager
def _spread(
    engine: Engine,
    paths: NightPaths,
    workers: int,
    batch_size: int | None,
    fault: Fault,
    crash_in: str,
) -> Iterator[Spread | None]:
    """The local workers of a spread night, from the lock to the end of the nights."""
    if workers <= 1:
        yield None
        return
    local = LocalWorkers(engine, paths, workers - 1, fault=fault, crash_in=crash_in)
    try:
        yield Spread(local, batch_size or batch_size_from_env(), crash_in)
    finally:
        local.stop()


def import_only(
    engine: Engine,
    files: Sequence[Path],
    today: date,
    paths: NightPaths,
    *,
    progress: Progress = _quiet,
) -> tuple[NightContext, dict[str, Any], bool]:
    """`hhb import`: stages import → book for the given files (they are not moved)."""
    paths.create()
    ctx = NightContext(engine, today, paths, files=list(files), progress=progress)
    with NightLock(paths.lock_file, engine):
        results, failed = run_stages(ctx, IMPORT_STAGES, record=False)
    return ctx, results, failed
