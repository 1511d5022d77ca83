"""The database half of "one night at a time": an advisory lock on PostgreSQL, so a
night on another machine that shares the database cannot start meanwhile (the
scheduler's file lock is the other half)."""

from __future__ import annotations

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.advisory_lock import AdvisoryLock, try_advisory_lock

__all__ = ["ADVISORY_KEY", "AdvisoryLock", "lock_night_database"]

ADVISORY_KEY = 4_842_270_432  # any fixed number, distinct from the migration lock


def lock_night_database(engine: Engine) -> AdvisoryLock | None:
    """The night's database lock, taken without waiting; None while another night holds it."""
    return try_advisory_lock(engine, ADVISORY_KEY)
