"""Stage `signals`' work: age unmatched transactions and close signals whose condition is gone.

The other stages store their signals as they raise them (in their own DB
transaction); this last stage only does what needs the whole night's picture:
planner signals not raised again tonight are closed (the planner re-raises
every condition it still sees), and money that has stood in suspense longer
than `night_signals.UNMATCHED_AGE_DAYS` is raised again as urgent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from huishoudboekje.adapters.persistence.repository import household_codes
from huishoudboekje.adapters.persistence.signal_repo import (
    close_stale_signals,
    signal_rows,
    upsert_signals,
)
from huishoudboekje.adapters.persistence.transaction_repo import transactions
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.bankbook import TxStatus
from huishoudboekje.domain.money import Money
from huishoudboekje.services.night_plan import planned_on
from huishoudboekje.services.night_work import NightWork, StageResult


@dataclass(frozen=True)
class SignalRefreshResult(StageResult):
    """Stage `signals`: suspense raised again as old, planner signals closed, open in all."""

    ageing: int
    closed: int
    open: int


def refresh_signals(work: NightWork) -> SignalRefreshResult:
    """Age and close signals; returns how many are open."""
    limit = work.night - timedelta(days=night_signals.UNMATCHED_AGE_DAYS)
    with UnitOfWork(work.engine) as uow:
        old = [
            night_signals.unmatched_ageing(
                r.dedupe_key, r.booking_date, Money(r.amount), work.night
            )
            for r in transactions(uow, TxStatus.UNMATCHED, TxStatus.UNKNOWN_DEBIT)
            if r.booking_date < limit
        ]
        upsert_signals(uow, old, work.night, "unmatched")
        planned = planned_on(uow, list(household_codes(uow)), work.night)
        closed = close_stale_signals(uow, "planner", work.night, planned)
        uow.commit()
        open_count = len(signal_rows(uow))
    return SignalRefreshResult(len(old), closed, open_count)
