"""What the nights left behind, for `hhb signals`, `hhb runs` and `hhb assign`.

The stored rows are turned into plain, JSON-ready dictionaries inside the unit
of work, so callers never hold a database row after its session has closed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.nightly_repo import night_runs, signal_rows
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.services.nightly import Assignment, AssignmentError, assign_credit

__all__ = ["Assignment", "AssignmentError", "assign_credit", "night_run_list", "signal_list"]


def age_days(data: dict[str, Any] | None, first_seen: date, today: date) -> int:
    """How long a signal's matter has waited on `today`: money in suspense since its
    booking date, anything else since the night that first raised it."""
    booked = (data or {}).get("booking_date")
    since = date.fromisoformat(booked) if isinstance(booked, str) else first_seen
    return max(0, (today - since).days)


def signal_list(
    engine: Engine, *, include_closed: bool = False, today: date | None = None
) -> list[dict[str, Any]]:
    """The stored signals (only the open ones unless `include_closed`), by household and
    key, each with its `age_days` on `today` (default: the last night that saw it; a
    closed one stops ageing on the day it closed)."""
    with UnitOfWork(engine) as uow:
        return [
            {
                "key": r.key,
                "household": r.household,
                "kind": r.kind,
                "severity": r.severity,
                "message": r.message,
                "status": r.status,
                "first_seen": r.first_seen.isoformat(),
                "last_seen": r.last_seen.isoformat(),
                "data": r.data,
                "age_days": age_days(r.data, r.first_seen, r.closed_on or today or r.last_seen),
            }
            for r in signal_rows(uow, status=None if include_closed else "open")
        ]


def night_run_list(engine: Engine) -> list[dict[str, Any]]:
    """Every recorded night, oldest first."""
    with UnitOfWork(engine) as uow:
        return [
            {
                "night": r.night.isoformat(),
                "status": r.status,
                "started_at": r.started_at.isoformat(),
                "finished_at": r.finished_at.isoformat() if r.finished_at else None,
                "attempts": r.attempts,
                "stages": r.stages,
                "error": r.error,
            }
            for r in night_runs(uow)
        ]
