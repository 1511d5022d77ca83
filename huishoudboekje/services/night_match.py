"""Stage `match`'s work, and what `reconcile` shares with it: decide every new credit.

`match`: a new credit that is not about one of our payments is matched by
`matching.HouseholdIndex` (candidates by payer IBAN, amount and the references in
its text; the reference decides, see docs/how-it-works.md); one household named
is matched, a tie, two households named or a far-off amount goes to suspense with
a signal. The reasons are stored either way.
A credit matched to an income that has already ended (`matching.ended_before`) is
matched and booked all the same, with an "inkomen na einde" signal for staff: it
may have to be paid back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from huishoudboekje.adapters.persistence.household_batch import state_values
from huishoudboekje.adapters.persistence.instruction_repo import sent_payments
from huishoudboekje.adapters.persistence.planner_memory import MEMORY_KEY, memory_from_json
from huishoudboekje.adapters.persistence.signal_repo import upsert_signals
from huishoudboekje.adapters.persistence.transaction_repo import (
    StoredTransaction,
    to_transaction,
    transaction_columns,
    update_transactions,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.bankbook import TxStatus, our_reference
from huishoudboekje.domain.household import Household, IncomeStream
from huishoudboekje.domain.household_state import IncomeReceipt
from huishoudboekje.domain.matching import HouseholdIndex, MatchResult, MatchStatus, ended_before
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.signals import Signal
from huishoudboekje.services.night_work import NightWork, StageResult
from huishoudboekje.services.region import load_region


@dataclass(frozen=True)
class CreditMatchResult(StageResult):
    """Stage `match`: credits matched, sent to suspense, and matched after their income ended."""

    matched: int
    unmatched: int
    after_end: int


def our_references(rows: Sequence[StoredTransaction]) -> list[str]:
    """The EndToEndIds (own or original) the rows carry, sorted."""
    return sorted({r for row in rows for r in (row.end_to_end_id, row.original_end_to_end_id) if r})


def unmatched_signal(row: StoredTransaction, reason: str) -> Signal:
    """The signal for a transaction whose money stands in suspense."""
    return night_signals.unmatched(
        row.dedupe_key, row.booking_date, Money(row.amount), row.counterparty_name, reason
    )


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

    def check(self, row: StoredTransaction, household: str, income_id: str) -> Signal | None:
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
            stored = state_values(self._uow, [household], (MEMORY_KEY,))
            state = memory_from_json(household, stored.get((household, MEMORY_KEY)))
            self._receipts[household] = list(state.receipts)
        return self._receipts[household]


def _ended_on(signal: Signal) -> date:
    return date.fromisoformat(signal.data_dict()["end"])


def match_credits(work: NightWork) -> CreditMatchResult:
    """Match every new credit that is not a return of one of our payments."""
    counts = {"matched": 0, "unmatched": 0, "after_end": 0}
    with UnitOfWork(work.engine) as uow:
        rows = [r for r in transaction_columns(uow, TxStatus.NEW) if r.amount > 0]
        if not rows:
            return CreditMatchResult(**counts)
        region = load_region(uow)
        everyone = work.households()
        # issue 22: a credit on a gemeente's pooled account matches only its households
        indexes = {
            gemeente_id: HouseholdIndex(members)
            for gemeente_id, members in region.by_gemeente(everyone).items()
        }
        # a one-gemeente installation matches every credit with its households, as before;
        # the index of a gemeente that has them all is that same index (by_gemeente keeps
        # their order), so it is not built twice
        whole = [i for i in indexes.values() if len(i.households) == len(everyone)]
        nobody = (
            HouseholdIndex([])
            if region.is_regional
            else whole[0]
            if whole
            else HouseholdIndex(everyone)
        )
        ended = EndedIncomes(uow, everyone)
        sent = sent_payments(uow, our_references(rows))
        signals: list[Signal] = []
        after_end: list[Signal] = []
        changes: list[dict[str, Any]] = []
        for done, row in enumerate(rows):
            if done % 500 == 0:
                work.progress("match", done, len(rows))
            tx = to_transaction(row)
            if tx.is_return or our_reference(tx, sent) is not None:
                continue  # reconcile decides
            owner = region.gemeente_of_account(row.account_iban)
            result = indexes.get(owner if owner is not None else -1, nobody).match(tx)
            reasons = _reasons(result)
            best = result.candidate
            change: dict[str, Any] = {"id": row.id}
            if result.status is MatchStatus.MATCHED and best is not None:
                change["status"] = TxStatus.MATCHED.value
                change["household"] = best.household
                change["income_id"] = best.income_id
                counts["matched"] += 1
                signal = ended.check(row, best.household, best.income_id)
                if signal is not None:  # booked all the same: the money is the household's
                    reasons["after_end"] = _ended_on(signal).isoformat()
                    after_end.append(signal)
                    counts["after_end"] += 1
            else:
                change["status"] = TxStatus.UNMATCHED.value
                counts["unmatched"] += 1
                signals.append(unmatched_signal(row, result.reason))
            change["match_reasons"] = reasons
            changes.append(change)
        update_transactions(uow, changes)
        upsert_signals(uow, signals, work.night, "unmatched")
        upsert_signals(uow, after_end, work.night, "event")  # open until staff close it
        uow.commit()
    work.progress("match", len(rows), len(rows))
    return CreditMatchResult(**counts)
