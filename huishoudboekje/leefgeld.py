"""The steady leefgeld rate: derived from expected income, not from today's balance.

`budget()` turns a household's rules into a monthly budget and a sustainable
rate per cadence period. `recompute()` decides the rate the household gets,
with the opbouwfase (building the buffer), releasing a surplus above the
buffer target, and announcing every change one period ahead.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from huishoudboekje.advance import instalment
from huishoudboekje.forecast import project
from huishoudboekje.model import Cadence, Household, LeefgeldPolicyKind
from huishoudboekje.money import ZERO, Money
from huishoudboekje.occurrences import PlanSettings
from huishoudboekje.signals import Severity, Signal, SignalKind
from huishoudboekje.state import HouseholdState, LeefgeldState
from huishoudboekje.text import day_nl, eur

BUDGET_WINDOW_DAYS = 365
MIN_WINDOW_DAYS = 28
SPREAD_PERIODS_WEEKLY = 26  # a surplus or deficit is spread over about six months
SPREAD_PERIODS_MONTHLY = 6
STEP_MINIMUM = Money("2.00")
STEP_FRACTION = Decimal("0.03")
SURPLUS_BAND = Decimal("1.25")  # above target x 1.25 the surplus is released
REBUILD_BAND = Decimal("0.5")  # below target x 0.5 leefgeld is lowered to rebuild


@dataclass(frozen=True, slots=True)
class Budget:
    """A household's month in round figures, and the rate that it sustains."""

    monthly_income: Money
    monthly_charges: Money
    monthly_reserves: Money
    monthly_repayment: Money
    reserve_amounts: tuple[tuple[str, Money], ...]
    sustainable: Money  # per cadence period
    floor: Money  # per cadence period
    cadence: Cadence

    @property
    def monthly_surplus(self) -> Money:
        return self.monthly_income - self.monthly_charges - self.monthly_reserves

    @property
    def closes(self) -> bool:
        return self.sustainable >= self.floor


def cadence_of(household: Household) -> Cadence:
    if household.leefgeld.policy is LeefgeldPolicyKind.MONTHLY_FIRST:
        return Cadence.MONTHLY
    return household.leefgeld.cadence


def per_period(monthly: Decimal, cadence: Cadence) -> Money:
    """Convert a monthly amount to one cadence period (weekly: x 12 / 52)."""
    if cadence is Cadence.MONTHLY:
        return Money.round(monthly)
    return Money.round(monthly * 12 / 52)


def budget(household: Household, today: date, advance_used: Money = ZERO) -> Budget:
    """Expected monthly income, charges and reserves over the coming year (or participation)."""
    last = today + timedelta(days=BUDGET_WINDOW_DAYS - 1)
    if household.end is not None:
        last = min(last, max(household.end, today + timedelta(days=MIN_WINDOW_DAYS - 1)))
    window_days = (last - today).days + 1
    to_month = Decimal(365) / 12 / window_days

    income_total = Decimal(0)
    toeslag_total = Decimal(0)
    for income in household.incomes:
        count = len(income.schedule.between(today, last))
        income_total += income.amount.amount * count
        if income.kind.is_toeslag:
            toeslag_total += income.amount.amount * count
    charge_total = Decimal(0)
    for charge in household.charges:
        dues = [d for d in charge.schedule.between(today, last) if charge.is_valid_on(d)]
        charge_total += charge.amount.amount * len(dues)

    reserve_amounts = []
    monthly_reserves = ZERO
    for res in household.reserves:
        if res.percent_of_toeslag is not None:
            amount = Money.round(toeslag_total * to_month * res.percent_of_toeslag)
        else:
            amount = res.monthly
        reserve_amounts.append((res.id, amount))
        # a reserve that ends in the window counts for its share of it, like a charge
        # that ends (its contribution each month stays `amount` until then)
        if res.valid_until is not None and res.valid_until < last:
            active_days = max((res.valid_until - today).days + 1, 0)
            amount = Money.round(amount.amount * active_days / window_days)
        monthly_reserves += amount
    monthly_income = Money.round(income_total * to_month)
    monthly_charges = Money.round(charge_total * to_month)
    monthly_repayment = instalment(household, advance_used)
    cadence = cadence_of(household)
    # Repayments are not part of the steady rate: the forecast behind the buffer
    # decision counts them, so an advance lowers leefgeld only through the buffer.
    surplus = monthly_income - monthly_charges - monthly_reserves
    return Budget(
        monthly_income=monthly_income,
        monthly_charges=monthly_charges,
        monthly_reserves=monthly_reserves,
        monthly_repayment=monthly_repayment,
        reserve_amounts=tuple(reserve_amounts),
        sustainable=per_period(surplus.amount, cadence),
        floor=household.floor_per_period(),
        cadence=cadence,
    )


