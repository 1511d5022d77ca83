"""The steady leefgeld rate: derived from expected income, not from today's balance.

`budget()` turns a household's rules into a monthly budget and a sustainable
rate per cadence period. `recompute()` decides the rate the household gets,
with the opbouwfase (building the buffer), releasing a surplus above the
buffer target, and announcing every change one period ahead.
"""

from huishoudboekje.domain.leefgeld.budget import (
    Budget,
    budget,
    budget_sentence,
    cadence_of,
    per_period,
)
from huishoudboekje.domain.leefgeld.rate import (
    ADJUSTMENT_DAYS,
    REBUILD_BAND,
    SPREAD_PERIODS_MONTHLY,
    SPREAD_PERIODS_WEEKLY,
    STEP_FRACTION,
    STEP_MINIMUM,
    SURPLUS_BAND,
    Adjustment,
    Target,
    affordable_rate,
    buffer_adjustment,
    period_days,
    target_rate,
    whole_euros_down,
)
from huishoudboekje.domain.leefgeld.recompute import (
    RateDecision,
    needs_recompute,
    recompute,
    rules_fingerprint,
    step_because,
)

__all__ = [
    "ADJUSTMENT_DAYS",
    "REBUILD_BAND",
    "SPREAD_PERIODS_MONTHLY",
    "SPREAD_PERIODS_WEEKLY",
    "STEP_FRACTION",
    "STEP_MINIMUM",
    "SURPLUS_BAND",
    "Adjustment",
    "Budget",
    "RateDecision",
    "Target",
    "affordable_rate",
    "budget",
    "budget_sentence",
    "buffer_adjustment",
    "cadence_of",
    "needs_recompute",
    "per_period",
    "period_days",
    "recompute",
    "rules_fingerprint",
    "step_because",
    "target_rate",
    "whole_euros_down",
]
