"""Double-entry ledger: balanced journal entries over named accounts.

Sign convention: a posting amount is a debit when positive and a credit when
negative; every entry sums to zero. Assets (the bank account, advances
receivable) carry debit balances; what the pool owes (household vats, reserves,
unmatched money, payments in flight, the gemeente's advance fund) carries
credit balances. `Ledger.balance()` reports each account in its natural sign
(so a vat holding €100 reports +100).

Conservation follows from balanced entries:
  bank + Σ advances = Σ vats + Σ reserves + suspense + in_flight + fund
An entry is never edited; a mistake is undone with `reversal_of`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from huishoudboekje.domain.money import ZERO, Money, total


class AccountKind(StrEnum):
    BANK = "bank"  # the pooled bank account (derdengeldenrekening)
    VAT = "vat"  # a household's expansievat
    RESERVE = "reserve"  # a household's reserve for a known future charge
    ADVANCE = "advance"  # voorschot receivable from a household
    SUSPENSE = "suspense"  # unmatched money, waiting for staff
    IN_FLIGHT = "in_flight"  # instructed payments not yet seen on a statement
    FUND = "fund"  # the gemeente's own money in the pool (advance fund)


DEBIT_NORMAL = frozenset({AccountKind.BANK, AccountKind.ADVANCE})


@dataclass(frozen=True, slots=True, order=True)
class Account:
    kind: AccountKind
    household: str = ""
    sub: str = ""  # reserve id

    @property
    def name(self) -> str:
        parts = [self.kind.value]
        if self.household:
            parts.append(self.household)
        if self.sub:
            parts.append(self.sub)
        return ":".join(parts)

    @classmethod
    def parse(cls, name: str) -> Account:
        parts = name.split(":")
        kind = AccountKind(parts[0])
        household = parts[1] if len(parts) > 1 else ""
        sub = ":".join(parts[2:]) if len(parts) > 2 else ""
        return cls(kind, household, sub)

    def __str__(self) -> str:
        return self.name


BANK = Account(AccountKind.BANK)
SUSPENSE = Account(AccountKind.SUSPENSE)
IN_FLIGHT = Account(AccountKind.IN_FLIGHT)
FUND = Account(AccountKind.FUND)


def vat(household: str) -> Account:
    return Account(AccountKind.VAT, household)


def reserve(household: str, reserve_id: str) -> Account:
    return Account(AccountKind.RESERVE, household, reserve_id)


def advance(household: str) -> Account:
    return Account(AccountKind.ADVANCE, household)


class UnbalancedEntryError(ValueError):
    """A journal entry whose postings do not add up to zero (a bug, never user input)."""


@dataclass(frozen=True, slots=True)
class Posting:
    account: Account
    amount: Money  # debit > 0, credit < 0


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One balanced movement. `id` is deterministic so re-running books nothing twice."""

    id: str
    day: date
    description: str
    postings: tuple[Posting, ...]
    kind: str = ""
    reversal_of: str | None = None
    meta: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        if len(self.postings) < 2:
            raise UnbalancedEntryError(f"entry {self.id} needs at least two postings")
        if total(p.amount for p in self.postings) != ZERO:
            raise UnbalancedEntryError(f"entry {self.id} does not balance")

    def reversed(self, new_id: str, day: date, description: str) -> JournalEntry:
        return JournalEntry(
            id=new_id,
            day=day,
            description=description,
            postings=tuple(Posting(p.account, -p.amount) for p in self.postings),
            kind=self.kind,
            reversal_of=self.id,
        )


def transfer(
    entry_id: str,
    day: date,
    description: str,
    debit: Account,
    credit: Account,
    amount: Money,
    kind: str = "",
    meta: Mapping[str, str] | None = None,
) -> JournalEntry:
    """The common two-legged entry: `amount` moves into `debit` from `credit`."""
    return JournalEntry(
        id=entry_id,
        day=day,
        description=description,
        postings=(Posting(debit, amount), Posting(credit, -amount)),
        kind=kind,
        meta=tuple(sorted((meta or {}).items())),
    )


def natural(account: Account, debit_balance: Money) -> Money:
    """A raw debit balance shown in the account's natural sign."""
    return debit_balance if account.kind in DEBIT_NORMAL else -debit_balance


@dataclass(frozen=True)
class Ledger:
    """An append-only list of entries; balances are always derived, never stored."""

    entries: tuple[JournalEntry, ...] = ()

    def post(self, *new: JournalEntry) -> Ledger:
        """Append entries; an id that is already present is skipped (idempotent)."""
        seen = {e.id for e in self.entries}
        added = []
        for entry in new:
            if entry.id in seen:
                continue
            seen.add(entry.id)
            added.append(entry)
        return Ledger(self.entries + tuple(added))

    def debit_balances(self, until: date | None = None) -> dict[Account, Money]:
        sums: dict[Account, Money] = defaultdict(lambda: ZERO)
        for entry in self.entries:
            if until is not None and entry.day > until:
                continue
            for posting in entry.postings:
                sums[posting.account] = sums[posting.account] + posting.amount
        return dict(sums)

    def balance(self, account: Account, until: date | None = None) -> Money:
        raw = self.debit_balances(until).get(account, ZERO)
        return natural(account, raw)

    def balances(self, until: date | None = None) -> dict[Account, Money]:
        return {a: natural(a, b) for a, b in self.debit_balances(until).items()}

    def has(self, entry_id: str) -> bool:
        return any(e.id == entry_id for e in self.entries)


def trial_balance_is_zero(entries: Iterable[JournalEntry]) -> bool:
    """True when all postings of all entries add up to zero (conservation)."""
    return total(p.amount for e in entries for p in e.postings) == ZERO
