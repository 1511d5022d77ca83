"""Stages `plan` and `export`, in one process or spread over workers (issue 22.2).

Without workers (`ctx.spread` None) they run as they always have. A spread night
(PostgreSQL, `--workers N` > 1) stores the stage's work as batches in the work
table, lets its N-1 local workers (and any `hhb worker` elsewhere) claim them, does
batches itself too, waits until every batch is done, and records one result for
the stage: the sum of the batches' counts, their problems in batch order. Because
a batch does exactly what the single process does for those households (the same
`plan_batch`, the same `export` of one file), the night's outputs are the same.
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass

from huishoudboekje.services.night_batches import (
    EXPORT,
    PLAN,
    abandon_stage,
    open_count,
    stage_outcome,
    store_export_batches,
    store_plan_batches,
)
from huishoudboekje.services.night_export import ExportResult
from huishoudboekje.services.night_plan import PlanResult, finish_plan, no_counts, plan_work
from huishoudboekje.services.night_work import StageResult
from scheduler.context import NightContext
from scheduler.stage_export import export_payments, pain001_module, repair_files, tonight_groups
from scheduler.stage_plan import plan_households
from scheduler.workers import POLL_SECONDS, LocalWorkers, work_one, worker_name

log = logging.getLogger("hhb.nightly")


@dataclass
class Spread:
    """How a night spreads: its local workers and the size of a plan batch; with
    `crash_in` (a test seam) it lets its workers go first (and die) in that stage."""

    workers: LocalWorkers
    batch_size: int
    crash_in: str = ""


def plan_stage(ctx: NightContext) -> StageResult:
    """Stage `plan`: in this process, or spread."""
    if ctx.spread is None:
        return plan_households(ctx)
    tonight = plan_work(ctx)
    codes = [h.code for h in tonight.due]
    store_plan_batches(ctx.engine, ctx.night, ctx.real_day, codes, ctx.spread.batch_size)
    _work_through(ctx, PLAN)
    counts = no_counts(len(codes))
    for result, problems in stage_outcome(ctx.engine, ctx.night, PLAN):
        for key in ("planned", "skipped", "failed", "instructions"):
            counts[key] += int(result.get(key, 0))
        ctx.problems.extend(problems)
    finish_plan(ctx, tonight)
    return PlanResult(**counts)


def export_stage(ctx: NightContext) -> StageResult:
    """Stage `export`: in this process, or one batch per payment file."""
    if ctx.spread is None:
        return export_payments(ctx)
    if pain001_module() is None:
        return export_payments(ctx)  # records the same problem as one process does
    repaired = repair_files(ctx) or 0
    groups = tonight_groups(ctx)
    store_export_batches(ctx.engine, ctx.night, ctx.real_day, groups)
    _work_through(ctx, EXPORT)
    files = 0
    for result, problems in stage_outcome(ctx.engine, ctx.night, EXPORT):
        files += int(result.get("files", 0))
        ctx.problems.extend(problems)
    # a worker that died between recording a file and writing it left it unwritten
    repaired += repair_files(ctx) or 0
    return ExportResult(files=files, repaired=repaired)


def _work_through(ctx: NightContext, stage: str) -> None:
    """Do free batches of `stage` here too, then wait for those others hold. When a
    batch fails here, the stage ends as it would in one process: the batches not
    begun are dropped, those others hold are waited for, and the error goes up."""
    spread = ctx.spread
    assert spread is not None
    if spread.crash_in == stage:
        spread.workers.wait_exited()
    name = worker_name("nacht")
    total = open_count(ctx.engine, ctx.night, stage)
    try:
        while True:
            ctx.progress(stage, total - open_count(ctx.engine, ctx.night, stage), total)
            if work_one(ctx.engine, ctx.paths, name, (stage,), ctx.night, fault=ctx.fault):
                continue
            if not open_count(ctx.engine, ctx.night, stage):
                break
            time.sleep(POLL_SECONDS)
    except BaseException:
        with contextlib.suppress(Exception):
            dropped = abandon_stage(ctx.engine, ctx.night, stage)
            log.warning("%s: stage %s stopped; %d batches dropped", ctx.night, stage, dropped)
        raise
    ctx.progress(stage, total, total)
