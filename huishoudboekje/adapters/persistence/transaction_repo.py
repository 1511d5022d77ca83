"""Stored bank transactions: what is new, what each one became (none of these commit)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, cast

from sqlalchemy import CursorResult, bindparam, func, update
from sqlalchemy import select as core_select
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
    """Store new transactions (status new) of one statement.

    One Core insert for them all (executemany), not an ORM object per row: building
    and tracking 10,000 row objects cost more than the insert itself."""
    if not transactions:
        return
    session = uow.session
    session.flush()  # what the session holds goes first, as an ORM flush would order it
    session.execute(
        _TRANSACTION.insert(),
        [
            values_of(tx, amount=tx.amount.amount)
            | {
                "fingerprint": fingerprint,
                "source_format": statement.source_format,
                "statement_row_id": statement_row_id,
                "account_iban": statement.account_iban,
                "status": TxStatus.NEW.value,
                "household": None,
                "income_id": None,
                "match_reasons": None,
                "journal_entry_id": None,
                "night": night,
            }
            for tx, fingerprint in transactions
        ],
    )


class StoredTransaction(Protocol):
    """The columns of one stored transaction, read-only: a `BankTransactionRow` or a plain
    row of `transaction_columns` (no ORM object built or tracked)."""

    @property
    def id(self) -> int | None: ...
    @property
    def dedupe_key(self) -> str: ...
    @property
    def account_iban(self) -> str: ...
    @property
    def booking_date(self) -> date: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def counterparty_name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def end_to_end_id(self) -> str: ...
    @property
    def original_end_to_end_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def household(self) -> str | None: ...
    @property
    def income_id(self) -> str | None: ...
    @property
    def match_reasons(self) -> Any: ...
    @property
    def journal_entry_id(self) -> str | None: ...


_TRANSACTION = table_of(BankTransactionRow)


def to_transaction(row: StoredTransaction) -> BankTransaction:
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


def transaction_columns(
    uow: UnitOfWork, *statuses: TxStatus, unbooked: bool = False
) -> list[StoredTransaction]:
    """As `transactions`, but plain rows of the columns (Core select): for the night's
    stages, which read thousands and change them only through `update_transactions`."""
    table = _TRANSACTION
    statement = core_select(table).order_by(table.c.id)
    if statuses:
        statement = statement.where(table.c.status.in_([s.value for s in statuses]))
    if unbooked:
        statement = statement.where(table.c.journal_entry_id.is_(None))
    return cast(list[StoredTransaction], list(uow.read(statement)))


def update_transactions(uow: UnitOfWork, changes: Sequence[Mapping[str, Any]]) -> None:
    """Set columns of stored transactions: each change names the row (`id`) and the new
    values of some of its columns. One Core UPDATE ... WHERE id = ? executemany per set
    of columns changed, not an ORM object tracked per row.

    The caller read these rows with `transaction_columns`: ORM objects of them that the
    session holds would not see the change."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for change in changes:
        columns = tuple(sorted(k for k in change if k != "id"))
        groups.setdefault(columns, []).append(
            {"row_id": change["id"], **{f"new_{k}": change[k] for k in columns}}
        )
    session = uow.session
    if groups:
        session.flush()  # what the session holds goes first
    for columns, params in groups.items():
        table = _TRANSACTION
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({k: bindparam(f"new_{k}", type_=table.c[k].type) for k in columns})
        )
        session.execute(statement, params)


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
