"""What the planner remembers between nights, stored as one JSON value per household.

Balances are never stored here: they always come from the journal. This holds
only memory: which instructions were already made, recent income receipts,
the leefgeld rate and its announced step, the advance instalment of the month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from huishoudboekje.adapters.persistence.engine_state import get_state, set_state
from huishoudboekje.adapters.persistence.instruction_repo import returned_charge_payments
from huishoudboekje.adapters.persistence.journal import load_journal_entries
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain import ledger
from huishoudboekje.domain.charge_windows import ChargeProgress
from huishoudboekje.domain.household_state import HouseholdState, IncomeReceipt, LeefgeldState
from huishoudboekje.domain.ledger import Account, AccountKind, Ledger
from huishoudboekje.domain.money import ZERO, Money

MEMORY_KEY = "planner"
INSTRUCTED_MEMORY_DAYS = 200  # the planner looks back at most 90 days


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _days(texts: list[str] | None) -> tuple[date, ...] | None:
    return None if texts is None else tuple(date.fromisoformat(text) for text in texts)


def _money(text: str | None) -> Money | None:
    return Money(text) if text is not None else None


def memory_to_json(state: HouseholdState, today: date) -> dict[str, Any]:
    """The remembered part of a state; instruction keys older than the memory are dropped."""
    oldest = today - timedelta(days=INSTRUCTED_MEMORY_DAYS)
    horizon = oldest.strftime("%Y%m%d")
    lg = state.leefgeld
    released = state.released
    return {
        "planned_since": state.planned_since.isoformat() if state.planned_since else None,
        "advance_month": state.advance_month,
        "advance_due": str(state.advance_due),
        "instructed": sorted(k for k in state.instructed if k[-8:] >= horizon),
        # the release days age out with their ids; absent (None) in older memory
        "released": None if released is None else [d.isoformat() for d in released if d >= oldest],
        "receipts": [[r.income_id, r.day.isoformat(), str(r.amount)] for r in state.receipts],
        "charge_progress": [
            [p.charge_id, str(p.paid), p.through.isoformat(), *p.returned]
            for p in state.charge_progress
        ],
        "leefgeld": {
            "rate": str(lg.rate) if lg.rate is not None else None,
            "rate_since": lg.rate_since.isoformat() if lg.rate_since else None,
            "next_rate": str(lg.next_rate) if lg.next_rate is not None else None,
            "next_rate_from": lg.next_rate_from.isoformat() if lg.next_rate_from else None,
            "next_rate_because": lg.next_rate_because,
            "buffer_reached": lg.buffer_reached,
            "last_recompute": lg.last_recompute.isoformat() if lg.last_recompute else None,
            "rules_fingerprint": lg.rules_fingerprint,
            "reason": lg.reason,
            "arrears": str(lg.arrears),
            "adjustment": str(lg.adjustment),
            "adjustment_until": lg.adjustment_until.isoformat() if lg.adjustment_until else None,
            "capped": lg.capped,
            "cadence": lg.cadence,
            "paid_through": lg.paid_through.isoformat() if lg.paid_through else None,
        },
    }


def memory_from_json(code: str, data: dict[str, Any] | None) -> HouseholdState:
    """A state with the remembered fields filled in and zero balances."""
    if not data:
        return HouseholdState(code)
    lg = data.get("leefgeld") or {}
    return HouseholdState(
        code=code,
        planned_since=_day(data.get("planned_since")),
        advance_month=data.get("advance_month", ""),
        advance_due=Money(data.get("advance_due", "0")),
        instructed=frozenset(data.get("instructed", [])),
        released=_days(data.get("released")),
        receipts=tuple(
            IncomeReceipt(income_id, date.fromisoformat(day), Money(amount))
            for income_id, day, amount in data.get("receipts", [])
        ),
        charge_progress=tuple(
            ChargeProgress(charge_id, Money(paid), date.fromisoformat(through), tuple(returned))
            for charge_id, paid, through, *returned in data.get("charge_progress", [])
        ),
        leefgeld=LeefgeldState(
            rate=_money(lg.get("rate")),
            rate_since=_day(lg.get("rate_since")),
            next_rate=_money(lg.get("next_rate")),
            next_rate_from=_day(lg.get("next_rate_from")),
            next_rate_because=lg.get("next_rate_because", ""),
            buffer_reached=bool(lg.get("buffer_reached", False)),
            last_recompute=_day(lg.get("last_recompute")),
            rules_fingerprint=lg.get("rules_fingerprint", ""),
            reason=lg.get("reason", ""),
            arrears=Money(lg.get("arrears", "0")),
            adjustment=Money(lg.get("adjustment", "0")),
            adjustment_until=_day(lg.get("adjustment_until")),
            capped=bool(lg.get("capped", False)),
            cadence=lg.get("cadence", ""),
            paid_through=_day(lg.get("paid_through")),
        ),
    )


def with_balances(state: HouseholdState, book: Ledger) -> HouseholdState:
    """Fill in the balances of `state` from the journal."""
    return with_account_balances(state, book.balances())


def with_account_balances(
    state: HouseholdState, balances: Mapping[Account, Money]
) -> HouseholdState:
    """Fill in the balances of `state` from account balances (natural sign), as
    `Ledger.balances()` or `journal.household_balances()` give them."""
    code = state.code
    reserves = tuple(
        sorted(
            (account.sub, amount)
            for account, amount in balances.items()
            if account.kind is AccountKind.RESERVE and account.household == code
        )
    )
    return replace(
        state,
        vat=balances.get(ledger.vat(code), ZERO),
        advance_used=balances.get(ledger.advance(code), ZERO),
        reserves=reserves,
    )


def load_planner_state(uow: UnitOfWork, code: str) -> HouseholdState:
    """The household's state: balances from the journal, memory from engine state."""
    memory = memory_from_json(code, get_state(uow, MEMORY_KEY, household=code))
    book = Ledger(load_journal_entries(uow, household=code))
    returned = returned_charge_payments(uow, [code]).get(code, ())
    return replace(with_balances(memory, book), returned=returned)


def save_planner_memory(uow: UnitOfWork, state: HouseholdState, today: date) -> None:
    """Store the remembered part of `state` (not committed)."""
    set_state(uow, MEMORY_KEY, memory_to_json(state, today), household=state.code)
