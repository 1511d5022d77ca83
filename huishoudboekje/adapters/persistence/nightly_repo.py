"""Load and save what the nightly run works with (none of these commit).

Bank transactions and payment instructions go in and out as domain values
(`BankTransaction`, `PaymentInstruction`) plus the few columns the night adds
(status, household, reasons). Signals are upserted by their stable key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from huishoudboekje.adapters.persistence.journal import _assemble as assemble_entries
from huishoudboekje.adapters.persistence.journal import entries_select
from huishoudboekje.adapters.persistence.nightly_tables import (
    BankTransactionRow,
    ImportedFileRow,
    NightRunRow,
    PaymentFileRow,
    PaymentInstructionRow,
    SignalRow,
    StatementRow,
)
from huishoudboekje.adapters.persistence.tables import EngineStateRow, JournalEntryRow, PostingRow
from huishoudboekje.adapters.persistence.uow import UnitOfWork, in_chunks
from huishoudboekje.domain.bankbook import (
    InstructionStatus,
    SentPayment,
    TxStatus,
    statement_period,
)
from huishoudboekje.domain.banking import BankTransaction, Statement
from huishoudboekje.domain.ledger import JournalEntry
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.signals import Signal


def _now() -> datetime:
    return datetime.now(UTC)


# ------------------------------------------------------------------ files


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
        imported_at=_now(),
    )
    uow.session.add(row)
    uow.session.flush()
    if row.id is None:  # pragma: no cover - the flush assigns it
        raise RuntimeError("imported_file row has no id after flush")
    return row.id


# ------------------------------------------------------------- statements


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


# ---------------------------------------------------------- transactions


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
            dedupe_key=tx.dedupe_key,
            fingerprint=fingerprint,
            source_format=statement.source_format,
            statement_row_id=statement_row_id,
            account_iban=statement.account_iban,
            booking_date=tx.booking_date,
            value_date=tx.value_date,
            amount=tx.amount.amount,
            currency=tx.currency,
            counterparty_name=tx.counterparty_name,
            counterparty_iban=tx.counterparty_iban,
            counterparty_bic=tx.counterparty_bic,
            description=tx.description,
            structured_reference=tx.structured_reference,
            end_to_end_id=tx.end_to_end_id,
            bank_reference=tx.bank_reference,
            bank_transaction_code=tx.bank_transaction_code,
            is_reversal=tx.is_reversal,
            is_return=tx.is_return,
            return_reason=tx.return_reason,
            original_end_to_end_id=tx.original_end_to_end_id,
            status=TxStatus.NEW.value,
            night=night,
        )
        for tx, fingerprint in transactions
    )
    uow.session.flush()


def to_transaction(row: BankTransactionRow) -> BankTransaction:
    """The domain value of a stored transaction."""
    return BankTransaction(
        booking_date=row.booking_date,
        value_date=row.value_date,
        amount=Money(row.amount),
        currency=row.currency,
        counterparty_name=row.counterparty_name,
        counterparty_iban=row.counterparty_iban,
        counterparty_bic=row.counterparty_bic,
        description=row.description,
        structured_reference=row.structured_reference,
        end_to_end_id=row.end_to_end_id,
        bank_reference=row.bank_reference,
        bank_transaction_code=row.bank_transaction_code,
        is_reversal=row.is_reversal,
        is_return=row.is_return,
        return_reason=row.return_reason,
        original_end_to_end_id=row.original_end_to_end_id,
        dedupe_key=row.dedupe_key,
    )


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


# ---------------------------------------------------------- instructions


def add_instructions(
    uow: UnitOfWork, instructions: Iterable[PaymentInstruction], instructed_on: date
) -> int:
    """Store new instructions (status instructed); one already stored is left alone."""
    added = 0
    for instruction in instructions:
        if uow.session.get(PaymentInstructionRow, instruction.end_to_end_id) is not None:
            continue
        uow.session.add(
            PaymentInstructionRow(
                end_to_end_id=instruction.end_to_end_id,
                household=instruction.household,
                kind=instruction.kind,
                charge_id=instruction.charge_id,
                payee_name=instruction.payee_name,
                payee_iban=instruction.payee_iban,
                payee_bic=instruction.payee_bic,
                amount=instruction.amount.amount,
                execution_date=instruction.execution_date,
                remittance=instruction.remittance,
                structured_reference=instruction.structured_reference,
                reason=instruction.reason,
                status=InstructionStatus.INSTRUCTED.value,
                instructed_on=instructed_on,
                return_reason="",
            )
        )
        added += 1
    uow.session.flush()
    return added


def to_instruction(row: PaymentInstructionRow) -> PaymentInstruction:
    """The domain value of a stored instruction."""
    return PaymentInstruction(
        end_to_end_id=row.end_to_end_id,
        household=row.household,
        kind=row.kind,
        charge_id=row.charge_id,
        payee_name=row.payee_name,
        payee_iban=row.payee_iban,
        payee_bic=row.payee_bic,
        amount=Money(row.amount),
        execution_date=row.execution_date,
        remittance=row.remittance,
        structured_reference=row.structured_reference,
        reason=row.reason,
    )


def instruction_rows(
    uow: UnitOfWork,
    *,
    status: InstructionStatus | None = None,
    payment_file: str | None = None,
    ids: Sequence[str] | None = None,
    instructed_on: date | None = None,
) -> list[PaymentInstructionRow]:
    """Stored instructions, ordered by execution date and EndToEndId."""
    statement = select(PaymentInstructionRow).order_by(
        col(PaymentInstructionRow.execution_date), col(PaymentInstructionRow.end_to_end_id)
    )
    if instructed_on is not None:
        statement = statement.where(col(PaymentInstructionRow.instructed_on) == instructed_on)
    if status is not None:
        statement = statement.where(col(PaymentInstructionRow.status) == status.value)
    if payment_file is not None:
        statement = statement.where(col(PaymentInstructionRow.payment_file) == payment_file)
    return _instructions_among(uow, statement, PaymentInstructionRow.end_to_end_id, ids)


def extra_instruction_rows(
    uow: UnitOfWork,
    *,
    charge_ids: Sequence[str] | None = None,
    status: InstructionStatus | None = None,
) -> list[PaymentInstructionRow]:
    """Stored extra payments (kind "extra", one per attempt of a household request),
    optionally only those of some requests (their `charge_id`) or with one status;
    oldest instruction first."""
    statement = (
        select(PaymentInstructionRow)
        .where(col(PaymentInstructionRow.kind) == "extra")
        .order_by(
            col(PaymentInstructionRow.instructed_on), col(PaymentInstructionRow.end_to_end_id)
        )
    )
    if status is not None:
        statement = statement.where(col(PaymentInstructionRow.status) == status.value)
    rows = _instructions_among(uow, statement, PaymentInstructionRow.charge_id, charge_ids)
    return sorted(rows, key=lambda r: (r.instructed_on, r.end_to_end_id))


def _instructions_among(
    uow: UnitOfWork,
    statement: SelectOfScalar[PaymentInstructionRow],
    column: Any,
    values: Sequence[str] | None,
) -> list[PaymentInstructionRow]:
    """The rows of `statement`: all, or (asked in chunks) those whose `column` is
    one of `values`."""
    if values is None:
        return list(uow.session.exec(statement))
    rows: list[PaymentInstructionRow] = []
    for chunk in in_chunks(list(values)):
        rows.extend(uow.session.exec(statement.where(col(column).in_(chunk))))
    return rows


def sent_payments(uow: UnitOfWork, ids: Sequence[str]) -> dict[str, SentPayment]:
    """Reconciliation's view of the instructions with these EndToEndIds."""
    rows = instruction_rows(uow, ids=[i for i in ids if i])
    returned = [r.end_to_end_id for r in rows if r.status == InstructionStatus.RETURNED.value]
    implied = _debits_implied(uow, returned)
    return {
        row.end_to_end_id: SentPayment(
            row.end_to_end_id,
            row.household,
            Money(row.amount),
            InstructionStatus(row.status),
            row.end_to_end_id in implied,
        )
        for row in rows
    }


