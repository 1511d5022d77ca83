"""The view log (inzage-log): append and read. There is deliberately no update or
delete here; on PostgreSQL a trigger refuses them too (migration 0011)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select

from huishoudboekje.adapters.persistence.privacy_tables import ViewLogRow
from huishoudboekje.adapters.persistence.tables import HouseholdRow, table_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork

_HOUSEHOLDS = table_of(HouseholdRow)
_VIEWS = table_of(ViewLogRow)


@dataclass(frozen=True, slots=True)
class ViewEvent:
    """One read of a household's data by staff."""

    id: int
    at: datetime
    actor: str
    role: str
    household: str
    what: str
    via: str
    reason: str


def append_view(
    uow: UnitOfWork,
    *,
    at: datetime,
    actor: str,
    role: str,
    household: str,
    what: str,
    via: str,
    reason: str = "",
) -> None:
    """Add one row to the view log (not committed)."""
    uow.session.execute(
        insert(_VIEWS).values(
            at=at,
            actor=actor[:200],
            role=role[:30],
            household=household[:40],
            what=what[:300],
            via=via[:10],
            reason=reason,
        )
    )


def load_views(
    uow: UnitOfWork,
    *,
    household: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    limit: int = 1000,
    gemeente_id: int | None = None,
) -> tuple[ViewEvent, ...]:
    """View log rows, newest first, filtered on household, actor and moment, and on
    the households of one gemeente (issue 22; None: every gemeente)."""
    statement = select(*(_VIEWS.c[name] for name in ViewEvent.__slots__))
    if gemeente_id is not None:
        statement = statement.where(
            _VIEWS.c.household.in_(
                select(_HOUSEHOLDS.c.code).where(_HOUSEHOLDS.c.gemeente_id == gemeente_id)
            )
        )
    if household is not None:
        statement = statement.where(_VIEWS.c.household == household)
    if actor is not None:
        statement = statement.where(_VIEWS.c.actor == actor)
    if since is not None:
        statement = statement.where(_VIEWS.c.at >= since)
    statement = statement.order_by(_VIEWS.c.at.desc(), _VIEWS.c.id.desc()).limit(limit)
    return tuple(ViewEvent(*row) for row in uow.session.execute(statement))
