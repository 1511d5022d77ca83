"""Exit and hand-over (issue 19.6): the checklist of a household whose participation
ends, staff ticking its items, and starting an exit.

An exit exists once the household has an end date, or `start_exit` recorded one
(a withdrawn consent calls it: `start_exit(uow, code, day, reason, ...)` sets the
household's last day, so the planner does the eindafrekening, and keeps the
reason). The items (`domain.handover`) tick themselves when the data shows them
done; staff tick the rest, audit-logged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence import load_gemeente_of, load_household, save_household
from huishoudboekje.adapters.persistence.audit import record_audit
from huishoudboekje.adapters.persistence.exit_repo import (
    StoredExit,
    StoredTick,
    credits_after,
    delete_tick,
    payouts_since,
    save_exit,
    save_tick,
    stored_exit,
    stored_ticks,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.handover import (
    Balances,
    CheckItem,
    Credit,
    checklist,
    handover_day,
)
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.limits import FIRST_DAY, LAST_DAY, day_problem
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.services.errors import MAX_NOTE, UserError
from huishoudboekje.services.household_status import (
    UnknownHouseholdError,
    household_status,
    plan_settings,
)

REMAINDER_SUBJECT = "restant"  # the eindafrekening's payment (domain.planner.phases.remainder)
MAX_REASON = 500


class ExitError(UserError, ValueError):
    """An exit or checklist action that cannot be done as asked."""


@dataclass(frozen=True, slots=True)
class ChecklistLine:
    """An item with staff's tick on top of what the data shows."""

    item: CheckItem
    ticked_by: str = ""
    ticked_at: datetime | None = None
    note: str = ""

    @property
    def done(self) -> bool:
        return self.item.auto_done or bool(self.ticked_by)


@dataclass(frozen=True, slots=True)
class ExitChecklist:
    household: Household
    last_day: date
    handover: date  # the first day the household pays and is paid itself
    closing_day: date  # the eindafrekening runs from this business day
    reason: str
    lines: tuple[ChecklistLine, ...]

    @property
    def done(self) -> int:
        return sum(1 for line in self.lines if line.done)

    def line(self, key: str) -> ChecklistLine | None:
        return next((line for line in self.lines if line.item.key == key), None)


def _household(uow: UnitOfWork, code: str) -> Household:
    household = load_household(uow, code)
    if household is None:
        raise UnknownHouseholdError(code)
    return household


def exit_of(uow: UnitOfWork, household: Household) -> tuple[date, str] | None:
    """The last day and reason of the household's exit; None when none is planned."""
    started = stored_exit(uow, household.code)
    if started is not None:
        last = started.last_day if household.end is None else min(household.end, started.last_day)
        return last, started.reason
    if household.end is not None:
        return household.end, "einddatum deelname"
    return None


def _balances(uow: UnitOfWork, household: Household, today: date, closing_day: date) -> Balances:
    state = household_status(uow, household.code, today).state
    payouts = [
        p
        for p in payouts_since(uow, household.code, REMAINDER_SUBJECT, closing_day)
        if p.status != "returned" and p.amount > 0
    ]
    paid = sum((Money(p.amount) for p in payouts), ZERO)
    reserves = sum((held for _, held in state.reserves), ZERO)
    last_on = payouts[-1].execution_date if payouts else None
    return Balances(state.vat, reserves, state.advance_used, paid, last_on)


def exit_checklist(uow: UnitOfWork, code: str, today: date) -> ExitChecklist | None:
    """The household's exit checklist on `today`; None when no exit is planned.
    Raises `UnknownHouseholdError` for an unknown code."""
    household = _household(uow, code)
    found = exit_of(uow, household)
    if found is None:
        return None
    last_day, reason = found
    closing_day = plan_settings(load_gemeente_of(uow, code)).calendar.on_or_before(last_day)
    credits = [
        Credit(
            c.booking_date, Money(c.amount), c.counterparty_name, c.counterparty_iban, c.income_id
        )
        for c in credits_after(uow, code, last_day)
    ]
    balances = _balances(uow, household, today, closing_day)
    items = checklist(household, last_day, credits, balances, today, closing_day)
    ticks = stored_ticks(uow, code)
    lines = tuple(
        ChecklistLine(item)
        if item.key not in ticks
        else ChecklistLine(
            item, ticks[item.key].done_by, ticks[item.key].done_at, ticks[item.key].note
        )
        for item in items
    )
    return ExitChecklist(household, last_day, handover_day(last_day), closing_day, reason, lines)


