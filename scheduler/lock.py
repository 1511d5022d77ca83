"""One night at a time: a file lock under var/ plus, on PostgreSQL, an advisory lock.

The file lock stops a second process on the same machine; the advisory lock stops
one on another machine that shares the database. Both are taken without waiting:
a second `hhb nightly` (or scheduler) exits at once with a clear message
(`NightLockedError`) instead of queueing behind a night that may take a while.
Both locks disappear with the process, also on kill -9.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO, Self

from huishoudboekje.services.database import Engine
from huishoudboekje.services.night_lock import ADVISORY_KEY, AdvisoryLock, lock_night_database

__all__ = ["ADVISORY_KEY", "NightLock", "NightLockedError"]


class NightLockedError(RuntimeError):
    """Another night is running."""


class NightLock:
    """Context manager holding both locks for the duration of a night (or an import)."""

    def __init__(self, lock_file: Path, engine: Engine) -> None:
        self.lock_file = lock_file
        self.engine = engine
        self._handle: IO[str] | None = None
        self._database: AdvisoryLock | None = None

    def __enter__(self) -> Self:
        """Take both locks without waiting, or raise `NightLockedError`."""
        self.lock_file.parent.mkdir(parents=True, exist_ok=True)
        handle = self.lock_file.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise NightLockedError(
                f"er draait al een nachtelijke verwerking (proces {holder}, lock {self.lock_file})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle
        database = lock_night_database(self.engine)
        if database is None:
            self._release_file()
            raise NightLockedError(
                "er draait al een nachtelijke verwerking op deze database (advisory lock)"
            )
        self._database = database
        return self

    def __exit__(self, *_exc_info: object) -> None:
        """Release both locks, whatever ended the night."""
        if self._database is not None:
            database, self._database = self._database, None
            database.release()
        self._release_file()

    def _release_file(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
