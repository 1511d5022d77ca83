"""One gemeente's part of the journal (issue 22.1), for its own exports.

A journal entry belongs to the gemeente of the households it posts to; an entry
with no household posting (money that matched no household, a bank debit nobody
knew) belongs to the gemeente of the account its bank line arrived on (the entry's
`dedupe_key` → `bank_transaction.account_iban` → `pooled_account.gemeente_id`). An
entry of neither (the pooled account's opening balance of a one-account history)
belongs to no gemeente and is only in the regional export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal

from huishoudboekje.adapters.persistence.gemeente_scope import (
    account_gemeenten,
    households_gemeenten,
    transaction_accounts,
)
from huishoudboekje.adapters.persistence.ledger_export import NumberedEntry, entry_pages
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.ledger import AccountKind, JournalEntry
from huishoudboekje.domain.money import Money
from huishoudboekje.services.gemeente_scope import GemeenteScope

__all__ = ["EntryScope", "scoped_balances", "scoped_pages", "scoped_totals"]

FIRST_DAY = date(1900, 1, 1)


class EntryScope:
    """Which journal entries are of one gemeente (see the module text)."""

    def __init__(self, uow: UnitOfWork, scope: GemeenteScope) -> None:
        self.uow = uow
        self.scope = scope
        self.households = households_gemeenten(uow)
        self.accounts = account_gemeenten(uow)

    def gemeente_of(self, entry: JournalEntry, accounts: dict[str, str]) -> int | None:
        for posting in entry.postings:
            household = posting.account.household
            if household:
                return self.households.get(household)
        key = dict(entry.meta).get("dedupe_key", "")
        iban = accounts.get(key)
        return None if iban is None else self.accounts.get(iban)

    def keep(self, page: list[NumberedEntry]) -> list[NumberedEntry]:
        """The entries of `page` in the scope."""
        if self.scope.regional:
            return page
        keys = [
            dict(n.entry.meta).get("dedupe_key", "")
            for n in page
            if not any(p.account.household for p in n.entry.postings)
        ]
        accounts = transaction_accounts(self.uow, (k for k in keys if k))
        return [n for n in page if self.scope.sees(self.gemeente_of(n.entry, accounts))]


def scoped_pages(
    uow: UnitOfWork,
    scope: GemeenteScope,
    start: date,
    end: date,
    *,
    bank: bool | None = None,
) -> Iterator[list[NumberedEntry]]:
    """`entry_pages` of the entries in `scope` only."""
    within = EntryScope(uow, scope)
    for page in entry_pages(uow, start, end, bank=bank):
        kept = within.keep(page)
        if kept:
            yield kept


def scoped_totals(
    uow: UnitOfWork, scope: GemeenteScope, start: date, end: date
) -> tuple[int, Money, Money]:
    """(postings, debit, credit) of the entries in `scope` booked start..end."""
    lines, debit, credit = 0, Decimal(0), Decimal(0)
    for page in scoped_pages(uow, scope, start, end):
        for numbered in page:
            for posting in numbered.entry.postings:
                lines += 1
                amount = posting.amount.amount
                if amount > 0:
                    debit += amount
                else:
                    credit -= amount
    return lines, Money(debit), Money(credit)


def scoped_balances(
    uow: UnitOfWork, scope: GemeenteScope, before: date
) -> dict[AccountKind, Money]:
    """The raw (debit > 0) balance of each account kind over the entries in `scope`
    booked before `before` (as `ledger_export.kind_balances`)."""
    sums: dict[AccountKind, Decimal] = defaultdict(Decimal)
    for page in scoped_pages(uow, scope, FIRST_DAY, before - timedelta(days=1)):
        for numbered in page:
            for posting in numbered.entry.postings:
                sums[posting.account.kind] += posting.amount.amount
    return {kind: Money(total) for kind, total in sums.items()}


def households_of(pages: Iterable[list[NumberedEntry]]) -> set[str]:
    return {p.account.household for page in pages for n in page for p in n.entry.postings} - {""}
