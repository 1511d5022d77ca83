"""Issue 17 point 3 for an irregular earner: the floor is kept through a dry spell.

A ZZP household with good months builds a vat and a high rate; then no invoice
is paid for two months while the zorgtoeslag keeps coming. Its vat held enough
to pay every charge and the minimum leefgeld through those months, but not the
high rate as well: the planner must step down in time (one announced step,
forced by the charges) instead of paying the high rate until the vat is empty
and then nothing for weeks.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from huishoudboekje.domain import household as hh
from huishoudboekje.domain.household import Cadence, ChargeKind, IncomeKind
from huishoudboekje.domain.learned_income import LearnedIncome
from huishoudboekje.domain.leefgeld.budget import Budget, per_period
from huishoudboekje.domain.leefgeld.recompute import irregular_buffer_target
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.occurrences import PlanSettings, charge_dues, instruction_id
from huishoudboekje.domain.simulation import ActualIncome, simulate
from tests import factories

START = date(2026, 1, 1)
DRY_FROM, DRY_UNTIL = date(2026, 9, 1), date(2026, 10, 31)  # no invoice paid


def _household() -> hh.Household:
    omzet = factories.income(
        "omzet", "1850.00", START, "FREQ=MONTHLY;BYMONTHDAY=15", IncomeKind.OVERIG, "0.10"
    )
    zorg = factories.income(
        "zorgtoeslag",
        "123.00",
        START,
        "FREQ=MONTHLY;BYMONTHDAY=20",
        IncomeKind.ZORGTOESLAG,
        "0.10",
    )
    charges = (
        factories.charge("huur", "690.00", START, "FREQ=MONTHLY;BYMONTHDAY=1", ChargeKind.HUUR),
        factories.charge(
            "energie", "135.00", START, "FREQ=MONTHLY;BYMONTHDAY=5", ChargeKind.ENERGIE
        ),
        factories.charge("water", "22.50", START, "FREQ=MONTHLY;BYMONTHDAY=15", ChargeKind.WATER),
        factories.charge(
            "zorgpremie", "148.00", START, "FREQ=MONTHLY;BYMONTHDAY=1", ChargeKind.ZORGPREMIE
        ),
    )
    return factories.household(
        "HH-DROOG",
        members=2,
        start=START,
        leefgeld=hh.LeefgeldPolicy(weekday="friday"),
        buffer=hh.BufferPolicy(target=Money("1200.00"), advance_limit=Money("1200.00")),
        incomes=(replace(omzet, irregular=True), zorg),
        charges=charges,
    )


def _incomes(last: date) -> list[ActualIncome]:
    """Good months (two invoices of € 1.600), then two dry months, then good again."""
    result = []
    month = START
    while month <= last:
        if not DRY_FROM <= month <= DRY_UNTIL:
            result.append(ActualIncome(month + timedelta(days=4), "omzet", Money("1300.00")))
            result.append(ActualIncome(month + timedelta(days=18), "omzet", Money("1300.00")))
        result.append(ActualIncome(month + timedelta(days=19), "zorgtoeslag", Money("123.00")))
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return result


def test_a_dry_spell_the_vat_can_carry_pays_the_floor_every_week() -> None:
    household = _household()
    last = date(2026, 12, 31)
    sim = simulate(household, _incomes(last), START, last)
    paid: dict[date, Money] = {}
    for instruction in sim.instructions():
        if instruction.kind in ("leefgeld", "nabetaling"):
            paid[instruction.execution_date] = paid.get(instruction.execution_date, ZERO) + (
                instruction.amount
            )
    floor = household.floor_per_period()
    # from March (the vat is built) to the end of the year: every week at least the floor
    week = date(2026, 3, 2)
    short = []
    while week + timedelta(days=6) <= last:
        days = [week + timedelta(days=k) for k in range(7)]
        amount = sum((paid.get(d, ZERO) for d in days), ZERO)
        if amount < floor:
            short.append((week.isoformat(), str(amount)))
        week += timedelta(days=7)
    assert short == [], f"weeks below the floor ({floor}): {short}"
    # and the charges stay first and on time (GUIDE section 4.2)
    executed = {i.end_to_end_id: i.execution_date for i in sim.instructions()}
    dues = charge_dues(household, START, last - timedelta(days=7), PlanSettings())
    late = [
        (due.charge.id, due.due.isoformat())
        for due in dues
        if executed.get(instruction_id(household.code, due.charge.id, due.due), date.max) > due.due
    ]
    assert late == []


def _budget_with_learned(monthly: str) -> Budget:
    learned = LearnedIncome(
        "omzet", Money(monthly), Money("1850.00"), Money(monthly), 12, 20, "mean", START, 20
    )
    income = Money(monthly) + Money("123.00")
    charges, reserves = Money("995.50"), Money("20.00")
    return Budget(
        monthly_income=income,
        monthly_charges=charges,
        monthly_reserves=reserves,
        monthly_repayment=ZERO,
        reserve_amounts=(("energie", reserves),),
        sustainable=per_period((income - charges - reserves).amount, Cadence.WEEKLY),
        floor=Money("67.00"),
        cadence=Cadence.WEEKLY,
        learned=(learned,),
    )


def test_the_buffer_target_carries_two_and_a_half_months_not_covered_by_regular_income() -> None:
    b = _budget_with_learned("2000.00")
    assert b.sustainable == Money("255.58")
    # charges 995.50 + reserves 20.00 + leefgeld 255.58 x 52 / 12 = 1107.51, less the
    # zorgtoeslag 123.00: 2000.01 a month the regular income does not cover, x 2.5
    assert irregular_buffer_target(Money("1200.00"), b, Money("7200.00")) == Money(
        "5000.03"
    )  # 5000.025, half up
    # capped by the gemeente maximum; a configured target above it stays
    assert irregular_buffer_target(Money("1200.00"), b, Money("3000.00")) == Money("3000.00")
    assert irregular_buffer_target(Money("8000.00"), b, Money("7200.00")) == Money("8000.00")


def test_a_long_gap_can_still_set_a_larger_target() -> None:
    b = _budget_with_learned("2000.00")
    long_gap = replace(b.learned[0], longest_gap_days=120)
    wide = replace(b, learned=(long_gap,))
    # 2000 x 120 days x 12 / 365 = 7890.41, capped at 9000 only by the maximum
    assert irregular_buffer_target(Money("1200.00"), wide, Money("9000.00")) == Money("7890.41")
