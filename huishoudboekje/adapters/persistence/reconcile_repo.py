"""What the daily reconciliation reads: sums per day, statements, lines not booked.

Every figure is a SQL aggregate grouped by day (or a short list of statements), so a
reconciliation of a year reads a few hundred rows, not the journal.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from huishoudboekje.adapters.persistence.nightly_tables import BankTransactionRow, StatementRow
from huishoudboekje.adapters.persistence.statement_repo import StoredStatement
from huishoudboekje.adapters.persistence.tables import JournalEntryRow, PostingRow, table_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.bank_reconcile import TxStatus
from huishoudboekje.domain.ledger import AccountKind
from huishoudboekje.domain.money import ZERO, Money

_ENTRY = table_of(JournalEntryRow)
_POSTING = table_of(PostingRow)
_STATEMENT = table_of(StatementRow)
_TX = table_of(BankTransactionRow)
# a debit whose return already booked it carries no entry of its own, on purpose
NOT_TO_BOOK = (TxStatus.DEBIT_ALREADY_BOOKED.value,)
OPEN_IN_SUSPENSE = (TxStatus.UNMATCHED.value, TxStatus.UNKNOWN_DEBIT.value)


def _money(value: Decimal | None) -> Money:
    return ZERO if value is None else Money(value)


def daily_account_sums(
    uow: UnitOfWork, kind: AccountKind, start: date, end: date
) -> tuple[Money, dict[date, Money]]:
    """The raw (debit > 0) sum of `kind`'s postings before `start`, and per day start..end."""
    amount = func.sum(_POSTING.c.amount)
    joined = select(amount).join_from(_POSTING, _ENTRY, _POSTING.c.entry_seq == _ENTRY.c.seq)
    joined = joined.where(_POSTING.c.account_kind == kind.value)
    before = _money(uow.read(joined.where(_ENTRY.c.day < start)).scalar())
    per_day = (
        joined.add_columns(_ENTRY.c.day)
        .where(_ENTRY.c.day >= start, _ENTRY.c.day <= end)
        .group_by(_ENTRY.c.day)
    )
    return before, {day: _money(total) for total, day in uow.read(per_day)}


def dated_statements(uow: UnitOfWork, account_iban: str, end: date) -> list[StoredStatement]:
    """The account's real (not merely repeated) dated statements ending on or before
    `end`, in order of their period (the last to arrive last among equals)."""
    statement = (
        select(
            _STATEMENT.c.id,
            _STATEMENT.c.statement_id,
            _STATEMENT.c.period_start,
            _STATEMENT.c.period_end,
            _STATEMENT.c.opening,
            _STATEMENT.c.closing,
        )
        .where(
            _STATEMENT.c.account_iban == account_iban,
            _STATEMENT.c.period_end.is_not(None),
            _STATEMENT.c.period_end <= end,
            (_STATEMENT.c.new_transactions > 0) | (_STATEMENT.c.transactions == 0),
        )
        .order_by(_STATEMENT.c.period_end, _STATEMENT.c.id)
    )
    return [
        StoredStatement(
            row_id,
            account_iban,
            statement_id,
            start,
            stop,
            None if opening is None else Money(opening),
            None if closing is None else Money(closing),
        )
        for row_id, statement_id, start, stop, opening, closing in uow.read(statement)
    ]


def unbooked_lines(uow: UnitOfWork, account_iban: str, end: date) -> dict[date, tuple[int, Money]]:
    """Stored statement lines not (yet) booked in the journal, per booking day up to `end`:
    (count, sum)."""
    statement = (
        select(_TX.c.booking_date, func.count(_TX.c.id), func.sum(_TX.c.amount))
        .where(
            _TX.c.account_iban == account_iban,
            _TX.c.journal_entry_id.is_(None),
            _TX.c.status.not_in(NOT_TO_BOOK),
            _TX.c.booking_date <= end,
        )
        .group_by(_TX.c.booking_date)
    )
    return {day: (int(count), _money(total)) for day, count, total in uow.read(statement)}


def open_unmatched(uow: UnitOfWork, account_iban: str, end: date) -> dict[date, int]:
    """Lines still waiting in suspense (unmatched credits, unknown debits), per booking day."""
    statement = (
        select(_TX.c.booking_date, func.count(_TX.c.id))
        .where(
            _TX.c.account_iban == account_iban,
            _TX.c.status.in_(OPEN_IN_SUSPENSE),
            _TX.c.booking_date <= end,
        )
        .group_by(_TX.c.booking_date)
    )
    return {day: int(count) for day, count in uow.read(statement)}
