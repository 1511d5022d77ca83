"""What an intake leaves for the moment its new household is approved (issue 19.3, 19.6).

An intake that chose "ontzorgen statushouder (6 maanden)" proposes the household with
its end date already set; the hand-over talk in month 5 is planned as a signal once
the household exists, that is when a second staff member approves it
(`services.rule_changes.approve_change` calls `household_created`). A refused new
household leaves nothing behind: its consent (and signed document) and the marker
go (`household_refused`). None of these commit: the approval or refusal does.
"""

from __future__ import annotations

from datetime import date, datetime

from huishoudboekje.adapters.persistence import load_gemeente_of, load_household, record_audit
from huishoudboekje.adapters.persistence.consent_repo import delete_consents
from huishoudboekje.adapters.persistence.engine_state import delete_state, get_state, set_state
from huishoudboekje.adapters.persistence.signal_repo import upsert_signals
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.handover import statushouder_period
from huishoudboekje.services.household_status import plan_settings
from huishoudboekje.services.statushouder import EVENT, handover_talk_signal

STATUSHOUDER_KEY = "intake_statushouder"  # engine_state: the template's start, until approved


def remember_statushouder(uow: UnitOfWork, code: str, start: date, now: datetime) -> None:
    """Mark the new household `code` for the statushouder template from `start`."""
    set_state(uow, STATUSHOUDER_KEY, start.isoformat(), code, at=now)


def household_created(uow: UnitOfWork, code: str, *, actor: str, now: datetime) -> bool:
    """Plan the hand-over talk of a new household marked for the statushouder template
    (True), or do nothing (False)."""
    marked = get_state(uow, STATUSHOUDER_KEY, code)
    household = load_household(uow, code)
    if not isinstance(marked, str) or household is None:
        return False
    period = statushouder_period(date.fromisoformat(marked))
    due = plan_settings(load_gemeente_of(uow, code)).calendar.on_or_before(period.talk_due)
    upsert_signals(uow, [handover_talk_signal(household, period, due)], period.start, EVENT)
    delete_state(uow, STATUSHOUDER_KEY, code)
    record_audit(
        uow,
        actor=actor,
        action="household.statushouder",
        object_type="household",
        object_id=code,
        after={
            "end": period.last_day.isoformat(),
            "talk_from": period.talk_from.isoformat(),
            "talk_due": due.isoformat(),
        },
        at=now,
    )
    return True


def household_refused(uow: UnitOfWork, code: str) -> int:
    """A new household was refused: remove its consents and marker; how many consents."""
    if load_household(uow, code) is not None:
        return 0  # it exists: the refused change was not its creation
    delete_state(uow, STATUSHOUDER_KEY, code)
    return delete_consents(uow, code)
