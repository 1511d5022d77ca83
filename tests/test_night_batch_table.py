"""The night's work table (issue 22.2) on SQLite and PostgreSQL: storing a stage's
batches replaces that stage's batches and drops every batch left open by a night
that stopped (done ones are kept as the record); claiming takes them in order and
marks them done; a failed stage drops what nobody began."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.night_batch_repo import batch_rows
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.services.night_batches import (
    Claim,
    abandon_stage,
    open_count,
    stage_outcome,
    store_export_batches,
    store_plan_batches,
)
from scheduler.context import NightPaths
from scheduler.process import JOB_ID, build_scheduler

EARLIER, NIGHT = date(2026, 3, 5), date(2026, 3, 6)


def states(engine: Engine, night: date, stage: str) -> list[str]:
    with UnitOfWork(engine) as uow:
        return [row.state for row in batch_rows(uow, night, stage)]


def test_batches_are_claimed_in_order_and_a_stopped_nights_open_ones_go(engine: Engine) -> None:
    codes = [f"HH-{n:04d}" for n in range(1, 8)]
    assert store_plan_batches(engine, EARLIER, EARLIER, codes, 3) == 3
    with Claim(engine, "test", ("plan",), EARLIER) as claim:
        assert claim.batch is not None and claim.batch.households == tuple(codes[:3])
        claim.done({"planned": 3}, ["een probleem"])
    assert states(engine, EARLIER, "plan") == ["done", "open", "open"]

    # the next night's plan: the earlier night's open batches go, its done one stays
    assert store_plan_batches(engine, NIGHT, NIGHT, codes, 4) == 2
    assert states(engine, EARLIER, "plan") == ["done"]
    assert stage_outcome(engine, EARLIER, "plan") == [({"planned": 3}, ["een probleem"])]
    account = "NL91ABNA0417164300"
    store_export_batches(engine, NIGHT, NIGHT, [(account, NIGHT), (account, date(2026, 3, 9))])
    assert states(engine, NIGHT, "plan") == []  # a new stage: open ones of another go

    with Claim(engine, "test", ("export",), NIGHT) as claim:
        assert claim.batch is not None
        assert (claim.batch.account, claim.batch.execution_date) == (account, NIGHT)
        # not marked done: leaving the claim gives the batch back
    assert open_count(engine, NIGHT, "export") == 2
    assert abandon_stage(engine, NIGHT, "export") == 2
    assert open_count(engine, NIGHT, "export") == 0


def test_the_scheduler_passes_its_workers_to_every_night(tmp_path: Path) -> None:
    paths = NightPaths.under(tmp_path / "var")
    scheduler = build_scheduler(None, paths, 3)
    assert scheduler.get_job(JOB_ID).args == (None, paths, 3)