def _debits_implied(uow: UnitOfWork, returned: Sequence[str]) -> set[str]:
    """Returned instructions whose return also booked the debit, and whose debit has
    not turned up since."""
    if not returned:
        return set()
    wanted = set(returned)
    implied: set[str] = set()
    turned_up: set[str] = set()
    statement = select(BankTransactionRow).where(
        or_(
            col(BankTransactionRow.end_to_end_id).in_(returned),
            col(BankTransactionRow.original_end_to_end_id).in_(returned),
        )
    )
    for row in uow.session.exec(statement):
        reasons = row.match_reasons or {}
        e2e = str(reasons.get("end_to_end_id", ""))
        if e2e not in wanted:
            continue
        if row.status == TxStatus.RETURNED.value and "in_flight" in reasons:
            implied.add(e2e)
        elif row.status == TxStatus.DEBIT_ALREADY_BOOKED.value:
            turned_up.add(e2e)
    return implied - turned_up


def set_instruction_status(
    uow: UnitOfWork, end_to_end_id: str, status: InstructionStatus, return_reason: str = ""
) -> None:
    """Move one instruction on in its life."""
    row = uow.session.get(PaymentInstructionRow, end_to_end_id)
    if row is None:
        raise LookupError(f"no instruction {end_to_end_id}")
    row.status = status.value
    if return_reason:
        row.return_reason = return_reason
    uow.session.add(row)
    uow.session.flush()


