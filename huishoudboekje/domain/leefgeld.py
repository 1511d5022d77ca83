"""The steady leefgeld rate: derived from expected income, not from today's balance.

`budget()` turns a household's rules into a monthly budget and a sustainable
rate per cadence period. `recompute()` decides the rate the household gets,
with the opbouwfase (building the buffer), releasing a surplus above the
buffer target, and announcing every change one period ahead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from huishoudboekje.domain.advance import instalment
from huishoudboekje.domain.dutch_text import day_nl, eur
from huishoudboekje.domain.forecast import project
from huishoudboekje.domain.household import Cadence, Household, LeefgeldPolicyKind
from huishoudboekje.domain.household_state import HouseholdState, LeefgeldState
from huishoudboekje.domain.ids import signal_key
from huishoudboekje.domain.money import ZERO, Money, min_money
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.signals import Severity, Signal, SignalKind

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


def budget(
    household: Household,
    today: date,
    advance_used: Money = ZERO,
    reserves_held: Mapping[str, Money] | None = None,
) -> Budget:
    """Expected monthly income, charges and reserves under the rules in force today.

    Each rule counts at its steady yearly rhythm (`Schedule.per_year`), so the
    budget does not move from one month to the next while nothing changes: a
    4-weekly salary is always 13 x 365/364 paydays a year. A change announced for
    later (rent up from 1 July: one charge `valid_until` 30 June, the next
    `valid_from` 1 July) enters the budget when it takes effect, as one step,
    instead of creeping in over the twelve months before it.

    A charge paid from a reserve (the energy yearly settlement) is budgeted by
    that reserve's contributions, not counted again as a charge. A reserve that
    is full (`reserves_held` at its target) gets nothing this month, as the
    planner then sets nothing aside, so its share goes to leefgeld instead of
    piling up in the vat.
    """
    reserve_ids = {r.id for r in household.reserves}
    income_total = Decimal(0)
    toeslag_total = Decimal(0)
    for income in household.incomes:
        yearly = income.amount.amount * income.schedule.per_year(today)
        income_total += yearly
        if income.kind.is_toeslag:
            toeslag_total += yearly
    charge_total = sum(
        (
            c.amount.amount * c.schedule.per_year(today)
            for c in household.charges
            if c.is_valid_on(today) and c.reserve not in reserve_ids
        ),
        Decimal(0),
    )
    to_month = Decimal(1) / 12

    reserve_amounts = []
    monthly_reserves = ZERO
    for res in household.reserves:
        if res.percent_of_toeslag is not None:
            amount = Money.round(toeslag_total * to_month * res.percent_of_toeslag)
        else:
            amount = res.monthly
        held = (reserves_held or {}).get(res.id)
        if held is not None and res.target is not None:
            amount = min_money(amount, max(res.target - held, ZERO))
        if not res.is_valid_on(today):
            amount = ZERO  # ended, like a charge that ends: nothing more is set aside
        reserve_amounts.append((res.id, amount))
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
    period = timedelta(days=_period_days(cadence_of(household)))
    ending = lg.adjustment_until is not None and today + 2 * period >= lg.adjustment_until
    if lg.adjustment != ZERO and ending:
        return True  # the extra (or the cut) ends: announce that step in time
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
    household: Household,
    state: HouseholdState,
    today: date,
    settings: PlanSettings,
    b: Budget,
    next_release: date,
) -> tuple[Money, bool, Adjustment, bool, str, list[Signal]]:
    """The rate the household should get now, whether the buffer is reached, the
    buffer part of the rate (`adjustment`), whether it is held down to keep the
    charges covered (`capped`), and why."""
    signals: list[Signal] = []
    policy = household.leefgeld
    if policy.policy is LeefgeldPolicyKind.FIXED and policy.amount is not None:
        why = "Vast leefgeld, afgesproken met de sociale dienst."
        return policy.amount, True, Adjustment(), False, why, signals
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
    adjustment = Adjustment()
    if not reached:
        months = max(policy.buildup_months, 1)
        buildup = per_period(target.amount / months, b.cadence)
        rate = max(b.floor, sustainable - buildup)
        why = (
            f"Opbouwfase: een deel van het geld gaat naar uw buffer tot die {eur(target)} is. "
            "Daarna wordt uw leefgeld hoger."
        )
    else:
        lg = state.leefgeld
        adjustment = buffer_adjustment(
            Adjustment(lg.adjustment, lg.adjustment_until),
            lowest.balance,
            target,
            b.cadence,
            next_release,
        )
        rate = max(b.floor, sustainable + adjustment.amount)
        until = day_nl(adjustment.until) if adjustment.until else ""
        if adjustment.amount.is_positive:
            why = (
                "Uw buffer is groter dan nodig; het extra geld krijgt u verdeeld over de "
                f"komende tijd: {eur(adjustment.amount)} extra per keer, tot {until}."
            )
        elif adjustment.amount.is_negative:
            why = (
                "Uw buffer is kleiner dan nodig; een klein deel van het geld vult de buffer "
                f"weer aan: {eur(-adjustment.amount)} per keer, tot {until}."
            )
        else:
            why = "Uw buffer is op peil."
    affordable = affordable_rate(household, state, today, settings, b, rate)
    capped = affordable < rate
    if capped:
        rate = affordable
        why += (
            " Het leefgeld is zo gekozen dat alle vaste lasten de komende twee maanden "
            "betaald kunnen worden."
        )
    return max(whole_euros_down(rate), b.floor), reached, adjustment, capped, why, signals


ADJUSTMENT_DAYS = 182  # a surplus is released, a shortfall rebuilt, over about six months


@dataclass(frozen=True, slots=True)
class Adjustment:
    """The buffer part of the rate: a fixed amount per period until a date."""

    amount: Money = ZERO
    until: date | None = None


def _period_days(cadence: Cadence) -> int:
    return 7 if cadence is Cadence.WEEKLY else 31


def buffer_adjustment(
    previous: Adjustment, lowest: Money, target: Money, cadence: Cadence, next_release: date
) -> Adjustment:
    """Release a surplus or rebuild a shortfall as one fixed amount for about six months.

    It starts when the forecast's lowest point (at the sustainable rate) is above
    target x SURPLUS_BAND or below target x REBUILD_BAND: the difference with the
    target, spread over SPREAD periods, for ADJUSTMENT_DAYS. While it runs it is
    kept as it is, unless a new windfall (or a new shortfall) beyond what is still
    to come would start one on its own: then a new one replaces it. So the
    household sees one step up and one step down, with the end date known from
    the start, instead of an amount that flaps with the phase of a 4-weekly salary.

    A new rate takes effect after `next_release`, so an adjustment counts as
    running only if the release after that one still falls before its end date.
    """
    spread = SPREAD_PERIODS_WEEKLY if cadence is Cadence.WEEKLY else SPREAD_PERIODS_MONTHLY
    excess = lowest - target
    period = timedelta(days=_period_days(cadence))
    until = previous.until
    if previous.amount != ZERO and until is not None and next_release + period < until:
        days_left = (until - next_release).days
        # whole periods still to come, rounded up (months counted as 365/12 days)
        periods_left = (
            -(-days_left // 7) if cadence is Cadence.WEEKLY else -(-days_left * 12 // 365)
        )
        still_to_come = previous.amount * periods_left
        beyond = excess - still_to_come
        if not (
            (previous.amount.is_positive and beyond.amount > target.amount * (SURPLUS_BAND - 1))
            or (previous.amount.is_negative and beyond.amount < target.amount * (REBUILD_BAND - 1))
        ):
            return previous
    elif not (
        lowest.amount > target.amount * SURPLUS_BAND or lowest.amount < target.amount * REBUILD_BAND
    ):
        return Adjustment()
    amount = Money.round(excess.amount / spread)
    if amount == ZERO:
        return Adjustment()
    return Adjustment(amount, next_release + timedelta(days=ADJUSTMENT_DAYS))


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


def step_because(
    before: LeefgeldState, after: LeefgeldState, *, up: bool, rules_changed: bool
) -> str:
    """Why the rate steps up or down, as a plain-Dutch clause to follow "omdat".

    `before` is the state the current rate came from, `after` the recomputation
    that announces the step (its buffer, buffer part and cap).
    """
    if up:
        if after.buffer_reached and not before.buffer_reached:
            return "uw buffer nu vol genoeg is"
        if after.adjustment.is_positive and not before.adjustment.is_positive:
            return "er meer geld in uw buffer zit dan nodig is"
        if before.adjustment.is_negative and not after.adjustment.is_negative:
            return "uw buffer weer op peil is"
        if before.capped:
            return "er nu meer geld in uw buffer zit"
    else:
        if after.capped:
            return "er anders niet genoeg geld is voor de vaste lasten van de komende twee maanden"
        if after.adjustment.is_negative and not before.adjustment.is_negative:
            return "uw buffer te klein is geworden en een deel van het geld naar uw buffer gaat"
        if before.adjustment.is_positive and not after.adjustment.is_positive:
            return "het extra geld uit uw buffer op is"
    if rules_changed:
        return "uw inkomen of uw vaste lasten zijn veranderd"
    return "uw leefgeld opnieuw is berekend"


def recompute(
    household: Household,
    state: HouseholdState,
    today: date,
    settings: PlanSettings,
    next_release: date,
) -> RateDecision:
    """Recompute the rate; a change takes effect one release after `next_release`."""
    b = budget(household, today, state.advance_used, dict(state.reserves))
    signals: list[Signal] = []
    if not b.closes and household.leefgeld.policy is not LeefgeldPolicyKind.FIXED:
        signals.append(
            Signal(
                SignalKind.BUDGET_DOES_NOT_CLOSE,
                household.code,
                Severity.HIGH,
                "De begroting sluit niet: het verwachte inkomen dekt de vaste lasten en het "
                f"minimum leefgeld ({eur(b.floor)}) niet. " + _budget_sentence(b),
                key=signal_key(household.code, "begroting", f"{today:%Y-%m}"),
            )
        )
    rate, reached, adjustment, capped, why, more = _target_rate(
        household, state, today, settings, b, next_release
    )
    signals.extend(more)
    explanation = _budget_sentence(b) + " " + why
    lg = state.leefgeld
    base = replace(
        lg,
        buffer_reached=reached,
        adjustment=adjustment.amount,
        adjustment_until=adjustment.until,
        last_recompute=today,
        rules_fingerprint=rules_fingerprint(household),
        reason=explanation,
        capped=capped,
    )
    current = lg.rate_on(next_release)
    if current is None:
        new = replace(
            base,
            rate=rate,
            rate_since=today,
            next_rate=None,
            next_rate_from=None,
            next_rate_because="",
        )
        return RateDecision(new, tuple(signals), explanation)
    if lg.next_rate is not None and abs(rate - lg.next_rate) < _threshold(lg.next_rate):
        return RateDecision(base, tuple(signals), explanation)  # already announced
    if abs(rate - current) < _threshold(current):
        unannounced = replace(base, next_rate=None, next_rate_from=None, next_rate_because="")
        return RateDecision(unannounced, tuple(signals), explanation)
    step_from = next_release + timedelta(days=1)
    changed = lg.rules_fingerprint not in ("", base.rules_fingerprint)
    because = step_because(lg, base, up=rate > current, rules_changed=changed)
    new = replace(base, next_rate=rate, next_rate_from=step_from, next_rate_because=because)
    word = "omhoog" if rate > current else "omlaag"
    signals.append(
        Signal(
            SignalKind.LEEFGELD_STEP,
            household.code,
            Severity.INFO,
            f"Leefgeld gaat {word} van {eur(current)} naar {eur(rate)} vanaf de uitbetaling "
            f"na {day_nl(next_release)}. {why}",
            key=signal_key(household.code, "leefgeld_stap", step_from.isoformat(), str(rate)),
            data=(("rate", str(rate)), ("from", step_from.isoformat()), ("previous", str(current))),
        )
    )
    return RateDecision(new, tuple(signals), explanation)
