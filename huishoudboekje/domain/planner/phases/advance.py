"""Phase 1: repay an open advance (voorschot) from the vat, this month's instalment first."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from huishoudboekje.domain.advance import due_this_month, month_key
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.money import ZERO, min_money
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.planner.booking import book_repayment
from huishoudboekje.domain.planner.step import Step


def repay_advance(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings
) -> Step:
    """Repay what is due on the advance this month, as far as the vat holds it."""
    owed = state.advance_used
    if not owed.is_positive:
        return Step(state)
    due = due_this_month(household, state.advance_month, state.advance_due, owed, today)
    amount = min_money(due, max(state.vat, ZERO))
    # the booking takes off what is repaid now
    state = replace(state, advance_month=month_key(today), advance_due=due)
    wording = ("aflossing", "Aflossing voorschot", ".")
    return book_repayment(state, household.code, today, amount, wording)
