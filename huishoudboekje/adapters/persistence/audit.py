"""The audit log: who changed what, when, and who approved it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select

from huishoudboekje.adapters.config import jsonable
from huishoudboekje.adapters.persistence.crud import record_of, row_id, saved, where_equal
from huishoudboekje.adapters.persistence.tables import AuditLogRow
from huishoudboekje.adapters.persistence.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One recorded change. `before`/`after` are JSON data (None when absent)."""

    id: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    before: Any
    after: Any
    approved_by: str | None


def record_audit(
    uow: UnitOfWork,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    before: object = None,
    after: object = None,
    approved_by: str | None = None,
    at: datetime | None = None,
) -> None:
    """Add an audit event to the unit of work (saved with its `commit()`).

    `before`/`after` may hold dicts, lists, strings, numbers, dates, Money and
    Decimal; dates and amounts are stored as strings.
    """
    saved(
        uow,
        AuditLogRow(
            at=at if at is not None else datetime.now(UTC),
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            before=jsonable(before),
            after=jsonable(after),
            approved_by=approved_by,
        ),
    )


def load_audit_events(
    uow: UnitOfWork,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    action: str | None = None,
) -> tuple[AuditEvent, ...]:
    """Audit events in the order they were recorded, optionally filtered."""
    statement = where_equal(
        select(AuditLogRow).order_by(col(AuditLogRow.id)),
        AuditLogRow,
        object_type=object_type,
        object_id=object_id,
        action=action,
    )
    return tuple(record_of(AuditEvent, row, id=row_id(row)) for row in uow.session.exec(statement))