def record_payment_file(
    uow: UnitOfWork,
    *,
    msg_id: str,
    path: str,
    version: str,
    execution_dates: Sequence[date],
    sha256: str,
    number_of_transactions: int,
    control_sum: Money,
    night: date,
    created_at: datetime,
    end_to_end_ids: Sequence[str],
    moved: Mapping[str, date] | None = None,
) -> None:
    """Record a payment file (not yet written) and mark its instructions in flight.

    `moved`: instructions whose execution date the file moved (EndToEndId → new
    date), stored in the same transaction so a repaired file rebuilds the same.
    """
    uow.session.add(
        PaymentFileRow(
            msg_id=msg_id,
            path=path,
            version=version,
            execution_dates=[d.isoformat() for d in execution_dates],
            sha256=sha256,
            number_of_transactions=number_of_transactions,
            control_sum=control_sum.amount,
            night=night,
            created_at=created_at,
            written=False,
        )
    )
    for row in instruction_rows(uow, ids=end_to_end_ids):
        row.status = InstructionStatus.IN_FLIGHT.value
        row.payment_file = msg_id
        if moved and row.end_to_end_id in moved:
            row.execution_date = moved[row.end_to_end_id]
        uow.session.add(row)
    uow.session.flush()


def payment_files(
    uow: UnitOfWork, *, written: bool | None = None, night: date | None = None
) -> list[PaymentFileRow]:
    """Recorded payment files in MsgId order (optionally only (un)written ones)."""
    statement = select(PaymentFileRow).order_by(
        col(PaymentFileRow.night), col(PaymentFileRow.msg_id)
    )
    if written is not None:
        statement = statement.where(col(PaymentFileRow.written) == written)
    if night is not None:
        statement = statement.where(col(PaymentFileRow.night) == night)
    return list(uow.session.exec(statement))


def mark_written(uow: UnitOfWork, msg_id: str) -> None:
    """The file is on disk."""
    row = uow.session.get(PaymentFileRow, msg_id)
    if row is None:
        raise LookupError(f"no payment file {msg_id}")
    row.written = True
    uow.session.add(row)
    uow.session.flush()


# ---------------------------------------------------------------- signals


def upsert_signals(uow: UnitOfWork, signals: Iterable[Signal], day: date, source: str) -> None:
    """Store signals by key: new ones open, known ones seen again (and reopened)."""
    for signal in signals:
        row = uow.session.get(SignalRow, signal.key)
        if row is None:
            row = SignalRow(
                key=signal.key,
                household=signal.household,
                kind=signal.kind.value,
                severity=signal.severity.value,
                message=signal.message,
                data=dict(signal.data),
                source=source,
                first_seen=day,
                last_seen=day,
                status="open",
            )
        else:
            row.message = signal.message
            row.severity = signal.severity.value
            row.last_seen = max(row.last_seen, day)
            if row.status == "closed" and row.acknowledged_by is None:
                row.status = "open"
                row.closed_on = None
        uow.session.add(row)
    uow.session.flush()


