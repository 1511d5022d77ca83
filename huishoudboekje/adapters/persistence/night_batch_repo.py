"""The night's work table (`night_batch`): store a stage's batches, claim one, mark it done.

A claim is a row lock: `claim_batch` selects the first open batch with
``FOR UPDATE SKIP LOCKED`` in the unit of work the worker keeps open while it does
the batch (its work is committed in units of work of its own), and `finish_batch`
marks it done in that same unit of work. A worker that dies (kill -9) loses its
connection; PostgreSQL drops the lock and the batch, still open, is claimed again.
On SQLite (one process) the lock clause is ignored; the night does not spread there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import col, select

from huishoudboekje.adapters.persistence.consent_repo import consents_and_ends
from huishoudboekje.adapters.persistence.night_batch_tables import NightBatchRow
from huishoudboekje.adapters.persistence.repository import stored_households
from huishoudboekje.adapters.persistence.uow import UnitOfWork, in_chunks
from huishoudboekje.domain.consent import Consent
from huishoudboekje.domain.household import Household

OPEN = "open"
DONE = "done"
KEPT_DAYS = 35  # rows of older nights are removed when a night stores its batches


def store_batches(uow: UnitOfWork, night: date, stage: str, rows: Sequence[dict[str, Any]]) -> None:
    """Replace the batches of (`night`, `stage`) by `rows` (each: real_day, households,
    account, execution_date), numbered from 0, all open; not committed.

    Every other open batch goes too: only one night runs at a time (the night's
    lock), so an open batch of another night or stage was left by a night that
    stopped, and its rerun stores it again; no worker may do it meanwhile (planning
    a household for an earlier night after a later one would undo its plan).
    Deleting waits for a batch a live worker still holds. Rows of nights more than
    `KEPT_DAYS` ago are removed."""
    table = NightBatchRow.__table__  # type: ignore[attr-defined]
    session = uow.session
    session.execute(
        delete(table).where(
            ((table.c.night == night) & (table.c.stage == stage))
            | (table.c.state == OPEN)
            | (table.c.night < night - timedelta(days=KEPT_DAYS))
        )
    )
    for number, values in enumerate(rows):
        session.add(
            NightBatchRow(
                night=night,
                stage=stage,
                batch=number,
                real_day=values["real_day"],
                households=list(values.get("households", ())),
                account=values.get("account", ""),
                execution_date=values.get("execution_date"),
                state=OPEN,
                problems=[],
            )
        )
    session.flush()


def claim_batch(
    uow: UnitOfWork, worker: str, stages: Sequence[str], night: date | None = None
) -> NightBatchRow | None:
    """Lock the first open batch of `stages` (of `night`, or of any night) that no
    other worker holds, and name `worker` on it; None when there is none. The lock
    lasts until `uow` ends: keep it open while the batch is done."""
    statement = (
        select(NightBatchRow)
        .where(col(NightBatchRow.state) == OPEN)
        .where(col(NightBatchRow.stage).in_(list(stages)))
        .order_by(col(NightBatchRow.night), col(NightBatchRow.stage), col(NightBatchRow.batch))
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if night is not None:
        statement = statement.where(col(NightBatchRow.night) == night)
    row = uow.session.exec(statement).first()
    if row is None:
        return None
    row.worker = worker
    row.claimed_at = datetime.now(UTC)
    return row


def finish_batch(
    uow: UnitOfWork, row: NightBatchRow, result: dict[str, Any], problems: Sequence[str]
) -> None:
    """Mark the claimed batch done with what it did (not committed)."""
    row.state = DONE
    row.done_at = datetime.now(UTC)
    row.result = result
    row.problems = list(problems)
    uow.session.add(row)


def abandon_open(uow: UnitOfWork, night: date, stage: str) -> int:
    """Remove the open batches of (`night`, `stage`) nobody holds; waits for those a
    live worker holds to be done (they stay). Not committed; returns how many went."""
    table = NightBatchRow.__table__  # type: ignore[attr-defined]
    gone = uow.session.execute(
        delete(table)
        .where(table.c.night == night)
        .where(table.c.stage == stage)
        .where(table.c.state == OPEN)
    )
    return int(getattr(gone, "rowcount", 0) or 0)


def open_batches(uow: UnitOfWork, night: date, stage: str) -> int:
    """How many batches of (`night`, `stage`) are not done (claimed or not)."""
    statement = (
        select(func.count())
        .select_from(NightBatchRow)
        .where(col(NightBatchRow.night) == night)
        .where(col(NightBatchRow.stage) == stage)
        .where(col(NightBatchRow.state) == OPEN)
    )
    return int(uow.session.exec(statement).one())


def batch_rows(uow: UnitOfWork, night: date, stage: str) -> list[NightBatchRow]:
    """The batches of (`night`, `stage`), in order."""
    statement = (
        select(NightBatchRow)
        .where(col(NightBatchRow.night) == night)
        .where(col(NightBatchRow.stage) == stage)
        .order_by(col(NightBatchRow.batch))
    )
    return list(uow.session.exec(statement))


def households_among(uow: UnitOfWork, codes: Sequence[str]) -> list[Household]:
    """The stored households of `codes` (each with its newest consent), in the order
    of `codes`; a code no longer stored is left out."""
    found = stored_households(uow, codes)
    consents: dict[str, Consent] = {}
    for chunk in in_chunks(codes):
        for code, (consent, _end) in consents_and_ends(uow, list(chunk)).items():
            if consent is not None:
                consents[code] = consent
    return [
        replace(found[c], consent=consents[c]) if c in consents else found[c]
        for c in codes
        if c in found
    ]
