"""The two policies the leefgeld stability benchmark compares, and how they are scored.

`planned` is the engine (the planner, simulated day by day); `naive` is the
baseline: pay each charge on its execution date if the vat holds enough (else
wait), and every week on the household's leefgeld day pay out whatever is left.
Both give an `Outcome`: the leefgeld paid per week and the charges paid late.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from bench.leefgeld_cases import Case
from huishoudboekje.domain.household import WEEKDAYS, Cadence
from huishoudboekje.domain.leefgeld.budget import budget, cadence_of, per_period
from huishoudboekje.domain.leefgeld.recompute import buffer_target_in_force
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.occurrences import PlanSettings, charge_dues, instruction_id
from huishoudboekje.domain.simulation import Simulation, SimulationDay, simulate


@dataclass
class Outcome:
    """Leefgeld per week (every week, also the empty ones) and the late charges.

    `periods`: leefgeld per measured period (`Case.period`: the weeks, or the
    calendar months for a household paid monthly); `lowest_vat`: the free vat at
    its lowest point of each calendar month (what the household really keeps).
    """

    weekly: list[Money]
    late: int
    late_uncovered: int  # late charges in months whose income did not cover the charges
    periods: list[Money] = field(default_factory=list)
    period_starts: list[date] = field(default_factory=list)
    lowest_vat: list[tuple[date, Money]] = field(default_factory=list)
    # the buffer target in force on each of those days: the configured one, or for a
    # household with an irregular income the learned one (longest gap, capped)
    targets: list[Money] = field(default_factory=list)
    # one period's surplus (week or month, the household's cadence) of the budget in
    # force on each of those days: what issue 17 allows to stay in the vat on top
    surpluses: list[Money] = field(default_factory=list)
    rate_changes: list[date] = field(default_factory=list)  # days the planner's rate changed


def naive(case: Case, last: date, settings: PlanSettings) -> Outcome:
    """Pay charges when due if the money is there; pay out everything else each week."""
    household = case.household
    arrivals: dict[date, Money] = defaultdict(lambda: ZERO)
    for income in case.incomes:
        arrivals[income.day + timedelta(days=1)] += income.amount
    dues = charge_dues(household, household.start, last, settings)
    pending = list(dues)
    paid: dict[str, date] = {}
    vat = ZERO
    payouts: dict[date, Money] = {}
    day = household.start
    while day <= last:
        vat += arrivals.get(day, ZERO)
        for due in [d for d in pending if d.execution <= day]:
            if vat >= due.charge.amount:
                vat -= due.charge.amount
                paid[due.id] = day
                pending.remove(due)
        policy = case.household_on(day).leefgeld
        monthly = policy.cadence is Cadence.MONTHLY
        if (monthly and day.day == 1) or (
            not monthly and day.weekday() == WEEKDAYS.index(policy.weekday)
        ):
            payouts[day] = vat
            vat = ZERO
        day += timedelta(days=1)
    return _outcome(case, dues, paid, payouts, household.start, last)


def planned(case: Case, last: date, settings: PlanSettings) -> Outcome:
    """The planner's leefgeld and charge payments over the same days."""
    sim = _simulate(case, last, settings)
    dues = charge_dues(case.household, case.household.start, last, settings)
    paid = {i.end_to_end_id: i.execution_date for i in sim.instructions() if i.kind == "charge"}
    payouts: dict[date, Money] = defaultdict(lambda: ZERO)
    for instruction in sim.instructions():  # catch-up payments (nabetaling) count too
        if instruction.kind in ("leefgeld", "nabetaling"):
            payouts[instruction.execution_date] += instruction.amount
    outcome = _outcome(case, dues, paid, payouts, case.household.start, last)
    lowest: dict[tuple[int, int], tuple[date, Money]] = {}
    for sim_day in sim.days:
        month = (sim_day.day.year, sim_day.day.month)
        if month not in lowest or sim_day.vat < lowest[month][1]:
            lowest[month] = (sim_day.day, sim_day.vat)
    changes = [
        b.day
        for a, b in itertools.pairwise(sim.days)
        if a.plan.state.leefgeld.rate is not None
        and b.plan.state.leefgeld.rate != a.plan.state.leefgeld.rate
    ]
    lows = [lowest[k] for k in sorted(lowest)]
    by_day = {d.day: d for d in sim.days}
    targets = [_target_in_force(case, by_day[day], settings) for day, _low in lows]
    surpluses = [_period_surplus(case, day) for day, _low in lows]
    return replace(
        outcome, lowest_vat=lows, targets=targets, surpluses=surpluses, rate_changes=changes
    )


