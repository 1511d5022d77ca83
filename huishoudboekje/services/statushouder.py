"""The 6-month statushouder template (issue 19.6): ontzorgen for six months, planned
towards the exit.

`plan_statushouder(uow, code, start, actor=..., now=...)` sets the household's last
day of participation at six months from `start` (`start` + 6 months - 1 day: from
1 January the last day is 30 June) and plans the hand-over talk in month 5 as a
signal (kind `overdrachtsgesprek`) for the household's medewerker, due on the last
day of month 5 (or the business day before it). It commits and audit-logs; calling
it again with the same start changes nothing. The intake calls it when staff
choose "ontzorgen statushouder (6 maanden)"; `statushouder_period(start)` gives the
dates without saving anything (to show them on the intake form).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from huishoudboekje.adapters.persistence import load_gemeente_of, load_household, save_household
from huishoudboekje.adapters.persistence.audit import record_audit
from huishoudboekje.adapters.persistence.signal_repo import upsert_signals
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.deadlines import DUE_KEY
from huishoudboekje.domain.handover import StatushouderPeriod, long_day_nl, statushouder_period
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.ids import signal_key
from huishoudboekje.domain.limits import FIRST_DAY, LAST_DAY, day_problem
from huishoudboekje.domain.signals import Severity, Signal, SignalKind
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.household_status import UnknownHouseholdError, plan_settings

__all__ = [
    "StatushouderError",
    "StatushouderPeriod",
    "handover_talk_signal",
    "plan_statushouder",
    "statushouder_period",
]


class StatushouderError(UserError, ValueError):
    """A start date the template cannot use."""


EVENT = "event"  # a stored signal that stays open until staff close it (signal_repo)


def handover_talk_signal(household: Household, period: StatushouderPeriod, due: date) -> Signal:
    """The signal that plans the hand-over talk in month 5, due on `due`."""
    message = (
        f"Plan het overdrachtsgesprek met {household.name}: de deelname eindigt op "
        f"{long_day_nl(period.last_day)}. Voer het gesprek in maand 5, tussen "
        f"{long_day_nl(period.talk_from)} en {long_day_nl(due)}."
    )
    return Signal(
        SignalKind.HANDOVER_TALK,
        household.code,
        Severity.INFO,
        message,
        key=signal_key(household.code, "overdrachtsgesprek", period.start.isoformat()),
        data=(
            (DUE_KEY, due.isoformat()),
            ("talk_from", period.talk_from.isoformat()),
            ("last_day", period.last_day.isoformat()),
        ),
    )


def plan_statushouder(
    uow: UnitOfWork, code: str, start: date, *, actor: str, now: datetime
) -> StatushouderPeriod:
    """Apply the statushouder template to household `code` whose intake starts on
    `start`: set its last day and plan the hand-over talk. Commits and audit-logs."""
    household = load_household(uow, code)
    if household is None:
        raise UnknownHouseholdError(code)
    if day_problem(start) is not None or day_problem(statushouder_period(start).last_day):
        raise StatushouderError(
            f"Kies een begindatum tussen {FIRST_DAY:%d-%m-%Y} en {LAST_DAY:%d-%m-%Y}."
        )
    period = statushouder_period(start)
    calendar = plan_settings(load_gemeente_of(uow, code)).calendar
    due = calendar.on_or_before(period.talk_due)
    if household.end != period.last_day:
        save_household(uow, replace(household, end=period.last_day), at=now)
    upsert_signals(uow, [handover_talk_signal(household, period, due)], start, EVENT)
    record_audit(
        uow,
        actor=actor,
        action="household.statushouder",
        object_type="household",
        object_id=code,
        before={"end": None if household.end is None else household.end.isoformat()},
        after={
            "end": period.last_day.isoformat(),
            "talk_from": period.talk_from.isoformat(),
            "talk_due": due.isoformat(),
        },
        at=now,
    )
    uow.commit()
    return period
