"""A simulated bank for the demo: it closes the loop between the outbox and the inbox.

Not product code: nothing in huishoudboekje/, connectors/, scheduler/ or web/ imports
this. For each bank day it takes the committed incoming statement
(`statements/camt053/<day>.xml`), executes every payment from the pain.001 files in
the outbox whose execution date has come, books one payment back as returned
(the sports club's closed account, reason AC04), and writes that day's CAMT.053
with running opening and closing balances into the inbox. It keeps its own books
in a state folder, so booking a day twice changes nothing.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from connectors.camt import IMPORTERS as CAMT_IMPORTERS
from connectors.pain001_read import ParsedPayment
from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import ZERO, Money
from sample_statements.formats import (
    DEBIT_CODE,
    RETURN_CODE,
    DayStatement,
    camt053,
    ing_csv,
    mt940,
)
from sample_statements.incoming import ACCOUNT_IBAN

# Payee accounts that no longer exist: the first payment to each comes back with this reason.
CLOSED_ACCOUNTS = {"NL59RABO0199887766": "AC04"}
EXTRA_FORMAT_MONTH = 10  # this month is also delivered as MT940 and CSV, at month end


# What the bank needs of one payment in a pain.001: the record the reader gives.
Payment = ParsedPayment


PaymentReader = Callable[[bytes, str], Sequence[Payment]]


def read_pain001_payments(data: bytes, file: str) -> Sequence[Payment]:
    """The payments of one pain.001 file, read with the product's own reader."""
    from connectors.pain001 import read_pain001

    payments: Sequence[Payment] = read_pain001(data, file).payments
    return payments


@dataclass(frozen=True, slots=True)
class Booked:
    """The bank's own record of one booked day."""

    day: date
    closing: Money
    executed: tuple[str, ...]
    returned: tuple[str, ...]


