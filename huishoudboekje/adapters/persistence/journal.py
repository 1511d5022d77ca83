"""Store and load journal entries with their postings; amounts stay exact."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, Text, bindparam, cast, func
from sqlalchemy import select as select_columns

from huishoudboekje.adapters.persistence.status_repo import forget_statuses
from huishoudboekje.adapters.persistence.tables import JournalEntryRow, PostingRow, table_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork, in_chunks
from huishoudboekje.domain.ledger import (
    Account,
    AccountKind,
    JournalEntry,
    Ledger,
    Posting,
    natural,
)
from huishoudboekje.domain.money import Money

# Entries are read as plain columns, not as ORM objects: building (and tracking)
# a row object per entry and posting cost more than the query on every night and
# page view. Journal rows are never changed after they are written, so the
# session's copies cannot differ from these.
_ENTRY = table_of(JournalEntryRow)
_POSTING = table_of(PostingRow)
_COLUMNS = (
    _ENTRY.c.seq,
    _ENTRY.c.entry_id,
    _ENTRY.c.day,
    _ENTRY.c.description,
    _ENTRY.c.kind,
    _ENTRY.c.reversal_of,
    # as text, decoded once per entry in `_entry` (the join repeats it on every posting)
    cast(_ENTRY.c.meta, Text),
    _POSTING.c.account_kind,
    _POSTING.c.household,
    _POSTING.c.sub,
    _POSTING.c.amount,
)


def entries_select() -> Select[*tuple[Any, ...]]:
    """Entry and posting columns, joined, in booking order (add filters, then `_assemble`)."""
    return (
        select_columns(*_COLUMNS)
        .join_from(_ENTRY, _POSTING, _POSTING.c.entry_seq == _ENTRY.c.seq)
        .order_by(_ENTRY.c.seq, _POSTING.c.position)
    )


def _touching(household: Any) -> Select[tuple[int]]:
    """The entries with a posting on one of the household's accounts."""
    return select_columns(_POSTING.c.entry_seq).where(_POSTING.c.household == household)


