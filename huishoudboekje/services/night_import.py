"""The database side of stage `import`: which account files must be of, which files
came before, and the record (and signal) of a file that is refused.

Reading the files themselves is the scheduler's (connectors are allowed there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.repository import load_gemeente, pooled_account_owners
from huishoudboekje.adapters.persistence.signal_repo import upsert_signals
from huishoudboekje.adapters.persistence.statement_repo import imported_file, record_file
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.household import Gemeente
from huishoudboekje.services.night_work import StageResult


@dataclass(frozen=True)
class ImportResult(StageResult):
    """Stage `import`: files found, parsed, seen before and refused."""

    files: int
    parsed: int
    duplicate: int
    rejected: int


def configured_gemeente(engine: Engine, missing: str) -> Gemeente:
    """The stored gemeente; `RuntimeError(missing)` before the first `hhb config apply`."""
    with UnitOfWork(engine) as uow:
        gemeente = load_gemeente(uow)
    if gemeente is None:
        raise RuntimeError(missing)
    return gemeente


def pooled_account(engine: Engine) -> str:
    """The IBAN of the gemeente's pooled account, as configured; every file must be of it."""
    missing = "no gemeente configured yet: run `hhb config apply` first"
    return configured_gemeente(engine, missing).account_iban


def pooled_accounts(engine: Engine) -> tuple[str, ...]:
    """Every pooled account IBAN of every gemeente (issue 22), the first gemeente's
    first account first; a statement of any other account is refused, booking nothing."""
    first = pooled_account(engine)  # raises before the first `hhb config apply`
    with UnitOfWork(engine) as uow:
        others = sorted(iban for iban in pooled_account_owners(uow) if iban != first)
    return (first, *others)


def record_if_duplicate(engine: Engine, night: date, name: str, sha256: str) -> int | None:
    """When a file with these bytes was imported before, record this one as a duplicate
    and return the earlier import's number of transactions; None for a new file."""
    with UnitOfWork(engine) as uow:
        earlier = imported_file(uow, sha256)
        if earlier is None:
            return None
        record_file(
            uow,
            name=name,
            sha256=sha256,
            format=earlier.format,
            status="duplicate",
            night=night,
            transactions=earlier.transactions,
        )
        uow.commit()
        return earlier.transactions


def record_rejected(
    engine: Engine, night: date, name: str, sha256: str, fmt: str, error: str
) -> None:
    """Record a refused file and raise its staff signal."""
    with UnitOfWork(engine) as uow:
        record_file(
            uow,
            name=name,
            sha256=sha256,
            format=fmt,
            status="rejected",
            error=error,
            night=night,
        )
        upsert_signals(uow, [night_signals.file_rejected(name, sha256, error)], night, "event")
        uow.commit()
