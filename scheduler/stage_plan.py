"""Stage `plan`: the engine plans every active household for the night's date.

One DB transaction per household stores its instructions, journal entries,
planner memory and signals together, and marks the household planned for that
night (a re-run skips it). A household that fails becomes a recorded problem and
a signal; the others go on.
"""

from __future__ import annotations

from typing import Any

from huishoudboekje import night_signals
from huishoudboekje.model import Household
from huishoudboekje.occurrences import PlanSettings
from huishoudboekje.persistence import (
    UnitOfWork,
    append_journal_entries,
    get_state,
    load_gemeente,
    load_households,
    set_state,
)
from huishoudboekje.persistence.nightly_repo import add_instructions, upsert_signals
from huishoudboekje.persistence.planner_memory import load_planner_state, save_planner_memory
from huishoudboekje.planner import plan
from huishoudboekje.services import plan_settings
from scheduler.context import NightContext

PLANNED_KEY = "nachtplan"  # engine_state: the last night this household was planned


def plan_households(ctx: NightContext) -> dict[str, Any]:
    """Plan every household active on the night; returns counts."""
    with UnitOfWork(ctx.engine) as uow:
        settings = plan_settings(load_gemeente(uow))
        households = [h for h in load_households(uow) if h.is_active_on(ctx.night)]
    counts = {
        "households": len(households),
        "planned": 0,
        "skipped": 0,
        "failed": 0,
        "instructions": 0,
    }
    for done, household in enumerate(households):
        if done % 200 == 0:
            ctx.progress("plan", done, len(households))
        try:
            added = plan_one(ctx, household, settings)
        except Exception as exc:
            counts["failed"] += 1
            ctx.problem(f"{household.code}: plannen mislukt: {exc}")
            with UnitOfWork(ctx.engine) as uow:
                signal = night_signals.night_problem(household.code, "plan", ctx.night, str(exc))
                upsert_signals(uow, [signal], ctx.night, "event")
                uow.commit()
            continue
        if added is None:
            counts["skipped"] += 1
        else:
            counts["planned"] += 1
            counts["instructions"] += added
    ctx.progress("plan", len(households), len(households))
    return counts


def plan_one(ctx: NightContext, household: Household, settings: PlanSettings) -> int | None:
    """Plan one household in one transaction; None when it was already planned tonight."""
    night = ctx.night.isoformat()
    with UnitOfWork(ctx.engine) as uow:
        if get_state(uow, PLANNED_KEY, household=household.code) == night:
            return None
        state = load_planner_state(uow, household.code)
        result = plan(household, state, ctx.night, settings)
        append_journal_entries(uow, result.entries)
        added = add_instructions(uow, result.instructions, ctx.night)
        save_planner_memory(uow, result.state, ctx.night)
        upsert_signals(uow, result.signals, ctx.night, "planner")
        set_state(uow, PLANNED_KEY, night, household=household.code)
        uow.commit()
    return added
