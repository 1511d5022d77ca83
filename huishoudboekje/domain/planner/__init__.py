"""The planner: a pure function of a household's rules, its state and a date.

`plan(household, state, today)` folds named phases over the state (GUIDE §4):
1. repay an open advance (voorschot) from the vat;
2. pay the fixed charges due now, on time, in priority order when money is short,
   drawing on the approved advance when the vat is short;
3. set money aside for reserves;
4. release leefgeld at the steady rate, only as far as every charge in the
   coming weeks stays covered, and never from the advance;
5. raise the signals staff must see;
and, when the participation ends, the eindafrekening.
It returns payment instructions, balanced journal entries, signals, a decision
with a plain-Dutch reason for everything, and the household's new state. No
database, clock, environment or logging in here.
"""

from huishoudboekje.domain.planner.fold import AFTER_END, CLOSING, PHASES, Plan, plan
from huishoudboekje.domain.planner.next_release import Difference, NextRelease
from huishoudboekje.domain.planner.step import (
    Decision,
    DecisionKind,
    DecisionStatus,
    Phase,
    Step,
)

__all__ = [
    "AFTER_END",
    "CLOSING",
    "PHASES",
    "Decision",
    "DecisionKind",
    "DecisionStatus",
    "Difference",
    "NextRelease",
    "Phase",
    "Plan",
    "Step",
    "plan",
]
