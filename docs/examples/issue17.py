"""The worked examples of docs/how-it-works.md for issue 17, from a real run.

    PYTHONPATH=. .venv/bin/python docs/examples/issue17.py

Simulates with `huishoudboekje.domain.simulation.simulate` (the nightly plan day by
day, incomes booked the next night) and prints the figures the document quotes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from huishoudboekje.domain.buffer_days import buffer_days
from huishoudboekje.domain.charge_windows import Pause, TemporaryAmount
from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.household import (
    BufferPolicy,
    ChargeKind,
    FixedCharge,
    Household,
    IncomeKind,
    IncomeStream,
    LeefgeldPolicy,
    Shortage,
)
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.schedule import Schedule
from huishoudboekje.domain.simulation import ActualIncome, simulate
from huishoudboekje.domain.status_report import status_report

PAYEE = "NL91ABNA0417164300"


def charge(cid: str, kind: ChargeKind, amount: str, day: int, **extra: object) -> FixedCharge:
    rule = f"FREQ=MONTHLY;BYMONTHDAY={day}"
    return FixedCharge(
        cid,
        kind,
        f"Ontvanger {cid}",
        PAYEE,
        Money(amount),
        Schedule(date(2025, 1, day), rule),
        **extra,  # type: ignore[arg-type]
    )


SALARY = IncomeStream(
    "loon",
    IncomeKind.LOON,
    Money("1850.00"),
    Schedule(date(2025, 1, 9), "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"),
)
HOUSEHOLD = Household(
    "HH-0001",
    "Fam. Jansen",
    "NL44RABO0123456789",
    members=3,
    start=date(2026, 1, 1),
    leefgeld=LeefgeldPolicy(floor=Money("78.00")),
    buffer=BufferPolicy(target=Money("1200.00"), advance_limit=Money("0.00")),
    incomes=(SALARY,),
    charges=(
        charge("huur", ChargeKind.HUUR, "725.40", 1),
        charge("zorgpremie", ChargeKind.ZORGPREMIE, "152.00", 1),
        charge("energie", ChargeKind.ENERGIE, "142.00", 2),
    ),
)


def priority() -> None:
    print("== Priority with reservation: EUR 300 in the vat, no advance")
    salary = [ActualIncome(date(2026, 1, 8), "loon", Money("1850.00"))]
    for mode in (Shortage.PAY_WHAT_FITS, Shortage.STRICT):
        household = replace(HOUSEHOLD, shortage=mode)
        sim = simulate(
            household, salary, date(2026, 1, 1), date(2026, 1, 9), start_vat=Money("300.00")
        )
        print(f"-- shortage: {mode.value}")
        for day in sim.days:
            if day.day.day not in (1, 8, 9):
                continue
            for d in day.plan.decisions:
                print(
                    f"   night {day.day}: {d.subject:<10} {eur(d.amount):>10}",
                    f"{d.status}: {d.reason}",
                )


def windows() -> None:
    print("== Pauses, temporary amounts and totals, January - June 2026")
    extra = (
        charge(
            "sportclub",
            ChargeKind.OVERIG,
            "30.00",
            10,
            pause=(Pause(date(2026, 2, 1), date(2026, 3, 31)),),
        ),
        charge(
            "energie",
            ChargeKind.ENERGIE,
            "142.00",
            5,
            temporary=(TemporaryAmount(date(2026, 3, 1), date(2026, 4, 30), Money("95.00")),),
        ),
        charge("schuld", ChargeKind.OVERIG, "250.00", 14, total=Money("1200.00")),
    )
    household = replace(
        HOUSEHOLD,
        charges=(HOUSEHOLD.charges[0], *extra),
        buffer=replace(HOUSEHOLD.buffer, advance_limit=Money("1200.00")),
    )
    last = date(2026, 6, 30)
    incomes = [
        ActualIncome(d, "loon", SALARY.amount)
        for d in SALARY.schedule.between(date(2026, 1, 1), last)
    ]
    sim = simulate(household, incomes, date(2026, 1, 1), last, start_vat=Money("800.00"))
    for cid in ("sportclub", "energie", "schuld"):
        paid = [
            (i.execution_date.isoformat(), str(i.amount))
            for i in sim.instructions()
            if i.charge_id == cid
        ]
        print(f"   {cid}: {paid}")
    for when in (date(2026, 2, 20), date(2026, 3, 20)):
        day = next(d for d in sim.days if d.day == when)
        report = status_report(household, day.plan.state, when)
        print(f"   hhb status on {when}: {report.as_json()['charges']}")
        buffer = report.buffer
        assert buffer is not None
        print(f"   buffer on {when}: vat {eur(report.state.vat)}, {buffer}: {buffer.sentence()}")


def days() -> None:
    print("== Buffer days")
    household = replace(
        HOUSEHOLD, charges=(charge("huur", ChargeKind.HUUR, "730.00", 1),), incomes=()
    )
    from huishoudboekje.domain.household_state import HouseholdState, LeefgeldState

    state = HouseholdState(
        "HH-0001", vat=Money("1000.00"), leefgeld=LeefgeldState(rate=Money("100.00"))
    )
    result = buffer_days(household, state, date(2026, 3, 10), PlanSettings())
    print(f"   {result}: {result.sentence()}")


if __name__ == "__main__":
    priority()
    windows()
    days()
