"""Stage `signals`' work: age unmatched transactions and close signals whose condition is gone.

The other stages store their signals as they raise them (in their own DB
transaction); this last stage only does what needs the whole night's picture:
planner signals not raised again tonight are closed (the planner re-raises
every condition it still sees), and every transaction still in suspense is raised
again under its own key with the severity of its age (`night_signals.suspense_severity`:
"let op" from 3 days, "urgent" from 10), so staff see the oldest money first.
"""

from __future__ import annotations

from dataclasses import dataclass

from huishoudboekje.adapters.persistence.repository import household_codes
from huishoudboekje.adapters.persistence.signal_repo import (
    close_signal,
    close_stale_signals,
    signal_rows,
    upsert_signals,
)
from huishoudboekje.adapters.persistence.transaction_repo import transactions
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.bankbook import TxStatus
from huishoudboekje.domain.ids import unmatched_ageing_key
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.signals import Severity
from huishoudboekje.services.night_plan import planned_on
from huishoudboekje.services.night_work import NightWork, StageResult


@dataclass(frozen=True)
class SignalRefreshResult(StageResult):
    """Stage `signals`: suspense raised again as old, planner signals closed, open in all."""

    ageing: int  # suspense items "let op" or "urgent" by their age
    closed: int
    open: int


def refresh_signals(work: NightWork) -> SignalRefreshResult:
    """Age and close signals; returns how many are open."""
    with UnitOfWork(work.engine) as uow:
        waiting = [
            night_signals.unmatched(
                r.dedupe_key,
                r.booking_date,
                Money(r.amount),
                r.counterparty_name,
                str((r.match_reasons or {}).get("reason") or "geen huishouden gevonden"),
                work.night,
            )
            for r in transactions(uow, TxStatus.UNMATCHED, TxStatus.UNKNOWN_DEBIT)
        ]
        upsert_signals(uow, waiting, work.night, "unmatched")
        for signal in waiting:  # before 2026-12 age was a second signal; now it is this one
            close_signal(uow, unmatched_ageing_key(signal.data_dict()["dedupe_key"]), work.night)
        old = [s for s in waiting if s.severity is not Severity.INFO]
        planned = planned_on(uow, list(household_codes(uow)), work.night)
        closed = close_stale_signals(uow, "planner", work.night, planned)
        uow.commit()
        open_count = len(signal_rows(uow))
    return SignalRefreshResult(len(old), closed, open_count)
