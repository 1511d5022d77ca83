"""Tables of the nightly run: imported files, statements, bank transactions,
payment instructions and files, persisted signals and the night-run records.

Migration: ``0002_nightly``. Amounts are `ExactAmount` (never float), moments
`UtcDateTime`. Surrogate integer ids exist only where nothing natural is unique;
everything the night decides is keyed by something stable (dedupe key,
EndToEndId, MsgId, signal key, night date) so a re-run finds what it did before.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Integer, String, Text
from sqlmodel import Field

from huishoudboekje.adapters.persistence.tables import (
    CODE_LENGTH,
    ENTRY_ID_LENGTH,
    IBAN_LENGTH,
    NAME_LENGTH,
    HhbTable,
)
from huishoudboekje.adapters.persistence.types import ExactAmount, UtcDateTime

KEY_LENGTH = 80  # dedupe keys and fingerprints
E2E_LENGTH = 35
SIGNAL_KEY_LENGTH = 300


class ImportedFileRow(HhbTable, table=True):
    """One file the night (or `hhb import`) looked at, whatever became of it."""

    __tablename__ = "imported_file"

    id: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    name: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    sha256: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    format: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False))
    status: str = Field(sa_column=Column(String(20), nullable=False))  # imported|duplicate|rejected
    error: str = Field(sa_column=Column(Text, nullable=False))
    night: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    transactions: int = Field(sa_column=Column(Integer, nullable=False))
    new_transactions: int = Field(sa_column=Column(Integer, nullable=False))
    imported_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class StatementRow(HhbTable, table=True):
    """One statement out of an imported file (a CAMT `Stmt`, an MT940 message, ...)."""

    __tablename__ = "bank_statement"

    id: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    file_id: int = Field(
        sa_column=Column(Integer, ForeignKey("imported_file.id"), nullable=False, index=True)
    )
    account_iban: str = Field(sa_column=Column(String(IBAN_LENGTH), nullable=False))
    statement_id: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    source_format: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False))
    period_start: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    period_end: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    opening: Decimal | None = Field(default=None, sa_column=Column(ExactAmount, nullable=True))
    closing: Decimal | None = Field(default=None, sa_column=Column(ExactAmount, nullable=True))
    transactions: int = Field(sa_column=Column(Integer, nullable=False))
    new_transactions: int = Field(sa_column=Column(Integer, nullable=False))


class BankTransactionRow(HhbTable, table=True):
    """One booked line on the pooled account, stored once (`dedupe_key` is unique).

    `status`: new (stored, not yet decided) → matched | unmatched (credits),
    settled | unknown_debit (debits), returned (a return of one of our payments),
    assigned (an unmatched credit given to a household by staff).
    """

    __tablename__ = "bank_transaction"

    id: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    dedupe_key: str = Field(sa_column=Column(String(KEY_LENGTH), nullable=False, unique=True))
    fingerprint: str = Field(sa_column=Column(String(KEY_LENGTH), nullable=False, index=True))
    source_format: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False))
    statement_row_id: int = Field(
        sa_column=Column(Integer, ForeignKey("bank_statement.id"), nullable=False, index=True)
    )
    account_iban: str = Field(sa_column=Column(String(IBAN_LENGTH), nullable=False))
    booking_date: date = Field(sa_column=Column(Date, nullable=False))
    value_date: date = Field(sa_column=Column(Date, nullable=False))
    amount: Decimal = Field(sa_column=Column(ExactAmount, nullable=False))
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    counterparty_name: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    counterparty_iban: str = Field(sa_column=Column(String(IBAN_LENGTH), nullable=False))
    counterparty_bic: str = Field(sa_column=Column(String(11), nullable=False))
    description: str = Field(sa_column=Column(Text, nullable=False))
    structured_reference: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    end_to_end_id: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False, index=True))
    bank_reference: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    bank_transaction_code: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    is_reversal: bool = Field(sa_column=Column(Boolean, nullable=False))
    is_return: bool = Field(sa_column=Column(Boolean, nullable=False))
    return_reason: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    original_end_to_end_id: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    status: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    household: str | None = Field(
        default=None, sa_column=Column(String(CODE_LENGTH), nullable=True, index=True)
    )
    income_id: str | None = Field(default=None, sa_column=Column(String(CODE_LENGTH)))
    match_reasons: Any = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    journal_entry_id: str | None = Field(
        default=None, sa_column=Column(String(ENTRY_ID_LENGTH), nullable=True)
    )
    night: date | None = Field(default=None, sa_column=Column(Date, nullable=True))


class PaymentInstructionRow(HhbTable, table=True):
    """A betaalopdracht: instructed → in_flight (exported) → paid | returned."""

    __tablename__ = "payment_instruction"

    end_to_end_id: str = Field(sa_column=Column(String(E2E_LENGTH), primary_key=True))
    household: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False, index=True))
    kind: str = Field(sa_column=Column(String(20), nullable=False))
    charge_id: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False))
    payee_name: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    payee_iban: str = Field(sa_column=Column(String(IBAN_LENGTH), nullable=False))
    payee_bic: str = Field(sa_column=Column(String(11), nullable=False))
    amount: Decimal = Field(sa_column=Column(ExactAmount, nullable=False))
    execution_date: date = Field(sa_column=Column(Date, nullable=False, index=True))
    remittance: str = Field(sa_column=Column(Text, nullable=False))
    structured_reference: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    instructed_on: date = Field(sa_column=Column(Date, nullable=False))
    payment_file: str | None = Field(default=None, sa_column=Column(String(E2E_LENGTH)))
    return_reason: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))


class PaymentFileRow(HhbTable, table=True):
    """A pain.001 file written to the outbox."""

    __tablename__ = "payment_file"

    msg_id: str = Field(sa_column=Column(String(E2E_LENGTH), primary_key=True))
    path: str = Field(sa_column=Column(Text, nullable=False))
    version: str = Field(sa_column=Column(String(30), nullable=False))
    execution_dates: list[str] = Field(sa_column=Column(JSON, nullable=False))
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    number_of_transactions: int = Field(sa_column=Column(Integer, nullable=False))
    control_sum: Decimal = Field(sa_column=Column(ExactAmount, nullable=False))
    night: date = Field(sa_column=Column(Date, nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    # recorded first, written second: a crash in between is repaired by the next export
    written: bool = Field(sa_column=Column(Boolean, nullable=False))


class SignalRow(HhbTable, table=True):
    """A signal for staff, stored once per stable key; raised again = last_seen moves.

    `source` says how it closes: "planner" (closed when the planner no longer
    raises it), "unmatched" (closed when the transaction is assigned), "event"
    (stays open until staff close it).
    """

    __tablename__ = "signal"

    key: str = Field(sa_column=Column(String(SIGNAL_KEY_LENGTH), primary_key=True))
    household: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False, index=True))
    kind: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False))
    severity: str = Field(sa_column=Column(String(10), nullable=False))
    message: str = Field(sa_column=Column(Text, nullable=False))
    data: Any = Field(sa_column=Column(JSON, nullable=False))
    source: str = Field(sa_column=Column(String(20), nullable=False))
    first_seen: date = Field(sa_column=Column(Date, nullable=False))
    last_seen: date = Field(sa_column=Column(Date, nullable=False))
    status: str = Field(sa_column=Column(String(10), nullable=False, index=True))
    closed_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    acknowledged_by: str | None = Field(default=None, sa_column=Column(String(NAME_LENGTH)))
    acknowledged_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime, nullable=True)
    )
    acknowledged_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class NightRunRow(HhbTable, table=True):
    """One night: status running | ok | problems | failed, with each stage's result."""

    __tablename__ = "night_run"

    night: date = Field(sa_column=Column(Date, primary_key=True))
    status: str = Field(sa_column=Column(String(10), nullable=False))
    started_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    stages: Any = Field(sa_column=Column(JSON, nullable=False))
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    attempts: int = Field(sa_column=Column(Integer, nullable=False))
