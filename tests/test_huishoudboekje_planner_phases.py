"""The planner is a fold over five named phases, each a pure function returning a Step."""

from __future__ import annotations

import inspect
from dataclasses import replace
from datetime import date

import pytest

from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.planner import (
    CLOSING,
    PHASES,
    DecisionKind,
    DecisionStatus,
    Step,
    plan,
)
from huishoudboekje.domain.simulation import ActualIncome, simulate
from tests.factories import jansen


def test_the_phases_are_the_five_named_ones_in_order():
    assert [name for name, _ in PHASES] == [
        "repay advance",
        "fixed charges",
        "reserves",
        "leefgeld",
        "signals",
    ]
    assert [name for name, _ in CLOSING] == ["eindafrekening"]


def _states() -> list[tuple[HouseholdState, date]]:
    """States from a simulation that draws an advance, holds back and releases leefgeld."""
    household = jansen(start=date(2026, 1, 1))
    incomes = [ActualIncome(date(2026, 1, 29), "loon", Money("1850.00"))]
    sim = simulate(household, incomes, date(2026, 1, 1), date(2026, 2, 20))
    return [(d.plan.state, d.day) for d in sim.days[::5]]


@pytest.mark.parametrize(("name", "phase"), PHASES + CLOSING)
def test_each_phase_is_a_pure_function_returning_a_step(name, phase):
    household = replace(jansen(start=date(2026, 1, 1)), end=date(2026, 2, 27))
    settings = PlanSettings()
    assert list(inspect.signature(phase).parameters) == [
        "state",
        "household",
        "today",
        "settings",
    ]
    for state, day in _states():
        first = phase(state, household, day, settings)
        again = phase(state, household, day, settings)
        assert isinstance(first, Step), name
        assert first == again, name


def test_plan_is_the_fold_of_its_phases():
    household = jansen(start=date(2026, 1, 1))
    settings = PlanSettings()
    for state, day in _states():
        result = plan(household, state, day, settings)
        step = Step(state)
        for _name, phase in PHASES + CLOSING:
            step = step.then(phase(step.state, household, day, settings))
        assert result.state == step.state
        assert result.entries == step.entries
        assert result.instructions == step.instructions
        assert result.decisions == step.decisions


def test_decision_kinds_and_statuses_are_enums_equal_to_their_words():
    household = jansen(start=date(2026, 1, 1))
    incomes = [ActualIncome(date(2026, 1, 29), "loon", Money("1850.00"))]
    sim = simulate(household, incomes, date(2026, 1, 1), date(2026, 2, 20))
    decisions = [d for day in sim.days for d in day.plan.decisions]
    assert {type(d.kind) for d in decisions} == {DecisionKind}
    assert {type(d.status) for d in decisions} == {DecisionStatus}
    assert {d.kind for d in decisions} >= {"charge", "advance", "leefgeld"}
    assert DecisionStatus.HELD_BACK == "achtergehouden"
