"""Stored signals, upserted by their stable key (none of these commit)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as select_columns
from sqlmodel import col, select

from huishoudboekje.adapters.persistence.nightly_tables import SignalRow
from huishoudboekje.adapters.persistence.tables import table_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork, in_chunks
from huishoudboekje.domain.night_signals import GEMEENTE
from huishoudboekje.domain.signals import Signal


def upsert_signals(uow: UnitOfWork, signals: Iterable[Signal], day: date, source: str) -> None:
    """Store signals by key: new ones open, known ones seen again (and reopened).

    The known ones are read in one query per `IN_CHUNK` keys, not one per signal."""
    pending = list(signals)
    keys = list(dict.fromkeys(s.key for s in pending))
    known: dict[str, SignalRow] = {
        row.key: row
        for chunk in in_chunks(keys)
        for row in uow.session.exec(select(SignalRow).where(col(SignalRow.key).in_(chunk)))
    }
    for signal in pending:
        row = known.get(signal.key)
        if row is None:
            row = SignalRow(
                key=signal.key,
                household=signal.household,
                kind=signal.kind.value,
                severity=signal.severity.value,
                message=signal.message,
                data=dict(signal.data),
                source=source,
                first_seen=day,
                last_seen=day,
                status="open",
            )
            known[signal.key] = row  # the same key again in `signals`: seen again
        else:
            row.message = signal.message
            row.severity = signal.severity.value
            row.last_seen = max(row.last_seen, day)
            if row.status == "closed" and row.acknowledged_by is None:
                row.status = "open"
                row.closed_on = None
        uow.session.add(row)
    uow.session.flush()


def close_stale_signals(
    uow: UnitOfWork, source: str, day: date, households: Iterable[str] | None = None
) -> int:
    """Close open signals of `source` not seen on `day` (the condition is gone)."""
    statement = select(SignalRow).where(
        col(SignalRow.source) == source,
        col(SignalRow.status) == "open",
        col(SignalRow.last_seen) < day,
    )
    allowed = None if households is None else set(households)
    closed = 0
    for row in uow.session.exec(statement):
        if allowed is not None and row.household not in allowed:
            continue
        row.status = "closed"
        row.closed_on = day
        uow.session.add(row)
        closed += 1
    uow.session.flush()
    return closed


def close_signal(
    uow: UnitOfWork,
    key: str,
    day: date,
    *,
    by: str | None = None,
    at: datetime | None = None,
    note: str | None = None,
) -> None:
    """Close one signal (its condition is gone, or staff dealt with it: `by`, `at`, `note`)."""
    row = uow.session.get(SignalRow, key)
    if row is not None and row.status == "open":
        row.status = "closed"
        row.closed_on = day
        if by is not None:
            row.acknowledged_by, row.acknowledged_at, row.acknowledged_note = by, at, note
        uow.session.add(row)
        uow.session.flush()


def signal_rows(
    uow: UnitOfWork, *, status: str | None = "open", seen_on: date | None = None
) -> list[SignalRow]:
    """Stored signals, by household and key."""
    statement = select(SignalRow).order_by(col(SignalRow.household), col(SignalRow.key))
    if status is not None:
        statement = statement.where(col(SignalRow.status) == status)
    if seen_on is not None:
        statement = statement.where(col(SignalRow.last_seen) == seen_on)
    return list(uow.session.exec(statement))


# Read for every caseload view: plain columns, built once (see persistence.journal).
_SIGNAL = table_of(SignalRow)
SIGNAL_COLUMNS = (
    "key",
    "household",
    "kind",
    "severity",
    "message",
    "first_seen",
    "last_seen",
    "status",
    "acknowledged_by",
    "acknowledged_note",
)
_OPEN_OF_HOUSEHOLDS = (
    select_columns(*(_SIGNAL.c[name] for name in SIGNAL_COLUMNS))
    .where(_SIGNAL.c.household != GEMEENTE)
    .where(_SIGNAL.c.status == "open")
)
_ACKNOWLEDGED_AMONG = (
    select_columns(_SIGNAL.c.key)
    .where(_SIGNAL.c.acknowledged_by.is_not(None))
    .where(_SIGNAL.c.key.in_(bindparam("keys", expanding=True)))
)


def open_household_signals(uow: UnitOfWork) -> list[tuple[Any, ...]]:
    """The open signals about households (not the pooled account), as tuples of
    `SIGNAL_COLUMNS`, in one query without building row objects."""
    return [tuple(row) for row in uow.read(_OPEN_OF_HOUSEHOLDS)]


def acknowledged_among(uow: UnitOfWork, keys: Iterable[str]) -> frozenset[str]:
    """Those of `keys` whose signal staff acknowledged (asked in chunks, so any number
    of keys stays within the database's limit on parameters)."""
    found: set[str] = set()
    for chunk in in_chunks(sorted(set(keys))):
        found.update(uow.read(_ACKNOWLEDGED_AMONG, {"keys": chunk}).scalars())
    return frozenset(found)


def signal_household(uow: UnitOfWork, key: str) -> str | None:
    """The household of stored signal `key`, or None when there is no such signal."""
    row = uow.session.get(SignalRow, key)
    return None if row is None else row.household


def acknowledge_signal(
    uow: UnitOfWork, key: str, *, by: str, at: datetime, note: str, day: date
) -> tuple[str, str] | None:
    """Close one signal as dealt with by staff (`by`, `at`, `note`), whatever its status;
    returns its status before and its household (None: there is no such signal)."""
    row = uow.session.get(SignalRow, key)
    if row is None:
        return None
    before = row.status
    row.acknowledged_by = by
    row.acknowledged_at = at
    row.acknowledged_note = note
    row.status = "closed"
    row.closed_on = day
    uow.session.add(row)
    return before, row.household
