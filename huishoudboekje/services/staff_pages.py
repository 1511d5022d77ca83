"""What the staff pages read, for the web, each page in one unit of work of its own.

The web hands in its engine; every read a page made in one transaction is still
made in one transaction here, so the counts and lists on a page agree with each
other. Nothing here writes or commits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.approvals import (
    ChangeRequest,
    HouseholdRequest,
    SignalNote,
)
from huishoudboekje.adapters.persistence.audit import AuditEvent
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import User
from huishoudboekje.domain.household import Household
from huishoudboekje.services.caseload import (
    Caseload,
    CaseloadQuery,
    SuspenseItem,
    caseload,
    oldest_suspense,
)
from huishoudboekje.services.extra_returns import ReturnedRequest, returned_requests
from huishoudboekje.services.gemeente_scope import scope_of_gemeente
from huishoudboekje.services.household_requests import (
    open_requests,
    requests_of,
    returned_waiting,
)
from huishoudboekje.services.households import all_households, household_exists, household_of
from huishoudboekje.services.night_worklists import (
    NightSignal,
    ProblemNight,
    ReturnedPayment,
    UnknownCredit,
    has_nights,
    night_signals,
    problem_nights,
    returned_payments,
    unknown_credits,
)
from huishoudboekje.services.overview import HouseholdView, household_view
from huishoudboekje.services.signal_deadlines import (
    SignalDeadline,
    overdue_by_household,
    signal_deadlines,
)
from huishoudboekje.services.staff import (
    AuditFilter,
    SignalItem,
    change_history,
    household_accounts,
    notes_for,
    pending_changes,
    search_audit,
    signal_worklist,
)

__all__ = [
    "CaseloadPage",
    "HouseholdPage",
    "Worklists",
    "audit_events",
    "caseload_page",
    "changes_waiting",
    "household_known",
    "household_page",
    "household_view_of",
    "request_lists",
    "stored_household",
    "worklists",
]


@dataclass(frozen=True, slots=True)
class Worklists:
    """Everything the worklists page shows. Once a night has run its stored signals
    are the list (`stored`); before that, `signals` are computed from the rules."""

    nights: bool
    stored: list[NightSignal]
    signals: list[SignalItem]
    credits: list[UnknownCredit]
    returned: list[ReturnedPayment]
    bad_nights: list[ProblemNight]
    items: tuple[HouseholdRequest, ...]
    returned_items: list[ReturnedRequest]
    pending: tuple[ChangeRequest, ...]
    households: tuple[Household, ...]
    # issue 19.5: open signals past their deadline, the teamleider's list
    overdue: list[SignalDeadline] = field(default_factory=list)


def worklists(engine: Engine, today: date) -> Worklists:
    """The worklists as one transaction saw them."""
    with UnitOfWork(engine) as uow:
        nights = has_nights(uow)
        return Worklists(
            nights=nights,
            stored=night_signals(uow) if nights else [],
            signals=[] if nights else signal_worklist(uow, today),
            credits=unknown_credits(uow),
            returned=returned_payments(uow),
            bad_nights=problem_nights(uow),
            items=open_requests(uow),
            returned_items=returned_requests(uow),
            pending=pending_changes(uow),
            households=all_households(uow),
            overdue=signal_deadlines(uow, today, overdue_only=True),
        )


@dataclass(frozen=True, slots=True)
class CaseloadPage:
    """One page of the caseload and, by household code, what waits for staff: new
    requests, requests whose payment came back, and whether a four-eyes change waits."""

    caseload: Caseload
    requests_new: Counter[str]
    requests_returned: Counter[str]
    pending: set[str]
    oldest_suspense: SuspenseItem | None = None  # the money waiting longest for staff
    # issue 19.5: overdue signals per household code (the caseload shows those first)
    overdue: Counter[str] = field(default_factory=Counter)


def caseload_page(engine: Engine, today: date, query: CaseloadQuery) -> CaseloadPage:
    """A page of the caseload (`query`) with open requests and changes waiting."""
    with UnitOfWork(engine) as uow:
        found = caseload(uow, query)
        new = Counter(r.household for r in open_requests(uow))
        returned = Counter(r.household for r in returned_waiting(uow))
        pending = {c.household for c in pending_changes(uow)}
        oldest = oldest_suspense(uow, today, scope_of_gemeente(uow, query.gemeente_id))
        overdue = overdue_by_household(signal_deadlines(uow, today, overdue_only=True))
    return CaseloadPage(found, new, returned, pending, oldest, overdue)


@dataclass(frozen=True, slots=True)
class HouseholdPage:
    """One household as staff see it; `stored` is None before the first night."""

    view: HouseholdView
    notes: dict[str, SignalNote]
    stored: list[NightSignal] | None
    changes: tuple[ChangeRequest, ...]
    accounts: tuple[User, ...]
    requests: tuple[HouseholdRequest, ...]


def household_page(engine: Engine, code: str, today: date) -> HouseholdPage:
    """One household's page. Raises `UnknownHouseholdError` for an unknown code."""
    with UnitOfWork(engine) as uow:
        return HouseholdPage(
            view=household_view(uow, code, today),
            notes=notes_for(uow, code),
            stored=night_signals(uow, household=code) if has_nights(uow) else None,
            changes=change_history(uow, code),
            accounts=household_accounts(uow, code),
            requests=requests_of(uow, code),
        )


def household_view_of(engine: Engine, code: str, today: date) -> HouseholdView:
    """One household's view (raises `UnknownHouseholdError` for an unknown code)."""
    with UnitOfWork(engine) as uow:
        return household_view(uow, code, today)


def stored_household(engine: Engine, code: str) -> Household | None:
    """The stored household `code`, or None."""
    with UnitOfWork(engine) as uow:
        return household_of(uow, code)


def household_known(engine: Engine, code: str) -> bool:
    """Whether household `code` is stored."""
    with UnitOfWork(engine) as uow:
        return household_exists(uow, code)


def changes_waiting(engine: Engine) -> tuple[ChangeRequest, ...]:
    """Four-eyes changes waiting for a second staff member."""
    with UnitOfWork(engine) as uow:
        return pending_changes(uow)


def request_lists(
    engine: Engine,
) -> tuple[tuple[HouseholdRequest, ...], list[ReturnedRequest]]:
    """Requests nobody has looked at yet, and those whose payment came back."""
    with UnitOfWork(engine) as uow:
        return open_requests(uow), returned_requests(uow)


def audit_events(engine: Engine, where: AuditFilter) -> list[AuditEvent]:
    """The audit log filtered by `where`."""
    with UnitOfWork(engine) as uow:
        return search_audit(uow, where)
