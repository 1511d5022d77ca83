"""PostgreSQL session-level advisory locks, taken without waiting.

Other databases have none; there the lock is always taken and holds nothing (one
process per machine is then the file lock's job).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text


class AdvisoryLock:
    """A taken advisory lock, held by its own connection until `release()`."""

    def __init__(self, key: int, connection: Connection | None) -> None:
        self.key = key
        self._connection = connection

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


def try_advisory_lock(engine: Engine, key: int) -> AdvisoryLock | None:
    """Take advisory lock `key` without waiting; None when another session holds it."""
    if engine.dialect.name != "postgresql":
        return AdvisoryLock(key, None)
    connection = engine.connect()
    got = connection.execute(text(f"SELECT pg_try_advisory_lock({int(key)})")).scalar()
    connection.commit()
    if not got:
        connection.close()
        return None
    return AdvisoryLock(key, connection)
