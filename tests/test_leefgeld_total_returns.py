"""A returned instalment of a charge with a `total` does not count toward the total
(issue 17 point 5): the bank gave the money back, so the creditor did not get it and
one more instalment is due. Counted once, whatever the number of nights after."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy.engine import Engine

from huishoudboekje.adapters.persistence.instruction_repo import (
    add_instructions,
    returned_charge_payments,
    set_instruction_status,
)
from huishoudboekje.adapters.persistence.planner_memory import (
    load_planner_state,
    memory_from_json,
    memory_to_json,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.charge_windows import ChargeProgress, with_returns
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ids import charge_instruction_id
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.simulation import simulate
from huishoudboekje.domain.status_report import status_report
from tests.factories import charge, jansen
from tests.test_huishoudboekje_planner_scenarios import regular_incomes

FIRST, LAST = date(2026, 1, 1), date(2026, 8, 31)


def test_a_returned_instalment_is_paid_again_at_the_end() -> None:
    schuld = charge(
        "schuld", "250.00", date(2026, 1, 14), "FREQ=MONTHLY;BYMONTHDAY=14", total=Money("600.00")
    )
    household = jansen(start=FIRST)
    household = replace(household, charges=(*household.charges, schuld))
    february = charge_instruction_id(household.code, "schuld", date(2026, 2, 14))
    sim = simulate(
        household,
        regular_incomes(household, FIRST, LAST),
        FIRST,
        LAST,
        start_vat=Money("800.00"),
        returns=((date(2026, 2, 18), february),),
    )
    paid = [
        (i.execution_date.isoformat()[:7], str(i.amount))
        for i in sim.instructions()
        if i.charge_id == "schuld"
    ]
    # February came back, so the creditor has 250 after February, 500 after March,
    # and April pays the last 100 of the 600 (before: March paid only 100, and the
    # creditor got 350 of 600 while the charge said "helemaal afbetaald")
    assert paid == [
        ("2026-01", "250.00"),
        ("2026-02", "250.00"),
        ("2026-03", "250.00"),
        ("2026-04", "100.00"),
    ]
    march = next(d for d in sim.days if d.day == date(2026, 3, 20))
    report = status_report(household, march.plan.state, march.day)
    assert report.as_json()["charges"]["schuld"]["total"]["paid"] == "500.00"
    assert sim.days[-1].plan.state.charge_progress[0].paid == Money("600.00")


def test_a_return_is_counted_once() -> None:
    key = charge_instruction_id("HH-1", "schuld", date(2026, 2, 14))
    other = charge_instruction_id("HH-1", "huur", date(2026, 2, 1))
    progress = (ChargeProgress("schuld", Money("500.00"), date(2026, 2, 14)),)
    returned = ((key, Money("250.00")), (other, Money("700.00")))
    once = with_returns(progress, "HH-1", ("schuld",), returned)
    assert once == (ChargeProgress("schuld", Money("250.00"), date(2026, 2, 14), (key,)),)
    assert with_returns(once, "HH-1", ("schuld",), returned) == once


def test_the_counted_returns_are_remembered() -> None:
    key = charge_instruction_id("HH-1", "schuld", date(2026, 2, 14))
    state = HouseholdState(
        "HH-1",
        charge_progress=(ChargeProgress("schuld", Money("250.00"), date(2026, 2, 14), (key,)),),
    )
    again = memory_from_json("HH-1", memory_to_json(state, date(2026, 3, 15)))
    assert again.charge_progress == state.charge_progress


def test_the_night_reads_the_returned_instalments(engine: Engine) -> None:
    """The stored instructions the bank sent back reach the planner's state, one
    household at a time and in a batch."""
    key = charge_instruction_id("HH-1", "schuld", date(2026, 2, 14))
    instruction = PaymentInstruction(
        key,
        "HH-1",
        "charge",
        "schuld",
        "Ontvanger schuld",
        "NL91ABNA0417164300",
        "",
        Money("250.00"),
        date(2026, 2, 13),
        "schuld februari 2026",
        "",
        "Schuld € 250,00",
    )
    with UnitOfWork(engine) as uow:
        add_instructions(uow, [instruction], date(2026, 2, 12))
        assert load_planner_state(uow, "HH-1").returned == ()
        set_instruction_status(uow, key, InstructionStatus.RETURNED, "AC04")
        assert load_planner_state(uow, "HH-1").returned == ((key, Money("250.00")),)
        assert returned_charge_payments(uow, ["HH-1", "HH-2"]) == {
            "HH-1": ((key, Money("250.00")),)
        }
