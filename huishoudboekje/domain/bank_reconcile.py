"""Reconcile: what a debit, or a credit carrying one of our EndToEndIds, means.

Pure decisions of the nightly run over values: a transaction and the payment
instructions we sent (`SentPayment`, by EndToEndId) give a `Reconciliation`,
which `bankbook.booking_entry` books (see the ledger model in `bankbook`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import Money


class TxStatus(StrEnum):
    """Where a stored bank transaction stands."""

    NEW = "new"  # stored, not yet decided
    MATCHED = "matched"
    UNMATCHED = "unmatched"
    SETTLED = "settled"
    RETURNED = "returned"
    UNKNOWN_DEBIT = "unknown_debit"
    ASSIGNED = "assigned"
    # the debit of a returned payment that arrived after the return had already booked
    # it (see `reconcile`): nothing more to book
    DEBIT_ALREADY_BOOKED = "debit_booked"


class InstructionStatus(StrEnum):
    """A payment instruction's life: instructed → in_flight → paid | returned."""

    INSTRUCTED = "instructed"
    IN_FLIGHT = "in_flight"
    PAID = "paid"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True)
class SentPayment:
    """What reconciliation needs to know of one of our instructions."""

    end_to_end_id: str
    household: str
    amount: Money
    status: InstructionStatus
    # returned before its debit was seen: the return booked the debit too, so the
    # debit itself, arriving later (a statement that came late), books nothing
    debit_implied: bool = False


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The decision for one transaction that is (or may be) about our payments."""

    status: TxStatus
    household: str | None
    end_to_end_id: str  # the instruction concerned, "" for none
    reason: str
    # the instructed amount this transaction also clears from in flight when it is
    # not simply the transaction's own amount: a return whose debit was never seen,
    # or a debit for another amount than instructed (see `booking_entry`)
    in_flight: Money | None = None

    @property
    def amount_differs(self) -> bool:
        """A debit of ours that left for another amount than instructed."""
        return self.status is TxStatus.SETTLED and self.in_flight is not None


def our_reference(tx: BankTransaction, sent: Mapping[str, SentPayment]) -> SentPayment | None:
    """The instruction a transaction refers to (its original or own EndToEndId), if ours."""
    for ref in (tx.original_end_to_end_id, tx.end_to_end_id):
        if ref and ref in sent:
            return sent[ref]
    return None


def reconcile(tx: BankTransaction, sent: Mapping[str, SentPayment]) -> Reconciliation:
    """Decide a debit, or a credit that carries one of our EndToEndIds."""
    payment = our_reference(tx, sent)
    if tx.is_credit:
        if payment is not None and payment.status in {
            InstructionStatus.IN_FLIGHT,
            InstructionStatus.PAID,
        }:
            code = tx.return_reason or "onbekend"
            unseen = payment.status is InstructionStatus.IN_FLIGHT
            return Reconciliation(
                TxStatus.RETURNED,
                payment.household,
                payment.end_to_end_id,
                f"betaling {payment.end_to_end_id} teruggekomen (reden {code})"
                + ("; de afschrijving zelf is niet op een afschrift gezien" if unseen else ""),
                payment.amount if unseen else None,
            )
        return Reconciliation(TxStatus.UNMATCHED, None, "", "creditering zonder bekende opdracht")
    if payment is None:
        return Reconciliation(TxStatus.UNKNOWN_DEBIT, None, "", "afschrijving zonder opdracht")
    if payment.debit_implied and -tx.amount == payment.amount:
        return Reconciliation(
            TxStatus.DEBIT_ALREADY_BOOKED,
            payment.household,
            payment.end_to_end_id,
            f"afschrijving van teruggekomen betaling {payment.end_to_end_id}; "
            "al geboekt bij de terugboeking",
        )
    if payment.status is not InstructionStatus.IN_FLIGHT:
        return Reconciliation(
            TxStatus.UNKNOWN_DEBIT,
            payment.household,
            payment.end_to_end_id,
            f"opdracht {payment.end_to_end_id} staat op {payment.status.value}",
        )
    if -tx.amount != payment.amount:
        return Reconciliation(
            TxStatus.SETTLED,
            payment.household,
            payment.end_to_end_id,
            f"bedrag wijkt af: afgeschreven {-tx.amount}, opdracht {payment.amount}",
            payment.amount,
        )
    return Reconciliation(
        TxStatus.SETTLED, payment.household, payment.end_to_end_id, "betaling uitgevoerd"
    )
