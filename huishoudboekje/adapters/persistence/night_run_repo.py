"""The record of each night (`night_run`): its status, attempts and stage results.

A rerun of a night starts with fresh stage results; what each earlier attempt
recorded (status, moments, stage results, error) is kept, oldest first, in the
stage results under `EARLIER` (no separate table: the history of a night is small).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import col, select

from huishoudboekje.adapters.persistence.nightly_tables import NightRunRow
from huishoudboekje.adapters.persistence.uow import UnitOfWork

EARLIER = "earlier_attempts"  # key in `stages`: the results of the night's earlier attempts


def earlier_attempts(stages: Any) -> list[dict[str, Any]]:
    """The earlier attempts kept in a night's `stages`, oldest first."""
    if not isinstance(stages, dict):
        return []
    return list(stages.get(EARLIER) or [])


def stage_results(stages: Any) -> dict[str, Any]:
    """A night's stage results without its earlier attempts."""
    if not isinstance(stages, dict):
        return {}
    return {k: v for k, v in stages.items() if k != EARLIER}


def start_run(uow: UnitOfWork, night: date) -> None:
    """Mark the night as running (a re-run counts an extra attempt)."""
    row = uow.session.get(NightRunRow, night)
    if row is None:
        row = NightRunRow(
            night=night, status="running", started_at=datetime.now(UTC), stages={}, attempts=1
        )
    else:
        earlier = earlier_attempts(row.stages)
        earlier.append(
            {
                "attempt": row.attempts,
                "status": row.status,
                "started_at": row.started_at.isoformat(),
                "finished_at": row.finished_at.isoformat() if row.finished_at else None,
                "stages": stage_results(row.stages),
                "error": row.error,
            }
        )
        row.stages = {EARLIER: earlier}
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
