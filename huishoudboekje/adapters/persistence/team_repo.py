"""Hand-overs and proposed changes (issue 19.4, 19.7). None of these commit; reads
hand back frozen records, never rows."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from huishoudboekje.adapters.persistence.team_tables import HandoverRow, ProposalRow
from huishoudboekje.adapters.persistence.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class StoredHandover:
    id: int
    household: str
    from_user: str
    to_user: str
    from_team: str
    to_team: str
    note: str
    by: str
    at: datetime
    read_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredProposal:
    id: int
    household: str
    status: str
    lines: tuple[str, ...]
    from_day: date
    why: str
    urgent: bool
    before: Any
    after: Any
    proposed_by: str
    proposed_at: datetime
    needs_approval: bool
    change_request: int | None
    approved_by: str | None
    answer: str | None
    answer_via: str | None
    answer_message: str
    answered_by: str | None
    answered_at: datetime | None
    applied_at: datetime | None


def _handover(row: HandoverRow) -> StoredHandover:
    assert row.id is not None
    return StoredHandover(
        row.id,
        row.household,
        row.from_user,
        row.to_user,
        row.from_team,
        row.to_team,
        row.note,
        row.by,
        row.at,
        row.read_at,
    )


def _proposal(row: ProposalRow) -> StoredProposal:
    values = {f.name: getattr(row, f.name) for f in fields(StoredProposal)}
    values["lines"] = tuple(row.lines)
    return StoredProposal(**values)


def insert_handover(uow: UnitOfWork, **values: Any) -> StoredHandover:
    row = HandoverRow(**values)
    uow.session.add(row)
    uow.session.flush()
    return _handover(row)


def handovers_of(uow: UnitOfWork, household: str) -> list[StoredHandover]:
    """The hand-overs of `household`, newest first."""
    statement = (
        select(HandoverRow)
        .where(col(HandoverRow.household) == household)
        .order_by(col(HandoverRow.id).desc())
    )
    return [_handover(row) for row in uow.session.exec(statement)]


def unread_handovers_to(uow: UnitOfWork, username: str) -> list[StoredHandover]:
    """Hand-overs to `username` not marked read, newest first."""
    statement = (
        select(HandoverRow)
        .where(col(HandoverRow.to_user) == username)
        .where(col(HandoverRow.read_at).is_(None))
        .order_by(col(HandoverRow.id).desc())
    )
    return [_handover(row) for row in uow.session.exec(statement)]


def mark_handover_read(uow: UnitOfWork, handover_id: int, at: datetime) -> StoredHandover | None:
    row = uow.session.get(HandoverRow, handover_id)
    if row is None:
        return None
    if row.read_at is None:
        row.read_at = at
        uow.session.add(row)
        uow.session.flush()
    return _handover(row)


def insert_proposal(uow: UnitOfWork, **values: Any) -> StoredProposal:
    row = ProposalRow(**values)
    uow.session.add(row)
    uow.session.flush()
    return _proposal(row)


def get_proposal(uow: UnitOfWork, proposal_id: int) -> StoredProposal | None:
    row = uow.session.get(ProposalRow, proposal_id)
    return None if row is None else _proposal(row)


def update_proposal(uow: UnitOfWork, proposal_id: int, **values: Any) -> StoredProposal:
    row = uow.session.get(ProposalRow, proposal_id)
    assert row is not None
    for name, value in values.items():
        setattr(row, name, value)
    uow.session.add(row)
    uow.session.flush()
    return _proposal(row)


def proposal_of_change(uow: UnitOfWork, change_request: int) -> StoredProposal | None:
    """The proposal a four-eyes change request belongs to, or None."""
    statement = select(ProposalRow).where(col(ProposalRow.change_request) == change_request)
    row = uow.session.exec(statement).first()
    return None if row is None else _proposal(row)


def proposals(
    uow: UnitOfWork, *, household: str | None = None, statuses: tuple[str, ...] | None = None
) -> list[StoredProposal]:
    """Proposals, newest first; of one household and/or in `statuses`."""
    statement = select(ProposalRow).order_by(col(ProposalRow.id).desc())
    if household is not None:
        statement = statement.where(col(ProposalRow.household) == household)
    if statuses is not None:
        statement = statement.where(col(ProposalRow.status).in_(statuses))
    return [_proposal(row) for row in uow.session.exec(statement)]