def tick_item(
    uow: UnitOfWork,
    code: str,
    key: str,
    *,
    done: bool,
    actor: str,
    now: datetime,
    today: date,
    note: str = "",
) -> ChecklistLine:
    """Staff tick (`done`) or untick an item of the household's checklist; commits
    and audit-logs. `ExitError` for an unknown item, an item the data already shows
    done, or a note that is too long."""
    found = exit_checklist(uow, code, today)
    if found is None:
        raise ExitError("Voor dit huishouden is geen einde van de deelname gepland.")
    line = found.line(key)
    if line is None:
        raise ExitError("Dit onderdeel staat niet op de lijst.")
    if line.item.auto_done:
        raise ExitError(
            "Dit onderdeel is al vanzelf afgevinkt: de gegevens laten zien dat het klaar is."
        )
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ExitError(f"Gebruik hoogstens {MAX_NOTE} tekens in de notitie.")
    if done:
        save_tick(uow, code, StoredTick(key, actor, now, note))
        after: ChecklistLine = replace(line, ticked_by=actor, ticked_at=now, note=note)
    else:
        if not delete_tick(uow, code, key):
            raise ExitError("Dit onderdeel was niet afgevinkt.")
        after = ChecklistLine(line.item)
    record_audit(
        uow,
        actor=actor,
        action="exit.tick" if done else "exit.untick",
        object_type="household",
        object_id=code,
        before={"item": key, "done": line.done},
        after={"item": key, "done": done, "note": note},
        at=now,
    )
    uow.commit()
    return after


def start_exit(
    uow: UnitOfWork, code: str, day: date, reason: str, *, actor: str, now: datetime
) -> ExitChecklist | None:
    """Start the exit of household `code`: `day` is its last day of participation
    (a withdrawn consent: the day it ends). Sets the household's end date to `day`
    when it has none or a later one, so the nightly plan does the eindafrekening,
    and keeps the reason; commits and audit-logs. Starting again replaces the day
    and the reason. Returns the checklist as of `day`."""
    household = _household(uow, code)
    reason = reason.strip()
    if not reason:
        raise ExitError("Schrijf kort waarom de deelname eindigt.")
    if len(reason) > MAX_REASON:
        raise ExitError(f"Gebruik hoogstens {MAX_REASON} tekens voor de reden.")
    if day_problem(day) is not None:
        raise ExitError(f"Kies een laatste dag tussen {FIRST_DAY:%d-%m-%Y} en {LAST_DAY:%d-%m-%Y}.")
    if day < household.start:
        raise ExitError("De laatste dag ligt voor het begin van de deelname.")
    before = None if household.end is None else household.end.isoformat()
    if household.end is None or household.end > day:
        save_household(uow, replace(household, end=day), at=now)
    save_exit(uow, StoredExit(code, day, reason, actor, now))
    record_audit(
        uow,
        actor=actor,
        action="exit.start",
        object_type="household",
        object_id=code,
        before={"end": before},
        after={"end": min(day, household.end or day).isoformat(), "reason": reason},
        at=now,
    )
    uow.commit()
    return exit_checklist(uow, code, day)


# ------------------------------------------------------------ for the web


def checklist_of(engine: Engine, code: str, today: date) -> ExitChecklist | None:
    """`exit_checklist` in a unit of work of its own."""
    with UnitOfWork(engine) as uow:
        return exit_checklist(uow, code, today)


def tick(
    engine: Engine,
    code: str,
    key: str,
    *,
    done: bool,
    actor: str,
    now: datetime,
    today: date,
    note: str = "",
) -> ChecklistLine:
    """`tick_item` in a unit of work of its own."""
    with UnitOfWork(engine) as uow:
        return tick_item(uow, code, key, done=done, actor=actor, now=now, today=today, note=note)


def start(
    engine: Engine, code: str, day: date, reason: str, *, actor: str, now: datetime
) -> ExitChecklist | None:
    """`start_exit` in a unit of work of its own."""
    with UnitOfWork(engine) as uow:
        return start_exit(uow, code, day, reason, actor=actor, now=now)
