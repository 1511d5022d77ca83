"""One night at a time, per database: an advisory lock on PostgreSQL (a night on
another machine that shares the database cannot start meanwhile), a lock file
next to the database file on SQLite (whatever folder a night was started from)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.advisory_lock import (
    AdvisoryLock,
    HeldLock,
    LockHeldError,
    database_lock_file,
    try_database_lock,
)

__all__ = [
    "ADVISORY_KEY",
    "AdvisoryLock",
    "HeldLock",
    "LockHeldError",
    "database_lock_file",
    "lock_night_database",
]

ADVISORY_KEY = 4_842_270_432  # any fixed number, distinct from the migration lock


def lock_night_database(engine: Engine, fallback: Path) -> HeldLock:
    """The night's database lock, taken without waiting, or `LockHeldError` while
    another night holds it. `fallback`: the lock file for a database without a file."""
    return try_database_lock(engine, ADVISORY_KEY, fallback)
