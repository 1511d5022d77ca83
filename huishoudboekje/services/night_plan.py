"""Stage `plan`'s work: the engine plans every active household for the night's date.

Each household's instructions, journal entries, planner memory and signals are
stored together with the mark that it was planned for that night (a re-run
skips it), in DB transactions of `BATCH` households. When a household fails,
its batch is rolled back and redone one household per transaction: the failing
one becomes a recorded problem and a signal, the others go on.

No payment is lost to a failed night. A household whose plan failed keeps a mark
with the first night it failed (`FAILED_KEY`). The next run that plans it (the
next night, a catch-up or a rerun) plans it again for every night it missed, in
order, and then for tonight, in one transaction that also clears the mark. What
those missed nights would have instructed goes out on the first business day that
can still be reached (never a date in the past), and staff get a signal per such
payment ("huur van HH-0007 kon op 14 november niet worden ingepland; nu ingepland
voor 16 november"). The technical error goes to the log; the problem text and the
signal staff see are plain sentences.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence, Set
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from huishoudboekje.adapters.persistence.engine_state import delete_state, get_state, set_state
from huishoudboekje.adapters.persistence.household_batch import (
    journal_by_household,
    preload,
    put_state,
    state_rows,
)
from huishoudboekje.adapters.persistence.instruction_repo import (
    add_instructions,
    returned_charge_payments,
)
from huishoudboekje.adapters.persistence.journal import append_journal_entries
from huishoudboekje.adapters.persistence.planner_memory import (
    MEMORY_KEY,
    load_planner_state,
    memory_from_json,
    memory_to_json,
    save_planner_memory,
    with_balances,
)
from huishoudboekje.adapters.persistence.signal_repo import close_stale_signals, upsert_signals
from huishoudboekje.adapters.persistence.statistics import refresh_statistics
from huishoudboekje.adapters.persistence.status_repo import (
    fresh_codes,
    lock_statuses,
    store_statuses,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork, in_chunks
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.consent import NO_CONSENT_TEXT, is_planned_with
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ids import signal_key
from huishoudboekje.domain.ledger import JournalEntry, Ledger
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.planner import plan
from huishoudboekje.domain.signals import Severity, Signal, SignalKind
from huishoudboekje.domain.status_report import StatusReport, status_report
from huishoudboekje.services.night_work import NightWork, StageResult
from huishoudboekje.services.read_model import store_computed
from huishoudboekje.services.region import Region, load_region

PLANNED_KEY = "nachtplan"  # engine_state: the last night this household was planned
FAILED_KEY = "nachtplan_mislukt"  # engine_state: first night its plan failed, until planned
MAX_REPLAY_NIGHTS = 92  # a household is replanned for at most this many missed nights
_ALONE = -2  # `_plan_batch`: this household (it failed before) is planned on its own
log = logging.getLogger("hhb.nightly")
BATCH = 100  # households per DB transaction (a failing one makes its batch go one by one)


@dataclass(frozen=True)
class PlanResult(StageResult):
    """Stage `plan`: households due, planned, already planned tonight, failed; instructions."""

    households: int
    planned: int
    skipped: int
    failed: int
    instructions: int


def planned_on(uow: UnitOfWork, codes: Sequence[str], night: date) -> list[str]:
    """Those of `codes` planned for `night` (read in chunks)."""
    return [
        household
        for chunk in in_chunks(codes)
        for (household, _key), row in state_rows(uow, chunk, (PLANNED_KEY,)).items()
        if row.value == night.isoformat()
    ]


@dataclass(frozen=True)
class PlanWork:
    """What stage `plan` does tonight: the gemeenten, every household and those due
    (active on the night, or settling after its end, and with a consent if their
    gemeente needs one), the due ones in gemeente order."""

    region: Region
    everyone: list[Household]
    due: list[Household]


def plan_work(work: NightWork) -> PlanWork:
    """Tonight's plan work; a household without a needed consent gets its signal here.

    First the database's statistics of what the stages before wrote are brought up
    to date (`refresh_statistics`), so no batch of the plan scans a whole table."""
    refresh_statistics(work.engine)
    with UnitOfWork(work.engine) as uow:
        region = load_region(uow)
        everyone = work.households()
    due = [h for h in everyone if h.is_planned_on(work.night)]
    requiring = {
        gemeente_id
        for gemeente_id, gemeente in region.gemeenten.items()
        if gemeente.consent_required
    }
    allowed = without_consent(work, due, required=requiring)
    in_order = [h for members in region.by_gemeente(allowed).values() for h in members]
    return PlanWork(region, everyone, in_order)


def night_region(work: NightWork, batch: Sequence[Household]) -> Region:
    """The gemeenten and their settings, for a worker that plans `batch`: of the
    households only those of the batch (reading every household's gemeente for every
    batch made the spread plan stage grow with the square of the households)."""
    with UnitOfWork(work.engine) as uow:
        return load_region(uow, [h.code for h in batch])


def no_counts(households: int) -> dict[str, int]:
    """The counts of a `PlanResult` before any household is planned."""
    return {"households": households, "planned": 0, "skipped": 0, "failed": 0, "instructions": 0}


def plan_households(work: NightWork) -> PlanResult:
    """Plan every household active on the night, or settling after its end; returns counts.

    Each household is planned with its own gemeente's settings (issue 22: closing
    days, max_days_early, shortage, consent_required), one gemeente after the other,
    in batches that stay within one gemeente."""
    tonight = plan_work(work)
    total = len(tonight.due)
    counts = no_counts(total)
    done = 0
    for members in tonight.region.by_gemeente(tonight.due).values():
        for start in range(0, len(members), BATCH):
            work.progress("plan", done, total)
            batch = members[start : start + BATCH]
            add_counts(counts, plan_batch(work, batch, tonight.region))
            done += len(batch)
    work.progress("plan", total, total)
    finish_plan(work, tonight)
    return PlanResult(**counts)


def plan_batch(work: NightWork, batch: list[Household], region: Region) -> list[int | None]:
    """Plan one batch, one transaction per gemeente in it (each with its own settings);
    when a household spoils it, one by one. Per household: instructions added, None
    (already planned tonight) or -1 (failed)."""
    outcome: dict[str, int | None] = {}
    for gemeente_id, members in region.by_gemeente(batch).items():
        settings = region.settings(gemeente_id)
        for household, added in zip(members, _plan_with(work, members, settings), strict=True):
            outcome[household.code] = added
    return [outcome[household.code] for household in batch]


def _plan_with(work: NightWork, batch: list[Household], settings: PlanSettings) -> list[int | None]:
    """`plan_batch` for households of one gemeente."""
    try:
        done = _plan_batch(work, batch, settings)
    except Exception:  # one household spoils the batch: redo it one by one
        done = [_plan_alone(work, household, settings) for household in batch]
    return [
        _plan_alone(work, household, settings) if added == _ALONE else added
        for household, added in zip(batch, done, strict=True)
    ]


def add_counts(counts: dict[str, int], done: Sequence[int | None]) -> None:
    """Count what `plan_batch` did into `counts` (households is counted apart)."""
    for added in done:
        if added is None:
            counts["skipped"] += 1
        elif added < 0:
            counts["failed"] += 1
        else:
            counts["planned"] += 1
            counts["instructions"] += added


def finish_plan(work: NightWork, tonight: PlanWork) -> None:
    """After every due household is planned: the status of each one not planned, with
    its gemeente's settings."""
    planned = {h.code for h in tonight.due}
    for gemeente_id, members in tonight.region.by_gemeente(tonight.everyone).items():
        _store_unplanned(
            [h.code for h in members if h.code not in planned],
            work,
            tonight.region.settings(gemeente_id),
        )


