"""One lock per database, not per working folder (issue 18, point 3).

Two `hhb nightly` processes started from two different folders (so with two
different ./var folders) against one SQLite database: one runs, the other exits 3
with a clear message. Real subprocesses: the lock is an OS-level lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from huishoudboekje.services.database import connect
from scheduler.lock import NightLock, NightLockedError
from tests.nightly_support import ROOT, SAMPLE, hhb


def hhb_process(folder: Path, db: str) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    return [sys.executable, "-m", "cli.main", "nightly", "--date", "2026-02-26", "--database", db]


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), HHB_TEST_SEAMS="1", **extra)
    env.pop("HHB_DATABASE_URL", None)
    return env


def test_two_nights_from_two_folders_on_one_sqlite_database(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'db' / 'hhb.sqlite3'}"
    (tmp_path / "db").mkdir()
    assert hhb("config", "apply", str(SAMPLE), db=db) == 0
    go = tmp_path / "go"
    first = subprocess.Popen(
        hhb_process(tmp_path / "a", db),
        cwd=tmp_path / "a",
        env=environment(HHB_HOLD_AFTER_STAGE=f"import:{go}"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not Path(f"{go}.held").exists():
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first night never got going"
            time.sleep(0.05)
        second = subprocess.run(
            hhb_process(tmp_path / "b", db),
            cwd=tmp_path / "b",
            env=environment(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode == 3, second.stderr
        assert "er draait al een nachtelijke verwerking op deze database" in second.stderr
        assert "hhb.sqlite3.nightly-lock" in second.stderr
        assert "Traceback" not in second.stderr + second.stdout
        assert not (tmp_path / "b" / "var" / "outbox").exists() or not any(
            (tmp_path / "b" / "var" / "outbox").iterdir()
        )
    finally:
        go.touch()
        _out, err = first.communicate(timeout=120)
    assert first.returncode in (0, 1), err
    assert "Traceback" not in err
    # the lock is gone with the first process: a night from the second folder runs now
    again = subprocess.run(
        hhb_process(tmp_path / "b", db),
        cwd=tmp_path / "b",
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode in (0, 1), again.stderr


def test_the_lock_is_per_database_in_process(db_url: str, tmp_path: Path) -> None:
    engine = connect(db_url)
    try:
        with NightLock(tmp_path / "here" / "nightly.lock", engine):
            other = NightLock(tmp_path / "elsewhere" / "nightly.lock", engine)
            with pytest.raises(NightLockedError, match="op deze database"):
                other.__enter__()
        with NightLock(tmp_path / "elsewhere" / "nightly.lock", engine):
            pass
    finally:
        engine.dispose()


def test_two_sqlite_databases_do_not_block_each_other(tmp_path: Path) -> None:
    one = connect(f"sqlite:///{tmp_path / 'one.sqlite3'}")
    two = connect(f"sqlite:///{tmp_path / 'two.sqlite3'}")
    try:
        with NightLock(tmp_path / "nightly.lock", one), NightLock(tmp_path / "nightly.lock", two):
            pass
    finally:
        one.dispose()
        two.dispose()
