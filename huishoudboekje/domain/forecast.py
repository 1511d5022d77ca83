"""Forecast: the household's projected vat, day by day, from its rules and expected incomes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from huishoudboekje.domain.advance import due_this_month, instalment
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.learned_income import next_month
from huishoudboekje.domain.money import ZERO, Money, min_money
from huishoudboekje.domain.occurrences import (
    PlanSettings,
    charge_dues,
    expected_incomes,
    planning_since,
    release_dates,
)
from huishoudboekje.domain.paid_weeks import unpaid_portion

CHARGE_LOOKBACK_DAYS = 90
# An income that arrives on day D is on the statement the nightly run reads on D + 1;
# a payment needs its money on the night it is instructed, before it executes.
ONE_DAY = timedelta(days=1)
BOOKING_DELAY_DAYS = 1  # unpaid (held back) charges this old still count as owed


@dataclass(frozen=True, slots=True)
class ForecastPoint:
    """The projected free vat at the end of `day`."""

    day: date
    balance: Money


@dataclass(frozen=True, slots=True)
class Forecast:
    """Projected free vat (advance owed subtracted) at the end of each day."""

    points: tuple[ForecastPoint, ...]
    # the lowest point (earliest of equals), found once: the planner, the leefgeld
    # rules and the status report all ask for it
    lowest: ForecastPoint = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.points:
            raise ValueError("a forecast has at least one day")
        lowest = min(self.points, key=lambda p: (p.balance.amount, p.day))
        object.__setattr__(self, "lowest", lowest)


def _add_repayments(
    household: Household,
    state: HouseholdState,
    today: date,
    last: date,
    add: Callable[[date, Money], None],
) -> None:
    """Advance instalments: the rest of this month's at once, then one a month."""
    owed = state.advance_used
    if not owed.is_positive:
        return
    now = due_this_month(household, state.advance_month, state.advance_due, owed, today)
    add(today, -now)
    owed = owed - now
    monthly = instalment(household, state.advance_used)
    month = next_month(today)
    while month <= last and owed.is_positive:
        step = min_money(monthly, owed)
        add(month, -step)
        owed = owed - step
        month = next_month(month)


def project(
    household: Household,
    state: HouseholdState,
    today: date,
    settings: PlanSettings,
    *,
    days: int | None = None,
    leefgeld: bool = True,
    rate: Money | None = None,
    reserve_amounts: dict[str, Money] | None = None,
    rate_from: date | None = None,
) -> Forecast:
    """Project the vat for `days` days after `today`.

    Counts expected incomes not yet received, charges not yet instructed (owed
    ones from the past included, on the first day), monthly reserve
    contributions and, when `leefgeld` is true, releases at `rate` (default: the
    state's current rate). With `rate_from`, only the releases from that day on
    are at `rate`; the ones before it at the state's rate, as they will be paid
    (a new rate takes effect one release ahead). Reserves pay their linked
    charges first.
    """
    horizon = days if days is not None else settings.forecast_days
    last = today + timedelta(days=horizon)
    reserves = dict(state.reserves)  # what each reserve holds, as the days go by
    deltas: dict[date, Money] = {}
    tomorrow = today + ONE_DAY

    def add(day: date, amount: Money) -> None:
        key = max(day, tomorrow)
        deltas[key] = deltas.get(key, ZERO) + amount

    _add_repayments(household, state, today, last, add)
    since = planning_since(household, state.planned_since, today)
    for day, _income, amount in expected_incomes(household, today, last, state.receipts, since):
        add(day + timedelta(days=BOOKING_DELAY_DAYS), amount)
    _add_charges(household, state, today, last, settings, reserves, add)
    _add_contributions(household, today, last, reserve_amounts or {}, reserves, add)
    if leefgeld:
        _add_releases(household, state, today, last, settings, rate, add, rate_from)
    return Forecast(_points(state.vat, today, last, deltas))


def _add_charges(
    household: Household,
    state: HouseholdState,
    today: date,
    last: date,
    settings: PlanSettings,
    reserves: dict[str, Money],
    add: Callable[[date, Money], None],
) -> None:
    """Charges not instructed yet, on the night they are instructed; reserves pay first."""
    first_charge = today - timedelta(days=CHARGE_LOOKBACK_DAYS)
    since = state.takes_over_from(today)
    cal = settings.calendar
    for due in charge_dues(household, first_charge, last, settings, state.charge_progress):
        if due.id in state.instructed or due.due < since:
            continue
        amount = due.charge.amount
        if due.charge.reserve:
            from_reserve = min_money(reserves.get(due.charge.reserve, ZERO), amount)
            reserves[due.charge.reserve] = reserves.get(due.charge.reserve, ZERO) - from_reserve
            amount = amount - from_reserve
        add(cal.add_business_days(due.execution, -settings.instruct_ahead), -amount)


def _add_contributions(
    household: Household,
    today: date,
    last: date,
    amounts: dict[str, Money],
    reserves: dict[str, Money],
    add: Callable[[date, Money], None],
) -> None:
    """Each later month's reserve contributions, up to each reserve's target."""
    month = date(today.year, today.month, 1)
    while month <= last:
        if month > today:
            for res in household.reserves:
                if not res.is_valid_on(month):
                    continue
                contribution = amounts.get(res.id, res.monthly)
                held = reserves.get(res.id, ZERO)
                if res.target is not None:
                    contribution = min_money(contribution, max(res.target - held, ZERO))
                if contribution.is_positive:
                    reserves[res.id] = held + contribution
                    add(month, -contribution)
        month = next_month(month)


def _add_releases(
    household: Household,
    state: HouseholdState,
    today: date,
    last: date,
    settings: PlanSettings,
    rate: Money | None,
    add: Callable[[date, Money], None],
    rate_from: date | None = None,
) -> None:
    """Leefgeld releases not instructed yet, at `rate` (default: the state's rate;
    before `rate_from` the state's rate too, when it has one)."""
    cal = settings.calendar
    for release in release_dates(household, today + timedelta(days=1), last, settings):
        if release.id in state.instructed:
            continue
        release_amount = rate if rate is not None else state.leefgeld.rate_on(release.nominal)
        if rate_from is not None and release.nominal < rate_from:
            current = state.leefgeld.rate_on(release.nominal)
            release_amount = current if current is not None else release_amount
        if release_amount is not None:
            release_amount = unpaid_portion(household, state, release).of_rate(release_amount)
            instructed_on = cal.add_business_days(release.execution, -settings.instruct_ahead)
            add(instructed_on, -release_amount)


def _points(
    balance: Money, today: date, last: date, deltas: dict[date, Money]
) -> tuple[ForecastPoint, ...]:
    """The balance at the end of each day after `today` up to `last`."""
    points = []
    day = today
    while day < last:
        day += ONE_DAY
        delta = deltas.get(day)
        if delta is not None:  # most days nothing happens: skip the addition
            balance = balance + delta
        points.append(ForecastPoint(day, balance))
    return tuple(points)
