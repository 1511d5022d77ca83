"""A new leefgeld day pays each day once: the first release on the new day pays only
the days the last release on the old day did not already pay for."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huishoudboekje.domain.forecast import project
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import (
    PlanSettings,
    Release,
    instruction_id,
    release_share,
    uncovered_days,
)
from huishoudboekje.domain.planner import Difference, Plan, plan
from huishoudboekje.domain.simulation import ActualIncome, simulate
from tests.factories import jansen

FIRST = date(2026, 1, 1)
LAST_FRIDAY_NIGHT = date(2026, 3, 3)  # the Friday release of 27 February is paid
CHANGED = date(2026, 3, 4)  # a Wednesday: staff move the leefgeld day


def _history(household: Household, last: date = LAST_FRIDAY_NIGHT) -> HouseholdState:
    incomes = [
        ActualIncome(day, stream.id, stream.amount)
        for stream in household.incomes
        for day in stream.schedule.between(FIRST, last)
    ]
    run = simulate(household, incomes, FIRST, last, start_vat=Money("3000.00"))
    return run.days[-1].plan.state


def _leefgeld(result: Plan) -> list[tuple[str, date, Money]]:
    return [
        (i.end_to_end_id, i.execution_date, i.amount)
        for i in result.instructions
        if i.kind == "leefgeld"
    ]


@pytest.mark.parametrize(
    ("weekday", "nominal", "days"),
    [
        ("monday", date(2026, 3, 2), 3),  # 27 Feb paid up to Thu 5 Mar: 6, 7, 8 March left
        ("tuesday", date(2026, 3, 3), 4),  # 6, 7, 8, 9 March left
    ],
)
def test_a_new_leefgeld_day_pays_only_the_days_not_paid_yet(
    weekday: str, nominal: date, days: int
) -> None:
    friday = jansen()
    assert friday.leefgeld.weekday == "friday"
    state = _history(friday)
    rate = state.leefgeld.rate
    assert rate is not None
    assert f"HH-0001-LG-{date(2026, 2, 27):%Y%m%d}" in state.instructed

    moved = replace(friday, leefgeld=replace(friday.leefgeld, weekday=weekday))
    tonight = plan(moved, state, CHANGED)
    # the old rate applies to this release (a new rate starts one release later)
    share = Money.round(rate.amount * days / 7)
    assert _leefgeld(tonight) == [(f"HH-0001-LG-{nominal:%Y%m%d}", CHANGED, share)]
    decision = next(d for d in tonight.decisions if d.kind == "leefgeld")
    assert f"leefgeld voor {days} dagen" in decision.reason

    # the next release on the new day is a whole week again
    later = nominal + timedelta(days=7)
    nxt = tonight.next_release
    assert nxt is not None and nxt.day == later
    assert nxt.amount == tonight.state.leefgeld.rate_on(later)


def test_the_forecast_counts_the_partial_release_as_the_planner_pays_it() -> None:
    friday = jansen()
    state = _history(friday)
    moved = replace(friday, leefgeld=replace(friday.leefgeld, weekday="thursday"))
    # Friday 27 February paid up to Thursday 5 March: the Thursday 5 March release
    # (instructed on the 4th) pays 6 of 7 days, Thursday 26 February nothing
    settings = PlanSettings()
    with_leefgeld = project(moved, state, LAST_FRIDAY_NIGHT, settings, days=3)
    without = project(moved, state, LAST_FRIDAY_NIGHT, settings, days=3, leefgeld=False)
    forecast = without.points[-1].balance - with_leefgeld.points[-1].balance
    instructing = plan(moved, state, CHANGED, settings)
    rate = state.leefgeld.rate
    assert rate is not None
    paid = Money.round(rate.amount * 6 / 7)
    assert _leefgeld(instructing) == [("HH-0001-LG-20260305", date(2026, 3, 5), paid)]
    assert forecast == paid


def test_the_usual_weekly_release_stays_whole() -> None:
    friday = jansen()
    state = _history(friday)
    tonight = plan(friday, state, date(2026, 3, 5))  # instructs Friday 6 March
    assert [a for *_, a in _leefgeld(tonight)] == [tonight.state.leefgeld.rate]


def test_a_partial_next_release_says_why_it_is_less() -> None:
    friday = jansen()
    state = _history(friday, date(2026, 3, 2))
    rate = state.leefgeld.rate
    assert rate is not None
    moved = replace(friday, leefgeld=replace(friday.leefgeld, weekday="thursday"))
    tonight = plan(moved, state, date(2026, 3, 3))
    # Thursday 26 February lies inside weeks paid already: nothing, and no decision
    assert _leefgeld(tonight) == []
    assert "HH-0001-LG-20260226" in tonight.state.instructed
    nxt = tonight.next_release
    assert nxt is not None
    assert (nxt.day, nxt.amount, nxt.usual) == (date(2026, 3, 5), release_share(rate, 6), rate)
    assert nxt.difference is Difference.PARTIAL
    assert (
        nxt.because == "uw leefgelddag is veranderd en u al leefgeld had voor 1 dag van deze week"
    )
    assert "leefgeld voor 6 dagen" in nxt.reason


def test_a_whole_release_at_the_usual_rate_has_no_difference() -> None:
    friday = jansen()
    nxt = plan(friday, _history(friday), CHANGED).next_release
    assert nxt is not None and nxt.amount == nxt.usual
    assert (nxt.difference, nxt.because) == (None, "")


@given(
    paid=st.sets(st.integers(min_value=-20, max_value=20), max_size=8),
    others=st.sets(st.sampled_from(["huur", "energie", "LG-2", "LGX"]), max_size=3),
    offset=st.integers(min_value=-10, max_value=10),
    code=st.sampled_from(["HH-0001", "HH-0001-een-heel-lange-huishoudcode"]),
)
def test_the_week_cover_is_what_the_paid_releases_around_it_cover(
    paid: set[int], others: set[str], offset: int, code: str
) -> None:
    """Against the definition: the days of the release's week that no other paid
    release's week (within six days of it) covers; other ids count for nothing."""
    start = date(2026, 3, 2)
    household = replace(jansen(), code=code)
    nominal = start + timedelta(days=offset)
    days = {start + timedelta(days=d) for d in paid}
    instructed = frozenset(
        {instruction_id(code, "LG", d) for d in days}
        | {instruction_id(code, subject, start) for subject in others}
    )
    covered = {
        d + timedelta(days=k)
        for d in days
        if d != nominal and abs((d - nominal).days) < 7
        for k in range(7)
    }
    week = {nominal + timedelta(days=k) for k in range(7)}
    release = Release(nominal, nominal, instruction_id(code, "LG", nominal))
    assert uncovered_days(household, release, instructed) == len(week - covered)
