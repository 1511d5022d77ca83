"""Issue 17: a regular household's buffer decision over the coming year.

- `steady_rules`: the year's forecast uses the rules in force today, held steady,
  so a known change (a rent increase in July) enters when it takes effect, as the
  budget counts it, and not months before;
- `Schedule.running_on`: an income that still runs does not stop in that forecast;
- a running extra (or cut) announced "until" a date is not replaced by a smaller
  one before that date: a new surplus that would make it smaller waits for its end.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from huishoudboekje.domain.household import Cadence
from huishoudboekje.domain.leefgeld import Adjustment, buffer_adjustment
from huishoudboekje.domain.leefgeld.rate import steady_rules
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.schedule import Schedule
from tests.factories import jansen

TODAY = date(2026, 3, 2)
RUNNING = date(2026, 6, 1)  # 13 weeks of a running adjustment still to come
TARGET = Money("1200.00")


def test_a_larger_surplus_that_would_make_a_running_extra_smaller_waits_for_its_end() -> None:
    # 50 a week until 1 June: 650 still to come; the vat is 1.500 above target, so
    # 850 beyond it. Spread anew over a year that is 28,85 a week: a step down
    # before the date the household was told. The extra runs on to its date.
    running = Adjustment(Money("50.00"), RUNNING)
    result = buffer_adjustment(running, Money("2700.00"), TARGET, Cadence.WEEKLY, TODAY)
    assert result == running


def test_a_surplus_that_keeps_the_extra_as_large_still_restarts_it() -> None:
    running = Adjustment(Money("50.00"), RUNNING)
    result = buffer_adjustment(running, Money("4000.00"), TARGET, Cadence.WEEKLY, TODAY)
    assert result == Adjustment(Money("53.85"), date(2027, 3, 1))


def test_a_shallower_new_shortfall_does_not_end_a_running_cut_early() -> None:
    # a cut of 30 a week until 1 June (390 still to come); 1.100 short now, 710
    # beyond what the cut still brings, but spread over a year only 21,15 a week
    running = Adjustment(Money("-30.00"), RUNNING)
    result = buffer_adjustment(running, Money("100.00"), TARGET, Cadence.WEEKLY, TODAY)
    assert result == running


def test_steady_rules_leave_out_a_rent_increase_that_has_not_started() -> None:
    household = jansen()
    huur = household.charges[0]
    raised = replace(
        household,
        charges=(
            replace(huur, valid_until=date(2026, 6, 30)),
            replace(huur, id="huur-2026", amount=Money("825.40"), valid_from=date(2026, 7, 1)),
            *household.charges[1:],
        ),
    )
    steady = steady_rules(raised, TODAY)
    assert [c.id for c in steady.charges] == [c.id for c in household.charges]
    assert steady.charges[0].valid_until is None  # today's rent runs on
    # from 1 July the new rent is today's rule, and the old one is gone
    july = steady_rules(raised, date(2026, 7, 1))
    assert "huur-2026" in [c.id for c in july.charges]
    assert huur.id not in [c.id for c in july.charges]


def test_an_income_that_still_runs_does_not_stop_in_the_steady_rules() -> None:
    ending = Schedule(date(2026, 1, 20), "FREQ=MONTHLY;BYMONTHDAY=20;UNTIL=20260820")
    assert ending.running_on(TODAY).between(date(2026, 9, 1), date(2026, 12, 31)) == [
        date(2026, 9, 20),
        date(2026, 10, 20),
        date(2026, 11, 20),
        date(2026, 12, 20),
    ]
    # one that has ended stays ended
    assert ending.running_on(date(2026, 9, 1)) is ending
    household = jansen()
    toeslag = replace(household.incomes[-1], schedule=ending)
    steady = steady_rules(replace(household, incomes=(*household.incomes[:-1], toeslag)), TODAY)
    assert steady.incomes[-1].schedule.end is None


def test_an_extra_too_small_for_a_step_is_not_promised() -> None:
    """Jansen paid monthly with € 3.000 in the vat: in May 2026 the surplus seen over
    the year is € 374, an extra of € 31,19 a month, below the smallest step (3% of
    € 1.074). The rate stays € 1.074, so the reason may not say "€ 31,19 extra per
    keer, tot ..." and the planner may not keep it as an extra running for a year
    (it did: the household read an extra it never got, GUIDE §4.5)."""
    from tests.test_leefgeld_cadence import _run

    run = _run(Cadence.MONTHLY, start_vat="3000.00")
    june = next(d for d in run.days if d.day == date(2026, 6, 15)).plan.state.leefgeld
    assert june.rate == Money("1074.00") and june.next_rate is None
    assert june.adjustment == Money("0.00"), june.reason
    assert "extra per keer" not in june.reason
    assert "Uw buffer is op peil." in june.reason