def close_stale_signals(
    uow: UnitOfWork, source: str, day: date, households: Iterable[str] | None = None
) -> int:
    """Close open signals of `source` not seen on `day` (the condition is gone)."""
    statement = select(SignalRow).where(
        col(SignalRow.source) == source,
        col(SignalRow.status) == "open",
        col(SignalRow.last_seen) < day,
    )
    allowed = None if households is None else set(households)
    closed = 0
    for row in uow.session.exec(statement):
        if allowed is not None and row.household not in allowed:
            continue
        row.status = "closed"
        row.closed_on = day
        uow.session.add(row)
        closed += 1
    uow.session.flush()
    return closed


def close_signal(
    uow: UnitOfWork,
    key: str,
    day: date,
    *,
    by: str | None = None,
    at: datetime | None = None,
    note: str | None = None,
) -> None:
    """Close one signal (its condition is gone, or staff dealt with it: `by`, `at`, `note`)."""
    row = uow.session.get(SignalRow, key)
    if row is not None and row.status == "open":
        row.status = "closed"
        row.closed_on = day
        if by is not None:
            row.acknowledged_by, row.acknowledged_at, row.acknowledged_note = by, at, note
        uow.session.add(row)
        uow.session.flush()


def signal_rows(
    uow: UnitOfWork, *, status: str | None = "open", seen_on: date | None = None
) -> list[SignalRow]:
    """Stored signals, by household and key."""
    statement = select(SignalRow).order_by(col(SignalRow.household), col(SignalRow.key))
    if status is not None:
        statement = statement.where(col(SignalRow.status) == status)
    if seen_on is not None:
        statement = statement.where(col(SignalRow.last_seen) == seen_on)
    return list(uow.session.exec(statement))


# ------------------------------------------------------------------- runs


def start_run(uow: UnitOfWork, night: date) -> None:
    """Mark the night as running (a re-run counts an extra attempt)."""
    row = uow.session.get(NightRunRow, night)
    if row is None:
        row = NightRunRow(night=night, status="running", started_at=_now(), stages={}, attempts=1)
    else:
        row.status = "running"
        row.started_at = _now()
        row.finished_at = None
        row.error = None
        row.attempts += 1
    uow.session.add(row)
    uow.session.flush()


def record_stage(uow: UnitOfWork, night: date, stage: str, result: dict[str, Any]) -> None:
    """Store one stage's result on the night's record."""
    row = uow.session.get(NightRunRow, night)
    if row is None:
        raise LookupError(f"night {night} was not started")
    stages = dict(row.stages or {})
    stages[stage] = result
    row.stages = stages
    uow.session.add(row)
    uow.session.flush()


def finish_run(uow: UnitOfWork, night: date, status: str, error: str | None = None) -> None:
    """Mark the night ok, problems or failed."""
    row = uow.session.get(NightRunRow, night)
    if row is None:
        raise LookupError(f"night {night} was not started")
    row.status = status
    row.finished_at = _now()
    row.error = error
    uow.session.add(row)
    uow.session.flush()


def night_runs(uow: UnitOfWork) -> list[NightRunRow]:
    """Every recorded night, oldest first."""
    return list(uow.session.exec(select(NightRunRow).order_by(col(NightRunRow.night))))


def last_completed_night(uow: UnitOfWork) -> date | None:
    """The latest night that ran to the end (ok or with problems)."""
    statement = (
        select(NightRunRow)
        .where(col(NightRunRow.status).in_(["ok", "problems"]))
        .order_by(col(NightRunRow.night).desc())
    )
    row = uow.session.exec(statement).first()
    return None if row is None else row.night


# ------------------------------------------------- batch access (plan stage)


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
    now = _now()
    row = rows.get((household, key))
    if row is None:
        row = EngineStateRow(household=household, key=key, value=value, updated_at=now)
        rows[(household, key)] = row
    else:
        row.value = value
        row.updated_at = now
    uow.session.add(row)


def preload(uow: UnitOfWork, codes: Sequence[str], end_to_end_ids: Sequence[str] = ()) -> None:
    """Load the signals of these households (and these instructions) into the session,
    so the upserts that follow find them without a query each."""
    list(uow.session.exec(select(SignalRow).where(col(SignalRow.household).in_(list(codes)))))
    instruction_rows(uow, ids=end_to_end_ids)
