"""Normalized bank statement records, produced by `connectors` and read by the engine.

These are plain value types: every connector, whatever the file format, yields
`Statement`s holding `BankTransaction`s, and the nightly run only ever sees these.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from huishoudboekje.domain.money import Money


@dataclass(frozen=True, slots=True)
class BankTransaction:
    """One booked line on the pooled account. `amount` is signed: credit > 0, debit < 0."""

    booking_date: date
    value_date: date
    amount: Money
    currency: str = "EUR"
    counterparty_name: str = ""
    counterparty_iban: str = ""
    counterparty_bic: str = ""
    description: str = ""
    structured_reference: str = ""  # betalingskenmerk / creditor reference
    end_to_end_id: str = ""
    bank_reference: str = ""  # AcctSvcrRef, FITID, MT940 bank reference
    bank_transaction_code: str = ""
    is_reversal: bool = False
    is_return: bool = False
    return_reason: str = ""
    original_end_to_end_id: str = ""  # for returns: the EndToEndId of the payment returned
    dedupe_key: str = ""

    @property
    def is_credit(self) -> bool:
        return self.amount.is_positive


@dataclass(frozen=True, slots=True)
class Statement:
    """One account statement (a CAMT `Stmt`, an MT940 message, an OFX account, a CSV export)."""

    account_iban: str
    statement_id: str
    transactions: tuple[BankTransaction, ...]
    period_start: date | None = None
    period_end: date | None = None
    opening_balance: Money | None = None
    closing_balance: Money | None = None
    currency: str = "EUR"
    source_format: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())


def content_dedupe_key(
    account_iban: str,
    booking_date: date,
    amount: Money,
    counterparty_iban: str,
    description: str,
    occurrence: int,
) -> str:
    """Dedupe key for formats without a bank reference.

    A hash of the fields that identify a booking plus `occurrence`, the index of
    this identical-looking booking within the same statement day, so that two
    real and identical payments on one day stay two.
    """
    normalized_description = " ".join(description.split()).casefold()
    raw = "|".join(
        [
            account_iban.replace(" ", "").upper(),
            booking_date.isoformat(),
            str(amount),
            counterparty_iban.replace(" ", "").upper(),
            normalized_description,
            str(occurrence),
        ]
    )
    return "h:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def reference_dedupe_key(account_iban: str, bank_reference: str, suffix: str = "") -> str:
    """Dedupe key from the bank's own reference (scoped to the account)."""
    raw = f"{account_iban.replace(' ', '').upper()}|{bank_reference}|{suffix}"
    return "r:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]