def _period_surplus(case: Case, day: date) -> Money:
    """One cadence period's surplus (income less charges and reserves) of the rules in
    force on `day`, as the no-hoarding property counts it (`leefgeld.budget`)."""
    household = case.household_on(day)
    b = budget(household, day)
    return per_period(max(b.monthly_surplus, ZERO).amount, cadence_of(household))


def _target_in_force(case: Case, sim_day: SimulationDay, settings: PlanSettings) -> Money:
    """The buffer target the planner aims for on that day (as `leefgeld.recompute`)."""
    household = case.household_on(sim_day.day)
    return buffer_target_in_force(household, sim_day.plan.state, sim_day.day, settings)


def _simulate(case: Case, last: date, settings: PlanSettings) -> Simulation:
    """The simulation, with the household's configuration changed on each change day
    (`simulate`'s `changes`: the configuration is read every night, the state carried over)."""
    return simulate(
        case.household, case.incomes, case.household.start, last, settings, changes=case.changes
    )


def _outcome(
    case: Case,
    dues: list,  # of ChargeDue
    paid: dict[str, date],
    payouts: dict[date, Money],
    first: date,
    last: date,
) -> Outcome:
    weekly = _weekly(case, dues, paid, payouts, first, last)
    months: dict[tuple[int, int], Money] = defaultdict(lambda: ZERO)
    day = first
    while day <= last:
        months[(day.year, day.month)] += ZERO
        day += timedelta(days=1)
    for day, amount in payouts.items():
        months[(day.year, day.month)] += amount
    if case.period == "month":
        periods = [months[k] for k in sorted(months)]
        starts = [date(y, m, 1) for y, m in sorted(months)]
    else:
        periods = weekly.weekly
        starts = [first + timedelta(days=7 * i) for i in range(len(periods))]
    return replace(weekly, periods=periods, period_starts=starts)


def _weekly(
    case: Case,
    dues: list,  # of ChargeDue
    paid: dict[str, date],
    payouts: dict[date, Money],
    first: date,
    last: date,
) -> Outcome:
    weeks: dict[tuple[int, int], Money] = defaultdict(lambda: ZERO)
    day = first
    while day <= last:  # every week counts, also the ones with nothing paid
        weeks[day.isocalendar()[:2]] += ZERO
        day += timedelta(days=7)
    for day, amount in payouts.items():
        weeks[day.isocalendar()[:2]] += amount
    late = late_uncovered = 0
    for due in dues:
        if due.execution > last - timedelta(days=3):
            continue
        when = paid.get(instruction_id(case.household.code, due.charge.id, due.due))
        if when is None or when > due.due:
            late += 1
            if not _month_covered(case, due.due):
                late_uncovered += 1
    return Outcome([weeks[k] for k in sorted(weeks)], late, late_uncovered)


def _month_covered(case: Case, day: date) -> bool:
    income = sum(
        (i.amount for i in case.incomes if (i.day.year, i.day.month) == (day.year, day.month)), ZERO
    )
    first = date(day.year, day.month, 1)
    last = date(day.year + (day.month == 12), day.month % 12 + 1, 1) - timedelta(days=1)
    charges = sum(
        (
            c.amount
            for ch in case.household.charges
            for c in [ch]
            for _ in ch.schedule.between(first, last)
        ),
        ZERO,
    )
    return income >= charges


def weeks_before_first_income(case: Case) -> int:
    """Whole weeks from the household's start to its first income (zero under any policy)."""
    first = min(i.day for i in case.incomes)
    return max((first - case.household.start).days // 7, 0)


def cv(values: list[Money]) -> Decimal:
    """Coefficient of variation (population stdev / mean); 0 when nothing was paid."""
    numbers = [v.amount for v in values]
    mean = sum(numbers, Decimal(0)) / len(numbers)
    if mean == 0:
        return Decimal(0)
    return Decimal(statistics.pstdev(numbers)) / mean
