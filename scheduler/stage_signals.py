"""Stage `signals`: age unmatched transactions and close signals whose condition is gone.

The other stages store their signals as they raise them (in their own DB
transaction); this last stage only does what needs the whole night's picture:
planner signals not raised again tonight are closed (the planner re-raises
every condition it still sees), and money that has stood in suspense longer
than `night_signals.UNMATCHED_AGE_DAYS` is raised again as urgent.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from huishoudboekje.adapters.persistence import UnitOfWork, household_codes
from huishoudboekje.adapters.persistence.nightly_repo import (
    close_stale_signals,
    signal_rows,
    state_rows,
    transactions,
    upsert_signals,
)
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.bankbook import TxStatus
from huishoudboekje.domain.money import Money
from scheduler.context import NightContext
from scheduler.stage_plan import PLANNED_KEY


def refresh_signals(ctx: NightContext) -> dict[str, Any]:
    """Age and close signals; returns how many are open."""
    limit = ctx.night - timedelta(days=night_signals.UNMATCHED_AGE_DAYS)
    with UnitOfWork(ctx.engine) as uow:
        old = [
            night_signals.unmatched_ageing(r.dedupe_key, r.booking_date, Money(r.amount), ctx.night)
            for r in transactions(uow, TxStatus.UNMATCHED, TxStatus.UNKNOWN_DEBIT)
            if r.booking_date < limit
        ]
        upsert_signals(uow, old, ctx.night, "unmatched")
        codes = list(household_codes(uow))
        planned = [
            household
            for start in range(0, len(codes), 500)
            for (household, _key), row in state_rows(
                uow, codes[start : start + 500], (PLANNED_KEY,)
            ).items()
            if row.value == ctx.night.isoformat()
        ]
        closed = close_stale_signals(uow, "planner", ctx.night, planned)
        uow.commit()
        open_count = len(signal_rows(uow))
    return {"ageing": len(old), "closed": closed, "open": open_count}
