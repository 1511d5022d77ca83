"""The night spread over workers (issue 22.2): its work table, as the scheduler sees it.

A spread stage (`plan`, `export`) stores its work as batches (`store_batches`);
every worker, the coordinating night included, takes one batch at a time with a
`Claim`, does it, and marks it done in the claim. The claim is a row lock held by
the claim's own transaction while the batch's work commits in transactions of its
own: a worker that dies leaves its batch open and unlocked, and another worker
does it again. What a half-done batch already did is not done twice: a planned
household carries its "planned for night X" mark, an instruction its EndToEndId,
an exported instruction its payment file.

Only PostgreSQL spreads a night (`can_spread`): SQLite has no row locks to claim
with, and one process is what it is made for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Engine, make_url, text

from huishoudboekje.adapters.persistence.db import database_url
from huishoudboekje.adapters.persistence.night_batch_repo import (
    abandon_open,
    batch_rows,
    claim_batch,
    finish_batch,
    households_among,
    open_batches,
    store_batches,
)
from huishoudboekje.adapters.persistence.night_batch_tables import NightBatchRow
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.household import Household
from huishoudboekje.services.night_lock import ADVISORY_KEY

PLAN = "plan"
EXPORT = "export"
SPREAD_STAGES = (PLAN, EXPORT)
DEFAULT_BATCH = 100  # households per batch of a spread `plan` (HHB_NIGHT_BATCH)
REFUSED_ON_SQLITE = (
    "--workers {workers} kan alleen met PostgreSQL; SQLite draait de nacht in één proces "
    "(gebruik --workers 1 of zet HHB_DATABASE_URL op een PostgreSQL-database) / "
    "--workers above 1 needs PostgreSQL"
)


class WorkersRefusedError(ValueError):
    """More than one worker asked for on a database that cannot spread a night."""


def can_spread(engine: Engine) -> bool:
    """Whether a night on this database can spread over workers (PostgreSQL)."""
    return engine.dialect.name == "postgresql"


def check_workers(engine: Engine, workers: int) -> None:
    """Raise `WorkersRefusedError` (one line for the operator) unless `workers` can run."""
    if workers < 1:
        raise WorkersRefusedError(f"--workers {workers}: geef 1 of meer")
    if workers > 1 and not can_spread(engine):
        raise WorkersRefusedError(REFUSED_ON_SQLITE.format(workers=workers))


@dataclass(frozen=True)
class Batch:
    """One claimed batch: `households` for `plan`, (`account`, `execution_date`) for
    `export` (one pain.001 file of one pooled account)."""

    night: date
    stage: str
    number: int
    real_day: date
    households: tuple[str, ...]
    account: str
    execution_date: date | None


def _batch(row: NightBatchRow) -> Batch:
    return Batch(
        row.night,
        row.stage,
        row.batch,
        row.real_day,
        tuple(row.households),
        row.account,
        row.execution_date,
    )


def store_plan_batches(
    engine: Engine, night: date, real_day: date, codes: Sequence[str], size: int
) -> int:
    """The `plan` batches of `night`: `codes` in slices of `size`, in order. Returns
    how many."""
    rows = [
        {"real_day": real_day, "households": list(codes[start : start + size])}
        for start in range(0, len(codes), max(1, size))
    ]
    with UnitOfWork(engine) as uow:
        store_batches(uow, night, PLAN, rows)
        uow.commit()
    return len(rows)


def store_export_batches(
    engine: Engine, night: date, real_day: date, groups: Sequence[tuple[str, date]]
) -> int:
    """The `export` batches of `night`: one per (pooled account, execution date)."""
    rows = [
        {"real_day": real_day, "account": account, "execution_date": day} for account, day in groups
    ]
    with UnitOfWork(engine) as uow:
        store_batches(uow, night, EXPORT, rows)
        uow.commit()
    return len(rows)


class Claim:
    """One batch held by this worker while it works on it (a context manager).

    `batch` is None when no open batch was free. Leaving the block without `done`
    (an error, a stop) gives the batch back, still open."""

    def __init__(
        self, engine: Engine, worker: str, stages: Sequence[str], night: date | None = None
    ) -> None:
        self._uow = UnitOfWork(engine)
        self._worker = worker
        self._stages = tuple(stages)
        self._night = night
        self._row: NightBatchRow | None = None
        self.batch: Batch | None = None

    def __enter__(self) -> Self:
        self._uow.__enter__()
        if self._night is None and not night_in_progress(self._uow):
            return self  # a batch left by a night that no longer runs waits for its rerun
        self._row = claim_batch(self._uow, self._worker, self._stages, self._night)
        self.batch = None if self._row is None else _batch(self._row)
        return self

    def done(self, result: dict[str, Any], problems: Sequence[str]) -> None:
        """Mark the batch done with what it did; the claim ends."""
        if self._row is None:
            raise RuntimeError("no batch claimed")
        finish_batch(self._uow, self._row, result, problems)
        self._uow.commit()
        self._row = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._uow.__exit__(exc_type, exc, traceback)


def night_in_progress(uow: UnitOfWork) -> bool:
    """Whether some process holds the night's advisory lock on this database."""
    if uow.session.get_bind().dialect.name != "postgresql":
        return True
    held = uow.session.execute(
        text(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND classid::bigint = :high AND objid::bigint = :low AND objsubid = 1)"
        ),
        {"high": ADVISORY_KEY >> 32, "low": ADVISORY_KEY & 0xFFFFFFFF},
    ).scalar()
    return bool(held)


def open_count(engine: Engine, night: date, stage: str) -> int:
    """Batches of (`night`, `stage`) not done yet."""
    with UnitOfWork(engine) as uow:
        return open_batches(uow, night, stage)


def abandon_stage(engine: Engine, night: date, stage: str) -> int:
    """A stage that failed in the night's own process: its batches nobody holds are
    dropped (their households wait for the next night, as when a stage fails in one
    process) and batches other workers hold are waited for, so no worker still works
    on this stage when the night goes on. Returns how many were dropped."""
    with UnitOfWork(engine) as uow:
        gone = abandon_open(uow, night, stage)
        uow.commit()
    return gone


def stage_outcome(
    engine: Engine, night: date, stage: str
) -> list[tuple[dict[str, Any], list[str]]]:
    """Each batch's result and problems, in batch order."""
    with UnitOfWork(engine) as uow:
        return [(dict(r.result or {}), list(r.problems)) for r in batch_rows(uow, night, stage)]


def batch_households(engine: Engine, codes: Sequence[str]) -> list[Household]:
    """The households of a `plan` batch, in its order."""
    with UnitOfWork(engine) as uow:
        return households_among(uow, codes)


def url_can_spread(url: str | None) -> bool:
    """Whether the database at `url` (default HHB_DATABASE_URL) can spread a night,
    known without connecting (so a refusal changes nothing, not even a new file)."""
    return make_url(url or database_url()).get_backend_name() == "postgresql"