def rules_fingerprint(household: Household) -> str:
    """Changes when anything that affects the rate changes (a rent increase, a stopped toeslag)."""
    relevant = (
        household.incomes,
        household.charges,
        household.reserves,
        household.leefgeld,
        household.buffer,
        household.members,
        household.end,
    )
    return hashlib.sha256(repr(relevant).encode()).hexdigest()[:16]


def whole_euros_down(amount: Money) -> Money:
    return Money(amount.amount.quantize(Decimal(1), rounding=ROUND_FLOOR))


def needs_recompute(household: Household, state: HouseholdState, today: date) -> bool:
    """A rate is recomputed once a month, and at once when the rules change."""
    lg = state.leefgeld
    if lg.rate is None or lg.last_recompute is None:
        return True
    if lg.rules_fingerprint != rules_fingerprint(household):
        return True
    return (lg.last_recompute.year, lg.last_recompute.month) != (today.year, today.month)


@dataclass(frozen=True, slots=True)
class RateDecision:
    state: LeefgeldState
    signals: tuple[Signal, ...]
    explanation: str


def _budget_sentence(b: Budget) -> str:
    unit = "per week" if b.cadence is Cadence.WEEKLY else "per maand"
    parts = [f"Verwacht inkomen {eur(b.monthly_income)} per maand"]
    parts.append(f"vaste lasten {eur(b.monthly_charges)}")
    if b.monthly_reserves:
        parts.append(f"reserveringen {eur(b.monthly_reserves)}")
    if b.monthly_repayment:
        parts.append(f"aflossing voorschot {eur(b.monthly_repayment)} (uit de buffer)")
    return (
        ", ".join(parts)
        + f"; er blijft {eur(b.monthly_surplus)} per maand over, "
        + f"dat is {eur(b.sustainable)} {unit}."
    )


def _target_rate(
    household: Household, state: HouseholdState, today: date, settings: PlanSettings, b: Budget
) -> tuple[Money, bool, str, list[Signal]]:
    """The rate the household should get now, whether the buffer is reached, and why."""
    signals: list[Signal] = []
    policy = household.leefgeld
    if policy.policy is LeefgeldPolicyKind.FIXED and policy.amount is not None:
        return policy.amount, True, "Vast leefgeld, afgesproken met de sociale dienst.", signals
    target = household.buffer.target
    sustainable = max(b.sustainable, ZERO)
    lowest = project(
        household,
        state,
        today,
        settings,
        rate=max(sustainable, b.floor),
        reserve_amounts=dict(b.reserve_amounts),
    ).lowest
    reached = state.leefgeld.buffer_reached or lowest.balance >= target
    spread = SPREAD_PERIODS_WEEKLY if b.cadence is Cadence.WEEKLY else SPREAD_PERIODS_MONTHLY
    if not reached:
        months = max(policy.buildup_months, 1)
        buildup = per_period(target.amount / months, b.cadence)
        rate = max(b.floor, sustainable - buildup)
        why = (
            f"Opbouwfase: een deel van het geld gaat naar uw buffer tot die {eur(target)} is. "
            "Daarna wordt uw leefgeld hoger."
        )
    elif lowest.balance.amount > target.amount * SURPLUS_BAND:
        extra = Money.round((lowest.balance - target).amount / spread)
        rate = max(b.floor, sustainable + extra)
        why = (
            "Uw buffer is groter dan nodig; het extra geld krijgt u verdeeld over de komende tijd."
        )
    elif lowest.balance.amount < target.amount * REBUILD_BAND:
        shortfall = Money.round((target - lowest.balance).amount / spread)
        rate = max(b.floor, sustainable - shortfall)
        why = "Uw buffer is kleiner dan nodig; een klein deel van het geld vult de buffer weer aan."
    else:
        rate = max(b.floor, sustainable)
        why = "Uw buffer is op peil."
    affordable = affordable_rate(household, state, today, settings, b, rate)
    if affordable < rate:
        rate = affordable
        why += (
            " Het leefgeld is zo gekozen dat alle vaste lasten de komende twee maanden "
            "betaald kunnen worden."
        )
    return max(whole_euros_down(rate), b.floor), reached, why, signals


