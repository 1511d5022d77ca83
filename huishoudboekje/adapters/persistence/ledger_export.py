"""Reading the journal for exports (XAF auditfile, journal spreadsheet, reconciliation).

Exports cover a year of every household, so nothing here loads the whole journal:
totals are SQL aggregates, and entries come in pages by their booking sequence
(`entry_pages`), so memory stays flat however long the year.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import case, exists, func, select, union

from huishoudboekje.adapters.persistence.journal import entries_select
from huishoudboekje.adapters.persistence.nightly_tables import PaymentInstructionRow
from huishoudboekje.adapters.persistence.tables import (
    HouseholdRow,
    JournalEntryRow,
    PostingRow,
    table_of,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.ledger import Account, AccountKind, JournalEntry, Posting
from huishoudboekje.domain.money import ZERO, Money

_ENTRY = table_of(JournalEntryRow)
_POSTING = table_of(PostingRow)
_INSTRUCTION = table_of(PaymentInstructionRow)
_HOUSEHOLD = table_of(HouseholdRow)
NOTHING = Decimal(0)  # bound through the amount column's type (cents on SQLite)
PAGE = 2000  # entries per page: a few MB of rows at most


@dataclass(frozen=True, slots=True)
class PostingTotals:
    """What the postings of a period add up to: lines, debits (> 0) and credits (< 0, as
    a positive amount)."""

    lines: int
    debit: Money
    credit: Money


@dataclass(frozen=True, slots=True)
class NumberedEntry:
    """A journal entry with its booking sequence number (stable, ascending)."""

    seq: int
    entry: JournalEntry


def _money(value: Decimal | None) -> Money:
    return ZERO if value is None else Money(value)


def posting_totals(uow: UnitOfWork, start: date, end: date) -> PostingTotals:
    """Count, debit and credit totals of every posting of entries booked start..end."""
    amount = _POSTING.c.amount
    statement = (
        select(
            func.count(amount),
            func.sum(case((amount > NOTHING, amount), else_=NOTHING)),
            func.sum(case((amount < NOTHING, -amount), else_=NOTHING)),
        )
        .join_from(_POSTING, _ENTRY, _POSTING.c.entry_seq == _ENTRY.c.seq)
        .where(_ENTRY.c.day >= start, _ENTRY.c.day <= end)
    )
    lines, debit, credit = uow.read(statement).one()
    return PostingTotals(int(lines or 0), _money(debit), _money(credit))


def kind_balances(uow: UnitOfWork, before: date) -> dict[AccountKind, Money]:
    """The raw (debit > 0) balance of each account kind over entries booked before `before`."""
    statement = (
        select(_POSTING.c.account_kind, func.sum(_POSTING.c.amount))
        .join_from(_POSTING, _ENTRY, _POSTING.c.entry_seq == _ENTRY.c.seq)
        .where(_ENTRY.c.day < before)
        .group_by(_POSTING.c.account_kind)
    )
    return {AccountKind(kind): _money(total) for kind, total in uow.read(statement)}


def _touches_bank() -> Any:
    return exists().where(
        _POSTING.c.entry_seq == _ENTRY.c.seq, _POSTING.c.account_kind == AccountKind.BANK.value
    )


def entry_pages(
    uow: UnitOfWork, start: date, end: date, *, bank: bool | None = None, page: int = PAGE
) -> Iterator[list[NumberedEntry]]:
    """Entries booked start..end in booking order, `page` at a time; `bank` True: only
    entries with a bank posting, False: only those without, None: all."""
    after = 0
    while True:
        seqs = select(_ENTRY.c.seq).where(
            _ENTRY.c.day >= start, _ENTRY.c.day <= end, _ENTRY.c.seq > after
        )
        if bank is not None:
            seqs = seqs.where(_touches_bank() if bank else ~_touches_bank())
        found = [row[0] for row in uow.read(seqs.order_by(_ENTRY.c.seq).limit(page))]
        if not found:
            return
        yield _numbered(uow.read(entries_select().where(_ENTRY.c.seq.in_(found))))
        after = found[-1]


def _numbered(rows: Any) -> list[NumberedEntry]:
    """Entries (with their seq) from rows of `entries_select()`, one row per posting."""
    heads: dict[int, tuple[Any, ...]] = {}
    postings: dict[int, list[Posting]] = {}
    accounts: dict[tuple[str, str, str], Account] = {}
    for seq, entry_id, day, description, kind, reversal_of, meta, *posting in rows:
        if seq not in heads:
            heads[seq] = (entry_id, day, description, kind, reversal_of, meta)
            postings[seq] = []
        account_kind, household, sub, amount = posting
        account = accounts.get((account_kind, household, sub))
        if account is None:  # each account built once per page (as `journal._assemble`)
            account = Account(AccountKind(account_kind), household, sub)
            accounts[account_kind, household, sub] = account
        postings[seq].append(Posting(account, Money(amount)))
    result = []
    for seq in sorted(heads):
        entry_id, day, description, kind, reversal_of, meta = heads[seq]
        entry = JournalEntry(
            id=entry_id,
            day=day,
            description=description,
            postings=tuple(postings[seq]),
            kind=kind,
            reversal_of=reversal_of,
            meta=tuple((str(k), str(v)) for k, v in json.loads(meta)),
        )
        result.append(NumberedEntry(seq, entry))
    return result


@dataclass(frozen=True, slots=True)
class Payee:
    """Who an instruction paid: the kind of payment, the payee's IBAN and name."""

    kind: str
    household: str
    iban: str
    name: str


def payees(uow: UnitOfWork, end_to_end_ids: Sequence[str]) -> dict[str, Payee]:
    """The payee of each of these instructions, by EndToEndId."""
    found: dict[str, Payee] = {}
    if not end_to_end_ids:
        return found
    columns = (
        _INSTRUCTION.c.end_to_end_id,
        _INSTRUCTION.c.kind,
        _INSTRUCTION.c.household,
        _INSTRUCTION.c.payee_iban,
        _INSTRUCTION.c.payee_name,
    )
    for start in range(0, len(end_to_end_ids), 500):
        chunk = list(end_to_end_ids[start : start + 500])
        statement = select(*columns).where(_INSTRUCTION.c.end_to_end_id.in_(chunk))
        for e2e, kind, household, iban, name in uow.read(statement):
            found[e2e] = Payee(kind, household, iban, name)
    return found


# instructions that pay the household itself (its leefgeld, an extra payment it asked
# for): the payee is the household, known by its code only, never a supplier
TO_HOUSEHOLD = ("leefgeld", "extra")


def supplier_payees(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(IBAN, name) of everyone the pool paid on a household's behalf (not the household
    itself), one per IBAN (the first name in order), sorted by IBAN."""
    statement = (
        select(_INSTRUCTION.c.payee_iban, func.min(_INSTRUCTION.c.payee_name))
        .where(_INSTRUCTION.c.kind.not_in(TO_HOUSEHOLD))
        .group_by(_INSTRUCTION.c.payee_iban)
        .order_by(_INSTRUCTION.c.payee_iban)
    )
    return [(str(iban), str(name)) for iban, name in uow.read(statement)]


def household_codes(uow: UnitOfWork) -> list[str]:
    """Every household code that is configured or has a posting, sorted."""
    booked = select(_POSTING.c.household).where(_POSTING.c.household != "").distinct()
    configured = select(_HOUSEHOLD.c.code)
    return sorted({str(code) for (code,) in uow.read(union(booked, configured))})
