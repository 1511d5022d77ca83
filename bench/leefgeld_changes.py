"""A simulation in which the household's configuration changes on given days.

`domain.simulation.simulate` runs one configuration for the whole run; a
cadence change (weekly -> monthly on 1 July) needs the configuration read anew
every night, as the nightly run does. The loop is the same as `simulate`'s:
the bank executes what is due, the incomes of the day before are booked, the
plan runs on the configuration in force that day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from bench.leefgeld_cases import Case
from huishoudboekje.domain.household_state import HouseholdState, IncomeReceipt
from huishoudboekje.domain.ledger import JournalEntry
from huishoudboekje.domain.money import ZERO
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.planner import plan
from huishoudboekje.domain.simulation import (
    RECEIPT_MEMORY_DAYS,
    ActualIncome,
    Execution,
    Simulation,
    SimulationDay,
    execution_entry,
    income_entry,
)


def simulate_changes(case: Case, last: date, settings: PlanSettings) -> Simulation:
    """Run the nightly plan for every day from the household's start to `last`, each
    night on `case.household_on(day)`; the income is booked the day after it arrives."""
    household = case.household
    state = HouseholdState(code=household.code)
    entries: list[JournalEntry] = []
    pending: list[PaymentInstruction] = []
    executions: list[Execution] = []
    days: list[SimulationDay] = []
    by_day: dict[date, list[ActualIncome]] = {}
    for income in case.incomes:
        by_day.setdefault(income.day + timedelta(days=1), []).append(income)
    bank = ZERO
    day = household.start
    while day <= last:
        for instruction in [i for i in pending if i.execution_date <= day]:
            pending.remove(instruction)
            entries.append(execution_entry(instruction))
            executions.append(Execution(instruction, day))
            bank = bank - instruction.amount
        receipts = list(state.receipts)
        vat = state.vat
        for index, income in enumerate(by_day.get(day, [])):
            entries.append(income_entry(household.code, income, index))
            receipts.append(IncomeReceipt(income.income_id, income.day, income.amount))
            vat = vat + income.amount
            bank = bank + income.amount
        horizon = day - timedelta(days=RECEIPT_MEMORY_DAYS)
        state = replace(state, vat=vat, receipts=tuple(r for r in receipts if r.day >= horizon))
        result = plan(case.household_on(day), state, day, settings)
        entries.extend(result.entries)
        pending.extend(result.instructions)
        state = result.state
        days.append(SimulationDay(day, result, state.vat, state.advance_used, bank))
        day += timedelta(days=1)
    return Simulation(household, tuple(days), tuple(entries), tuple(executions))
