"""Payment instructions (betaalopdrachten): what the planner decides to pay out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from huishoudboekje.domain.money import Money

MAX_END_TO_END_ID = 35


@dataclass(frozen=True, slots=True)
class PaymentInstruction:
    """One outgoing SEPA credit transfer with a stable EndToEndId."""

    end_to_end_id: str
    household: str
    kind: str  # "charge" | "leefgeld" | "extra"
    charge_id: str
    payee_name: str
    payee_iban: str
    payee_bic: str
    amount: Money
    execution_date: date
    remittance: str
    structured_reference: str
    reason: str

    def __post_init__(self) -> None:
        if not self.amount.is_positive:
            raise ValueError(f"{self.end_to_end_id}: amount must be positive, got {self.amount}")
        if not self.end_to_end_id or len(self.end_to_end_id) > MAX_END_TO_END_ID:
            raise ValueError(f"EndToEndId {self.end_to_end_id!r} must be 1 to 35 characters")


def not_before(instruction: PaymentInstruction, earliest: date) -> PaymentInstruction:
    """The instruction with an execution date no earlier than `earliest` (a business day).

    A payment file never asks the bank for a date in the past: after missed nights
    the nights are caught up, and what they instruct goes out on the first
    business day the file can still reach the bank.
    """
    if instruction.execution_date >= earliest:
        return instruction
    return replace(instruction, execution_date=earliest)


@dataclass(frozen=True, slots=True)
class Debtor:
    """The gemeente's pooled account, debited by every payment."""

    name: str
    iban: str
    bic: str = ""
