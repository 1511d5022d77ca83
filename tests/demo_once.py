"""The demo gemeente (sample_statements/run_demo.py), built once per test process.

The XAF, journal and reconciliation tests all read the demo's ledger; building it
(91 nights) once and sharing the read-only database keeps them fast. A test that
writes copies the database file first (`demo_copy`).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from sample_statements.run_demo import DemoRun, run_demo


def _scratch() -> Path:
    shm = Path("/dev/shm")  # SQLite commits are fsyncs; memory-backed is several times faster
    base = shm if shm.is_dir() and shm.stat().st_mode & 0o002 else None
    return Path(tempfile.mkdtemp(prefix="hhb-demo-once-", dir=base))


@functools.cache
def demo_database() -> Path:
    """The SQLite file of the finished demo (do not write to it: see `demo_copy`)."""
    root = _scratch()
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    run = DemoRun(root, f"sqlite:///{root / 'hhb.sqlite3'}")
    run_demo(run)
    return root / "hhb.sqlite3"


def demo_copy(folder: Path) -> str:
    """A database URL of a private copy of the demo database in `folder`."""
    target = folder / "demo.sqlite3"
    shutil.copyfile(demo_database(), target)
    return f"sqlite:///{target}"
