"""Bulk reads and writes for many households at once (the plan stage's fast path)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy import select as core_select
from sqlmodel import col, select

from huishoudboekje.adapters.persistence.instruction_repo import instruction_rows
from huishoudboekje.adapters.persistence.journal import _assemble as assemble_entries
from huishoudboekje.adapters.persistence.journal import entries_select
from huishoudboekje.adapters.persistence.nightly_tables import SignalRow
from huishoudboekje.adapters.persistence.tables import (
    EngineStateRow,
    JournalEntryRow,
    PostingRow,
    table_of,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.ledger import JournalEntry


def journal_by_household(uow: UnitOfWork, codes: Sequence[str]) -> dict[str, list[JournalEntry]]:
    """The journal entries touching each of `codes`, in booking order, in one query."""
    touching = select(PostingRow.entry_seq).where(col(PostingRow.household).in_(list(codes)))
    statement = entries_select().where(col(JournalEntryRow.seq).in_(touching))
    wanted = set(codes)
    out: dict[str, list[JournalEntry]] = defaultdict(list)
    for entry in assemble_entries(uow.read(statement)):
        for household in {p.account.household for p in entry.postings} & wanted:
            out[household].append(entry)
    return out


def state_rows(
    uow: UnitOfWork, codes: Sequence[str], keys: Sequence[str]
) -> dict[tuple[str, str], EngineStateRow]:
    """Engine-state rows of these households and keys, loaded in one query."""
    statement = select(EngineStateRow).where(
        col(EngineStateRow.household).in_(list(codes)), col(EngineStateRow.key).in_(list(keys))
    )
    return {(row.household, row.key): row for row in uow.session.exec(statement)}


def put_state(
    uow: UnitOfWork,
    rows: dict[tuple[str, str], EngineStateRow],
    household: str,
    key: str,
    value: Any,
) -> None:
    """Set one engine-state value using rows from `state_rows` (no query, no flush)."""
    now = datetime.now(UTC)
    row = rows.get((household, key))
    if row is None:
        row = EngineStateRow(household=household, key=key, value=value, updated_at=now)
        rows[(household, key)] = row
    else:
        row.value = value
        row.updated_at = now
    uow.session.add(row)


_STATE = table_of(EngineStateRow)


def state_values(
    uow: UnitOfWork, codes: Sequence[str], keys: Sequence[str]
) -> dict[tuple[str, str], Any]:
    """As `state_rows`, but only the stored values, read as plain columns (Core select):
    no ORM object built or tracked per row. Write them back with `put_states`."""
    table = _STATE
    statement = core_select(table.c.household, table.c.key, table.c.value).where(
        table.c.household.in_(list(codes)), table.c.key.in_(list(keys))
    )
    return {(household, key): value for household, key, value in uow.read(statement)}


def put_states(
    uow: UnitOfWork,
    values: Mapping[tuple[str, str], Any],
    stored: Container[tuple[str, str]],
) -> None:
    """Set engine-state values by (household, key): those in `stored` (as read by
    `state_values`) updated, the others inserted, each with one Core executemany.

    ORM objects of these rows that the session holds (`state_rows`) would not see
    the change: use one way or the other for a row within a unit of work."""
    now = datetime.now(UTC)
    table = _STATE
    changed = [
        {"at_household": household, "at_key": key, "new_value": value, "new_updated_at": now}
        for (household, key), value in values.items()
        if (household, key) in stored
    ]
    added = [
        {"household": household, "key": key, "value": value, "updated_at": now}
        for (household, key), value in values.items()
        if (household, key) not in stored
    ]
    session = uow.session
    session.flush()  # what the session holds goes first
    if changed:
        statement = (
            update(table)
            .where(
                table.c.household == bindparam("at_household"),
                table.c.key == bindparam("at_key"),
            )
            .values(
                value=bindparam("new_value", type_=table.c.value.type),
                updated_at=bindparam("new_updated_at", type_=table.c.updated_at.type),
            )
        )
        session.execute(statement, changed)
    if added:
        session.execute(table.insert(), added)


def preload(uow: UnitOfWork, codes: Sequence[str], end_to_end_ids: Sequence[str] = ()) -> None:
    """Load the signals of these households (and these instructions) into the session,
    so the upserts that follow find them without a query each."""
    list(uow.session.exec(select(SignalRow).where(col(SignalRow.household).in_(list(codes)))))
    instruction_rows(uow, ids=end_to_end_ids)
