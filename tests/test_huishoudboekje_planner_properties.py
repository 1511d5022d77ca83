"""Property tests for the engine guarantees (GUIDE §4) over generated households."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huishoudboekje.domain import ledger
from huishoudboekje.domain.business_calendar import DEFAULT_CALENDAR
from huishoudboekje.domain.household import (
    WEEKDAYS,
    BufferPolicy,
    ChargeKind,
    FixedCharge,
    Household,
    IncomeKind,
    IncomeStream,
    LeefgeldPolicy,
    Reserve,
)
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ledger import AccountKind, Ledger, trial_balance_is_zero
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.occurrences import PlanSettings, execution_date
from huishoudboekje.domain.planner import plan
from huishoudboekje.domain.schedule import Schedule
from huishoudboekje.domain.simulation import ActualIncome, Simulation, simulate

START = date(2026, 1, 1)
DAYS = 75
END = START + timedelta(days=DAYS - 1)
PAYEE = "NL91ABNA0417164300"

money_cents = st.integers(min_value=500, max_value=250_000).map(Money.cents)
RULES = [
    "FREQ=MONTHLY;BYMONTHDAY={d}",
    "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH",
    "FREQ=WEEKLY;BYDAY=FR",
    "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY={d}",
]


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    rule = draw(st.sampled_from(RULES)).format(d=draw(st.integers(1, 28)))
    start = START + timedelta(days=draw(st.integers(0, 27)))
    return Schedule(start, rule)


@st.composite
def households(draw: st.DrawFn) -> Household:
    incomes = tuple(
        IncomeStream(
            f"inc{i}", draw(st.sampled_from(list(IncomeKind))), draw(money_cents), draw(schedules())
        )
        for i in range(draw(st.integers(1, 3)))
    )
    charges = tuple(
        FixedCharge(
            f"ch{i}",
            draw(st.sampled_from(list(ChargeKind))),
            f"Ontvanger {i}",
            PAYEE,
            draw(st.integers(500, 120_000).map(Money.cents)),
            draw(schedules()),
        )
        for i in range(draw(st.integers(1, 5)))
    )
    reserves = ()
    if draw(st.booleans()):
        reserves = (Reserve("res", draw(st.integers(0, 5000).map(Money.cents)), Money("300.00")),)
    # some participations end within the run (eindafrekening, money arriving afterwards)
    end = draw(st.one_of(st.none(), st.integers(20, DAYS).map(lambda d: START + timedelta(d))))
    return Household(
        code="HH-P",
        name="Proef",
        iban="NL44RABO0123456789",
        members=draw(st.integers(1, 6)),
        start=START,
        end=end,
        leefgeld=LeefgeldPolicy(weekday=draw(st.sampled_from(WEEKDAYS))),
        buffer=BufferPolicy(
            target=draw(st.integers(0, 200_000).map(Money.cents)),
            advance_limit=draw(st.integers(0, 150_000).map(Money.cents)),
        ),
        incomes=incomes,
        charges=charges,
        reserves=reserves,
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Household, list[ActualIncome], Money]:
    """A household, its real incomes (jitter in date and amount, some missing) and a start vat."""
    household = draw(households())
    actual = []
    for stream in household.incomes:
        for day in stream.schedule.between(START, END):
            if draw(st.integers(0, 9)) == 0:
                continue  # this income never arrives
            late = timedelta(days=draw(st.integers(-2, 6)))
            cents = stream.amount.to_cents() * draw(st.integers(70, 130)) // 100
            actual.append(ActualIncome(day + late, stream.id, Money.cents(max(cents, 1))))
    start_vat = draw(st.integers(0, 300_000).map(Money.cents))
    return household, actual, start_vat


PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def run(scenario: tuple[Household, list[ActualIncome], Money]) -> Simulation:
    household, actual, start_vat = scenario
    return simulate(household, actual, START, END, start_vat=start_vat)


@PROPERTY_SETTINGS
@given(scenarios())
def test_conservation_to_the_cent(scenario: tuple[Household, list[ActualIncome], Money]) -> None:
    sim = run(scenario)
    assert trial_balance_is_zero(sim.entries)
    balances = sim.balances()
    owed = sum(
        (
            b
            for a, b in balances.items()
            if a.kind in {AccountKind.VAT, AccountKind.RESERVE, AccountKind.IN_FLIGHT}
        ),
        ZERO,
    )
    advances = sum((b for a, b in balances.items() if a.kind is AccountKind.ADVANCE), ZERO)
    assert balances.get(ledger.BANK, ZERO) + advances == owed
    # the planner's idea of the vat is what the ledger says
    final = sim.days[-1].plan.state
    assert balances.get(ledger.vat("HH-P"), ZERO) == final.vat
    assert balances.get(ledger.advance("HH-P"), ZERO) == final.advance_used


@PROPERTY_SETTINGS
@given(scenarios())
def test_never_pays_beyond_vat_plus_advance_and_leefgeld_never_uses_advance(
    scenario: tuple[Household, list[ActualIncome], Money],
) -> None:
    sim = run(scenario)
    household, _, start_vat = scenario
    for index, day in enumerate(sim.days):
        before = sim.days[index - 1] if index else None
        booked = [
            e for e in sim.entries if e.kind == "income" and e.day + timedelta(days=1) == day.day
        ]
        vat = (before.vat if before else start_vat) + sum(
            (e.postings[0].amount for e in booked), ZERO
        )
        advance = before.advance_used if before else ZERO
        leefgeld_seen = False
        for entry in day.plan.entries:
            for posting in entry.postings:
                if posting.account == ledger.vat("HH-P"):
                    vat = vat - posting.amount  # a credit (negative posting) raises the vat
                if posting.account == ledger.advance("HH-P"):
                    advance = advance + posting.amount
            if entry.kind == "instruct_leefgeld":
                leefgeld_seen = True
            if entry.kind == "advance":
                assert not leefgeld_seen, "an advance was drawn after leefgeld was released"
            assert not vat.is_negative, f"{day.day}: vat below zero after {entry.id}"
            assert advance <= household.buffer.advance_limit
        assert vat == day.vat


@PROPERTY_SETTINGS
@given(scenarios())
def test_held_back_charges_really_did_not_fit(
    scenario: tuple[Household, list[ActualIncome], Money],
) -> None:
    sim = run(scenario)
    limit = scenario[0].buffer.advance_limit
    for day in sim.days:
        state = day.plan.state
        room = limit - state.advance_used
        # the eindafrekening releases reserves after the charges phase (the known bug
        # of test_a_rent_the_released_reserve_covers_is_paid_on_time_at_the_end)
        released = sum(
            (
                e.postings[0].amount
                for e in day.plan.entries
                if e.kind == "reserve_release" and "einde deelname" in e.description
            ),
            ZERO,
        )
        for decision in day.plan.decisions:
            # strict priority: a charge waiting for a higher one may fit on its own
            waits_for_claim = " wacht tot de " in decision.reason
            if decision.status == "achtergehouden" and not waits_for_claim:
                assert state.vat - released + room < decision.amount, (day.day, decision)


@PROPERTY_SETTINGS
@given(scenarios())
def test_charges_are_paid_on_time_when_money_suffices(
    scenario: tuple[Household, list[ActualIncome], Money],
) -> None:
    """With an advance limit that covers every charge, nothing is held back or late."""
    household, actual, start_vat = scenario
    need = Money(0)
    for charge in household.charges:
        need = need + charge.amount * len(charge.schedule.between(START, END + timedelta(days=7)))
    household = replace(household, buffer=replace(household.buffer, advance_limit=need))
    sim = simulate(household, actual, START, END, start_vat=start_vat)
    for day in sim.days:
        for decision in day.plan.decisions:
            assert decision.status != "achtergehouden", (day.day, decision)
    for instruction in sim.instructions():
        if instruction.kind == "charge":
            ymd = instruction.end_to_end_id[-8:]
            due = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
            on_time = execution_date(due, 0, PlanSettings())
            if DEFAULT_CALENDAR.add_business_days(on_time, -1) < START:
                continue  # had to be instructed before the household took part
            assert instruction.execution_date <= due, instruction


@PROPERTY_SETTINGS
@given(scenarios(), st.integers(0, DAYS - 1))
def test_same_inputs_same_plan_and_planning_twice_changes_nothing(
    scenario: tuple[Household, list[ActualIncome], Money], offset: int
) -> None:
    household, _actual, start_vat = scenario
    sim = run(scenario)
    day = sim.days[offset]
    before = sim.days[offset - 1].plan.state if offset else HouseholdState("HH-P", vat=start_vat)
    # rebuild the morning state: yesterday's state plus tonight's incomes
    incomes = [
        e for e in sim.entries if e.kind == "income" and e.day + timedelta(days=1) == day.day
    ]
    morning = replace(before, vat=before.vat + sum((e.postings[0].amount for e in incomes), ZERO))
    if offset:
        morning = replace(morning, receipts=day.plan.state.receipts)
    first = plan(household, morning, day.day)
    again = plan(household, morning, day.day)
    assert first == again
    twice = plan(household, first.state, day.day)
    assert twice.instructions == ()
    assert twice.entries == ()
    assert twice.state == first.state


def test_ledger_of_a_simulation_is_consistent_with_state_every_day() -> None:
    from tests.factories import jansen

    household = jansen()
    actual = [
        ActualIncome(day, stream.id, stream.amount)
        for stream in household.incomes
        for day in stream.schedule.between(START, END)
    ]
    sim = simulate(household, actual, START, END)
    for day in sim.days:
        # an income dated D (the bank's booking date) is seen by the plan of D + 1
        seen = [
            e for e in sim.entries if e.day < day.day or (e.day == day.day and e.kind != "income")
        ]
        book = Ledger(tuple(seen))
        assert book.balance(ledger.vat("HH-0001")) == day.vat
        assert book.balance(ledger.advance("HH-0001")) == day.advance_used
