"""`hhb worker` on another machine joins a spread night through the database alone
(issue 22.2): while a night holds the night's lock and has open batches, a worker
started with only the database URL claims and does them; without a running night
it leaves open batches alone (a night that stopped stores them again on its rerun).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from huishoudboekje.adapters.persistence import create_engine_from_url, open_database
from huishoudboekje.adapters.persistence.repository import household_codes
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.services.night_batches import store_plan_batches
from scheduler.lock import NightLock
from tests.night_workers_support import demo_town, schemas
from tests.nightly_support import ROOT

pytestmark = pytest.mark.postgres
NIGHT = date(2026, 9, 1)


def worker_once(db: str, var: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("HHB_DATABASE_URL", None)
    return subprocess.run(
        [
            *(sys.executable, "-m", "cli.main", "worker", "--once"),
            *("--database", db, "--var", str(var)),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def batch_states(db: str) -> list[tuple[int, str, str | None]]:
    engine = create_engine_from_url(db)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT batch, state, worker FROM night_batch ORDER BY batch")
            ).all()
    finally:
        engine.dispose()
    return [(int(b), str(s), w) for b, s, w in rows]


def planned_marks(db: str) -> dict[str, str]:
    engine = create_engine_from_url(db)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT household, value FROM engine_state WHERE key = 'nachtplan'")
            ).all()
    finally:
        engine.dispose()
    return {str(h): str(v).strip('"') for h, v in rows}


def test_a_worker_elsewhere_does_the_batches_of_the_running_night_only(tmp_path: Path) -> None:
    with schemas(1) as (db,):
        demo_town(nights=1).apply(db)
        engine = open_database(db)
        try:
            with UnitOfWork(engine) as uow:
                codes = list(household_codes(uow))
            count = store_plan_batches(engine, NIGHT, NIGHT, codes, 3)
            assert count == -(-len(codes) // 3) >= 2

            idle = worker_once(db, tmp_path / "elsewhere")
            assert idle.returncode == 0, idle.stderr
            assert idle.stdout.strip() == "hhb worker: 0 batches gedaan"
            assert {state for _b, state, _w in batch_states(db)} == {"open"}

            with NightLock(tmp_path / "nightly.lock", engine):  # a night runs
                joined = worker_once(db, tmp_path / "elsewhere")
        finally:
            engine.dispose()
        assert joined.returncode == 0, joined.stderr
        assert joined.stdout.strip() == f"hhb worker: {count} batches gedaan"
        states = batch_states(db)
        assert [s for _b, s, _w in states] == ["done"] * count
        assert all(w is not None and w.endswith(":worker") for _b, _s, w in states)
        assert planned_marks(db) == dict.fromkeys(codes, NIGHT.isoformat())
