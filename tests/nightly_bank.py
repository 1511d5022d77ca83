"""A tiny simulated bank for the nightly end-to-end tests.

It holds the gemeente's pooled account. Every day it books the incomes paid to
the account and executes the payments from the pain.001 files it collected from
the outbox whose execution date has come, and writes the day's CAMT.053 into
the inbox, as a real bank's file delivery would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import ZERO, Money
from tests.camt_writer import CamtStatement, write_camt053

GEMEENTE_IBAN = "NL91ABNA0417164300"


@dataclass(frozen=True)
class Income:
    """A credit the bank books on `day` (one of a household's incomes, or anything)."""

    day: date
    amount: str
    payer_iban: str
    payer_name: str
    description: str


@dataclass(frozen=True)
class Executed:
    end_to_end_id: str
    day: date
    requested: date
    amount: Money


@dataclass
class Bank:
    account: str = GEMEENTE_IBAN
    balance: Money = ZERO
    pending: dict[str, Any] = field(default_factory=dict)  # e2e -> parsed payment
    executed: list[Executed] = field(default_factory=list)
    collected: set[str] = field(default_factory=set)  # file names
    instructed: list[str] = field(default_factory=list)  # every e2e seen in a file
    closings: dict[date, Money] = field(default_factory=dict)
    returns: dict[str, str] = field(default_factory=dict)  # e2e -> reason: return after execution
    extra: dict[date, list[BankTransaction]] = field(default_factory=dict)
    counter: int = 0

    def collect(self, outbox: Path) -> int:
        """Read new pain.001 files from the outbox; returns how many payments were new."""
        from connectors.pain001 import read_pain001

        new = 0
        for path in sorted(outbox.glob("pain001-*.xml")):
            if path.name in self.collected:
                continue
            self.collected.add(path.name)
            for payment in read_pain001(path.read_bytes(), path.name).payments:
                self.instructed.append(payment.end_to_end_id)
                self.pending[payment.end_to_end_id] = payment
                new += 1
        return new

    def _ref(self, day: date) -> str:
        self.counter += 1
        return f"BANK{day:%Y%m%d}{self.counter:05d}"

    def statement(self, day: date, incomes: list[Income], inbox: Path) -> Path:
        """Book the day's incomes and due payments; write the day's CAMT.053 to `inbox`."""
        entries: list[tuple[BankTransaction, ...]] = []
        for income in incomes:
            entries.append(
                (
                    BankTransaction(
                        booking_date=day,
                        value_date=day,
                        amount=Money(income.amount),
                        counterparty_name=income.payer_name,
                        counterparty_iban=income.payer_iban,
                        description=income.description,
                        bank_reference=self._ref(day),
                    ),
                )
            )
        for e2e in sorted(self.pending):
            payment = self.pending[e2e]
            if payment.execution_date > day:
                continue
            del self.pending[e2e]
            self.executed.append(Executed(e2e, day, payment.execution_date, payment.amount))
            entries.append(
                (
                    BankTransaction(
                        booking_date=day,
                        value_date=day,
                        amount=-payment.amount,
                        counterparty_name=getattr(payment, "creditor_name", "") or "Ontvanger",
                        counterparty_iban=getattr(payment, "creditor_iban", ""),
                        end_to_end_id=e2e,
                        description=getattr(payment, "remittance", ""),
                        bank_reference=self._ref(day),
                    ),
                )
            )
            if e2e in self.returns:
                entries.append(
                    (
                        BankTransaction(
                            booking_date=day,
                            value_date=day,
                            amount=payment.amount,
                            counterparty_name=getattr(payment, "creditor_name", "") or "x",
                            end_to_end_id=e2e,
                            is_return=True,
                            return_reason=self.returns[e2e],
                            original_end_to_end_id=e2e,
                            description="Retour",
                            bank_reference=self._ref(day),
                        ),
                    )
                )
        entries.extend((tx,) for tx in self.extra.pop(day, []))
        statement = CamtStatement(
            self.account, self.balance, tuple(entries), statement_id=f"STMT-{day:%Y%m%d}"
        )
        self.balance = statement.closing
        self.closings[day] = self.balance
        inbox.mkdir(parents=True, exist_ok=True)
        path = inbox / f"camt053-{day:%Y%m%d}.xml"
        path.write_bytes(write_camt053([statement]))
        return path
