"""Issue 17: a regular household's buffer decision looks at the coming year.

A 4-weekly salary brings a thirteenth payday once a year, so the vat of a
household paid leefgeld monthly has a yearly cycle wider than the bands around
its buffer target. Seen two months ahead, the top of that cycle looked like a
surplus (a year-long extra) and its bottom like a shortfall (a year-long cut):
three steps in the second year for an unchanged income. Seen a year ahead, the
rate steps at most once in the second year.

It was an xfail (strict) until the buffer decision looked at the coming year
under the rules in force today (`leefgeld.rate.buffer_lowest`, `steady_rules`):
a first version over 365 days saw a rent increase months before its date and
cut a windfall's extra short (docs/benchmarks.md, issue 17).
"""

from __future__ import annotations

from datetime import date, timedelta

from huishoudboekje.domain import household as hh
from huishoudboekje.domain.household import Cadence, ChargeKind, IncomeKind
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.simulation import ActualIncome, simulate
from tests import factories

START = date(2026, 1, 1)


def _household() -> hh.Household:
    loon = factories.income(
        "loon", "1850.00", date(2026, 1, 8), "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH", IncomeKind.LOON
    )
    zorg = factories.income(
        "zorgtoeslag",
        "123.00",
        date(2026, 1, 20),
        "FREQ=MONTHLY;BYMONTHDAY=20",
        IncomeKind.ZORGTOESLAG,
    )
    monthly = "FREQ=MONTHLY;BYMONTHDAY={}"
    charges = (
        factories.charge("huur", "690.00", START, monthly.format(1), ChargeKind.HUUR),
        factories.charge("energie", "135.00", START, monthly.format(5), ChargeKind.ENERGIE),
        factories.charge("water", "22.50", START, monthly.format(15), ChargeKind.WATER),
        factories.charge("zorgpremie", "148.00", START, monthly.format(1), ChargeKind.ZORGPREMIE),
    )
    return factories.household(
        "HH-MAAND",
        members=2,
        start=START,
        leefgeld=hh.LeefgeldPolicy(weekday="friday", cadence=Cadence.MONTHLY),
        buffer=hh.BufferPolicy(target=Money("1200.00"), advance_limit=Money("1200.00")),
        incomes=(loon, zorg),
        charges=charges,
    )


def test_a_thirteenth_payday_does_not_make_the_rate_flap_in_the_second_year() -> None:
    household = _household()
    last = date(2027, 12, 31)
    incomes = [
        ActualIncome(day + timedelta(days=1), stream.id, stream.amount)  # a day late
        for stream in household.incomes
        for day in stream.schedule.between(START, last)
    ]
    sim = simulate(household, incomes, START, last)
    changes = [
        (b.day, a.plan.state.leefgeld.rate, b.plan.state.leefgeld.rate)
        for a, b in zip(sim.days, sim.days[1:], strict=False)
        if a.plan.state.leefgeld.rate is not None
        and b.plan.state.leefgeld.rate != a.plan.state.leefgeld.rate
    ]
    second_year = [c for c in changes if c[0] >= date(2027, 1, 1)]
    assert len(second_year) <= 1, changes
