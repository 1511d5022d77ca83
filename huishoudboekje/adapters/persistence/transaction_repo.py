"""Stored bank transactions: what is new, what each one became (none of these commit)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import CursorResult, func, update
from sqlmodel import col, select

from huishoudboekje.adapters.persistence.crud import record_of, values_of
from huishoudboekje.adapters.persistence.nightly_tables import BankTransactionRow
from huishoudboekje.adapters.persistence.tables import PostingRow, table_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork, in_chunks
from huishoudboekje.domain.bankbook import TxStatus
from huishoudboekje.domain.banking import BankTransaction, Statement
from huishoudboekje.domain.money import ZERO, Money


def stored_keys(uow: UnitOfWork, keys: Sequence[str]) -> frozenset[str]:
    """Those of `keys` already stored as dedupe keys."""
    found: set[str] = set()
    for chunk in in_chunks(list(keys)):
        statement = select(BankTransactionRow.dedupe_key).where(
            col(BankTransactionRow.dedupe_key).in_(chunk)
        )
        found.update(uow.session.exec(statement))
    return frozenset(found)


def stored_fingerprints(uow: UnitOfWork, prints: Sequence[str]) -> dict[str, frozenset[str]]:
    """For each stored fingerprint among `prints`, the source formats it came in."""
    found: dict[str, set[str]] = defaultdict(set)
    for chunk in in_chunks(list(prints)):
        statement = select(BankTransactionRow.fingerprint, BankTransactionRow.source_format).where(
            col(BankTransactionRow.fingerprint).in_(chunk)
        )
        for fingerprint, source_format in uow.session.exec(statement):
            found[fingerprint].add(source_format)
    return {k: frozenset(v) for k, v in found.items()}


def add_transactions(
    uow: UnitOfWork,
    statement_row_id: int,
    statement: Statement,
    transactions: Sequence[tuple[BankTransaction, str]],
    night: date | None,
) -> None:
    """Store new transactions (status new) of one statement."""
    uow.session.add_all(
        BankTransactionRow(
            **values_of(tx, amount=tx.amount.amount),
            fingerprint=fingerprint,
            source_format=statement.source_format,
            statement_row_id=statement_row_id,
            account_iban=statement.account_iban,
            status=TxStatus.NEW.value,
            night=night,
        )
        for tx, fingerprint in transactions
    )
    uow.session.flush()


def to_transaction(row: BankTransactionRow) -> BankTransaction:
    """The domain value of a stored transaction."""
    return record_of(BankTransaction, row, amount=Money(row.amount))


def transactions(
    uow: UnitOfWork, *statuses: TxStatus, unbooked: bool = False
) -> list[BankTransactionRow]:
    """Stored transactions with one of `statuses` (all when none given), in import order."""
    statement = select(BankTransactionRow).order_by(col(BankTransactionRow.id))
    if statuses:
        statement = statement.where(col(BankTransactionRow.status).in_([s.value for s in statuses]))
    if unbooked:
        statement = statement.where(col(BankTransactionRow.journal_entry_id).is_(None))
    return list(uow.session.exec(statement))


def status_counts(uow: UnitOfWork, night: date) -> dict[str, int]:
    """How many transactions stored on `night` have each status."""
    statement = (
        select(BankTransactionRow.status, func.count())
        .where(col(BankTransactionRow.night) == night)
        .group_by(col(BankTransactionRow.status))
    )
    return {status: int(count) for status, count in uow.session.exec(statement)}


def transaction(uow: UnitOfWork, transaction_id: int) -> BankTransactionRow | None:
    """One stored transaction by its id (as shown by `hhb signals` / the web)."""
    return uow.session.get(BankTransactionRow, transaction_id)


def bank_balance(uow: UnitOfWork) -> Money:
    """The pooled bank account's balance in the journal."""
    statement = select(func.sum(col(PostingRow.amount))).where(
        col(PostingRow.account_kind) == "bank"
    )
    raw: Decimal | None = uow.session.exec(statement).one()
    return ZERO if raw is None else Money(raw)


def transaction_by_key(uow: UnitOfWork, dedupe_key: str) -> BankTransactionRow | None:
    """One stored transaction by its dedupe key."""
    statement = select(BankTransactionRow).where(col(BankTransactionRow.dedupe_key) == dedupe_key)
    return uow.session.exec(statement).first()


def claim_unmatched(uow: UnitOfWork, transaction_id: int) -> bool:
    """Mark an unmatched transaction assigned in one conditional UPDATE; False when it
    was no longer unmatched (someone else assigned or split it since it was read).

    The database decides, not a status read earlier: of two staff booking the same
    credit at once, exactly one claims it (PostgreSQL makes the second wait for the
    first's commit and then finds no unmatched row). Claim before booking anything."""
    table = table_of(BankTransactionRow)
    statement = (
        update(table)
        .where(table.c.id == transaction_id, table.c.status == TxStatus.UNMATCHED.value)
        .values(status=TxStatus.ASSIGNED.value)
    )
    result = uow.session.execute(statement)
    return isinstance(result, CursorResult) and result.rowcount == 1
