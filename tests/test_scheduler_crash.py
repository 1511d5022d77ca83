"""Crash safety: kill -9 the night after each stage, run it again, and end up exactly
where an uninterrupted night ends (database and outbox).

The crash night (25 February) books the bijstand of the 24th and instructs and
exports leefgeld for the next day, so every stage has work to do.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scheduler.nightly import STAGES
from tests.conftest import POSTGRES_ENV, _postgres_schema
from tests.nightly_bank import Bank
from tests.nightly_support import (
    INCOMES,
    SAMPLE,
    dump,
    hhb,
    nightly_quiet,
    nightly_subprocess,
)

SETUP_NIGHT = date(2026, 2, 24)
CRASH_NIGHT = date(2026, 2, 25)
POSTGRES_STAGES = ("dedupe", "plan", "export")  # keep the PostgreSQL run short


def prepare(db: str, var: Path) -> None:
    """A configured gemeente, one night done, and the next day's statement in the inbox."""
    with contextlib.redirect_stdout(io.StringIO()):
        assert hhb("config", "apply", str(SAMPLE), db=db) == 0
    bank = Bank()
    before = [i for i in INCOMES if i.day <= date(2026, 2, 23)]
    bank.statement(date(2026, 2, 23), before, var / "inbox")
    assert nightly_quiet(SETUP_NIGHT, db, var) in (0, 1)
    bank.statement(
        date(2026, 2, 24), [i for i in INCOMES if i.day == date(2026, 2, 24)], var / "inbox"
    )


def outbox(var: Path) -> dict[str, bytes]:
    folder = var / "outbox"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*"))} if folder.exists() else {}


def processed(var: Path) -> list[str]:
    return sorted(p.name for p in (var / "inbox" / "processed").iterdir())


@dataclass
class Baseline:
    prepared_db: Path
    prepared_var: Path
    dump: dict[str, Any]
    outbox: dict[str, bytes]
    processed: list[str]


@pytest.fixture(scope="module")
def sqlite_baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    """The prepared state (copied for every crash) and the uninterrupted night from it."""
    base = tmp_path_factory.mktemp("crash")
    prepared = base / "prepared.sqlite3"
    prepare(f"sqlite:///{prepared}", base / "prepared-var")
    calm_db = base / "calm.sqlite3"
    shutil.copy(prepared, calm_db)
    shutil.copytree(base / "prepared-var", base / "calm-var")
    assert nightly_quiet(CRASH_NIGHT, f"sqlite:///{calm_db}", base / "calm-var") in (0, 1)
    calm_outbox = outbox(base / "calm-var")
    assert len(calm_outbox) == 1  # the crash night does export a payment file
    return Baseline(
        prepared,
        base / "prepared-var",
        dump(f"sqlite:///{calm_db}"),
        calm_outbox,
        processed(base / "calm-var"),
    )


@pytest.mark.parametrize("stage", [s.name for s in STAGES])
def test_kill_after_each_stage_then_rerun_equals_an_uninterrupted_night(
    stage: str, sqlite_baseline: Baseline, tmp_path: Path
) -> None:
    db_file = tmp_path / "crashed.sqlite3"
    shutil.copy(sqlite_baseline.prepared_db, db_file)
    var = tmp_path / "var"
    shutil.copytree(sqlite_baseline.prepared_var, var)
    db = f"sqlite:///{db_file}"
    assert nightly_subprocess(CRASH_NIGHT, db, var, crash_after=stage) == -signal.SIGKILL
    assert nightly_quiet(CRASH_NIGHT, db, var) in (0, 1)
    assert dump(db) == sqlite_baseline.dump
    assert outbox(var) == sqlite_baseline.outbox
    assert processed(var) == sqlite_baseline.processed


@pytest.fixture
def postgres_pair() -> Iterator[tuple[str, str]]:
    if not os.environ.get(POSTGRES_ENV):
        pytest.skip("needs HHB_TEST_POSTGRES_URL")
    first = _postgres_schema(os.environ[POSTGRES_ENV])
    second = _postgres_schema(os.environ[POSTGRES_ENV])
    try:
        yield next(first), next(second)
    finally:
        for generator in (first, second):
            with contextlib.suppress(StopIteration):
                next(generator)


@pytest.mark.postgres
@pytest.mark.parametrize("stage", POSTGRES_STAGES)
def test_kill_and_rerun_on_postgresql(
    stage: str, postgres_pair: tuple[str, str], tmp_path: Path
) -> None:
    calm_db, crashed_db = postgres_pair
    calm, crashed = tmp_path / "calm", tmp_path / "crashed"
    prepare(calm_db, calm)
    prepare(crashed_db, crashed)
    assert nightly_quiet(CRASH_NIGHT, calm_db, calm) in (0, 1)
    assert nightly_subprocess(CRASH_NIGHT, crashed_db, crashed, crash_after=stage) == (
        -signal.SIGKILL
    )
    assert nightly_quiet(CRASH_NIGHT, crashed_db, crashed) in (0, 1)
    assert dump(crashed_db) == dump(calm_db)
    assert outbox(crashed) == outbox(calm)
