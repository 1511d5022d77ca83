"""Stage `plan`: the engine plans every active household for the night's date.

Each household's instructions, journal entries, planner memory and signals are
stored together with the mark that it was planned for that night (a re-run
skips it), in DB transactions of `BATCH` households. When a household fails,
its batch is rolled back and redone one household per transaction: the failing
one becomes a recorded problem and a signal, the others go on.
"""

from __future__ import annotations

from typing import Any

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    append_journal_entries,
    get_state,
    load_gemeente,
    set_state,
)
from huishoudboekje.adapters.persistence.nightly_repo import (
    add_instructions,
    journal_by_household,
    preload,
    put_state,
    state_rows,
    upsert_signals,
)
from huishoudboekje.adapters.persistence.planner_memory import (
    MEMORY_KEY,
    load_planner_state,
    memory_from_json,
    memory_to_json,
    save_planner_memory,
    with_balances,
)
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.ledger import JournalEntry, Ledger
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.planner import plan
from huishoudboekje.domain.signals import Signal
from huishoudboekje.services.household_status import plan_settings
from scheduler.context import NightContext

PLANNED_KEY = "nachtplan"  # engine_state: the last night this household was planned
BATCH = 100  # households per DB transaction (a failing one makes its batch go one by one)


def plan_households(ctx: NightContext) -> dict[str, Any]:
    """Plan every household active on the night, or settling after its end; returns counts."""
    with UnitOfWork(ctx.engine) as uow:
        settings = plan_settings(load_gemeente(uow))
        households = [h for h in ctx.households() if h.is_planned_on(ctx.night)]
    counts = {
        "households": len(households),
        "planned": 0,
        "skipped": 0,
        "failed": 0,
        "instructions": 0,
    }
    for start in range(0, len(households), BATCH):
        ctx.progress("plan", start, len(households))
        batch = households[start : start + BATCH]
        try:
            done = _plan_batch(ctx, batch, settings)
        except Exception:  # one household spoils the batch: redo it one by one
            done = [_plan_alone(ctx, household, settings) for household in batch]
        for added in done:
            if added is None:
                counts["skipped"] += 1
            elif added < 0:
                counts["failed"] += 1
            else:
                counts["planned"] += 1
                counts["instructions"] += added
    ctx.progress("plan", len(households), len(households))
    return counts


def _plan_batch(
    ctx: NightContext, batch: list[Household], settings: PlanSettings
) -> list[int | None]:
    """Plan a batch in one transaction, reading and writing in bulk (the fast path)."""
    night = ctx.night.isoformat()
    codes = [h.code for h in batch]
    done: list[int | None] = []
    entries: list[JournalEntry] = []
    instructions: list[PaymentInstruction] = []
    signals: list[Signal] = []
    with UnitOfWork(ctx.engine) as uow:
        with uow.session.no_autoflush:
            rows = state_rows(uow, codes, (MEMORY_KEY, PLANNED_KEY))
            journal = journal_by_household(uow, codes)
            for household in batch:
                mark = rows.get((household.code, PLANNED_KEY))
                if mark is not None and mark.value == night:
                    done.append(None)
                    continue
                memory = rows.get((household.code, MEMORY_KEY))
                state = with_balances(
                    memory_from_json(household.code, memory.value if memory else None),
                    Ledger(tuple(journal.get(household.code, ()))),
                )
                result = plan(household, state, ctx.night, settings)
                entries.extend(result.entries)
                instructions.extend(result.instructions)
                signals.extend(result.signals)
                put_state(
                    uow, rows, household.code, MEMORY_KEY, memory_to_json(result.state, ctx.night)
                )
                put_state(uow, rows, household.code, PLANNED_KEY, night)
                done.append(len(result.instructions))
            preload(uow, codes, [i.end_to_end_id for i in instructions])
        append_journal_entries(uow, entries)
        add_instructions(uow, instructions, ctx.night)
        upsert_signals(uow, signals, ctx.night, "planner")
        uow.commit()
    return done


def _plan_alone(ctx: NightContext, household: Household, settings: PlanSettings) -> int | None:
    """One household in its own transaction; a failure is a problem and a signal (-1)."""
    try:
        with UnitOfWork(ctx.engine) as uow:
            added = plan_in(uow, ctx, household, settings)
            uow.commit()
        return added
    except Exception as exc:
        ctx.problem(f"{household.code}: plannen mislukt: {exc}")
        with UnitOfWork(ctx.engine) as uow:
            signal = night_signals.night_problem(household.code, "plan", ctx.night, str(exc))
            upsert_signals(uow, [signal], ctx.night, "event")
            uow.commit()
        return -1


def plan_in(
    uow: UnitOfWork, ctx: NightContext, household: Household, settings: PlanSettings
) -> int | None:
    """Plan one household inside `uow` (not committed); None when already planned tonight.

    Its instructions, journal entries, planner memory, signals and the "planned
    tonight" mark are written together, so they commit (or vanish) together.
    """
    night = ctx.night.isoformat()
    if get_state(uow, PLANNED_KEY, household=household.code) == night:
        return None
    state = load_planner_state(uow, household.code)
    result = plan(household, state, ctx.night, settings)
    append_journal_entries(uow, result.entries)
    added = add_instructions(uow, result.instructions, ctx.night)
    save_planner_memory(uow, result.state, ctx.night)
    upsert_signals(uow, result.signals, ctx.night, "planner")
    set_state(uow, PLANNED_KEY, night, household=household.code)
    return added
