"""One lock per database, taken without waiting.

- PostgreSQL: a session-level advisory lock, held by its own connection; it stops
  a night on any machine that shares the database.
- SQLite: an exclusive `flock` on a lock file next to the database file
  (`hhb.sqlite3` → `hhb.sqlite3.nightly-lock`), so two processes started from
  different working folders against the same file still exclude each other.
- A database without a file (SQLite in memory): the caller's fallback lock file.

Every lock disappears with its process, also on kill -9.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import Connection, Engine, text

LOCK_SUFFIX = ".nightly-lock"


class HeldLock(Protocol):
    """A lock this process holds until `release()`."""

    @property
    def where(self) -> str:
        """Where the lock lives (for messages)."""
        ...

    def release(self) -> None:
        """Let go of the lock."""
        ...


class AdvisoryLock:
    """A taken advisory lock, held by its own connection until `release()`."""

    def __init__(self, key: int, connection: Connection | None) -> None:
        self.key = key
        self._connection = connection

    @property
    def where(self) -> str:
        """The advisory lock's key."""
        return f"advisory lock {self.key}"

    def release(self) -> None:
        """Let go of the lock and close the connection that held it."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.execute(text(f"SELECT pg_advisory_unlock({int(self.key)})"))
            connection.commit()
        finally:
            connection.close()


class FileLock:
    """An exclusive `flock` on a file, holding this process's id, until `release()`."""

    def __init__(self, path: Path, handle: IO[str]) -> None:
        self.path = path
        self._handle: IO[str] | None = handle

    @property
    def where(self) -> str:
        """The lock file."""
        return str(self.path)

    def release(self) -> None:
        """Unlock and close the file (it stays, empty of meaning, for the next night)."""
        handle, self._handle = self._handle, None
        if handle is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()


class LockHeldError(RuntimeError):
    """Another process holds the lock; the message says which and where."""


def try_advisory_lock(engine: Engine, key: int) -> AdvisoryLock | None:
    """Take advisory lock `key` without waiting; None when another session holds it.
    Databases other than PostgreSQL have none: the lock is taken and holds nothing."""
    if engine.dialect.name != "postgresql":
        return AdvisoryLock(key, None)
    connection = engine.connect()
    got = connection.execute(text(f"SELECT pg_try_advisory_lock({int(key)})")).scalar()
    connection.commit()
    if not got:
        connection.close()
        return None
    return AdvisoryLock(key, connection)


def try_file_lock(path: Path) -> FileLock:
    """Take an exclusive lock on `path` without waiting, or raise `LockHeldError`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        raise LockHeldError(f"proces {holder}, lock {path}") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return FileLock(path, handle)


def database_lock_file(engine: Engine) -> Path | None:
    """The lock file beside a SQLite database file; None for other databases."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = Path(database).resolve()
    return path.with_name(path.name + LOCK_SUFFIX)


def try_database_lock(engine: Engine, key: int, fallback: Path) -> HeldLock:
    """The database's one lock (see the module text), or raise `LockHeldError`."""
    if engine.dialect.name == "postgresql":
        advisory = try_advisory_lock(engine, key)
        if advisory is None:
            raise LockHeldError("advisory lock op deze database")
        return advisory
    return try_file_lock(database_lock_file(engine) or fallback)
