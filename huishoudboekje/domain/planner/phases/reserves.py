"""Phase 3: set this month's contributions aside for the reserves, after the charges."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from huishoudboekje.domain import ledger
from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.household import Household, Reserve
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ids import reserve_contribution_id
from huishoudboekje.domain.ledger import transfer
from huishoudboekje.domain.leefgeld import budget
from huishoudboekje.domain.money import ZERO, Money, min_money
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.planner.booking import mark
from huishoudboekje.domain.planner.cover import free_after_charges
from huishoudboekje.domain.planner.step import Decision, DecisionKind, DecisionStatus, Step


def contribute_reserves(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings
) -> Step:
    """Set aside each valid reserve's monthly contribution once a month, as far as the
    vat can spare it without leaving a charge of the coming weeks uncovered."""
    step = Step(state)
    if not household.reserves or state.shortage_room is not None:
        return step  # none, or a charge is held back: incoming money goes to it first
    amounts = dict(budget(household, today).reserve_amounts)
    for res in household.reserves:
        if not res.is_valid_on(today):
            continue  # ended: nothing more is set aside, what is held stays
        amount = amounts.get(res.id, res.monthly)
        step = step.then(_contribute(step.state, household, today, settings, res, amount))
    return step


def _contribute(
    state: HouseholdState,
    household: Household,
    today: date,
    settings: PlanSettings,
    res: Reserve,
    amount: Money,
) -> Step:
    """This month's contribution of `amount` to reserve `res` (up to its target)."""
    code = household.code
    key = reserve_contribution_id(code, res.id, today)
    if key in state.instructed:
        return Step(state)
    held = state.reserve(res.id)
    if res.target is not None:
        amount = min_money(amount, max(res.target - held, ZERO))
    if not amount.is_positive:
        return Step(mark(state, key))
    if free_after_charges(state, household, today, settings) < amount:
        return Step(state)  # charges first; try again on a later day this month
    entry = transfer(
        key,
        today,
        f"Reservering {res.id}",
        debit=ledger.vat(code),
        credit=ledger.reserve(code, res.id),
        amount=amount,
        kind="reserve",
    )
    after = replace(
        state,
        vat=state.vat - amount,
        reserves=state.with_reserve(res.id, held + amount),
    )
    decision = Decision(
        DecisionKind.RESERVE,
        res.id,
        today,
        amount,
        DecisionStatus.RESERVED,
        f"{eur(amount)} opzij gezet voor {res.description or res.id}.",
    )
    return Step(mark(after, key), entries=(entry,), decisions=(decision,))
