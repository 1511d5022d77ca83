"""Imported files and their statements, as the nightly run stores them (none of these commit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from huishoudboekje.adapters.persistence.nightly_tables import ImportedFileRow, StatementRow
from huishoudboekje.adapters.persistence.tables import JournalEntryRow, PostingRow
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.bankbook import statement_period
from huishoudboekje.domain.banking import Statement
from huishoudboekje.domain.money import ZERO, Money


def imported_file(uow: UnitOfWork, sha256: str) -> ImportedFileRow | None:
    """The earlier successful import of a file with these bytes, if any."""
    statement = select(ImportedFileRow).where(
        col(ImportedFileRow.sha256) == sha256, col(ImportedFileRow.status) == "imported"
    )
    return uow.session.exec(statement).first()


def record_file(
    uow: UnitOfWork,
    *,
    name: str,
    sha256: str,
    format: str,
    status: str,
    error: str = "",
    night: date | None = None,
    transactions: int = 0,
    new_transactions: int = 0,
) -> int:
    """Store what became of one file; returns its row id."""
    row = ImportedFileRow(
        name=name,
        sha256=sha256,
        format=format,
        status=status,
        error=error,
        night=night,
        transactions=transactions,
        new_transactions=new_transactions,
        imported_at=datetime.now(UTC),
    )
    uow.session.add(row)
    uow.session.flush()
    if row.id is None:  # pragma: no cover - the flush assigns it
        raise RuntimeError("imported_file row has no id after flush")
    return row.id


@dataclass(frozen=True, slots=True)
class StoredStatement:
    """A statement as stored: enough for continuity and balance checks."""

    id: int
    account_iban: str
    statement_id: str
    period_start: date | None
    period_end: date | None
    opening: Money | None
    closing: Money | None


def _money(value: Decimal | None) -> Money | None:
    return None if value is None else Money(value)


def _stored(row: StatementRow | None) -> StoredStatement | None:
    if row is None or row.id is None:
        return None
    return StoredStatement(
        row.id,
        row.account_iban,
        row.statement_id,
        row.period_start,
        row.period_end,
        _money(row.opening),
        _money(row.closing),
    )


def _real_statements(account_iban: str) -> SelectOfScalar[StatementRow]:
    """Stored statements of the account that were not a mere repeat (they brought new
    transactions, or they are an empty day's statement)."""
    return select(StatementRow).where(
        col(StatementRow.account_iban) == account_iban,
        or_(col(StatementRow.new_transactions) > 0, col(StatementRow.transactions) == 0),
    )


def last_statement(uow: UnitOfWork, account_iban: str) -> StoredStatement | None:
    """The latest stored statement of the account by its period (statements may arrive
    out of order), the last one to arrive among those of the same end date."""
    statement = _real_statements(account_iban).order_by(
        col(StatementRow.period_end).desc().nulls_last(), col(StatementRow.id).desc()
    )
    return _stored(uow.session.exec(statement).first())


def previous_statement(uow: UnitOfWork, account_iban: str, start: date) -> StoredStatement | None:
    """The stored statement that a statement starting on `start` continues: the latest
    one ending on or before that day (the last to arrive among equals); an undated
    (empty) statement only when there is no dated one."""
    statement = (
        _real_statements(account_iban)
        .where(or_(col(StatementRow.period_end) <= start, col(StatementRow.period_end).is_(None)))
        .order_by(col(StatementRow.period_end).desc().nulls_last(), col(StatementRow.id).desc())
    )
    return _stored(uow.session.exec(statement).first())


def covering_statement(
    uow: UnitOfWork, account_iban: str, start: date, end: date
) -> StoredStatement | None:
    """A stored statement that already covers every day from `start` to `end` (a
    monthly export that came in before the daily files of the same days)."""
    statement = (
        _real_statements(account_iban)
        .where(col(StatementRow.period_start) <= start, col(StatementRow.period_end) >= end)
        .order_by(col(StatementRow.id))
    )
    return _stored(uow.session.exec(statement).first())


def following_statement(uow: UnitOfWork, account_iban: str, end: date) -> StoredStatement | None:
    """The stored statement that continues a late statement ending on `end`: the first
    one starting after that day (it arrived earlier than this one)."""
    statement = (
        _real_statements(account_iban)
        .where(col(StatementRow.period_start) > end)
        .order_by(col(StatementRow.period_start), col(StatementRow.id))
    )
    return _stored(uow.session.exec(statement).first())


def earliest_start(uow: UnitOfWork, account_iban: str) -> date | None:
    """The first day covered by any stored (not merely repeated) statement of the account."""
    statement = select(func.min(col(StatementRow.period_start))).where(
        col(StatementRow.account_iban) == account_iban,
        or_(col(StatementRow.new_transactions) > 0, col(StatementRow.transactions) == 0),
    )
    first: date | None = uow.session.exec(statement).one()
    return first


def opening_booked(uow: UnitOfWork) -> Money:
    """The beginsaldo booked so far: the bank side of every "opening" entry."""
    statement = (
        select(func.sum(col(PostingRow.amount)))
        .join(JournalEntryRow, col(JournalEntryRow.seq) == col(PostingRow.entry_seq))
        .where(col(PostingRow.account_kind) == "bank", col(JournalEntryRow.kind) == "opening")
    )
    raw: Decimal | None = uow.session.exec(statement).one()
    return ZERO if raw is None else Money(raw)


def has_statements(uow: UnitOfWork, account_iban: str) -> bool:
    """True once any statement of the account is stored."""
    statement = select(StatementRow.id).where(col(StatementRow.account_iban) == account_iban)
    return uow.session.exec(statement).first() is not None


def add_statement(uow: UnitOfWork, file_id: int, statement: Statement, new: int) -> int:
    """Store one statement of an imported file; returns its row id."""
    start, end = statement_period(statement)
    row = StatementRow(
        file_id=file_id,
        account_iban=statement.account_iban,
        statement_id=statement.statement_id,
        source_format=statement.source_format,
        period_start=start,
        period_end=end,
        opening=None if statement.opening_balance is None else statement.opening_balance.amount,
        closing=None if statement.closing_balance is None else statement.closing_balance.amount,
        transactions=len(statement.transactions),
        new_transactions=new,
    )
    uow.session.add(row)
    uow.session.flush()
    if row.id is None:  # pragma: no cover
        raise RuntimeError("bank_statement row has no id after flush")
    return row.id
