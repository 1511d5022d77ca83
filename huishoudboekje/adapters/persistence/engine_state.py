"""Engine state that carries over from one night to the next, as small JSON values.

Keyed by (household code, key); household "" holds gemeente-wide values. Use it
for small things (last leefgeld rate, announced step dates). State that is large
or queried across households gets its own table and migration instead.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select

from huishoudboekje.adapters.config import jsonable
from huishoudboekje.adapters.persistence.tables import EngineStateRow
from huishoudboekje.adapters.persistence.uow import UnitOfWork

GEMEENTE_WIDE = ""


def get_state(uow: UnitOfWork, key: str, household: str = GEMEENTE_WIDE) -> Any:
    """The stored value, or None when there is none."""
    row = uow.session.get(EngineStateRow, (household, key))
    return None if row is None else row.value


def set_state(
    uow: UnitOfWork,
    key: str,
    value: object,
    household: str = GEMEENTE_WIDE,
    *,
    at: datetime | None = None,
) -> None:
    """Store a JSON value (dates/amounts become strings); not committed."""
    if value is None:
        raise ValueError("store a value, or use delete_state")
    stored = jsonable(value)
    moment = at if at is not None else datetime.now(UTC)
    row = uow.session.get(EngineStateRow, (household, key))
    if row is None:
        row = EngineStateRow(household=household, key=key, value=stored, updated_at=moment)
    else:
        row.value = stored
        row.updated_at = moment
    uow.session.add(row)
    uow.session.flush()


def delete_state(uow: UnitOfWork, key: str, household: str = GEMEENTE_WIDE) -> None:
    """Remove a stored value (no error when absent)."""
    row = uow.session.get(EngineStateRow, (household, key))
    if row is not None:
        uow.session.delete(row)
        uow.session.flush()


def load_household_state(uow: UnitOfWork, household: str) -> dict[str, Any]:
    """All stored values of one household (or "" for gemeente-wide), by key."""
    statement = select(EngineStateRow).where(col(EngineStateRow.household) == household)
    return {row.key: row.value for row in uow.session.exec(statement)}
