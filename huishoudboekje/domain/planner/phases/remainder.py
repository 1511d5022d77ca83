"""Closing phase: the eindafrekening when the participation ends.

From the last business day of the participation on, what is left in the vat
goes to the household's own account. First the reserves go back into the vat;
what the charges still due up to the end need stays behind, the advance is
settled in full from the rest, and what is left after that is paid out. After
the end date the same runs every night, so an income that arrives late still
reaches the household instead of waiting in the vat.
"""

from __future__ import annotations

from datetime import date

from huishoudboekje.domain.dutch_text import day_nl, eur
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ids import remainder_id, reserve_release_entry_id
from huishoudboekje.domain.money import ZERO, Money, min_money
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.planner.booking import (
    book_repayment,
    instruct,
    own_account_payment,
    release_reserve,
)
from huishoudboekje.domain.planner.cover import open_dues, vat_need
from huishoudboekje.domain.planner.step import Decision, DecisionKind, DecisionStatus, Step


def pay_out_remainder(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings
) -> Step:
    """Eindafrekening: pay out what the vat holds beyond the charges still due."""
    end = household.end
    if end is None or today < settings.calendar.on_or_before(end):
        return Step(state)
    key = remainder_id(household.code, today)
    if key in state.instructed:
        return Step(state)
    step = _release_reserves(state, household.code, today, key)
    # charges of the participation not paid yet, held back ones too
    dues = open_dues(step.state, household, today, settings, end)
    still_due = sum((vat_need(step.state, due) for due in dues), ZERO)
    step = step.then(_settle_advance(step.state, household.code, today, still_due))
    amount = step.state.vat - still_due
    if not amount.is_positive:
        return step
    execution = settings.calendar.on_or_after(today)
    reason = (
        f"Uw deelname eindigt op {day_nl(end)}. Wat er nog in uw buffer zat, {eur(amount)}, "
        f"gaat op {day_nl(execution)} naar uw eigen rekening."
        if today <= end
        else f"Na het einde van uw deelname kwam er nog {eur(amount)} binnen. Dat gaat op "
        f"{day_nl(execution)} naar uw eigen rekening."
    )
    instruction = own_account_payment(
        household,
        key,
        "restant",
        amount,
        execution,
        remittance=f"Restant einde deelname {execution:%d-%m-%Y}",
        reason=reason,
    )
    decision = Decision(
        DecisionKind.LEEFGELD, "restant", execution, amount, DecisionStatus.PAID, reason
    )
    return step.then(instruct(step.state, today, instruction)).add(decisions=(decision,))


def return_reserves(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings
) -> Step:
    """On the closing nights, before the charges: every reserve back into the vat, so
    a charge due before the end that this money covers is paid on time."""
    end = household.end
    if end is None or today < settings.calendar.on_or_before(end):
        return Step(state)
    key = remainder_id(household.code, today)
    if key in state.instructed:
        return Step(state)
    return _release_reserves(state, household.code, today, key)


def _release_reserves(state: HouseholdState, code: str, today: date, key: str) -> Step:
    """Every reserve held goes back into the vat."""
    step = Step(state)
    for reserve_id, held in state.reserves:
        if not held.is_positive:
            continue
        wording = (
            reserve_release_entry_id(key, reserve_id),
            f"Reservering {reserve_id} terug naar de buffer (einde deelname)",
        )
        step = step.then(release_reserve(step.state, code, today, reserve_id, held, wording))
    return step


def _settle_advance(state: HouseholdState, code: str, today: date, still_due: Money) -> Step:
    """Repay the whole advance from what the vat can spare beyond the charges still due."""
    amount = min_money(state.advance_used, state.vat - still_due)
    wording = (
        "aflossing-einde",
        "Aflossing voorschot bij einde deelname",
        ": de deelname eindigt.",
    )
    return book_repayment(state, code, today, amount, wording)
