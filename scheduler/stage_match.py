"""Stages `match` and `reconcile`: decide every new transaction, one DB transaction each.

`match`: a new credit that is not about one of our payments is scored against
every income stream (`matching.HouseholdIndex`); a clear winner is matched, a tie
or a low score goes to suspense with a signal. The reasons are stored either way.
A credit matched to an income that has already ended (`matching.ended_before`) is
matched and booked all the same, with an "inkomen na einde" signal for staff: it
may have to be paid back.

`reconcile`: new debits and credits that carry one of our EndToEndIds are decided
by `bankbook.reconcile`: settled (in flight → paid; for another amount than
instructed the difference goes to suspense with a "bedrag wijkt af" signal),
returned (money back to the household's vat, signal with the reason code; in
flight is cleared too when the debit was never seen) or unknown debit (suspense,
signal). A returned extra payment takes its household request along to
"teruggekomen" in the same transaction (`extra_returns.follow_returned_extras`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from huishoudboekje.adapters.persistence import UnitOfWork
from huishoudboekje.adapters.persistence.nightly_repo import (
    sent_payments,
    set_instruction_status,
    state_rows,
    to_transaction,
    transactions,
    upsert_signals,
)
from huishoudboekje.adapters.persistence.nightly_tables import BankTransactionRow
from huishoudboekje.adapters.persistence.planner_memory import MEMORY_KEY, memory_from_json
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.bankbook import (
    InstructionStatus,
    SentPayment,
    TxStatus,
    our_reference,
    reconcile,
)
from huishoudboekje.domain.household import Household, IncomeStream
from huishoudboekje.domain.household_state import IncomeReceipt
from huishoudboekje.domain.matching import HouseholdIndex, MatchResult, MatchStatus, ended_before
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.signals import Signal
from huishoudboekje.services.extra_returns import follow_returned_extras
from scheduler.context import NightContext


def _refs(rows: list[BankTransactionRow]) -> list[str]:
    return sorted({r for row in rows for r in (row.end_to_end_id, row.original_end_to_end_id) if r})


def _reasons(result: MatchResult) -> dict[str, Any]:
    best = result.candidate
    return {
        "status": result.status.value,
        "reason": result.reason,
        "score": best.score if best else None,
        "reasons": list(best.reasons) if best else [],
        "runners_up": [
            {"household": c.household, "income": c.income_id, "score": c.score}
            for c in result.runners_up
        ],
    }


class EndedIncomes:
    """Tells, per matched credit, whether its income had already ended (pure decision in
    `matching.ended_before`); the receipts it needs are the household's booked ones
    (planner memory) plus the credits matched earlier tonight."""

    def __init__(self, uow: UnitOfWork, households: Sequence[Household]) -> None:
        self._uow = uow
        self._ended: dict[tuple[str, str], IncomeStream] = {
            (h.code, s.id): s for h in households for s in h.incomes if s.schedule.end
        }
        self._receipts: dict[str, list[IncomeReceipt]] = {}
        self._tonight: dict[str, list[IncomeReceipt]] = {}

    def check(self, row: BankTransactionRow, household: str, income_id: str) -> Signal | None:
        """The signal when `row`, matched to `income_id`, came after that income ended."""
        day, amount = row.booking_date, Money(row.amount)
        stream = self._ended.get((household, income_id))
        signal = None
        if stream is not None:
            receipts = [*self._booked(household), *self._tonight.get(household, [])]
            end = ended_before(stream, day, receipts)
            if end is not None:
                signal = night_signals.income_after_end(
                    household, row.dedupe_key, stream, day, amount, end
                )
        self._tonight.setdefault(household, []).append(IncomeReceipt(income_id, day, amount))
        return signal

    def _booked(self, household: str) -> list[IncomeReceipt]:
        if household not in self._receipts:
            stored = state_rows(self._uow, [household], (MEMORY_KEY,)).get((household, MEMORY_KEY))
            state = memory_from_json(household, stored.value if stored else None)
            self._receipts[household] = list(state.receipts)
        return self._receipts[household]


def _ended_on(signal: Signal) -> date:
    return date.fromisoformat(signal.data_dict()["end"])


def match_credits(ctx: NightContext) -> dict[str, Any]:
    """Match every new credit that is not a return of one of our payments."""
    counts = {"matched": 0, "unmatched": 0, "after_end": 0}
    with UnitOfWork(ctx.engine) as uow:
        rows = [r for r in transactions(uow, TxStatus.NEW) if r.amount > 0]
        if not rows:
            return counts
        index = HouseholdIndex(ctx.households())
        ended = EndedIncomes(uow, index.households)
        sent = sent_payments(uow, _refs(rows))
        signals: list[Signal] = []
        after_end: list[Signal] = []
        for done, row in enumerate(rows):
            if done % 500 == 0:
                ctx.progress("match", done, len(rows))
            tx = to_transaction(row)
            if tx.is_return or our_reference(tx, sent) is not None:
                continue  # reconcile decides
            result = index.match(tx)
            reasons = _reasons(result)
            best = result.candidate
            if result.status is MatchStatus.MATCHED and best is not None:
                row.status = TxStatus.MATCHED.value
                row.household = best.household
                row.income_id = best.income_id
                counts["matched"] += 1
                signal = ended.check(row, best.household, best.income_id)
                if signal is not None:  # booked all the same: the money is the household's
                    reasons["after_end"] = _ended_on(signal).isoformat()
                    after_end.append(signal)
                    counts["after_end"] += 1
            else:
                row.status = TxStatus.UNMATCHED.value
                counts["unmatched"] += 1
                signals.append(
                    night_signals.unmatched(
                        row.dedupe_key,
                        row.booking_date,
                        Money(row.amount),
                        row.counterparty_name,
                        result.reason,
                    )
                )
            row.match_reasons = reasons
            uow.session.add(row)
        upsert_signals(uow, signals, ctx.night, "unmatched")
        upsert_signals(uow, after_end, ctx.night, "event")  # open until staff close it
        uow.commit()
    ctx.progress("match", len(rows), len(rows))
    return counts


def reconcile_debits(ctx: NightContext) -> dict[str, Any]:
    """Settle, return or park every remaining new transaction."""
    counts = {"settled": 0, "returned": 0, "unknown": 0}
    with UnitOfWork(ctx.engine) as uow:
        # debits first: a bank may list a return before the debit it returns, and the
        # debit must settle the payment (in flight → paid) before the return is booked
        rows = sorted(transactions(uow, TxStatus.NEW), key=lambda r: (r.amount > 0, r.id))
        sent = sent_payments(uow, _refs(rows))
        signals: list[Signal] = []
        for row in rows:
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
                set_instruction_status(uow, decision.end_to_end_id, InstructionStatus.PAID)
                sent[decision.end_to_end_id] = _moved(
                    sent[decision.end_to_end_id], InstructionStatus.PAID
                )
                counts["settled"] += 1
            elif decision.status is TxStatus.DEBIT_ALREADY_BOOKED:
                payment = sent[decision.end_to_end_id]
                sent[decision.end_to_end_id] = replace(payment, debit_implied=False)
                counts["settled"] += 1
            elif decision.status is TxStatus.RETURNED and decision.household is not None:
                code = tx.return_reason or "onbekend"
                set_instruction_status(
                    uow, decision.end_to_end_id, InstructionStatus.RETURNED, code
                )
                sent[decision.end_to_end_id] = _moved(
                    sent[decision.end_to_end_id], InstructionStatus.RETURNED
                )
                signals.append(
                    night_signals.payment_returned(
                        decision.household, decision.end_to_end_id, Money(row.amount), code
                    )
                )
                counts["returned"] += 1
            else:
                signals.append(
                    night_signals.unmatched(
                        row.dedupe_key,
                        row.booking_date,
                        Money(row.amount),
                        row.counterparty_name,
                        decision.reason,
                    )
                )
                counts["unknown"] += 1
        # a returned extra payment: its household request follows (betaald → teruggekomen)
        counts["requests_returned"] = len(follow_returned_extras(uow, at=ctx.created_at))
        events = {"betaling_teruggekomen", "betaling_bedrag_afwijkend"}
        upsert_signals(uow, [s for s in signals if s.kind.value in events], ctx.night, "event")
        upsert_signals(
            uow, [s for s in signals if s.kind.value not in events], ctx.night, "unmatched"
        )
        uow.commit()
    return counts


def _moved(payment: SentPayment, status: InstructionStatus) -> SentPayment:
    return replace(payment, status=status)
