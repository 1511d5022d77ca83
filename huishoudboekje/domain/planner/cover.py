"""What the phases ask of the state: the charges still open, and what the vat can spare."""

from __future__ import annotations

from datetime import date, timedelta

from huishoudboekje.domain.forecast import project
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.money import ZERO, Money, min_money
from huishoudboekje.domain.occurrences import ChargeDue, PlanSettings, charge_dues

CHARGE_LOOKBACK_DAYS = 90


def instructed_until(today: date, settings: PlanSettings) -> date:
    """The last execution date instructed tonight."""
    return settings.calendar.add_business_days(today, settings.instruct_ahead)


def advance_room(state: HouseholdState, household: Household) -> Money:
    """What is left of the approved advance limit."""
    return max(household.buffer.advance_limit - state.advance_used, ZERO)


def open_dues(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings, last: date
) -> list[ChargeDue]:
    """Charge dues executing up to `last` not paid yet, held-back ones included."""
    first = today - timedelta(days=CHARGE_LOOKBACK_DAYS)
    since = state.takes_over_from(today)
    return [
        d
        for d in charge_dues(household, first, max(last, first), settings, state.charge_progress)
        if d.id not in state.instructed and d.due >= since
    ]


def vat_need(state: HouseholdState, due: ChargeDue) -> Money:
    """What a charge due needs from the vat: its reserve pays first."""
    from_reserve = (
        min_money(state.reserve(due.charge.reserve), due.charge.amount)
        if due.charge.reserve
        else ZERO
    )
    return due.charge.amount - from_reserve


def free_after_charges(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings
) -> Money:
    """What the vat can spare while every charge of the coming weeks stays covered
    (and, while a charge is held back tonight, no more than the leefgeld floor)."""
    forecast = project(
        household,
        state,
        today,
        settings,
        days=settings.protect_days,
        leefgeld=False,
    )
    free = max(min_money(state.vat, forecast.lowest.balance), ZERO)
    if state.shortage_room is not None:
        free = min_money(free, state.shortage_room)
    return free