# A household's journal is read on every page view, `hhb status` and planner state:
# built once, with the household as a bind parameter (building the statement cost
# more than running it).
_HOUSEHOLD_ENTRIES = entries_select().where(_ENTRY.c.seq.in_(_touching(bindparam("household"))))
_HOUSEHOLD_ENTRIES_SINCE = _HOUSEHOLD_ENTRIES.where(_ENTRY.c.day >= bindparam("since"))
_HOUSEHOLD_KINDS_SINCE = _HOUSEHOLD_ENTRIES_SINCE.where(
    _ENTRY.c.kind.in_(bindparam("kinds", expanding=True))
)
# What the journal adds up to on each of a household's accounts (debit > 0), summed
# by the database: a page needs the balances, not every entry since the start.
# Columns account_kind, sub, total; the household is the bind parameter "household".
HOUSEHOLD_BALANCES = (
    select_columns(
        _POSTING.c.account_kind, _POSTING.c.sub, func.sum(_POSTING.c.amount).label("total")
    )
    .where(_POSTING.c.household == bindparam("household"))
    .group_by(_POSTING.c.account_kind, _POSTING.c.sub)
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
    # the stored status of a household whose balances change is no longer true
    forget_statuses(uow, {p.account.household for e in new for p in e.postings} - {""})
    if not new:
        return 0
    recorded_at = at if at is not None else datetime.now(UTC)
    session = uow.session
    session.flush()  # what the session holds goes first, as an ORM flush would order it
    # Core inserts, not ORM objects: building and tracking a row object per entry and
    # posting cost more than the inserts (rows are never changed after they are written)
    seqs = (
        session.execute(
            _ENTRY.insert().returning(_ENTRY.c.seq, sort_by_parameter_order=True),
            [
                {
                    "entry_id": entry.id,
                    "day": entry.day,
                    "description": entry.description,
                    "kind": entry.kind,
                    "reversal_of": entry.reversal_of,
                    "meta": [[key, value] for key, value in entry.meta],
                    "recorded_at": recorded_at,
                }
                for entry in new
            ],
        )
        .scalars()
        .all()
    )
    session.execute(
        _POSTING.insert(),
        [
            {
                "entry_seq": seq,
                "position": position,
                "account_kind": posting.account.kind.value,
                "household": posting.account.household,
                "sub": posting.account.sub,
                "amount": posting.amount.amount,
            }
            for seq, entry in zip(seqs, new, strict=True)
            for position, posting in enumerate(entry.postings)
        ],
    )
    return len(new)


def load_journal_entries(
    uow: UnitOfWork,
    *,
    household: str | None = None,
    since: date | None = None,
    until: date | None = None,
    kinds: Iterable[str] | None = None,
) -> tuple[JournalEntry, ...]:
    """Stored entries in booking order; optionally only those touching `household`
    (all their postings included), with since <= day <= until and of `kinds`."""
    if until is None and household is not None and (since is not None or kinds is None):
        if since is None:
            return _assemble(uow.read(_HOUSEHOLD_ENTRIES, {"household": household}))
        params: dict[str, Any] = {"household": household, "since": since}
        if kinds is None:
            return _assemble(uow.read(_HOUSEHOLD_ENTRIES_SINCE, params))
        params["kinds"] = list(kinds)
        return _assemble(uow.read(_HOUSEHOLD_KINDS_SINCE, params))
    statement = entries_select()
    if household is not None:
        statement = statement.where(_ENTRY.c.seq.in_(_touching(household)))
    if since is not None:
        statement = statement.where(_ENTRY.c.day >= since)
    if until is not None:
        statement = statement.where(_ENTRY.c.day <= until)
    if kinds is not None:
        statement = statement.where(_ENTRY.c.kind.in_(list(kinds)))
    return _assemble(uow.read(statement))


def household_balances(uow: UnitOfWork, household: str) -> dict[Account, Money]:
    """The balance of each of the household's accounts over the whole journal, in the
    account's natural sign: `Ledger.balances()` for these accounts, without loading
    the entries."""
    return balances_of(household, uow.read(HOUSEHOLD_BALANCES, {"household": household}))


def balances_of(household: str, sums: Iterable[Any]) -> dict[Account, Money]:
    """Natural-sign balances from rows (account_kind, sub, total) of `HOUSEHOLD_BALANCES`."""
    balances: dict[Account, Money] = {}
    for kind, sub, amount in sums:
        account = Account(AccountKind(kind), household, sub)
        balances[account] = natural(account, Money(amount))
    return balances


def load_ledger(uow: UnitOfWork) -> Ledger:
    """The whole stored journal as a `Ledger`."""
    return Ledger(load_journal_entries(uow))


def _load_by_ids(uow: UnitOfWork, ids: list[str]) -> dict[str, JournalEntry]:
    found: dict[str, JournalEntry] = {}
    for chunk in in_chunks(ids):
        statement = entries_select().where(_ENTRY.c.entry_id.in_(chunk))
        found.update((e.id, e) for e in _assemble(uow.read(statement)))
    return found


def _assemble(rows: Iterable[Any]) -> tuple[JournalEntry, ...]:
    """Entries from rows of `entries_select()` (one row per posting, in booking order).

    Rows are unpacked as tuples in the order of `_COLUMNS` (reading them by name
    cost as much as building the entries), and each account is built once.
    """
    entries: list[JournalEntry] = []
    head: tuple[Any, ...] | None = None
    postings: list[Posting] = []
    accounts: dict[tuple[str, str, str], Account] = {}
    for seq, entry_id, day, description, kind, reversal_of, meta, *posting in rows:
        if head is None or seq != head[0]:
            if head is not None:
                entries.append(_entry(head, postings))
            head = (seq, entry_id, day, description, kind, reversal_of, meta)
            postings = []
        account_kind, household, sub, amount = posting
        account = accounts.get((account_kind, household, sub))
        if account is None:
            account = Account(AccountKind(account_kind), household, sub)
            accounts[account_kind, household, sub] = account
        postings.append(Posting(account, Money(amount)))
    if head is not None:
        entries.append(_entry(head, postings))
    return tuple(entries)


def _entry(head: tuple[Any, ...], postings: list[Posting]) -> JournalEntry:
    _seq, entry_id, day, description, kind, reversal_of, meta = head
    return JournalEntry(
        id=entry_id,
        day=day,
        description=description,
        postings=tuple(postings),
        kind=kind,
        reversal_of=reversal_of,
        meta=tuple((str(key), str(value)) for key, value in json.loads(meta)),
    )
