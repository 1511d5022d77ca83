"""Stage `reconcile`'s work: decide every new transaction that `match` left.

New debits and credits that carry one of our EndToEndIds are decided by
`bankbook.reconcile`: settled (in flight → paid; for another amount than
instructed the difference goes to suspense with a "bedrag wijkt af" signal),
returned (money back to the household's vat, signal with the reason code; in
flight is cleared too when the debit was never seen) or unknown debit (suspense,
signal). A returned extra payment takes its household request along to
"teruggekomen" in the same transaction (`extra_returns.follow_returned_extras`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from huishoudboekje.adapters.persistence.instruction_repo import (
    sent_payments,
    set_instruction_status,
)
from huishoudboekje.adapters.persistence.nightly_tables import BankTransactionRow
from huishoudboekje.adapters.persistence.signal_repo import upsert_signals
from huishoudboekje.adapters.persistence.transaction_repo import to_transaction, transactions
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.bankbook import (
    InstructionStatus,
    SentPayment,
    TxStatus,
    reconcile,
)
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.signals import Signal
from huishoudboekje.services.extra_returns import follow_returned_extras
from huishoudboekje.services.night_match import our_references, unmatched_signal
from huishoudboekje.services.night_work import NightWork, StageResult

EVENTS = {"betaling_teruggekomen", "betaling_bedrag_afwijkend"}  # the others are "unmatched"


@dataclass(frozen=True)
class ReconcileResult(StageResult):
    """Stage `reconcile`: payments settled, returned, debits unknown, requests following."""

    settled: int
    returned: int
    unknown: int
    requests_returned: int


def reconcile_debits(work: NightWork) -> ReconcileResult:
    """Settle, return or park every remaining new transaction."""
    counts = {"settled": 0, "returned": 0, "unknown": 0}
    with UnitOfWork(work.engine) as uow:
        # debits first: a bank may list a return before the debit it returns, and the
        # debit must settle the payment (in flight → paid) before the return is booked
        rows = sorted(transactions(uow, TxStatus.NEW), key=lambda r: (r.amount > 0, r.id))
        sent = sent_payments(uow, our_references(rows))
        signals: list[Signal] = []
        for row in rows:
            counts[_decide(uow, row, sent, signals)] += 1
        # a returned extra payment: its household request follows (betaald → teruggekomen)
        requests_returned = len(follow_returned_extras(uow, at=work.created_at))
        upsert_signals(uow, [s for s in signals if s.kind.value in EVENTS], work.night, "event")
        upsert_signals(
            uow, [s for s in signals if s.kind.value not in EVENTS], work.night, "unmatched"
        )
        uow.commit()
    return ReconcileResult(**counts, requests_returned=requests_returned)


def _decide(
    uow: UnitOfWork,
    row: BankTransactionRow,
    sent: dict[str, SentPayment],
    signals: list[Signal],
) -> str:
    """Decide one transaction; returns which count it adds to."""
    tx = to_transaction(row)
    decision = reconcile(tx, sent)
    row.status = decision.status.value
    row.household = decision.household
    row.match_reasons = {
        "status": decision.status.value,
        "reason": decision.reason,
        "end_to_end_id": decision.end_to_end_id,
    }
    if decision.in_flight is not None:  # booked by stage `book` (bankbook)
        row.match_reasons["in_flight"] = str(decision.in_flight)
    uow.session.add(row)
    if decision.amount_differs and decision.household is not None:
        instructed = sent[decision.end_to_end_id].amount
        signals.append(
            night_signals.payment_amount_differs(
                decision.household, decision.end_to_end_id, instructed, -Money(row.amount)
            )
        )
    if decision.status is TxStatus.SETTLED:
        _move(uow, sent, decision.end_to_end_id, InstructionStatus.PAID)
        return "settled"
    if decision.status is TxStatus.DEBIT_ALREADY_BOOKED:
        payment = sent[decision.end_to_end_id]
        sent[decision.end_to_end_id] = replace(payment, debit_implied=False)
        return "settled"
    if decision.status is TxStatus.RETURNED and decision.household is not None:
        code = tx.return_reason or "onbekend"
        _move(uow, sent, decision.end_to_end_id, InstructionStatus.RETURNED, code)
        signals.append(
            night_signals.payment_returned(
                decision.household, decision.end_to_end_id, Money(row.amount), code
            )
        )
        return "returned"
    signals.append(unmatched_signal(row, decision.reason))
    return "unknown"


def _move(
    uow: UnitOfWork,
    sent: dict[str, SentPayment],
    end_to_end_id: str,
    status: InstructionStatus,
    return_reason: str = "",
) -> None:
    """Move the instruction on, in the database and in reconciliation's view of it."""
    set_instruction_status(uow, end_to_end_id, status, return_reason)
    sent[end_to_end_id] = replace(sent[end_to_end_id], status=status)
