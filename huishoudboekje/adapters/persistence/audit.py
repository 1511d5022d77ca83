"""The audit log: who changed what, when, and who approved it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select

from huishoudboekje.adapters.config import jsonable
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
    uow.session.add(
        AuditLogRow(
            at=at if at is not None else datetime.now(UTC),
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            before=jsonable(before),
            after=jsonable(after),
            approved_by=approved_by,
        )
    )
    uow.session.flush()


def load_audit_events(
    uow: UnitOfWork,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    action: str | None = None,
) -> tuple[AuditEvent, ...]:
    """Audit events in the order they were recorded, optionally filtered."""
    statement = select(AuditLogRow).order_by(col(AuditLogRow.id))
    if object_type is not None:
        statement = statement.where(col(AuditLogRow.object_type) == object_type)
    if object_id is not None:
        statement = statement.where(col(AuditLogRow.object_id) == object_id)
    if action is not None:
        statement = statement.where(col(AuditLogRow.action) == action)
    return tuple(
        AuditEvent(
            id=row.id if row.id is not None else 0,
            at=row.at,
            actor=row.actor,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            before=row.before,
            after=row.after,
            approved_by=row.approved_by,
        )
        for row in uow.session.exec(statement)
    )