CONSENT_SOURCE = "toestemming"  # the stored signals of households without a consent


def without_consent(
    work: NightWork, households: list[Household], *, required: bool | Set[int]
) -> list[Household]:
    """Those of `households` the night may plan (issue 19.3): when the gemeente requires
    consent, one without a consent that applies tonight is left out (no charges, no
    leefgeld; its incomes are still booked to it) and gets one signal, kept open until
    a consent is recorded. `required`: for every household, or (issue 22) the ids of
    the gemeenten that require it."""
    night = work.night

    def needs(household: Household) -> bool:
        return required if isinstance(required, bool) else household.gemeente_id in required

    waiting = [
        h for h in households if not is_planned_with(h.consent, h.end, night, required=needs(h))
    ]
    with UnitOfWork(work.engine) as uow:
        upsert_signals(uow, [no_consent_signal(h) for h in waiting], night, CONSENT_SOURCE)
        close_stale_signals(uow, CONSENT_SOURCE, night)
        uow.commit()
    left_out = {h.code for h in waiting}
    return [h for h in households if h.code not in left_out]


def no_consent_signal(household: Household) -> Signal:
    """The one signal of a household the night does not plan for want of a consent."""
    return Signal(
        SignalKind.NO_CONSENT,
        household.code,
        Severity.WARNING,
        f"{NO_CONSENT_TEXT} Leg de getekende toestemming van {household.name} vast "
        "op de pagina van het huishouden.",
        key=signal_key(household.code, "geen_toestemming"),
    )


