"""Four-eyes change requests, household requests (verzoeken) and signal notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import col, select

from huishoudboekje.adapters.persistence.crud import (
    existing,
    record_of,
    row_id,
    saved,
    upsert,
    where_equal,
)
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
    return record_of(ChangeRequest, row, id=row_id(row), reasons=tuple(row.reasons))


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
    return _change(saved(uow, row))


def get_change_request(uow: UnitOfWork, request_id: int) -> ChangeRequest | None:
    """One change request by id, or None."""
    row = uow.session.get(ChangeRequestRow, request_id)
    return None if row is None else _change(row)


def list_change_requests(
    uow: UnitOfWork, *, status: str | None = None, household: str | None = None
) -> tuple[ChangeRequest, ...]:
    """Change requests, newest first."""
    statement = where_equal(
        select(ChangeRequestRow).order_by(col(ChangeRequestRow.id).desc()),
        ChangeRequestRow,
        status=status,
        household=household,
    )
    return tuple(_change(row) for row in uow.session.exec(statement))


def decide_change_request(
    uow: UnitOfWork, request_id: int, *, status: str, decided_by: str, at: datetime, note: str
) -> None:
    """Record the decision on a change request (not committed)."""
    row = existing(uow, ChangeRequestRow, request_id, "change request")
    row.status = status
    row.decided_by = decided_by
    row.decided_at = at
    row.note = note
    saved(uow, row)


def set_household_request_status(uow: UnitOfWork, request_id: int, status: str) -> None:
    """Change only a request's status, e.g. to "betaald" by the nightly run (not committed)."""
    row = existing(uow, HouseholdRequestRow, request_id, "household request")
    row.status = status
    saved(uow, row)


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
    return record_of(HouseholdRequest, row, id=row_id(row), amount=Money(row.amount))


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
    return _request(saved(uow, row))


def get_household_request(uow: UnitOfWork, request_id: int) -> HouseholdRequest | None:
    """One request by id, or None."""
    row = uow.session.get(HouseholdRequestRow, request_id)
    return None if row is None else _request(row)


def list_household_requests(
    uow: UnitOfWork, *, household: str | None = None, status: str | None = None
) -> tuple[HouseholdRequest, ...]:
    """Requests, newest first."""
    statement = where_equal(
        select(HouseholdRequestRow).order_by(col(HouseholdRequestRow.id).desc()),
        HouseholdRequestRow,
        household=household,
        status=status,
    )
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
    row = existing(uow, HouseholdRequestRow, request_id, "household request")
    row.status = status
    row.handled_by = handled_by
    row.handled_at = at
    if answer is not None:
        row.answer = answer
    if change_request is not None:
        row.change_request = change_request
    saved(uow, row)


@dataclass(frozen=True, slots=True)
class SignalNote:
    """A staff member's note on one engine signal of a household."""

    household: str
    key: str
    acknowledged_by: str
    acknowledged_at: datetime
    note: str


def save_signal_note(
    uow: UnitOfWork, *, household: str, key: str, by: str, at: datetime, note: str
) -> None:
    """Mark a signal as seen, with a note (not committed)."""
    upsert(
        uow,
        SignalNoteRow,
        {"household": household, "key": key},
        {"acknowledged_by": by, "acknowledged_at": at, "note": note},
    )


def signal_notes(
    uow: UnitOfWork, household: str | None = None
) -> dict[tuple[str, str], SignalNote]:
    """Notes by (household, signal key)."""
    statement = where_equal(select(SignalNoteRow), SignalNoteRow, household=household)
    return {(r.household, r.key): record_of(SignalNote, r) for r in uow.session.exec(statement)}