def affordable_rate(
    household: Household,
    state: HouseholdState,
    today: date,
    settings: PlanSettings,
    b: Budget,
    ceiling: Money,
) -> Money:
    """The highest whole-euro rate <= ceiling that keeps the forecast at or above zero."""
    reserve_amounts = dict(b.reserve_amounts)

    def fits(euros: int) -> bool:
        lowest = project(
            household, state, today, settings, rate=Money(euros), reserve_amounts=reserve_amounts
        ).lowest
        return not lowest.balance.is_negative

    high = int(whole_euros_down(max(ceiling, ZERO)).amount)
    if fits(high):
        return ceiling
    low = 0
    if not fits(low):
        return ZERO
    while high - low > 1:  # invariant: fits(low) and not fits(high)
        middle = (low + high) // 2
        if fits(middle):
            low = middle
        else:
            high = middle
    return Money(low)


def _threshold(rate: Money) -> Money:
    return max(STEP_MINIMUM, Money.round(rate.amount * STEP_FRACTION))


def recompute(
    household: Household,
    state: HouseholdState,
    today: date,
    settings: PlanSettings,
    next_release: date,
) -> RateDecision:
    """Recompute the rate; a change takes effect one release after `next_release`."""
    b = budget(household, today, state.advance_used)
    signals: list[Signal] = []
    if not b.closes and household.leefgeld.policy is not LeefgeldPolicyKind.FIXED:
        signals.append(
            Signal(
                SignalKind.BUDGET_DOES_NOT_CLOSE,
                household.code,
                Severity.HIGH,
                "De begroting sluit niet: het verwachte inkomen dekt de vaste lasten en het "
                f"minimum leefgeld ({eur(b.floor)}) niet. " + _budget_sentence(b),
                key=f"{household.code}:begroting:{today:%Y-%m}",
            )
        )
    rate, reached, why, more = _target_rate(household, state, today, settings, b)
    signals.extend(more)
    explanation = _budget_sentence(b) + " " + why
    lg = state.leefgeld
    base = replace(
        lg,
        buffer_reached=reached,
        last_recompute=today,
        rules_fingerprint=rules_fingerprint(household),
        reason=explanation,
    )
    current = lg.rate_on(next_release)
    if current is None:
        new = replace(base, rate=rate, rate_since=today, next_rate=None, next_rate_from=None)
        return RateDecision(new, tuple(signals), explanation)
    if lg.next_rate is not None and abs(rate - lg.next_rate) < _threshold(lg.next_rate):
        return RateDecision(base, tuple(signals), explanation)  # already announced
    if abs(rate - current) < _threshold(current):
        return RateDecision(
            replace(base, next_rate=None, next_rate_from=None), tuple(signals), explanation
        )
    step_from = next_release + timedelta(days=1)
    new = replace(base, next_rate=rate, next_rate_from=step_from)
    word = "omhoog" if rate > current else "omlaag"
    signals.append(
        Signal(
            SignalKind.LEEFGELD_STEP,
            household.code,
            Severity.INFO,
            f"Leefgeld gaat {word} van {eur(current)} naar {eur(rate)} vanaf de uitbetaling "
            f"na {day_nl(next_release)}. {why}",
            key=f"{household.code}:leefgeld_stap:{step_from.isoformat()}:{rate}",
            data=(("rate", str(rate)), ("from", step_from.isoformat()), ("previous", str(current))),
        )
    )
    return RateDecision(new, tuple(signals), explanation)
