"""What one phase of the planner returns: a `Step`, and the decisions inside it.

A phase never changes anything in place: it takes the household's state and
returns the new state with the entries, instructions, decisions and signals it
made. `Step.then` puts two steps one after the other, which is all the fold in
`plan()` needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from huishoudboekje.domain.forecast import Forecast
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ledger import JournalEntry
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.signals import Signal


class DecisionKind(StrEnum):
    """What a decision is about (equal to the plain strings stored and shown before)."""

    CHARGE = "charge"
    LEEFGELD = "leefgeld"
    RESERVE = "reserve"
    ADVANCE = "advance"
    REPAYMENT = "repayment"


class DecisionStatus(StrEnum):
    """What became of it, in the Dutch word the household and staff see."""

    PAID = "betaald"
    HELD_BACK = "achtergehouden"
    REDUCED = "verlaagd"
    WITHHELD = "ingehouden"
    RESERVED = "gereserveerd"
    DRAWN = "opgenomen"
    REPAID = "afgelost"


@dataclass(frozen=True, slots=True)
class Decision:
    """One thing the planner decided, with the reason in plain Dutch."""

    kind: DecisionKind
    subject: str  # charge id, reserve id or "leefgeld"
    day: date
    amount: Money
    status: DecisionStatus
    reason: str


@dataclass(frozen=True, slots=True)
class Step:
    """The state after a phase (or part of one), and everything it made on the way."""

    state: HouseholdState
    entries: tuple[JournalEntry, ...] = ()
    instructions: tuple[PaymentInstruction, ...] = ()
    decisions: tuple[Decision, ...] = ()
    signals: tuple[Signal, ...] = ()
    # the forecast made on exactly `state` (by the signals phase), reused by callers
    # that show one; a later step that changes the state makes it stale
    outlook: Forecast | None = None

    def then(self, later: Step) -> Step:
        """This step followed by `later`, which started from this step's state."""
        outlook = later.outlook
        if outlook is None and later.state is self.state:
            outlook = self.outlook
        return Step(
            later.state,
            self.entries + later.entries,
            self.instructions + later.instructions,
            self.decisions + later.decisions,
            self.signals + later.signals,
            outlook,
        )

    def add(
        self, *, decisions: tuple[Decision, ...] = (), signals: tuple[Signal, ...] = ()
    ) -> Step:
        """This step with more decisions and signals; the state stays as it is."""
        return replace(self, decisions=self.decisions + decisions, signals=self.signals + signals)


# A phase: (state, rules, today, settings) -> Step. Pure: no I/O, clock or logging.
Phase = Callable[[HouseholdState, Household, date, PlanSettings], Step]