def _store_unplanned(codes: list[str], work: NightWork, settings: PlanSettings) -> None:
    """The status of each household the night does not plan (not started yet, or
    settled), so the read model has a row for every household; one that cannot be
    computed is left to the pages (which then compute it) and logged."""
    for start in range(0, len(codes), BATCH):
        chunk = codes[start : start + BATCH]
        try:
            with UnitOfWork(work.engine) as uow:
                fresh = fresh_codes(uow, chunk, work.night)
                store_computed(uow, [c for c in chunk if c not in fresh], work.night, settings)
                uow.commit()
        except Exception:
            log.exception("%s: statuses of %s not stored", work.night, ", ".join(chunk))


def _plan_batch(
    work: NightWork, batch: list[Household], settings: PlanSettings
) -> list[int | None]:
    """Plan a batch in one transaction, reading and writing in bulk (the fast path)."""
    night = work.night.isoformat()
    codes = [h.code for h in batch]
    done: list[int | None] = []
    entries: list[JournalEntry] = []
    instructions: list[PaymentInstruction] = []
    signals: list[Signal] = []
    reports: list[StatusReport] = []
    with UnitOfWork(work.engine) as uow:
        with uow.session.no_autoflush:
            lock_statuses(uow, codes)  # the read model: before the inputs are read
            rows = state_rows(uow, codes, (MEMORY_KEY, PLANNED_KEY, FAILED_KEY))
            journal = journal_by_household(uow, codes)
            returned = returned_charge_payments(uow, codes)
            fresh = fresh_codes(uow, codes, work.night)
            for household in batch:
                mark = rows.get((household.code, PLANNED_KEY))
                if mark is not None and mark.value == night:
                    if household.code not in fresh:  # planned before statuses were stored
                        memory = rows.get((household.code, MEMORY_KEY))
                        reports.append(
                            _status_after(
                                household,
                                memory.value if memory else None,
                                journal.get(household.code, ()),
                                work.night,
                                settings,
                            )
                        )
                    done.append(None)
                    continue
                if (household.code, FAILED_KEY) in rows:  # replanned on its own, after
                    done.append(_ALONE)
                    continue
                memory = rows.get((household.code, MEMORY_KEY))
                state = with_balances(
                    memory_from_json(household.code, memory.value if memory else None),
                    Ledger(tuple(journal.get(household.code, ()))),
                )
                state = replace(state, returned=returned.get(household.code, ()))
                result = plan(household, state, work.night, settings)
                entries.extend(result.entries)
                instructions.extend(result.instructions)
                signals.extend(result.signals)
                remembered = memory_to_json(result.state, work.night)
                put_state(uow, rows, household.code, MEMORY_KEY, remembered)
                put_state(uow, rows, household.code, PLANNED_KEY, night)
                booked = (*journal.get(household.code, ()), *result.entries)
                reports.append(_status_after(household, remembered, booked, work.night, settings))
                work.fault("plan", household.code)
                done.append(len(result.instructions))
            preload(uow, codes, [i.end_to_end_id for i in instructions])
        append_journal_entries(uow, entries)
        add_instructions(uow, instructions, work.night)
        upsert_signals(uow, signals, work.night, "planner")
        store_statuses(uow, reports)  # the read model, with the plan (after the entries)
        uow.commit()
    return done


def _status_after(
    household: Household,
    memory: Any,
    journal: Sequence[JournalEntry],
    night: date,
    settings: PlanSettings,
) -> StatusReport:
    """The status a page computes once this transaction is committed: from the
    planner memory as stored and the balances of the journal with tonight's entries."""
    state = with_balances(
        memory_from_json(household.code, json.loads(json.dumps(memory))), Ledger(tuple(journal))
    )
    return status_report(household, state, night, settings)


