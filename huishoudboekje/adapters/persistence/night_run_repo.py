"""The record of each night (`night_run`): its status, attempts and stage results."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import col, select

from huishoudboekje.adapters.persistence.nightly_tables import NightRunRow
from huishoudboekje.adapters.persistence.uow import UnitOfWork


def start_run(uow: UnitOfWork, night: date) -> None:
    """Mark the night as running (a re-run counts an extra attempt)."""
    row = uow.session.get(NightRunRow, night)
    if row is None:
        row = NightRunRow(
            night=night, status="running", started_at=datetime.now(UTC), stages={}, attempts=1
        )
    else:
        row.status = "running"
        row.started_at = datetime.now(UTC)
        row.finished_at = None
        row.error = None
        row.attempts += 1
    uow.session.add(row)
    uow.session.flush()


def record_stage(uow: UnitOfWork, night: date, stage: str, result: dict[str, Any]) -> None:
    """Store one stage's result on the night's record."""
    row = uow.session.get(NightRunRow, night)
    if row is None:
        raise LookupError(f"night {night} was not started")
    stages = dict(row.stages or {})
    stages[stage] = result
    row.stages = stages
    uow.session.add(row)
    uow.session.flush()


def finish_run(uow: UnitOfWork, night: date, status: str, error: str | None = None) -> None:
    """Mark the night ok, problems or failed."""
    row = uow.session.get(NightRunRow, night)
    if row is None:
        raise LookupError(f"night {night} was not started")
    row.status = status
    row.finished_at = datetime.now(UTC)
    row.error = error
    uow.session.add(row)
    uow.session.flush()


def night_runs(uow: UnitOfWork) -> list[NightRunRow]:
    """Every recorded night, oldest first."""
    return list(uow.session.exec(select(NightRunRow).order_by(col(NightRunRow.night))))


def last_completed_night(uow: UnitOfWork) -> date | None:
    """The latest night that ran to the end (ok or with problems)."""
    statement = (
        select(NightRunRow)
        .where(col(NightRunRow.status).in_(["ok", "problems"]))
        .order_by(col(NightRunRow.night).desc())
    )
    row = uow.session.exec(statement).first()
    return None if row is None else row.night


def latest_night(uow: UnitOfWork) -> date | None:
    """The latest night ever started (whatever its status)."""
    row = uow.session.exec(select(NightRunRow).order_by(col(NightRunRow.night).desc())).first()
    return None if row is None else row.night