class SimulatedBank:
    """Books bank days for the pooled account; see the module docstring."""

    def __init__(
        self,
        statements: Path,
        outbox: Path,
        inbox: Path,
        state: Path,
        read_payments: PaymentReader = read_pain001_payments,
        *,
        all_formats: bool = False,
    ) -> None:
        self.statements = statements
        self.outbox = outbox
        self.inbox = inbox
        self.state = state
        self.read_payments = read_payments
        self.all_formats = all_formats  # deliver MT940/CSV even without their importers
        self._read_cache: dict[tuple[str, bytes], Sequence[Payment]] = {}

    # ------------------------------------------------------------ public

    def book_day(self, day: date) -> list[Path]:
        """Book `day` (a bank day with a committed statement) and deliver it to the inbox.

        Returns the files delivered; an empty list when the day was booked before or is
        not a bank day.
        """
        incoming_file = self.statements / "camt053" / f"{day}.xml"
        if self._record_path(day).exists() or not incoming_file.exists():
            return []
        books = self.books()
        opening = books[-1].closing if books else ZERO
        incoming = _transactions(incoming_file)
        debits = self._debits(day, {e for b in books for e in b.executed})
        returns = self._returns(day, books)
        statement = DayStatement(ACCOUNT_IBAN, day, opening, (*incoming, *debits, *returns))
        delivered = [self._deliver(f"VB-camt053-{day}.xml", camt053(statement, _msg_id(day)))]
        delivered += self._month_end_exports(day, books)
        self._save(statement, debits, returns)
        return delivered

    def books(self) -> list[Booked]:
        """Every booked day so far, in date order."""
        records = []
        for path in sorted(self.state.glob("*.json")):
            raw = json.loads(path.read_text())
            records.append(
                Booked(
                    date.fromisoformat(raw["day"]),
                    Money(raw["closing"]),
                    tuple(raw["executed"]),
                    tuple(raw["returned"]),
                )
            )
        return records

    def balance_on(self, day: date) -> Money:
        """The account's closing balance on `day` (the last booked day on or before it)."""
        booked = [b for b in self.books() if b.day <= day]
        return booked[-1].closing if booked else ZERO

    # ------------------------------------------------------------ payments out and back

    def pending_payments(self) -> list[Payment]:
        """Every payment in the outbox's pain.001 files, in execution order, each once."""
        seen: dict[str, Payment] = {}
        for path in sorted(self.outbox.rglob("*.xml")):
            for payment in self._read(path):
                seen.setdefault(payment.end_to_end_id, payment)
        return sorted(seen.values(), key=lambda p: (p.execution_date, p.end_to_end_id))

    def _read(self, path: Path) -> Sequence[Payment]:
        """A pain.001 file's payments; each distinct file is read (and XSD-checked) once."""
        data = path.read_bytes()
        key = (path.name, hashlib.sha256(data).digest())
        if key not in self._read_cache:
            self._read_cache[key] = self.read_payments(data, path.name)
        return self._read_cache[key]

    def _debits(self, day: date, executed: set[str]) -> tuple[BankTransaction, ...]:
        due = [
            p
            for p in self.pending_payments()
            if p.execution_date <= day and p.end_to_end_id not in executed
        ]
        return tuple(_debit(day, p, n) for n, p in enumerate(due, start=1))

    def _returns(self, day: date, books: Sequence[Booked]) -> tuple[BankTransaction, ...]:
        """A payment to a closed account comes back on the next bank day, once per account."""
        executed = {e for b in books for e in b.executed}
        returned = {e for b in books for e in b.returned}
        payments = [p for p in self.pending_payments() if p.end_to_end_id in executed]
        out = []
        for iban, reason in sorted(CLOSED_ACCOUNTS.items()):
            to_it = [p for p in payments if p.creditor_iban.replace(" ", "") == iban]
            if to_it and not returned & {p.end_to_end_id for p in to_it}:
                out.append(_return(day, to_it[0], reason, len(out) + 1))
        return tuple(out)

    # ------------------------------------------------------------ files

    def _deliver(self, name: str, data: bytes) -> Path:
        self.inbox.mkdir(parents=True, exist_ok=True)
        path = self.inbox / name
        temporary = path.with_suffix(path.suffix + ".part")
        temporary.write_bytes(data)
        temporary.replace(path)
        return path

    def _record_path(self, day: date) -> Path:
        return self.state / f"{day}.json"

    def _save(
        self,
        statement: DayStatement,
        debits: Iterable[BankTransaction],
        returns: Iterable[BankTransaction],
    ) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        (self.state / f"{statement.day}.xml").write_bytes(
            camt053(statement, _msg_id(statement.day))
        )
        record = {
            "day": statement.day.isoformat(),
            "closing": str(statement.closing),
            "executed": [tx.end_to_end_id for tx in debits],
            "returned": [tx.end_to_end_id for tx in returns],
        }
        temporary = self._record_path(statement.day).with_suffix(".part")
        temporary.write_text(json.dumps(record, indent=1) + "\n")
        temporary.replace(self._record_path(statement.day))

    def _month_end_exports(self, day: date, books: Sequence[Booked]) -> list[Path]:
        """On the first bank day after the extra-format month, deliver it as MT940 and CSV."""
        month = [b for b in books if b.day.month == EXTRA_FORMAT_MONTH]
        if (
            day.month != EXTRA_FORMAT_MONTH + 1
            or not month
            or books[-1].day.month != EXTRA_FORMAT_MONTH
        ):
            return []
        days = [self._booked_statement(b.day) for b in month]
        stem = f"VB-{day.year}-{EXTRA_FORMAT_MONTH:02d}"
        formats = [
            ("connectors.mt940", f"{stem}.mt940", mt940),
            ("connectors.csv_banks", f"{stem}-ing.csv", ing_csv),
        ]
        # a format this checkout cannot read yet would only be refused; leave it out
        return [
            self._deliver(name, write(days))
            for module, name, write in formats
            if self.all_formats or importlib.util.find_spec(module) is not None
        ]

    def _booked_statement(self, day: date) -> DayStatement:
        (statement,) = CAMT_IMPORTERS[0].extract(self.state / f"{day}.xml")
        return DayStatement(
            ACCOUNT_IBAN, day, statement.opening_balance or ZERO, statement.transactions
        )


def _msg_id(day: date) -> str:
    return f"VBBANK-{day:%Y%m%d}"


def _transactions(path: Path) -> tuple[BankTransaction, ...]:
    return tuple(
        tx for statement in CAMT_IMPORTERS[0].extract(path) for tx in statement.transactions
    )


def _debit(day: date, payment: Payment, sequence: int) -> BankTransaction:
    return BankTransaction(
        booking_date=day,
        value_date=day,
        amount=-payment.amount,
        counterparty_name=payment.creditor_name,
        counterparty_iban=payment.creditor_iban,
        counterparty_bic=payment.creditor_bic,
        description=payment.remittance,
        structured_reference=payment.structured_reference,
        end_to_end_id=payment.end_to_end_id,
        bank_reference=f"VB{day:%y%m%d}D{sequence:04d}",
        bank_transaction_code=DEBIT_CODE,
    )


def _return(day: date, payment: Payment, reason: str, sequence: int) -> BankTransaction:
    return BankTransaction(
        booking_date=day,
        value_date=day,
        amount=payment.amount,
        counterparty_name=payment.creditor_name,
        counterparty_iban=payment.creditor_iban,
        counterparty_bic=payment.creditor_bic,
        description=f"Retour {reason} rekening opgeheven: {payment.remittance}"[:140],
        end_to_end_id=payment.end_to_end_id,
        bank_reference=f"VB{day:%y%m%d}R{sequence:04d}",
        bank_transaction_code=RETURN_CODE,
        is_return=True,
        return_reason=reason,
        original_end_to_end_id=payment.end_to_end_id,
    )
