"""The rate a household should get now: the opbouwfase, the buffer part, the cap.

The rate starts from what the budget sustains. While the buffer is being built
part of it goes to the buffer; once the buffer is reached a surplus above it is
released (or a shortfall rebuilt) as one fixed amount for about a year; and
the rate is held down so every fixed charge of the coming two months stays paid.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from huishoudboekje.domain.dutch_text import day_nl, eur
from huishoudboekje.domain.forecast import project
from huishoudboekje.domain.household import Cadence, Household, LeefgeldPolicyKind
from huishoudboekje.domain.household_state import HouseholdState, LeefgeldState
from huishoudboekje.domain.leefgeld.budget import Budget, per_period
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.occurrences import PlanSettings

# a surplus or deficit is spread over about a year: half as large a step as over six
# months, and the step down when it ends is half as large too (docs/benchmarks.md,
# issue 17: B-WEEK's second year 6.2x -> 12.6x, 16 seeds median 10.3x -> 20.4x)
SPREAD_PERIODS_WEEKLY = 52
SPREAD_PERIODS_MONTHLY = 12
SURPLUS_BAND = Decimal("1.25")  # above target x 1.25 the surplus is released
REBUILD_BAND = Decimal("0.5")  # below target x 0.5 leefgeld is lowered to rebuild
ADJUSTMENT_DAYS = 364  # a surplus is released, a shortfall rebuilt, over about a year
STEP_MINIMUM = Money("2.00")  # a change of the rate smaller than this is no step
STEP_FRACTION = Decimal("0.03")  # ... nor one smaller than 3% of the rate
# A regular household's buffer decision (release a surplus, rebuild a shortfall)
# looks at the lowest point of the coming year, not of the coming two months
# (`buffer_lowest`): a 4-weekly salary brings a thirteenth payday once a year, so
# the vat has a yearly cycle wider than the bands (0.5-1.25 x target). Seen two
# months ahead, the top of that cycle looked like a surplus and its bottom like a
# shortfall: a year-long release, then a year-long rebuild, for an income that
# did not change (B-MAAND: 1,167 -> 1,068 -> 1,184 -> 1,075 a month).
BUFFER_HORIZON_DAYS = 365
# a household with an irregular income (issue 17.4): its buffer part is worked out
# anew at every recomputation, a surplus paid out over about eighteen months and a
# shortfall rebuilt in about six (in cadence periods: weeks, or months). Slower both
# ways than the nine and three months before: each quarterly step is smaller, and
# the larger learned buffer (`MAX_LEARNED_BUFFER`) carries the wider swings of the
# vat (docs/benchmarks.md, issue 17: B-ZZP's second year 6.3x -> 10.8x, 16 seeds
# median 5.7x -> 9.0x)
RELEASE_PERIODS_IRREGULAR = {Cadence.WEEKLY: 78, Cadence.MONTHLY: 18}
REBUILD_PERIODS_IRREGULAR = {Cadence.WEEKLY: 26, Cadence.MONTHLY: 6}


@dataclass(frozen=True, slots=True)
class Adjustment:
    """The buffer part of the rate: a fixed amount per period until a date."""

    amount: Money = ZERO
    until: date | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """The rate the household should get now, and what it rests on."""

    rate: Money
    reached: bool  # the buffer target has been reached (the opbouwfase is over)
    adjustment: Adjustment  # the buffer part of the rate
    capped: bool  # held down so the charges of the coming two months stay covered
    why: str  # plain Dutch


def whole_euros_down(amount: Money) -> Money:
    """`amount` rounded down to whole euros."""
    return Money(amount.amount.quantize(Decimal(1), rounding=ROUND_FLOOR))


def period_days(cadence: Cadence) -> int:
    """The length of one cadence period in days (a month counted as 31)."""
    return 7 if cadence is Cadence.WEEKLY else 31


def target_rate(
    household: Household,
    state: HouseholdState,
    today: date,
    settings: PlanSettings,
    b: Budget,
    next_release: date,
) -> Target:
    """The rate the household should get now, whether the buffer is reached, the
    buffer part of the rate (`adjustment`), whether it is held down to keep the
    charges covered (`capped`), and why."""
    policy = household.leefgeld
    if policy.policy is LeefgeldPolicyKind.FIXED and policy.amount is not None:
        why = "Vast leefgeld, afgesproken met de sociale dienst."
        return Target(policy.amount, True, Adjustment(), False, why)
    target = household.buffer.target
    sustainable = max(b.sustainable, ZERO)
    lowest = project(
        household,
        state,
        today,
        settings,
        rate=max(sustainable, b.floor),
        reserve_amounts=dict(b.reserve_amounts),
        rate_from=next_release + timedelta(days=1),
    ).lowest
    reached = state.leefgeld.buffer_reached or lowest.balance >= target
    if not reached:
        months = max(policy.buildup_months, 1)
        buildup = per_period(target.amount / months, b.cadence)
        rate = max(b.floor, sustainable - buildup)
        adjustment = Adjustment()
        why = (
            f"Opbouwfase: een deel van het geld gaat naar uw buffer tot die {eur(target)} is. "
            "Daarna wordt uw leefgeld hoger."
        )
    elif any(i.irregular for i in household.incomes):
        adjustment, why = irregular_buffer_part(lowest.balance, target, b.cadence)
        rate = max(b.floor, sustainable + adjustment.amount)
    else:
        year = buffer_lowest(household, state, today, settings, b, next_release)
        adjustment, why = _buffer_part(
            state.leefgeld, year, target, b, next_release, step_threshold(max(sustainable, b.floor))
        )
        rate = max(b.floor, sustainable + adjustment.amount)
    affordable = affordable_rate(household, state, today, settings, b, rate)
    irregular = any(i.irregular for i in household.incomes)
    if irregular:
        affordable = min(
            affordable, max(dry_spell_rate(household, state, today, settings, b, rate), b.floor)
        )
    capped = affordable < rate
    if capped:
        rate = affordable
        why += (
            " Het leefgeld is zo gekozen dat alle vaste lasten de komende twee maanden "
            "betaald kunnen worden"
            + (", ook als er in die tijd geen wisselend inkomen binnenkomt." if irregular else ".")
        )
    return Target(max(whole_euros_down(rate), b.floor), reached, adjustment, capped, why)


def steady_rules(household: Household, today: date) -> Household:
    """`household` with the rules in force on `today` held steady: a charge that
    starts later is left out and one that runs today does not end, an income that
    still runs does not stop, a reserve still filled keeps being filled.

    The budget counts a known change when it takes effect, not before
    (`leefgeld.budget`); a forecast of a year under these rules does the same, so
    a rent increase in July does not lower leefgeld in March.
    """
    charges = tuple(
        replace(c, valid_until=None, schedule=c.schedule.running_on(today))
        for c in household.charges
        if c.is_valid_on(today)
    )
    incomes = tuple(replace(i, schedule=i.schedule.running_on(today)) for i in household.incomes)
    reserves = tuple(
        replace(r, valid_until=None) if r.is_valid_on(today) else r for r in household.reserves
    )
    return replace(household, charges=charges, incomes=incomes, reserves=reserves)


def buffer_lowest(
    household: Household,
    state: HouseholdState,
    today: date,
    settings: PlanSettings,
    b: Budget,
    next_release: date | None = None,
) -> Money:
    """The lowest point of the vat in the coming year (BUFFER_HORIZON_DAYS) at the
    sustainable rate, under the rules in force today (`steady_rules`): what a
    regular household's buffer decision compares with its target. Shorter when
    the participation ends sooner, never shorter than `settings.forecast_days`.
    The releases up to `next_release` are at the rate they will be paid at: a new
    rate is first paid after it."""
    days = BUFFER_HORIZON_DAYS
    if household.end is not None:
        days = min(days, (household.end - today).days)
    return project(
        steady_rules(household, today),
        state,
        today,
        settings,
        days=max(days, settings.forecast_days),
        rate=max(b.sustainable, b.floor),
        reserve_amounts=dict(b.reserve_amounts),
        rate_from=None if next_release is None else next_release + timedelta(days=1),
    ).lowest.balance


def step_threshold(rate: Money) -> Money:
    """The smallest change of `rate` worth a step: small differences keep leefgeld steady."""
    return max(STEP_MINIMUM, Money.round(rate.amount * STEP_FRACTION))


def _buffer_part(
    lg: LeefgeldState,
    lowest: Money,
    target: Money,
    b: Budget,
    next_release: date,
    smallest: Money,
) -> tuple[Adjustment, str]:
    """Once the buffer is reached: the buffer part of the rate, and why.

    A new extra (or cut) smaller than `smallest` (the smallest step,
    `step_threshold`) is not started: the rate would not step for it, and the
    household would read "€ 31,19 extra per keer, tot ..." while its leefgeld
    stayed the same (a monthly leefgeld of € 1.074, issue 17). The money stays in
    the vat until the surplus (or shortfall) is large enough for a step.
    """
    previous = Adjustment(lg.adjustment, lg.adjustment_until)
    adjustment = buffer_adjustment(previous, lowest, target, b.cadence, next_release)
    if adjustment != previous and abs(adjustment.amount) < smallest:
        adjustment = Adjustment()
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
    return adjustment, why


def irregular_buffer_part(lowest: Money, target: Money, cadence: Cadence) -> tuple[Adjustment, str]:
    """The buffer part of an irregular earner's rate (issue 17.4), and why.

    The learned income is a mean: some months bring far more, some nothing, and
    the vat carries the difference. So the rate is the learned income's rate plus
    the distance of the forecast's lowest point from the target, spread: a surplus
    over RELEASE_PERIODS_IRREGULAR (the vat does not hoard, and one lucky month is
    not paid out at once), a shortfall over REBUILD_PERIODS_IRREGULAR (faster: the
    vat is rebuilt before the next dry spell). It is worked out anew at every
    recomputation and has no end date; the rate itself still moves only in
    announced steps, at most once a quarter (`leefgeld.recompute`), except to
    keep the charges paid.
    """
    excess = lowest - target
    periods = RELEASE_PERIODS_IRREGULAR if excess.is_positive else REBUILD_PERIODS_IRREGULAR
    amount = Money.round(excess.amount / periods[cadence])
    if amount.is_positive:
        why = (
            "Uw inkomen wisselt; uw buffer is groter dan nodig, daarom krijgt u "
            f"{eur(amount)} per keer extra uit de buffer."
        )
    elif amount.is_negative:
        why = (
            "Uw inkomen wisselt; uw buffer is kleiner dan nodig, daarom gaat "
            f"{eur(-amount)} per keer naar uw buffer."
        )
    else:
        why = "Uw buffer is op peil."
    return Adjustment(amount), why


def buffer_adjustment(
    previous: Adjustment, lowest: Money, target: Money, cadence: Cadence, next_release: date
) -> Adjustment:
    """Release a surplus or rebuild a shortfall as one fixed amount for about a year.

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
    amount = Money.round(excess.amount / spread)
    period = timedelta(days=period_days(cadence))
    until = previous.until
    if previous.amount != ZERO and until is not None and next_release + period < until:
        days_left = (until - next_release).days
        # whole periods still to come, rounded up (months counted as 365/12 days)
        periods_left = (
            -(-days_left // 7) if cadence is Cadence.WEEKLY else -(-days_left * 12 // 365)
        )
        still_to_come = previous.amount * periods_left
        beyond = excess - still_to_come
        # a rebuild still running while the buffer is now far above the band (or a
        # release while it fell far below) is replaced too: otherwise an irregular
        # earner's windfall sat in the vat until the cut ran out (issue 17.4)
        turned = (previous.amount.is_negative and lowest.amount > target.amount * SURPLUS_BAND) or (
            previous.amount.is_positive and lowest.amount < target.amount * REBUILD_BAND
        )
        # a new windfall replaces a running release only when the new one is not
        # smaller (a new shortfall a running rebuild only when the new cut is not
        # smaller): an extra announced "until" a date is not cut short before it.
        # Left as it is, it ends on its date and the rest is released from then.
        more = previous.amount.is_positive and amount >= previous.amount
        deeper = previous.amount.is_negative and amount <= previous.amount
        if not (
            turned
            or (more and beyond.amount > target.amount * (SURPLUS_BAND - 1))
            or (deeper and beyond.amount < target.amount * (REBUILD_BAND - 1))
        ):
            return previous
    elif not (
        lowest.amount > target.amount * SURPLUS_BAND or lowest.amount < target.amount * REBUILD_BAND
    ):
        return Adjustment()
    if amount == ZERO:
        return Adjustment()
    return Adjustment(amount, next_release + timedelta(days=ADJUSTMENT_DAYS))


def dry_spell_rate(
    household: Household,
    state: HouseholdState,
    today: date,
    settings: PlanSettings,
    b: Budget,
    ceiling: Money,
) -> Money:
    """The highest rate <= ceiling that keeps the charges of the coming two months
    (`settings.forecast_days`) paid from the vat and the regular incomes alone: as if
    none of the household's irregular streams paid anything in that time.

    The learned income of an irregular stream is a mean; a ZZP household's invoices
    may not be paid for two months while the forecast still expects the mean on its
    day each month. Capped only by that forecast, the rate stayed high until the vat
    was empty and then leefgeld stopped for weeks while the zorgtoeslag kept coming
    (docs/benchmarks.md, issue 17 point 3). Capped by this one, the rate steps down
    while the vat still holds the charges of a dry spell, so the floor is kept
    through it. The step down is forced: it is not held back by the quarterly limit
    (`recompute._held`); the step back up once the money is there waits for it.
    """
    dry = replace(household, incomes=tuple(i for i in household.incomes if not i.irregular))
    return affordable_rate(dry, state, today, settings, b, ceiling)


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
