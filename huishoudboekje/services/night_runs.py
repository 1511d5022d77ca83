"""The night's own record (`night_run`) and its report, each in its own transaction.

The report (`hhb nightly --json`) is read back from the database: built from what
is stored for the night, not from what this process happened to do, so a re-run
of a night reports the same payments, files and signals.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.instruction_repo import instruction_rows, payment_files
from huishoudboekje.adapters.persistence.night_run_repo import (
    finish_run,
    last_completed_night,
    latest_night,
    record_stage,
    start_run,
)
from huishoudboekje.adapters.persistence.repository import (
    load_gemeente,
    load_gemeenten,
    load_households,
)
from huishoudboekje.adapters.persistence.signal_repo import signal_rows
from huishoudboekje.adapters.persistence.transaction_repo import status_counts
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.occurrences import charge_dues
from huishoudboekje.domain.planner.cover import instructed_until
from huishoudboekje.services.household_status import plan_settings
from huishoudboekje.services.night_work import FileResult


def start_night(engine: Engine, night: date) -> None:
    """Mark the night as running (a re-run counts an extra attempt)."""
    with UnitOfWork(engine) as uow:
        start_run(uow, night)
        uow.commit()


def record_stage_result(engine: Engine, night: date, stage: str, result: dict[str, Any]) -> None:
    """Store one stage's result on the night's record."""
    with UnitOfWork(engine) as uow:
        record_stage(uow, night, stage, result)
        uow.commit()


def finish_night(engine: Engine, night: date, status: str, error: str | None) -> None:
    """Mark the night ok, problems or failed."""
    with UnitOfWork(engine) as uow:
        finish_run(uow, night, status, error)
        uow.commit()


def finish_night_with_report(
    engine: Engine, night: date, status: str, error: str | None, files: Sequence[FileResult]
) -> dict[str, Any]:
    """Mark the night finished and read its report back in the same transaction."""
    with UnitOfWork(engine) as uow:
        finish_run(uow, night, status, error)
        uow.commit()
        return night_report(uow, night, files)


def last_completed(engine: Engine) -> date | None:
    """The latest night that ran to the end (ok or with problems)."""
    with UnitOfWork(engine) as uow:
        return last_completed_night(uow)


def latest_started(engine: Engine) -> date | None:
    """The latest night ever started: a night rerun later than that day cannot ask the
    bank for an earlier execution date."""
    with UnitOfWork(engine) as uow:
        return latest_night(uow)


def is_configured(engine: Engine) -> bool:
    """Whether a gemeente is stored (`hhb config apply` ran)."""
    with UnitOfWork(engine) as uow:
        return load_gemeente(uow) is not None


def charges_due_between(engine: Engine, first: date, last: date) -> tuple[int, Money]:
    """How many fixed charges the nights `first`..`last` would instruct, and their sum
    (leefgeld not counted): what a long catch-up would queue at least."""
    with UnitOfWork(engine) as uow:
        gemeenten = load_gemeenten(uow)  # issue 22: each with its own gemeente's settings
        households = list(load_households(uow))
    count, total = 0, ZERO
    for household in households:
        settings = plan_settings(gemeenten.get(household.gemeente_id))
        until = instructed_until(last, settings)
        for due in charge_dues(household, first, until, settings):
            count += 1
            total += due.charge.amount
    return count, total


def all_households(engine: Engine) -> list[Household]:
    """Every household with its rules."""
    with UnitOfWork(engine) as uow:
        return list(load_households(uow))


def night_report(uow: UnitOfWork, night: date, files: Sequence[FileResult]) -> dict[str, Any]:
    """The JSON document of issue 5 for `night`."""
    counts = status_counts(uow, night)
    return {
        "date": night.isoformat(),
        "statements": [f.as_json() for f in files],
        "matched": counts.get("matched", 0) + counts.get("assigned", 0),
        "unmatched": counts.get("unmatched", 0) + counts.get("unknown_debit", 0),
        "settled": counts.get("settled", 0),
        "returned": counts.get("returned", 0),
        "payments": [
            {
                "end_to_end_id": row.end_to_end_id,
                "household": row.household,
                "kind": row.kind,
                "name": row.payee_name,
                "iban": row.payee_iban,
                "amount": str(row.amount),
                "execution_date": row.execution_date.isoformat(),
                "remittance": row.remittance or row.structured_reference,
            }
            for row in instruction_rows(uow, instructed_on=night)
        ],
        "payment_files": [row.path for row in payment_files(uow, night=night)],
        "signals": [
            {
                "household": row.household,
                "kind": row.kind,
                "severity": row.severity,
                "message": row.message,
            }
            for row in signal_rows(uow, seen_on=night)
        ],
    }
