"""Issue 17.3: an income that stops without anyone telling us.

An alimentatie stops being paid after April; nobody changes the configuration.
Before the fix the planner kept counting it: the vat drained and leefgeld fell
to zero for weeks. Now, once it is overdue by its window plus one of its own
periods, the planner stops counting it, staff get "inkomen lijkt gestopt" with
the last date received, and the household gets one announced step down; when
the income comes back, the rate returns in one announced step.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from huishoudboekje.domain import household as hh
from huishoudboekje.domain.household import ChargeKind, Household, IncomeKind
from huishoudboekje.domain.household_state import IncomeReceipt
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.occurrences import stopped_income
from huishoudboekje.domain.signals import SignalKind
from huishoudboekje.domain.simulation import ActualIncome, Simulation, simulate
from tests import factories

START = date(2026, 1, 1)
LAST = date(2026, 12, 31)
STOP = date(2026, 5, 1)  # the alimentatie of 10 May and later never comes


def _household() -> Household:
    monthly = "FREQ=MONTHLY;BYMONTHDAY={}"
    return factories.household(
        "HH-ALIM",
        members=2,
        start=START,
        buffer=hh.BufferPolicy(target=Money("1200.00"), advance_limit=Money("600.00")),
        incomes=(
            factories.income(
                "bijstand", "1270.00", date(2026, 1, 23), monthly.format(23), IncomeKind.BIJSTAND
            ),
            factories.income(
                "zorg", "123.00", date(2026, 1, 20), monthly.format(20), IncomeKind.ZORGTOESLAG
            ),
            factories.income(
                "alimentatie",
                "450.00",
                date(2026, 1, 10),
                monthly.format(10),
                IncomeKind.ALIMENTATIE,
            ),
        ),
        charges=(
            factories.charge("huur", "690.00", START, monthly.format(1), ChargeKind.HUUR),
            factories.charge("energie", "135.00", START, monthly.format(5), ChargeKind.ENERGIE),
            factories.charge(
                "zorgpremie", "148.00", START, monthly.format(1), ChargeKind.ZORGPREMIE
            ),
        ),
    )


def _incomes(household: Household, back: date | None = None) -> list[ActualIncome]:
    """Every income on its day, but the alimentatie from STOP on (until `back`)."""
    result = []
    for stream in household.incomes:
        for day in stream.schedule.between(household.start, LAST):
            stopped = day >= STOP and (back is None or day < back)
            if stream.id == "alimentatie" and stopped:
                continue
            result.append(ActualIncome(day, stream.id, stream.amount))
    return result


def _weekly(sim: Simulation) -> dict[tuple[int, int], Money]:
    """Leefgeld paid per ISO week (catch-up payments included), every week present."""
    weeks: dict[tuple[int, int], Money] = defaultdict(lambda: ZERO)
    day = START
    while day <= LAST:
        weeks[day.isocalendar()[:2]] += ZERO
        day += timedelta(days=7)
    for i in sim.instructions():
        if i.kind in ("leefgeld", "nabetaling"):
            weeks[i.execution_date.isocalendar()[:2]] += i.amount
    return weeks


def _steps_down(sim: Simulation, after: date) -> list[tuple[date, str]]:
    return [
        (d.day, s.message)
        for d in sim.days
        if d.day >= after
        for s in d.plan.signals
        if s.kind is SignalKind.LEEFGELD_STEP and "omlaag" in s.message
    ]


def test_a_stopped_alimentatie_never_leaves_weeks_without_leefgeld() -> None:
    household = _household()
    sim = simulate(household, _incomes(household), START, LAST, start_vat=Money("1300.00"))
    weeks = _weekly(sim)
    zero = [week for week, paid in weeks.items() if paid == ZERO]
    assert zero == [], f"weeks without leefgeld while bijstand kept coming: {zero}"
    # at least the floor every week once the buffer was there from the start
    floor = household.floor_per_period()
    assert all(paid >= floor for paid in weeks.values())


def test_staff_get_one_signal_with_the_last_date_received() -> None:
    household = _household()
    sim = simulate(household, _incomes(household), START, LAST, start_vat=Money("1300.00"))
    stopped = {
        s.key: (d.day, s)
        for d in sim.days
        for s in d.plan.signals
        if s.kind is SignalKind.INCOME_STOPPED
    }
    assert len(stopped) == 1  # one key for as long as it stays away
    (_first_day, signal), *_ = sorted(stopped.values(), key=lambda x: x[0])
    first_raised = min(
        d.day for d in sim.days for s in d.plan.signals if s.kind is SignalKind.INCOME_STOPPED
    )
    # due 10 May, window 5 days, one month (31 days) more: noticed on 15 June
    assert first_raised == date(2026, 6, 15)
    assert signal.key == "HH-ALIM:inkomen_gestopt:alimentatie:2026-05-10"
    assert signal.data_dict()["last_received"] == "2026-04-10"
    assert signal.data_dict()["first_missed"] == "2026-05-10"
    assert "Inkomen lijkt gestopt" in signal.message
    assert "10 april" in signal.message


def test_one_announced_step_down_then_steady() -> None:
    household = _household()
    sim = simulate(household, _incomes(household), START, LAST, start_vat=Money("1300.00"))
    downs = _steps_down(sim, date(2026, 5, 1))
    assert len(downs) == 1, downs
    day, _message = downs[0]
    assert date(2026, 6, 15) <= day <= date(2026, 6, 20)
    rates = {i.amount for i in sim.leefgeld() if i.execution_date > day + timedelta(days=7)}
    assert len(rates) <= 2  # the new rate, and at most one later announced step up


def test_the_rate_returns_in_one_step_when_the_income_comes_back() -> None:
    household = _household()
    incomes = _incomes(household, back=date(2026, 8, 10))
    sim = simulate(household, incomes, START, LAST, start_vat=Money("1300.00"))
    ups = [
        (d.day, s.message)
        for d in sim.days
        if date(2026, 8, 10) <= d.day <= date(2026, 9, 30)
        for s in d.plan.signals
        if s.kind is SignalKind.LEEFGELD_STEP
    ]
    assert len(ups) == 1 and "omhoog" in ups[0][1], ups
    back = next(d for d in sim.days if d.day == ups[0][0])
    assert back.plan.state.leefgeld.next_rate_because == "alimentatie weer binnenkomt"
    assert _steps_down(sim, date(2026, 8, 10)) == []


def test_a_late_income_inside_its_period_is_not_stopped() -> None:
    income = _household().incomes[2]
    receipts = (IncomeReceipt("alimentatie", date(2026, 4, 10), Money("450.00")),)
    since = START
    # 10 May is missed; on 14 June it is overdue by 35 days, less than 5 + 31
    assert stopped_income(income, date(2026, 6, 14), receipts, since) is None
    found = stopped_income(income, date(2026, 6, 15), receipts, since)
    assert found is not None and found.first_missed == date(2026, 5, 10)
    assert found.last_received == date(2026, 4, 10)
    # any receipt after it ends it at once
    back = (*receipts, IncomeReceipt("alimentatie", date(2026, 6, 16), Money("450.00")))
    assert stopped_income(income, date(2026, 6, 17), back, since) is None


def test_an_irregular_stream_never_stops() -> None:
    from dataclasses import replace

    income = replace(_household().incomes[2], irregular=True)
    assert stopped_income(income, date(2026, 9, 1), (), START) is None
