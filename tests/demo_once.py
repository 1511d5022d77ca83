"""The demo gemeente (sample_statements/run_demo.py), built once per test run.

The XAF, journal, reconciliation and letters tests all read the demo's ledger;
building it (91 nights) once and sharing the read-only database keeps them fast. A
test that writes copies the database file first (`demo_copy`).

With parallel test processes (pytest-xdist) the first process that needs the demo
builds it in the run's shared folder (tests/conftest.py, HHB_TEST_RUN_DIR) under a
file lock; the others wait for it and read the same file.
"""

from __future__ import annotations

import atexit
import fcntl
import functools
import os
import shutil
import tempfile
from pathlib import Path

from sample_statements.run_demo import DemoRun, run_demo

SHARED_ENV = "HHB_TEST_RUN_DIR"  # tests/conftest.py makes it


def _scratch() -> Path:
    shm = Path("/dev/shm")  # SQLite commits are fsyncs; memory-backed is several times faster
    base = shm if shm.is_dir() and shm.stat().st_mode & 0o002 else None
    root = Path(tempfile.mkdtemp(prefix="hhb-demo-once-", dir=base))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


def _build(root: Path) -> Path:
    run_demo(DemoRun(root, f"sqlite:///{root / 'hhb.sqlite3'}"))
    return root / "hhb.sqlite3"


@functools.cache
def demo_database() -> Path:
    """The SQLite file of the finished demo (do not write to it: see `demo_copy`)."""
    shared = os.environ.get(SHARED_ENV)
    if not shared or not Path(shared).is_dir():
        return _build(_scratch())
    root = Path(shared) / "demo-once"
    with (Path(shared) / "demo-once.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        done = root / "built"
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)  # a half build of a process that died
            root.mkdir()
            _build(root)
            done.touch()
    return root / "hhb.sqlite3"


def demo_copy(folder: Path) -> str:
    """A database URL of a private copy of the demo database in `folder`."""
    target = folder / "demo.sqlite3"
    shutil.copyfile(demo_database(), target)
    return f"sqlite:///{target}"