def _plan_alone(work: NightWork, household: Household, settings: PlanSettings) -> int | None:
    """One household in its own transaction; a failure is a problem and a signal (-1)."""
    try:
        with UnitOfWork(work.engine) as uow:
            added = plan_in(uow, work, household, settings)
            uow.commit()
        return added
    except Exception:
        log.exception("%s: the plan of %s could not be stored", work.night, household.code)
        work.problem(
            f"{household.code}: plannen mislukt (fout bij het opslaan, details in het "
            "logbestand); de volgende nacht wordt dit huishouden opnieuw ingepland"
        )
        with UnitOfWork(work.engine) as uow:
            signal = night_signals.plan_failed(household.code, work.night)
            upsert_signals(uow, [signal], work.night, "event")
            if get_state(uow, FAILED_KEY, household=household.code) is None:
                set_state(uow, FAILED_KEY, work.night.isoformat(), household=household.code)
            uow.commit()
        return -1


def plan_in(
    uow: UnitOfWork, work: NightWork, household: Household, settings: PlanSettings
) -> int | None:
    """Plan one household inside `uow` (not committed); None when already planned tonight.

    Its instructions, journal entries, planner memory, signals and the "planned
    tonight" mark are written together, so they commit (or vanish) together.
    """
    night = work.night.isoformat()
    lock_statuses(uow, [household.code])  # the read model: before the inputs are read
    if get_state(uow, PLANNED_KEY, household=household.code) == night:
        return None
    state = load_planner_state(uow, household.code)
    failed = get_state(uow, FAILED_KEY, household=household.code)
    if failed is None:
        result = plan(household, state, work.night, settings)
        entries, instructions, signals = result.entries, result.instructions, result.signals
        final = result.state
    else:  # it failed before: plan every night it missed, then tonight
        entries, instructions, signals, final = _replan(
            work, household, state, date.fromisoformat(str(failed)), settings
        )
        delete_state(uow, FAILED_KEY, household=household.code)
    append_journal_entries(uow, entries)
    added = add_instructions(uow, instructions, work.night)
    save_planner_memory(uow, final, work.night)
    upsert_signals(uow, signals, work.night, "planner")
    set_state(uow, PLANNED_KEY, night, household=household.code)
    store_computed(uow, [household.code], work.night, settings)  # the read model, with the plan
    work.fault("plan", household.code)
    return added


def _replan(
    work: NightWork,
    household: Household,
    state: HouseholdState,
    failed_since: date,
    settings: PlanSettings,
) -> tuple[
    tuple[JournalEntry, ...], tuple[PaymentInstruction, ...], tuple[Signal, ...], HouseholdState
]:
    """Plan `household` for each night from `failed_since` up to tonight, in order.

    What a missed night instructs for a day before the first business day that can
    still be reached goes out on that day instead, with a signal per payment."""
    first = max(failed_since, work.night - timedelta(days=MAX_REPLAY_NIGHTS))
    earliest = settings.calendar.on_or_after(work.real_day)
    entries: list[JournalEntry] = []
    instructions: list[PaymentInstruction] = []
    signals: list[Signal] = []
    for offset in range((work.night - first).days + 1):
        day = first + timedelta(days=offset)
        if not household.is_planned_on(day):
            continue
        result = plan(household, state, day, settings)
        state = result.state
        entries.extend(result.entries)
        signals.extend(result.signals)
        for instruction in result.instructions:
            if day < work.night:
                planned = instruction.execution_date
                if planned < earliest:
                    instruction = replace(instruction, execution_date=earliest)
                what = _what(household, instruction)
                signals.append(night_signals.plan_recovered(instruction, what, day, planned))
            instructions.append(instruction)
    return tuple(entries), tuple(instructions), tuple(signals), state


def _what(household: Household, instruction: PaymentInstruction) -> str:
    """The payment's plain name: the charge's kind (huur, energie), or leefgeld."""
    if instruction.kind == "charge":
        for charge in household.charges:
            if charge.id == instruction.charge_id:
                return charge.kind.value.replace("_", " ")
    return instruction.kind
