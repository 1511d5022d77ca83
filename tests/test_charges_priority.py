"""Strict priority with reservation (issue 17, point 2).

When money is short, a held-back higher-priority charge keeps its claim on
incoming money: no lower-priority charge due on the same day or later is paid
before it, no reserve is filled and leefgeld takes no more than the floor.
`shortage: pay_what_fits` (household or gemeente) keeps the old behaviour.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given

from huishoudboekje.domain.household import (
    BufferPolicy,
    ChargeKind,
    Household,
    LeefgeldPolicy,
    LeefgeldPolicyKind,
    Reserve,
    Shortage,
)
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import PlanSettings, charge_dues
from huishoudboekje.domain.planner import DecisionStatus
from huishoudboekje.domain.simulation import ActualIncome, Simulation, simulate
from tests.factories import charge, jansen
from tests.test_huishoudboekje_planner_properties import (
    PROPERTY_SETTINGS,
    run,
    scenarios,
)

FIRST, LAST = date(2026, 1, 1), date(2026, 1, 16)


def short_household(**overrides: object) -> Household:
    """The issue's household: huur and zorgpremie due 1 January, energie 2 January,
    no advance; with € 300 in the vat only the lower charges fit."""
    household = jansen(
        start=FIRST,
        buffer=BufferPolicy(target=Money("1200.00"), advance_limit=Money("0.00")),
        charges=(
            charge("huur", "725.40", date(2025, 1, 1), kind=ChargeKind.HUUR),
            charge("zorgpremie", "152.00", date(2025, 1, 1), kind=ChargeKind.ZORGPREMIE),
            charge(
                "energie",
                "142.00",
                date(2025, 1, 2),
                "FREQ=MONTHLY;BYMONTHDAY=2",
                kind=ChargeKind.ENERGIE,
            ),
        ),
        reserves=(),
    )
    return replace(household, **overrides)  # type: ignore[arg-type]


def run_short(
    household: Household, settings: PlanSettings | None = None, vat: str = "300.00"
) -> Simulation:
    salary = [ActualIncome(date(2026, 1, 8), "loon", Money("1850.00"))]
    return simulate(household, salary, FIRST, LAST, settings, start_vat=Money(vat))


def charge_executions(sim: Simulation) -> dict[str, date]:
    return {i.charge_id: i.execution_date for i in sim.instructions() if i.kind == "charge"}


def test_no_lower_charge_is_paid_before_the_held_back_rent() -> None:
    sim = run_short(short_household())
    paid = charge_executions(sim)
    # before: zorgpremie and energie went out on 2 January, huur on the 9th
    assert paid["huur"] <= paid["zorgpremie"]
    assert paid["huur"] <= paid["energie"]
    assert paid == {
        "huur": date(2026, 1, 9),
        "zorgpremie": date(2026, 1, 9),
        "energie": date(2026, 1, 9),
    }


def test_a_held_back_charge_says_what_it_waits_for() -> None:
    sim = run_short(short_household())
    first_night = {d.subject: d for d in sim.days[0].plan.decisions if d.kind == "charge"}
    assert {d.status for d in first_night.values()} == {DecisionStatus.HELD_BACK}
    assert first_night["huur"].reason.startswith(
        "Huur wacht op € 425,40; de eerstvolgende inkomsten gaan eerst naar de huur."
    )
    assert first_night["zorgpremie"].reason.startswith(
        "De zorgpremie wacht tot de huur betaald is; "
        "de eerstvolgende inkomsten gaan eerst naar de huur."
    )


def test_pay_what_fits_on_the_household_keeps_the_old_behaviour() -> None:
    sim = run_short(short_household(shortage=Shortage.PAY_WHAT_FITS))
    paid = charge_executions(sim)
    assert paid["zorgpremie"] == paid["energie"] == date(2026, 1, 2)
    assert paid["huur"] == date(2026, 1, 9)


def test_pay_what_fits_from_the_gemeente_and_the_household_overrides_it() -> None:
    gemeente = PlanSettings(shortage=Shortage.PAY_WHAT_FITS)
    assert charge_executions(run_short(short_household(), gemeente))["energie"] == date(2026, 1, 2)
    strict = short_household(shortage=Shortage.STRICT)
    assert charge_executions(run_short(strict, gemeente))["energie"] == date(2026, 1, 9)


def test_leefgeld_above_the_floor_waits_while_the_rent_is_held_back() -> None:
    """€ 600 in the vat: huur does not fit, the salary is expected the next day. The
    old engine paid zorgpremie and energie and then € 200 leefgeld from the rest."""
    household = short_household(
        leefgeld=LeefgeldPolicy(
            policy=LeefgeldPolicyKind.FIXED, amount=Money("200.00"), floor=Money("78.00")
        )
    )
    sim = run_short(household, vat="600.00")
    for day in sim.days:
        held = [d for d in day.plan.decisions if d.status is DecisionStatus.HELD_BACK]
        leefgeld = sum(
            (i.amount for i in day.plan.instructions if i.kind == "leefgeld"), Money("0")
        )
        if held:
            assert leefgeld <= Money("78.00"), (day.day, leefgeld)
    old = run_short(replace(household, shortage=Shortage.PAY_WHAT_FITS), vat="600.00")
    night = next(d for d in old.days if d.day == date(2026, 1, 8))
    assert any(d.status is DecisionStatus.HELD_BACK for d in night.plan.decisions)
    old_leefgeld = sum((i.amount for i in night.plan.instructions), Money("0"))
    assert old_leefgeld == Money("306.00")  # the full rate and arrears, while huur waited


def test_no_reserve_is_filled_while_a_charge_is_held_back() -> None:
    """€ 600 in the vat, the salary expected on the 8th: the old engine set € 25
    aside for the energy reserve on a night the rent waited."""
    reserve = Reserve("energie-jaarafrekening", monthly=Money("25.00"), target=Money("300.00"))
    household = short_household(reserves=(reserve,))

    def reserved_while_held(sim: Simulation) -> list[date]:
        return [
            day.day
            for day in sim.days
            if any(d.status is DecisionStatus.HELD_BACK for d in day.plan.decisions)
            and any(e.kind == "reserve" for e in day.plan.entries)
        ]

    assert reserved_while_held(run_short(household, vat="600.00")) == []
    old = run_short(replace(household, shortage=Shortage.PAY_WHAT_FITS), vat="600.00")
    assert reserved_while_held(old) != []


def _due_of(household: Household, subject: str, execution: date) -> date:
    """The due date of the charge occurrence of `subject` executing on `execution`."""
    dues = charge_dues(household, execution - timedelta(days=7), execution, PlanSettings())
    return next(d.due for d in dues if d.charge.id == subject and d.execution == execution)


@PROPERTY_SETTINGS
@given(scenarios())
def test_no_lower_charge_is_paid_on_a_night_a_higher_one_waits(
    scenario: tuple[Household, list[ActualIncome], Money],
) -> None:
    household = scenario[0]
    priority = {c.id: c.effective_priority for c in household.charges}
    sim = run(scenario)
    for day in sim.days:
        held = [
            (d.subject, _due_of(household, d.subject, d.day))
            for d in day.plan.decisions
            if d.kind == "charge" and d.status is DecisionStatus.HELD_BACK
        ]
        for instruction in day.plan.instructions:
            if instruction.kind != "charge":
                continue
            ymd = instruction.end_to_end_id[-8:]
            due = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
            paid_key = (priority[instruction.charge_id], due, instruction.charge_id)
            for subject, waiting_due in held:
                # among equals (same priority and day) the order is by id
                comes_first = (priority[subject], waiting_due, subject) < paid_key
                assert not (
                    comes_first
                    and priority[subject] <= priority[instruction.charge_id]
                    and waiting_due <= due
                ), (day.day, subject, waiting_due, instruction)


def test_an_overig_charge_is_named_by_its_id() -> None:
    household = short_household(
        charges=(
            charge("sportclub", "40.00", date(2025, 1, 1)),
            charge("bibliotheek", "5.00", date(2025, 1, 2), "FREQ=MONTHLY;BYMONTHDAY=2"),
        )
    )
    sim = run_short(household, vat="3.00")
    reasons = {d.subject: d.reason for d in sim.days[0].plan.decisions if d.kind == "charge"}
    assert reasons["sportclub"].startswith("Sportclub wacht op € 37,00;")
    assert reasons["bibliotheek"].startswith("De bibliotheek wacht tot de sportclub betaald is;")


def test_a_charge_its_own_reserve_pays_is_not_held_back_behind_the_rent() -> None:
    """Review finding: huur does not fit, but the gemeentelijke belastingen are paid
    in full from their own reserve, which the rent could never use. Holding them back
    would make them late for no benefit (GUIDE §4 rule 2)."""
    from huishoudboekje.domain.household_state import HouseholdState
    from huishoudboekje.domain.planner.phases.charges import pay_charges

    household = short_household(
        charges=(
            charge("huur", "725.40", date(2025, 1, 1), kind=ChargeKind.HUUR),
            charge(
                "belasting",
                "400.00",
                date(2025, 1, 1),
                kind=ChargeKind.GEMEENTELIJKE_BELASTINGEN,
                reserve="belasting",
                priority=95,
            ),
        ),
        reserves=(Reserve(id="belasting", monthly=Money("50.00")),),
    )
    state = HouseholdState(
        code=household.code, vat=Money("300.00"), reserves=(("belasting", Money("400.00")),)
    )
    step = pay_charges(state, household, FIRST, PlanSettings())
    statuses = {d.subject: d.status for d in step.decisions if d.kind == "charge"}
    assert statuses["huur"] is DecisionStatus.HELD_BACK
    assert statuses["belasting"] is not DecisionStatus.HELD_BACK
    assert step.state.vat == Money("300.00")  # the rent's claim on the vat is untouched


def test_a_waiting_charge_is_named_in_words_not_with_an_underscore() -> None:
    from huishoudboekje.domain.planner.phases.charges import charge_label

    belasting = charge("b", "400.00", FIRST, kind=ChargeKind.GEMEENTELIJKE_BELASTINGEN)
    assert charge_label(belasting) == "gemeentelijke belastingen"
