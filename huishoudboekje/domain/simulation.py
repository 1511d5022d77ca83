"""A pure day-by-day simulation of one household: incomes in, plans, bank executions.

Used by the property and scenario tests, the leefgeld benchmark and the demo.
It models the real cycle: an income booked on the pooled account on day D is
seen by the nightly plan of D + `booking_delay`; an instruction executes at the
bank on its execution date and leaves the pool then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from huishoudboekje.domain import ledger
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState, IncomeReceipt
from huishoudboekje.domain.ids import (
    executed_entry_id,
    simulated_income_entry_id,
    start_balance_entry_id,
)
from huishoudboekje.domain.ledger import BANK, IN_FLIGHT, JournalEntry, transfer
from huishoudboekje.domain.money import ZERO, Money

# RECEIPT_MEMORY_DAYS: how long receipts are remembered, defined with the rules that
# read them (a year for learned income); kept importable from here for the services
from huishoudboekje.domain.occurrences import RECEIPT_MEMORY_DAYS as RECEIPT_MEMORY_DAYS
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.planner import Plan, plan


@dataclass(frozen=True, slots=True)
class ActualIncome:
    """Money that really arrived for a household on a day."""

    day: date
    income_id: str
    amount: Money


@dataclass(frozen=True, slots=True)
class Execution:
    """An instruction the bank executed, with the day it was due (for lateness)."""

    instruction: PaymentInstruction
    day: date


@dataclass(frozen=True, slots=True)
class SimulationDay:
    day: date
    plan: Plan
    vat: Money
    advance_used: Money
    bank: Money


@dataclass(frozen=True, slots=True)
class Simulation:
    household: Household
    days: tuple[SimulationDay, ...]
    entries: tuple[JournalEntry, ...]
    executions: tuple[Execution, ...]

    def balances(self) -> dict[ledger.Account, Money]:
        return ledger.Ledger(self.entries).balances()

    def instructions(self) -> list[PaymentInstruction]:
        return [i for d in self.days for i in d.plan.instructions]

    def leefgeld(self) -> list[PaymentInstruction]:
        return [i for i in self.instructions() if i.kind == "leefgeld"]


def income_entry(household: str, income: ActualIncome, index: int) -> JournalEntry:
    """Booking of a matched income: into the pooled bank account and the household's vat."""
    return transfer(
        simulated_income_entry_id(household, income.day, income.income_id, index),
        income.day,
        f"Inkomen {income.income_id}",
        debit=BANK,
        credit=ledger.vat(household),
        amount=income.amount,
        kind="income",
    )


def execution_entry(instruction: PaymentInstruction) -> JournalEntry:
    """The bank executed an instruction: it leaves the pooled account."""
    return transfer(
        executed_entry_id(instruction.end_to_end_id),
        instruction.execution_date,
        f"Uitgevoerd {instruction.end_to_end_id}",
        debit=IN_FLIGHT,
        credit=BANK,
        amount=instruction.amount,
        kind="executed",
    )


def return_entry(household: str, instruction: PaymentInstruction, day: date) -> JournalEntry:
    """The bank gave an executed payment back: into the pooled account and the vat."""
    return transfer(
        f"{executed_entry_id(instruction.end_to_end_id)}-retour",
        day,
        f"Retour {instruction.end_to_end_id}",
        debit=BANK,
        credit=ledger.vat(household),
        amount=instruction.amount,
        kind="returned",
    )


def simulate(
    household: Household,
    incomes: Sequence[ActualIncome],
    first: date,
    last: date,
    settings: PlanSettings | None = None,
    *,
    start_vat: Money = ZERO,
    booking_delay: int = 1,
    changes: Sequence[tuple[date, Household]] = (),
    returns: Sequence[tuple[date, str]] = (),
) -> Simulation:
    """Run the nightly plan for every day in [first, last].

    `changes` are later versions of the household's rules, each planned with from
    its day on (a new cadence, a rent increase, an end date set by staff).
    `returns` are payments the bank gives back: (day, EndToEndId); one that was
    executed by then comes back into the pooled account and the vat that day.
    """
    settings = settings or PlanSettings()
    state = HouseholdState(code=household.code, vat=start_vat)
    entries: list[JournalEntry] = []
    if start_vat:
        entries.append(
            transfer(
                start_balance_entry_id(household.code),
                first,
                "Startsaldo",
                debit=BANK,
                credit=ledger.vat(household.code),
                amount=start_vat,
                kind="opening",
            )
        )
    bank = start_vat
    pending: list[PaymentInstruction] = []
    executions: list[Execution] = []
    days: list[SimulationDay] = []
    by_day: dict[date, list[ActualIncome]] = {}
    for income in incomes:
        by_day.setdefault(income.day + timedelta(days=booking_delay), []).append(income)

    versions = sorted(changes, key=lambda change: change[0])
    returned_by_day: dict[date, list[str]] = {}
    for returned_day, end_to_end_id in returns:
        returned_by_day.setdefault(returned_day, []).append(end_to_end_id)
    day = first
    while day <= last:
        # the bank executes what is due today (before tonight's plan sees the statement)
        for instruction in [i for i in pending if i.execution_date <= day]:
            pending.remove(instruction)
            entries.append(execution_entry(instruction))
            executions.append(Execution(instruction, day))
            bank = bank - instruction.amount
        receipts = list(state.receipts)
        vat = state.vat
        booked = day - timedelta(days=booking_delay)
        for returned in returned_by_day.get(booked, []):
            done = next((e for e in executions if e.instruction.end_to_end_id == returned), None)
            if done is None or done.day > booked:
                continue  # not executed by then: nothing to give back
            entries.append(return_entry(household.code, done.instruction, booked))
            vat = vat + done.instruction.amount
            state = replace(
                state,
                returned=(
                    *state.returned,
                    (done.instruction.end_to_end_id, done.instruction.amount),
                ),
            )
            bank = bank + done.instruction.amount
        for index, income in enumerate(by_day.get(day, [])):
            entries.append(income_entry(household.code, income, index))
            receipts.append(IncomeReceipt(income.income_id, income.day, income.amount))
            vat = vat + income.amount
            bank = bank + income.amount
        horizon = day - timedelta(days=RECEIPT_MEMORY_DAYS)
        state = replace(state, vat=vat, receipts=tuple(r for r in receipts if r.day >= horizon))
        rules = next((h for since, h in reversed(versions) if since <= day), household)
        result = plan(rules, state, day, settings)
        entries.extend(result.entries)
        pending.extend(result.instructions)
        state = result.state
        days.append(SimulationDay(day, result, state.vat, state.advance_used, bank))
        day += timedelta(days=1)
    return Simulation(household, tuple(days), tuple(entries), tuple(executions))
