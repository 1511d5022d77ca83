"""A worker killed (SIGKILL) in the middle of a batch of a spread night (issue 22.2).

The demo gemeente's third night (3 September: three payments in one pain.001 file)
runs with `hhb nightly --workers 2` in its own process, with the test seam
HHB_WORKER_CRASH=<stage>: the local worker takes the first batch of that stage,
commits its work (the plans of three households, or the payment file) and kills
itself before it marks the batch done; the night's process lets it go first and
then does every batch, the dead worker's again. The outcome is the one of the same
night in one uninterrupted process: the same payment file (bytes), the same
database, no instruction or journal entry twice, and the redone batch shows that
the dead worker's households were already planned (skipped) or its file already
made (none made again).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from huishoudboekje.adapters.persistence import create_engine_from_url
from tests.night_workers_support import (
    BATCH,
    Town,
    demo_town,
    nightly,
    outbox,
    schemas,
    state,
)
from tests.nightly_support import ROOT

pytestmark = pytest.mark.postgres
CRASH_NIGHT = date(2026, 9, 3)


@dataclass
class Calm:
    town: Town
    outbox: dict[str, bytes]
    state: dict[str, Any]


@pytest.fixture(scope="module")
def calm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Calm]:
    """The demo's first three nights in one process, uninterrupted."""
    town = demo_town(nights=3)
    assert town.nights[-1] == CRASH_NIGHT
    var = tmp_path_factory.mktemp("calm")
    with schemas(1) as (db,):
        run_before(town, db, var)
        town.deliver(var, CRASH_NIGHT)
        nightly(db, var, CRASH_NIGHT, 1)
        files = outbox(var)
        assert len(files) == 1  # the crash night makes a payment file
        yield Calm(town, files, state(db))


def run_before(town: Town, db: str, var: Path) -> None:
    town.apply(db)
    for night in town.nights[:-1]:
        town.deliver(var, night)
        nightly(db, var, night, 1)


def spread_night_with_a_crash(db: str, var: Path, stage: str) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        HHB_TEST_SEAMS="1",
        HHB_WORKER_CRASH=stage,
        HHB_NIGHT_BATCH=BATCH,
    )
    env.pop("HHB_DATABASE_URL", None)
    return subprocess.run(
        [
            *(sys.executable, "-m", "cli.main", "nightly", "--date", CRASH_NIGHT.isoformat()),
            *("--var", str(var), "--database", db, "--workers", "2", "--json"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def batches(db: str, stage: str) -> list[dict[str, Any]]:
    engine = create_engine_from_url(db)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT batch, households, state, worker, result FROM night_batch "
                    "WHERE night = :night AND stage = :stage ORDER BY batch"
                ),
                {"night": CRASH_NIGHT, "stage": stage},
            )
            return [dict(r._mapping) for r in rows]
    finally:
        engine.dispose()


def counted(db: str, table: str, column: str) -> tuple[int, int]:
    """(rows, distinct values of `column`) of `table`."""
    engine = create_engine_from_url(db)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text(f"SELECT count(*), count(DISTINCT {column}) FROM {table}")
            ).one()
            return int(found[0]), int(found[1])
    finally:
        engine.dispose()


@pytest.mark.parametrize("stage", ["plan", "export"])
def test_a_worker_killed_mid_batch_leaves_it_to_another_and_nothing_twice(
    stage: str, calm: Calm, tmp_path: Path
) -> None:
    with schemas(1) as (db,):
        run_before(calm.town, db, tmp_path)
        calm.town.deliver(tmp_path, CRASH_NIGHT)
        done = spread_night_with_a_crash(db, tmp_path, stage)
        assert done.returncode in (0, 1), done.stderr[-3000:]

        assert outbox(tmp_path) == calm.outbox
        assert state(db) == calm.state
        rows, distinct = counted(db, "payment_instruction", "end_to_end_id")
        assert rows == distinct > 0
        rows, distinct = counted(db, "journal_entry", "entry_id")
        assert rows == distinct > 0

        redone = batches(db, stage)
        assert redone and all(b["state"] == "done" for b in redone)
        first = redone[0]
        # the dead worker's batch was done again by the night's own process ...
        assert first["worker"].endswith(":nacht")
        # ... and found the dead worker's work there, done once
        if stage == "plan":
            assert first["result"]["skipped"] == len(first["households"]) > 0
            assert first["result"]["planned"] == 0
        else:
            assert first["result"]["files"] == 0
