"""The paid leefgeld weeks are a fact in the state (`HouseholdState.released`), kept
by the planner, stored with its memory, and the same as reading the EndToEndIds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from huishoudboekje.adapters.persistence.planner_memory import memory_from_json, memory_to_json
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import Release, instruction_id, uncovered_days
from huishoudboekje.domain.paid_weeks import released_from_ids, unpaid_days, week_unpaid
from huishoudboekje.domain.planner import plan
from huishoudboekje.domain.simulation import ActualIncome, simulate
from tests.factories import jansen

FIRST = date(2026, 1, 1)


@given(
    paid=st.sets(st.integers(min_value=-20, max_value=20), max_size=8),
    others=st.sets(st.sampled_from(["huur", "energie", "LG-2", "LGX", "NB", "RS-x"]), max_size=3),
    offset=st.integers(min_value=-10, max_value=10),
    code=st.sampled_from(["HH-0001", "HH-0001-een-heel-lange-huishoudcode"]),
)
def test_the_record_is_what_the_ids_say_and_covers_the_same_days(
    paid: set[int], others: set[str], offset: int, code: str
) -> None:
    start = date(2026, 3, 2)
    household = replace(jansen(), code=code)
    days = {start + timedelta(days=d) for d in paid}
    instructed = frozenset(
        {instruction_id(code, "LG", d) for d in days}
        | {instruction_id(code, subject, start) for subject in others}
    )
    released = released_from_ids(code, instructed)
    assert released == tuple(sorted(days))
    nominal = start + timedelta(days=offset)
    release = Release(nominal, nominal, instruction_id(code, "LG", nominal))
    expected = uncovered_days(household, release, instructed)
    assert week_unpaid(released, nominal) == expected
    state = HouseholdState(code, instructed=instructed)
    assert unpaid_days(household, state, release) == expected  # no record: from the ids
    assert unpaid_days(household, replace(state, released=released), release) == expected


def _run(last: date):  # type: ignore[no-untyped-def]
    household = jansen()
    incomes = [
        ActualIncome(day, stream.id, stream.amount)
        for stream in household.incomes
        for day in stream.schedule.between(FIRST, last)
    ]
    return household, simulate(household, incomes, FIRST, last, start_vat=Money("1500.00"))


def test_the_planner_keeps_the_record_as_it_pays() -> None:
    household, run = _run(date(2026, 3, 31))
    for day in run.days:
        state = day.plan.state
        assert state.released == released_from_ids(household.code, state.instructed)
    assert len(run.days[-1].plan.state.released or ()) >= 12


def test_older_memory_without_the_record_plans_the_same() -> None:
    household, run = _run(date(2026, 3, 3))
    state = run.days[-1].plan.state
    today = date(2026, 3, 4)
    memory = memory_to_json(state, today)
    assert memory["released"] == [d.isoformat() for d in state.released or ()]
    older = {k: v for k, v in memory.items() if k != "released"}
    stored = replace(memory_from_json(state.code, memory), vat=state.vat)
    old = replace(memory_from_json(state.code, older), vat=state.vat)
    assert stored.released == state.released and old.released is None
    with_record, without = plan(household, stored, today), plan(household, old, today)
    assert with_record.instructions == without.instructions
    assert with_record.decisions == without.decisions
    assert with_record.next_release == without.next_release
    assert with_record.state == without.state  # the record is made from the ids


def test_the_record_ages_out_with_the_ids() -> None:
    household, run = _run(date(2026, 3, 31))
    state = run.days[-1].plan.state
    later = date(2026, 9, 1)
    kept = memory_from_json(state.code, memory_to_json(state, later))
    assert kept.released == released_from_ids(household.code, kept.instructed)
    assert kept.released and len(kept.released) < len(state.released or ())


def test_a_record_that_misses_a_paid_release_is_completed_from_the_ids() -> None:
    # A build without the record (an older version run after a roll-back) adds
    # release ids but no days; the next plan must still see those weeks as paid.
    household, run = _run(date(2026, 3, 3))
    state = run.days[-1].plan.state
    today = date(2026, 3, 4)
    stale = replace(state, released=(state.released or ())[:-2])
    assert stale.released != state.released
    with_full, with_stale = plan(household, state, today), plan(household, stale, today)
    assert with_stale.instructions == with_full.instructions
    assert with_stale.decisions == with_full.decisions
    assert with_stale.state.released == with_full.state.released
