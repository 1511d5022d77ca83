"""Buffer health in days (issue 17, point 6): how long the vat lasts on its own.

"Uw buffer is genoeg voor ongeveer 23 dagen": the money in the vat (the
"Nu in uw buffer" the household reads; the unused advance limit never counts),
divided by what one day costs at today's rates: the fixed charges of the coming
year (pauses, temporary amounts and totals included) and leefgeld at the
current rate, spread evenly over the year. YNAB's "age of money" is the anchor;
ours is computed, not read from history.

Whole days, rounded down, computed exactly in cents: `days = floor(vat × 365 / need)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from huishoudboekje.domain.household import Cadence, Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.occurrences import PlanSettings, charge_dues, is_monthly

YEAR_DAYS = 365
PERIODS_PER_YEAR = {Cadence.WEEKLY: 52, Cadence.MONTHLY: 12}


@dataclass(frozen=True, slots=True)
class BufferDays:
    """How many days the vat covers, measured on `measured`."""

    days: int | None  # None: nothing to pay at all (no charges, no leefgeld)
    own: Money  # the money in the vat (never below zero); the advance is not counted
    yearly_need: Money  # fixed charges of the coming year plus leefgeld at today's rate
    measured: date

    def sentence(self) -> str:
        """The household's sentence (B1)."""
        if self.days is None:
            return "Er zijn geen vaste lasten of leefgeld om uit uw buffer te betalen."
        if self.days == 0:
            return "Er zit nu geen geld in uw buffer voor de komende dagen."
        unit = "dag" if self.days == 1 else "dagen"
        return f"Uw buffer is genoeg voor ongeveer {self.days} {unit}."


def days_covered(own: Money, yearly_need: Money) -> int | None:
    """Whole days `own` money pays for when a year costs `yearly_need`; 0 for an empty
    vat, None when nothing needs paying."""
    if not own.is_positive:
        return 0
    if not yearly_need.is_positive:
        return None
    return (own.to_cents() * YEAR_DAYS) // yearly_need.to_cents()


def yearly_need(
    household: Household, state: HouseholdState, today: date, settings: PlanSettings
) -> Money:
    """The fixed charges due in the coming year and a year of leefgeld at today's rate."""
    last = today + timedelta(days=YEAR_DAYS)
    charges = sum(
        (
            d.charge.amount
            for d in charge_dues(household, today, last, settings, state.charge_progress)
            if today < d.due <= last
        ),
        ZERO,
    )
    rate = state.leefgeld.rate or ZERO
    cadence = Cadence.MONTHLY if is_monthly(household) else Cadence.WEEKLY
    return charges + rate * PERIODS_PER_YEAR[cadence]


def buffer_days(
    household: Household, state: HouseholdState, today: date, settings: PlanSettings
) -> BufferDays:
    """The buffer in days for `household` in `state` on `today`."""
    own = max(state.vat, ZERO)
    need = yearly_need(household, state, today, settings)
    return BufferDays(days_covered(own, need), own, need, today)
