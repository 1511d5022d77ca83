"""Four-eyes change requests, household requests (verzoeken) and signal notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import col, select

from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.web_tables import (
    ChangeRequestRow,
    HouseholdRequestRow,
    SignalNoteRow,
)
from huishoudboekje.domain.money import Money


@dataclass(frozen=True, slots=True)
class ChangeRequest:
    """A change waiting for (or decided by) a second staff member."""

    id: int
    kind: str
    household: str
    summary: str
    reasons: tuple[str, ...]
    before: Any
    after: Any
    status: str  # pending | approved | refused
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    note: str


def _change(row: ChangeRequestRow) -> ChangeRequest:
    return ChangeRequest(
        id=row.id if row.id is not None else 0,
        kind=row.kind,
        household=row.household,
        summary=row.summary,
        reasons=tuple(row.reasons),
        before=row.before,
        after=row.after,
        status=row.status,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        note=row.note,
    )


def insert_change_request(
    uow: UnitOfWork,
    *,
    kind: str,
    household: str,
    summary: str,
    reasons: list[str],
    before: Any,
    after: Any,
    requested_by: str,
    at: datetime,
) -> ChangeRequest:
    """Store a pending change request (not committed)."""
    row = ChangeRequestRow(
        kind=kind,
        household=household,
        summary=summary,
        reasons=reasons,
        before=before,
        after=after,
        status="pending",
        requested_by=requested_by,
        requested_at=at,
        note="",
    )
    uow.session.add(row)
    uow.session.flush()
    return _change(row)


def get_change_request(uow: UnitOfWork, request_id: int) -> ChangeRequest | None:
    """One change request by id, or None."""
    row = uow.session.get(ChangeRequestRow, request_id)
    return None if row is None else _change(row)


def list_change_requests(
    uow: UnitOfWork, *, status: str | None = None, household: str | None = None
) -> tuple[ChangeRequest, ...]:
    """Change requests, newest first."""
    statement = select(ChangeRequestRow).order_by(col(ChangeRequestRow.id).desc())
    if status is not None:
        statement = statement.where(col(ChangeRequestRow.status) == status)
    if household is not None:
        statement = statement.where(col(ChangeRequestRow.household) == household)
    return tuple(_change(row) for row in uow.session.exec(statement))


def decide_change_request(
    uow: UnitOfWork, request_id: int, *, status: str, decided_by: str, at: datetime, note: str
) -> None:
    """Record the decision on a change request (not committed)."""
    row = uow.session.get(ChangeRequestRow, request_id)
    if row is None:
        raise LookupError(f"no change request {request_id}")
    row.status = status
    row.decided_by = decided_by
    row.decided_at = at
    row.note = note
    uow.session.add(row)
    uow.session.flush()


def set_household_request_status(uow: UnitOfWork, request_id: int, status: str) -> None:
    """Change only a request's status, e.g. to "betaald" by the nightly run (not committed)."""
    row = uow.session.get(HouseholdRequestRow, request_id)
    if row is None:
        raise LookupError(f"no household request {request_id}")
    row.status = status
    uow.session.add(row)
    uow.session.flush()


@dataclass(frozen=True, slots=True)
class HouseholdRequest:
    """A household's request for extra leefgeld or a one-off payment."""

    id: int
    household: str
    kind: str  # extra_leefgeld | eenmalige_betaling
    amount: Money
    reason: str
    # nieuw | wacht_op_akkoord | goedgekeurd | afgewezen | betaald | teruggekomen | afgesloten
    status: str
    created_by: str
    created_at: datetime
    handled_by: str | None
    handled_at: datetime | None
    answer: str
    change_request: int | None


def _request(row: HouseholdRequestRow) -> HouseholdRequest:
    return HouseholdRequest(
        id=row.id if row.id is not None else 0,
        household=row.household,
        kind=row.kind,
        amount=Money(row.amount),
        reason=row.reason,
        status=row.status,
        created_by=row.created_by,
        created_at=row.created_at,
        handled_by=row.handled_by,
        handled_at=row.handled_at,
        answer=row.answer,
        change_request=row.change_request,
    )


def insert_household_request(
    uow: UnitOfWork,
    *,
    household: str,
    kind: str,
    amount: Money,
    reason: str,
    created_by: str,
    at: datetime,
) -> HouseholdRequest:
    """Store a new request (not committed)."""
    row = HouseholdRequestRow(
        household=household,
        kind=kind,
        amount=Decimal(str(amount)),
        reason=reason,
        status="nieuw",
        created_by=created_by,
        created_at=at,
        answer="",
    )
    uow.session.add(row)
    uow.session.flush()
    return _request(row)


def get_household_request(uow: UnitOfWork, request_id: int) -> HouseholdRequest | None:
    """One request by id, or None."""
    row = uow.session.get(HouseholdRequestRow, request_id)
    return None if row is None else _request(row)


def list_household_requests(
    uow: UnitOfWork, *, household: str | None = None, status: str | None = None
) -> tuple[HouseholdRequest, ...]:
    """Requests, newest first."""
    statement = select(HouseholdRequestRow).order_by(col(HouseholdRequestRow.id).desc())
    if household is not None:
        statement = statement.where(col(HouseholdRequestRow.household) == household)
    if status is not None:
        statement = statement.where(col(HouseholdRequestRow.status) == status)
    return tuple(_request(row) for row in uow.session.exec(statement))


def update_household_request(
    uow: UnitOfWork,
    request_id: int,
    *,
    status: str,
    handled_by: str,
    at: datetime,
    answer: str | None = None,
    change_request: int | None = None,
) -> None:
    """Record what staff did with a request (not committed)."""
    row = uow.session.get(HouseholdRequestRow, request_id)
    if row is None:
        raise LookupError(f"no household request {request_id}")
    row.status = status
    row.handled_by = handled_by
    row.handled_at = at
    if answer is not None:
        row.answer = answer
    if change_request is not None:
        row.change_request = change_request
    uow.session.add(row)
    uow.session.flush()


@dataclass(frozen=True, slots=True)
class SignalNote:
    household: str
    key: str
    acknowledged_by: str
    acknowledged_at: datetime
    note: str


def save_signal_note(
    uow: UnitOfWork, *, household: str, key: str, by: str, at: datetime, note: str
) -> None:
    """Mark a signal as seen, with a note (not committed)."""
    row = uow.session.get(SignalNoteRow, (household, key))
    if row is None:
        row = SignalNoteRow(
            household=household, key=key, acknowledged_by=by, acknowledged_at=at, note=note
        )
    else:
        row.acknowledged_by, row.acknowledged_at, row.note = by, at, note
    uow.session.add(row)
    uow.session.flush()


def signal_notes(
    uow: UnitOfWork, household: str | None = None
) -> dict[tuple[str, str], SignalNote]:
    """Notes by (household, signal key)."""
    statement = select(SignalNoteRow)
    if household is not None:
        statement = statement.where(col(SignalNoteRow.household) == household)
    return {
        (r.household, r.key): SignalNote(
            r.household, r.key, r.acknowledged_by, r.acknowledged_at, r.note
        )
        for r in uow.session.exec(statement)
    }
