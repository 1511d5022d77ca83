"""Stage `plan`: the engine plans every active household for the night's date
(`services.night_plan`: batches of households, one failing household a problem)."""

from __future__ import annotations

from huishoudboekje.services.night_plan import PlanResult
from huishoudboekje.services.night_plan import plan_households as plan_due_households
from scheduler.context import NightContext


def plan_households(ctx: NightContext) -> PlanResult:
    """Plan every household active on the night, or settling after its end; returns counts."""
    return plan_due_households(ctx)
