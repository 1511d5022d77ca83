"""Store and load journal entries with their postings; amounts stay exact."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy import select as select_columns
from sqlmodel import col, select

from huishoudboekje.ledger import Account, AccountKind, JournalEntry, Ledger, Posting
from huishoudboekje.money import Money
from huishoudboekje.persistence.tables import JournalEntryRow, PostingRow
from huishoudboekje.persistence.uow import UnitOfWork

_CHUNK = 500  # ids per IN (...) query

# Entries are read as plain columns, not as ORM objects: building (and tracking)
# a row object per entry and posting cost more than the query on every night and
# page view. Journal rows are never changed after they are written, so the
# session's copies cannot differ from these.
_COLUMNS = (
    col(JournalEntryRow.seq),
    col(JournalEntryRow.entry_id),
    col(JournalEntryRow.day),
    col(JournalEntryRow.description),
    col(JournalEntryRow.kind),
    col(JournalEntryRow.reversal_of),
    col(JournalEntryRow.meta),
    col(PostingRow.account_kind),
    col(PostingRow.household),
    col(PostingRow.sub),
    col(PostingRow.amount),
)


def entries_select() -> Select[*tuple[Any, ...]]:
    """Entry and posting columns, joined, in booking order (add filters, then `_assemble`)."""
    return (
        select_columns(*_COLUMNS)
        .join_from(
            JournalEntryRow, PostingRow, col(PostingRow.entry_seq) == col(JournalEntryRow.seq)
        )
        .order_by(col(JournalEntryRow.seq), col(PostingRow.position))
    )


class JournalConflictError(ValueError):
    """An entry id is already stored with different content (a bug: ids are deterministic)."""


def append_journal_entries(
    uow: UnitOfWork, entries: Iterable[JournalEntry], *, at: datetime | None = None
) -> int:
    """Store new entries in order; returns how many were added (not committed).

    An entry whose id is already stored with the same content is skipped, so
    re-running a night books nothing twice; the same id with other content raises
    `JournalConflictError`.
    """
    batch: dict[str, JournalEntry] = {}
    for entry in entries:
        earlier = batch.get(entry.id)
        if earlier is None:
            batch[entry.id] = entry
        elif earlier != entry:
            raise JournalConflictError(f"entry {entry.id} occurs twice with different content")
    stored = _load_by_ids(uow, list(batch))
    new: list[JournalEntry] = []
    for entry_id, entry in batch.items():
        existing = stored.get(entry_id)
        if existing is None:
            new.append(entry)
        elif existing != entry:
            raise JournalConflictError(f"entry {entry_id} is already booked with other content")
    recorded_at = at if at is not None else datetime.now(UTC)
    rows = [
        JournalEntryRow(
            entry_id=entry.id,
            day=entry.day,
            description=entry.description,
            kind=entry.kind,
            reversal_of=entry.reversal_of,
            meta=[[key, value] for key, value in entry.meta],
            recorded_at=recorded_at,
        )
        for entry in new
    ]
    session = uow.session
    session.add_all(rows)
    session.flush()
    for row, entry in zip(rows, new, strict=True):
        if row.seq is None:  # pragma: no cover - the flush assigns it
            raise RuntimeError("journal entry row has no seq after flush")
        session.add_all(
            PostingRow(
                entry_seq=row.seq,
                position=position,
                account_kind=posting.account.kind.value,
                household=posting.account.household,
                sub=posting.account.sub,
                amount=posting.amount.amount,
            )
            for position, posting in enumerate(entry.postings)
        )
    session.flush()
    return len(new)


def load_journal_entries(
    uow: UnitOfWork,
    *,
    household: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> tuple[JournalEntry, ...]:
    """Stored entries in booking order; optionally only those touching `household`
    (all their postings included) and with since <= day <= until."""
    statement = entries_select()
    if household is not None:
        touching = select(PostingRow.entry_seq).where(col(PostingRow.household) == household)
        statement = statement.where(col(JournalEntryRow.seq).in_(touching))
    if since is not None:
        statement = statement.where(col(JournalEntryRow.day) >= since)
    if until is not None:
        statement = statement.where(col(JournalEntryRow.day) <= until)
    return _assemble(uow.session.execute(statement))


def load_ledger(uow: UnitOfWork) -> Ledger:
    """The whole stored journal as a `Ledger`."""
    return Ledger(load_journal_entries(uow))


def journal_entry_ids(uow: UnitOfWork) -> frozenset[str]:
    """The ids of all stored entries."""
    return frozenset(uow.session.exec(select(JournalEntryRow.entry_id)))


def _load_by_ids(uow: UnitOfWork, ids: list[str]) -> dict[str, JournalEntry]:
    found: dict[str, JournalEntry] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        statement = entries_select().where(col(JournalEntryRow.entry_id).in_(chunk))
        found.update((e.id, e) for e in _assemble(uow.session.execute(statement)))
    return found


def _assemble(rows: Iterable[Any]) -> tuple[JournalEntry, ...]:
    """Entries from rows of `entries_select()` (one row per posting, in booking order)."""
    entries: list[JournalEntry] = []
    current: Any = None
    postings: list[Posting] = []
    for row in rows:
        if current is not None and row.seq != current.seq:
            entries.append(_entry(current, postings))
            postings = []
        current = row
        account = Account(AccountKind(row.account_kind), row.household, row.sub)
        postings.append(Posting(account, Money(row.amount)))
    if current is not None:
        entries.append(_entry(current, postings))
    return tuple(entries)


def _entry(row: Any, postings: list[Posting]) -> JournalEntry:
    return JournalEntry(
        id=row.entry_id,
        day=row.day,
        description=row.description,
        postings=tuple(postings),
        kind=row.kind,
        reversal_of=row.reversal_of,
        meta=tuple((str(key), str(value)) for key, value in row.meta),
    )
