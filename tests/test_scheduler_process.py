"""`hhb scheduler`: the job, the cron trigger, survival of a failing night, SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from huishoudboekje.adapters.persistence import UnitOfWork, create_engine_from_url, open_database
from huishoudboekje.adapters.persistence.nightly_repo import night_runs
from scheduler.context import AMSTERDAM, NightPaths
from scheduler.process import JOB_ID, build_scheduler, nightly_job
from tests.nightly_support import ROOT, SAMPLE, hhb


def runs(db: str) -> list[tuple[str, str]]:
    engine = create_engine_from_url(db)
    try:
        with UnitOfWork(engine) as uow:
            return [(r.night.isoformat(), r.status) for r in night_runs(uow)]
    finally:
        engine.dispose()


def test_the_job_runs_tonight_for_today(db_url: str, tmp_path: Path) -> None:
    assert hhb("config", "apply", str(SAMPLE), db=db_url) == 0
    status = nightly_job(db_url, NightPaths.under(tmp_path / "var"))
    assert status in {"ok", "problems"}
    today = datetime.now(AMSTERDAM).date().isoformat()
    assert runs(db_url) == [(today, status)]


def test_a_failing_night_is_recorded_and_the_job_does_not_raise(
    db_url: str, tmp_path: Path
) -> None:
    engine = open_database(db_url)  # empty: no gemeente configured, import fails
    engine.dispose()
    assert nightly_job(db_url, NightPaths.under(tmp_path / "var")) == "failed"
    assert [status for _night, status in runs(db_url)] == ["failed"]
    # the next night runs again (a failed night is not "completed", so it is retried)
    assert nightly_job(db_url, NightPaths.under(tmp_path / "var")) == "failed"


def test_the_cron_trigger_fires_at_two_in_amsterdam(tmp_path: Path) -> None:
    scheduler = build_scheduler("sqlite://", NightPaths.under(tmp_path))
    trigger = scheduler.get_job(JOB_ID).trigger
    fire = trigger.get_next_fire_time(None, datetime(2026, 4, 1, 12, 0, tzinfo=AMSTERDAM))
    assert fire.astimezone(UTC) == datetime(2026, 4, 2, 0, 0, tzinfo=UTC)  # 02:00 summer time
    fire = trigger.get_next_fire_time(None, datetime(2026, 12, 1, 12, 0, tzinfo=AMSTERDAM))
    assert fire.astimezone(UTC) == datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # 02:00 winter time
    # the night summer time starts 02:00 does not exist; the night still runs (at 03:00 CEST)
    fire = trigger.get_next_fire_time(None, datetime(2026, 3, 28, 12, 0, tzinfo=AMSTERDAM))
    assert fire.astimezone(UTC) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


@pytest.mark.slow
def test_the_process_catches_up_on_start_and_stops_cleanly_on_sigterm(
    db_url: str, tmp_path: Path
) -> None:
    assert hhb("config", "apply", str(SAMPLE), db=db_url) == 0
    env = dict(os.environ)
    env.pop("HHB_DATABASE_URL", None)
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "cli.main", "scheduler"),
            *("--database", db_url, "--var", str(tmp_path / "var")),
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 60
        lines = []
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            lines.append(line)
            if "next night at" in line or not line:
                break
        assert any("next night at" in line for line in lines), lines
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        rest = process.stderr.read()
        assert "scheduler stopped" in rest
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
    assert len(runs(db_url)) == 1
