"""One night at a time, per database (not per working folder).

PostgreSQL: the database's advisory lock (also stops a night on another machine).
SQLite: a lock file next to the database file, so two `hhb nightly` runs started
from different folders against the same database still exclude each other. Only
a database without a file falls back to `var/nightly.lock`. The lock is taken
without waiting: a second `hhb nightly` (or scheduler, or `hhb import`) exits at
once with a clear message (`NightLockedError`, exit 3) instead of queueing behind
a night that may take a while. The lock disappears with the process, also on kill -9.
"""

from __future__ import annotations

from pathlib import Path
from typing import Self

from huishoudboekje.services.database import Engine
from huishoudboekje.services.night_lock import (
    ADVISORY_KEY,
    HeldLock,
    LockHeldError,
    lock_night_database,
)

__all__ = ["ADVISORY_KEY", "NightLock", "NightLockedError"]


class NightLockedError(RuntimeError):
    """Another night is running."""


class NightLock:
    """Context manager holding the database's lock for a night (or an import)."""

    def __init__(self, lock_file: Path, engine: Engine) -> None:
        self.lock_file = lock_file  # only for a database without a file
        self.engine = engine
        self._held: HeldLock | None = None

    def __enter__(self) -> Self:
        """Take the lock without waiting, or raise `NightLockedError`."""
        try:
            self._held = lock_night_database(self.engine, self.lock_file)
        except LockHeldError as exc:
            raise NightLockedError(
                f"er draait al een nachtelijke verwerking op deze database ({exc}); "
                "wacht tot die klaar is"
            ) from None
        return self

    def __exit__(self, *_exc_info: object) -> None:
        """Release the lock, whatever ended the night."""
        held, self._held = self._held, None
        if held is not None:
            held.release()
