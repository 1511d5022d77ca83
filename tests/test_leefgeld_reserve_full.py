"""Issue 17: a reserve that fills up does not add a second step to the end of the
opbouwfase.

A reserve (the energy yearly settlement, € 20 a month up to € 240) stops being
filled once full, and its € 20 then goes to leefgeld. The rate is recomputed a
release ahead; when the reserve becomes full before the new rate is first paid,
the rate counts it as full already. Before, a household whose opbouwfase ended
in November got € 459 -> € 662 from January and € 662 -> € 682 from February: two
steps in two months, the second one only the reserve's € 20 (bench B-CAD).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from huishoudboekje.domain import household as hh
from huishoudboekje.domain.household import Cadence, ChargeKind, Household, IncomeKind
from huishoudboekje.domain.household_state import HouseholdState, LeefgeldState
from huishoudboekje.domain.ids import reserve_contribution_id
from huishoudboekje.domain.leefgeld import whole_euros_down
from huishoudboekje.domain.leefgeld.recompute import reserves_when_paid
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.signals import SignalKind
from huishoudboekje.domain.simulation import ActualIncome, simulate
from tests.factories import charge, household, income

START = date(2026, 1, 1)
RESERVE = "energie-jaarafrekening"


def _bijstand(cadence: Cadence) -> Household:
    """Bijstand and toeslagen on fixed days, the bench's charges, a reserve of € 20 a
    month up to € 240 (full after twelve months)."""
    return household(
        "HH-RES",
        members=2,
        start=START,
        leefgeld=hh.LeefgeldPolicy(cadence=cadence, weekday="friday"),
        buffer=hh.BufferPolicy(target=Money("1200.00"), advance_limit=Money("1200.00")),
        incomes=(
            income("bijstand", "1270.00", START, "FREQ=MONTHLY;BYMONTHDAY=23", IncomeKind.BIJSTAND),
            income(
                "zorgtoeslag", "123.00", START, "FREQ=MONTHLY;BYMONTHDAY=20", IncomeKind.ZORGTOESLAG
            ),
            income(
                "huurtoeslag", "285.00", START, "FREQ=MONTHLY;BYMONTHDAY=20", IncomeKind.HUURTOESLAG
            ),
        ),
        charges=(
            charge("huur", "690.00", START, kind=ChargeKind.HUUR),
            charge("energie", "135.00", START, "FREQ=MONTHLY;BYMONTHDAY=5", ChargeKind.ENERGIE),
            charge("water", "22.50", START, "FREQ=MONTHLY;BYMONTHDAY=15", ChargeKind.WATER),
            charge("zorgpremie", "148.00", START, kind=ChargeKind.ZORGPREMIE),
        ),
        reserves=(hh.Reserve(RESERVE, Money("20.00"), Money("240.00")),),
    )


def _on_time(h: Household, last: date) -> list[ActualIncome]:
    return [
        ActualIncome(day, stream.id, stream.amount)
        for stream in h.incomes
        for day in stream.schedule.between(h.start, last)
    ]


def _rates(h: Household, last: date) -> list[tuple[date, Money]]:
    """Each day the rate changed, and the new rate."""
    sim = simulate(h, _on_time(h, last), START, last, PlanSettings())
    changes: list[tuple[date, Money]] = []
    for day in sim.days:
        rate = day.plan.state.leefgeld.rate
        if rate is not None and (not changes or changes[-1][1] != rate):
            changes.append((day.day, rate))
    held = sim.days[-1].plan.state.reserve(RESERVE)
    assert held == Money("240.00")  # the reserve did fill up
    return changes


@pytest.mark.parametrize("cadence", [Cadence.MONTHLY, Cadence.WEEKLY])
def test_the_reserve_filling_up_is_no_second_step_after_the_opbouwfase(cadence: Cadence) -> None:
    h = _bijstand(cadence)
    last = date(2027, 6, 30)
    changes = _rates(h, last)
    # the last step is the end of the opbouwfase; nothing follows it in the next
    # half year, although the reserve became full after it was announced
    reached = changes[-1][0]
    assert reached < date(2027, 1, 1), changes
    # and that last rate has the reserve's € 20 a month in it: the surplus of the
    # budget without the reserve (1.678 - 995,50 a month)
    surplus = Money("682.50")
    expected = surplus if cadence is Cadence.MONTHLY else Money.round(surplus.amount * 12 / 52)
    assert changes[-1][1] == whole_euros_down(expected), changes


SETTINGS = PlanSettings()
RATED = LeefgeldState(rate=Money("459.00"))  # a rate is paid: a new one comes a release later


def test_reserves_when_paid_adds_the_contributions_before_the_first_release() -> None:
    h = _bijstand(Cadence.MONTHLY)
    today = date(2026, 11, 30)
    made = frozenset({reserve_contribution_id(h.code, RESERVE, today)})
    state = HouseholdState(
        code=h.code, reserves=((RESERVE, Money("220.00")),), instructed=made, leefgeld=RATED
    )
    # the December release is next; a new rate is first paid on 1 January, after
    # December's contribution: full
    december = date(2026, 12, 1)
    assert reserves_when_paid(h, state, today, december, SETTINGS) == {RESERVE: Money("240.00")}
    # with € 180 held it is not full by then: € 200, so its € 20 still counts
    state = replace(state, reserves=((RESERVE, Money("180.00")),))
    assert reserves_when_paid(h, state, today, december, SETTINGS) == {RESERVE: Money("200.00")}
    # this month's contribution not made yet: it comes before the new rate too
    state = replace(state, instructed=frozenset())
    assert reserves_when_paid(h, state, today, december, SETTINGS) == {RESERVE: Money("220.00")}
    # while a charge is held back nothing is set aside: no projection
    waiting = replace(state, shortage_room=Money("0.00"))
    assert reserves_when_paid(h, waiting, today, december, SETTINGS) == {RESERVE: Money("180.00")}
    # the first rate is paid from the next release itself: only November's contribution
    first = replace(state, leefgeld=LeefgeldState())
    assert reserves_when_paid(h, first, today, december, SETTINGS) == {RESERVE: Money("200.00")}


def test_weekly_the_month_start_before_the_first_new_release_counts() -> None:
    h = _bijstand(Cadence.WEEKLY)
    today = date(2026, 11, 26)  # Thursday; the next release is Friday 27 November
    made = reserve_contribution_id(h.code, RESERVE, today)
    state = HouseholdState(
        code=h.code,
        reserves=((RESERVE, Money("220.00")),),
        instructed=frozenset({made}),
        leefgeld=RATED,
    )
    # a new rate is first paid on Friday 4 December, after the contribution of 1 December
    nov27 = date(2026, 11, 27)
    assert reserves_when_paid(h, state, today, nov27, SETTINGS) == {RESERVE: Money("240.00")}
    # a week earlier the new rate is first paid on 27 November: no contribution before it
    earlier, nov20 = today - timedelta(days=7), date(2026, 11, 20)
    assert reserves_when_paid(h, state, earlier, nov20, SETTINGS) == {RESERVE: Money("220.00")}


def _with_settlement(cadence: Cadence) -> Household:
    """The household with a reserve of € 40 a month for a yearly settlement of € 480
    on 10 December, paid from it (found in review: the reserve is full on 1 December
    and empty on the 10th)."""
    h = _bijstand(cadence)
    settlement = charge(
        "jaarafrekening",
        "480.00",
        START,
        "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=10",
        ChargeKind.ENERGIE,
        reserve=RESERVE,
    )
    return replace(
        h,
        charges=(*h.charges, settlement),
        reserves=(hh.Reserve(RESERVE, Money("40.00"), Money("480.00")),),
    )


@pytest.mark.parametrize("cadence", [Cadence.MONTHLY, Cadence.WEEKLY])
def test_a_reserve_its_own_charge_empties_is_not_counted_full(cadence: Cadence) -> None:
    h = _with_settlement(cadence)
    last = date(2027, 3, 31)
    sim = simulate(h, _on_time(h, last), START, last, PlanSettings(), start_vat=Money("1500.00"))
    steps = [
        (s.data, day.day)
        for day in sim.days
        for s in day.plan.signals
        if s.kind is SignalKind.LEEFGELD_STEP and day.day >= date(2026, 11, 1)
    ]
    # no step around the settlement: not up when the reserve is full on 1 December
    # and back down when the settlement has emptied it
    assert steps == [], steps
    assert sim.days[-1].plan.state.reserve(RESERVE) < Money("480.00")  # it fills again
