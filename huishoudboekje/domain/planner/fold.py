"""`plan()`: the planner as a fold over named phases.

Each phase is a pure function `(state, household, today, settings) -> Step`;
`plan()` runs them in order, each on the state the one before it left, and
collects what they made. The order is the algorithm (GUIDE §4):
repay advance → fixed charges → reserves → leefgeld → signals, and after them
the eindafrekening, which also runs on its own once the participation ended.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from huishoudboekje.domain.forecast import Forecast
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ledger import JournalEntry
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.paid_weeks import with_released_record
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.planner.next_release import NextRelease, next_release
from huishoudboekje.domain.planner.phases.advance import repay_advance
from huishoudboekje.domain.planner.phases.charges import pay_charges
from huishoudboekje.domain.planner.phases.leefgeld import in_cadence, release_leefgeld
from huishoudboekje.domain.planner.phases.remainder import pay_out_remainder, return_reserves
from huishoudboekje.domain.planner.phases.reserves import contribute_reserves
from huishoudboekje.domain.planner.phases.signals import check_signals
from huishoudboekje.domain.planner.step import Decision, Phase, Step
from huishoudboekje.domain.signals import Signal

Phases = tuple[tuple[str, Phase], ...]

# The five phases of a night while the household takes part, in this order.
PHASES: Phases = (
    ("repay advance", repay_advance),
    ("fixed charges", pay_charges),
    ("reserves", contribute_reserves),
    ("leefgeld", release_leefgeld),
    ("signals", check_signals),
)
# After them, and on its own after the end: pay out what the vat still holds.
CLOSING: Phases = (("eindafrekening", pay_out_remainder),)
# The closing nights (from the last business day before the end up to the end): the
# reserves go back into the vat before the charges, so a rent due before the end that
# this money covers goes out on time; nothing more is set aside for a reserve.
CLOSING_NIGHTS: Phases = (
    ("repay advance", repay_advance),
    ("reserves back", return_reserves),
    ("fixed charges", pay_charges),
    ("leefgeld", release_leefgeld),
    ("signals", check_signals),
    *CLOSING,
)
# Once the participation ended: settle the advance, pass on money that still comes in.
AFTER_END: Phases = (("repay advance", repay_advance), *CLOSING)


@dataclass(frozen=True, slots=True)
class Plan:
    """What the planner decided for one household on one day, and its new state."""

    household: str
    today: date
    instructions: tuple[PaymentInstruction, ...]
    entries: tuple[JournalEntry, ...]
    signals: tuple[Signal, ...]
    decisions: tuple[Decision, ...]
    state: HouseholdState
    next_release: NextRelease | None
    # the 60-day forecast of the outlook check, when it was made on the final state
    # (callers that show a forecast reuse it instead of projecting again)
    outlook: Forecast | None = None


def phases_for(household: Household, today: date, settings: PlanSettings | None = None) -> Phases:
    """The phases that run for `household` on `today` (none before it starts)."""
    if today >= household.start and household.is_active_on(today):
        end = household.end
        calendar = (settings or PlanSettings()).calendar
        if end is not None and today >= calendar.on_or_before(end):
            return CLOSING_NIGHTS
        return PHASES + CLOSING
    if today > household.start:  # participation ended: settle, pay out what comes in
        return AFTER_END
    return ()


def fold(
    phases: Phases,
    state: HouseholdState,
    household: Household,
    today: date,
    settings: PlanSettings,
) -> Step:
    """Run `phases` in order, each on the state the one before it left."""
    step = Step(state)
    for _name, phase in phases:
        step = step.then(phase(step.state, household, today, settings))
    return step


def plan(
    household: Household,
    state: HouseholdState,
    today: date,
    settings: PlanSettings | None = None,
) -> Plan:
    """Decide what to pay for `household` on `today`. Pure: same inputs, same plan."""
    settings = settings or PlanSettings()
    if state.planned_since is None and household.is_active_on(today):
        state = replace(state, planned_since=today)
    state = with_released_record(state)  # once, for memory kept before the record
    state = in_cadence(state, household)  # a rate per week becomes one per month, or back
    step = fold(phases_for(household, today, settings), state, household, today, settings)
    upcoming = (
        next_release(step.state, household, today, settings)
        if household.is_active_on(today)
        else None
    )
    return Plan(
        household=household.code,
        today=today,
        instructions=step.instructions,
        entries=step.entries,
        signals=tuple({s.key: s for s in step.signals}.values()),  # one per key, last wins
        decisions=step.decisions,
        state=step.state,
        next_release=upcoming,
        outlook=step.outlook,
    )
