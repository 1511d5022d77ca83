"""Need-to-know access and the view log (issue 20, points 1 and 2).

Who may see a household's data: first of all, only staff of the household's own
gemeente, or a regional account (issue 22, services/gemeente_scope.py); within it:

- a medewerker and a teamleider (approver): the households of their own team
  (`Household.team == User.team`; a gemeente that uses no teams leaves both empty,
  so everyone sees every household, as before teams existed);
- a beheerder (admin): every household of the own gemeente;
- the functioneel beheerder and the privacy officer: no household data at all.

A medewerker may open another team's household with a reason ("waarneming" or
"spoed") and an explanation: that opening is in the view log with its reason, and
the household's own team sees it on the household's page.

Every read of a household's data by staff (a page, `hhb status`, `hhb plan`, an
export) adds a row to the view log: who, when, what, and the reason where one was
given. The log is append-only; admins and the privacy officer read it, and the
household sees who looked (by role or by name, as the gemeente configures).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence import (
    AuditEvent,
    UnitOfWork,
    load_gemeente_of,
    load_household,
    load_households,
)
from huishoudboekje.adapters.persistence.approvals import (
    get_change_request,
    get_household_request,
)
from huishoudboekje.adapters.persistence.signal_repo import signal_household
from huishoudboekje.adapters.persistence.transaction_repo import transaction, transaction_by_key
from huishoudboekje.adapters.persistence.user_repo import find_user
from huishoudboekje.adapters.persistence.view_log_repo import ViewEvent, append_view, load_views
from huishoudboekje.services.gemeente_scope import household_in_scope, scope_codes, staff_scope
from huishoudboekje.services.user_accounts import ROLE_NAMES_NL, Role

__all__ = [
    "BREAK_GLASS_HOURS",
    "BREAK_GLASS_REASONS",
    "HouseholdAccess",
    "ViewEvent",
    "Viewer",
    "audit_households",
    "household_access",
    "household_of_change",
    "household_of_request",
    "household_of_signal",
    "household_of_transaction",
    "household_team",
    "household_viewers",
    "other_team_openings",
    "own_team_codes",
    "record_view",
    "record_views",
    "requester_of_change",
    "staff_team",
    "view_log",
]

# Why a medewerker may open another team's household, and for how long.
BREAK_GLASS_REASONS = {
    "waarneming": "waarneming (ik vervang een collega)",
    "spoed": "spoed (het kan niet wachten)",
}
BREAK_GLASS_HOURS = 4


class HouseholdAccess(StrEnum):
    """What a staff member may do with one household's data."""

    OWN_TEAM = "own_team"  # may see and change it
    OTHER_TEAM = "other_team"  # only with a reason (waarneming, spoed)
    # issue 22: another gemeente's household: never, not even with a reason; shown as
    # if it did not exist
    OTHER_GEMEENTE = "other_gemeente"
    NONE = "none"  # this role sees no household data
    UNKNOWN = "unknown"  # no such household


def staff_team(uow: UnitOfWork, username: str) -> str:
    """The team of a staff account ("" without one, or for an unknown name)."""
    user = find_user(uow, username)
    return "" if user is None else user.team


def household_team(uow: UnitOfWork, code: str) -> str | None:
    """The team of household `code`, or None when there is no such household."""
    household = load_household(uow, code)
    return None if household is None else household.team


def household_access(uow: UnitOfWork, *, username: str, role: Role, code: str) -> HouseholdAccess:
    """May `username` (in `role`) see household `code`? See the module docstring."""
    team = household_team(uow, code)
    if team is None:
        return HouseholdAccess.UNKNOWN
    # the first gate (issue 22): the gemeente; another gemeente's household is not there
    if not household_in_scope(uow, staff_scope(uow, username), code):
        return HouseholdAccess.OTHER_GEMEENTE
    if not role.sees_household_data:
        return HouseholdAccess.NONE
    if role.sees_every_team or team == staff_team(uow, username):
        return HouseholdAccess.OWN_TEAM
    return HouseholdAccess.OTHER_TEAM


def own_team_codes(uow: UnitOfWork, *, username: str, role: Role) -> frozenset[str] | None:
    """The households `username` (in `role`) sees without giving a reason, for lists
    (caseload, worklists, requests, approvals); None: every household (a beheerder)."""
    if not role.sees_household_data:
        return frozenset()
    within = scope_codes(uow, staff_scope(uow, username))  # issue 22: the own gemeente
    if role.sees_every_team:
        return within
    team = staff_team(uow, username)
    return frozenset(
        h.code
        for h in load_households(uow)
        if h.team == team and (within is None or h.code in within)
    )


def household_of_request(uow: UnitOfWork, request_id: int) -> str | None:
    """The household that made request `request_id`, or None for an unknown id."""
    found = get_household_request(uow, request_id)
    return None if found is None else found.household


def household_of_change(uow: UnitOfWork, change_id: int) -> str | None:
    """The household a four-eyes change `change_id` is about, or None for an unknown id."""
    found = get_change_request(uow, change_id)
    return None if found is None else found.household


def requester_of_change(uow: UnitOfWork, change_id: int) -> str | None:
    """Who proposed four-eyes change `change_id`, or None for an unknown id."""
    found = get_change_request(uow, change_id)
    return None if found is None else found.requested_by


def household_of_signal(uow: UnitOfWork, key: str) -> str | None:
    """The household of stored signal `key`, or None for an unknown key."""
    return signal_household(uow, key)


def household_of_transaction(uow: UnitOfWork, transaction_id: int) -> str | None:
    """The household bank transaction `transaction_id` was assigned to, or None."""
    found = transaction(uow, transaction_id)
    return None if found is None else found.household


def audit_households(uow: UnitOfWork, event: AuditEvent) -> frozenset[str]:
    """The households an audit event is about, as far as it says: by its object (a
    household's code, `CODE:...`, a request's or change's id, a bank transaction's
    or signal's key, a household member's account) and by the `household` named in
    its before/after. Empty for an event about no household (settings, staff)."""
    found: set[str | None] = set()
    kind, oid = event.object_type, event.object_id or ""
    if kind == "household":
        found.add(oid)
    for separator in (":", "/"):
        head = oid.split(separator, 1)[0]
        if head != oid and load_household(uow, head) is not None:
            found.add(head)
    for side in (event.before, event.after):
        if isinstance(side, dict):
            named = side.get("household")
            found.add(named if isinstance(named, str) else None)
            for part in side.get("parts") or ():
                if isinstance(part, dict) and isinstance(part.get("household"), str):
                    found.add(part["household"])
    if kind == "household_request" and oid.isdigit():
        found.add(household_of_request(uow, int(oid)))
    elif kind == "change_request" and oid.isdigit():
        found.add(household_of_change(uow, int(oid)))
    elif kind == "bank_transaction":
        row = transaction_by_key(uow, oid)
        found.add(None if row is None else row.household)
    elif kind == "signal":
        found.add(signal_household(uow, oid))
    elif kind == "user":
        user = find_user(uow, oid)
        found.add(None if user is None else user.household)
    return frozenset(code for code in found if code)


def record_view(
    engine: Engine,
    *,
    actor: str,
    role: str,
    household: str,
    what: str,
    via: str,
    reason: str = "",
) -> None:
    """Add one view-log row, in a transaction of its own."""
    record_views(engine, (household,), actor=actor, role=role, what=what, via=via, reason=reason)


def record_views(
    engine: Engine,
    households: Iterable[str],
    *,
    actor: str,
    role: str,
    what: str,
    via: str,
    reason: str = "",
) -> None:
    """One view-log row per household, in one transaction (a CLI read of several)."""
    at = datetime.now(UTC)
    with UnitOfWork(engine) as uow:
        for code in households:
            append_view(
                uow,
                at=at,
                actor=actor,
                role=role,
                household=code,
                what=what,
                via=via,
                reason=reason,
            )
        uow.commit()


def view_log(
    engine: Engine,
    *,
    household: str | None = None,
    actor: str | None = None,
    since: date | None = None,
    limit: int = 1000,
    gemeente_id: int | None = None,
) -> tuple[ViewEvent, ...]:
    """The view log, newest first, filtered (for admins and the privacy officer); of
    one gemeente's households when `gemeente_id` is given (issue 22)."""
    moment = None if since is None else datetime.combine(since, time(0), tzinfo=UTC)
    with UnitOfWork(engine) as uow:
        return load_views(
            uow,
            household=household,
            actor=actor,
            since=moment,
            limit=limit,
            gemeente_id=gemeente_id,
        )


@dataclass(frozen=True, slots=True)
class Viewer:
    """One look at a household's data, as the household is shown it."""

    day: date
    who: str  # a role ("medewerker") or a name, as the gemeente configures
    what: str  # which page, in words


# What a household is told was looked at, by the view's `what` prefix.
WHAT_NL = (
    ("hhb status", "uw overzicht (via het beheerprogramma)"),
    ("hhb plan", "de betalingen van vannacht (via het beheerprogramma)"),
    ("export", "een export van uw gegevens"),
    ("staff.household_chart", "de grafiek van uw buffer"),
    ("staff.household", "uw gegevens"),
    ("staff.privacy_export", "een inzage-export van uw gegevens"),
    ("staff.", "uw gegevens"),
)


def _what_nl(what: str) -> str:
    for prefix, words in WHAT_NL:
        if what.startswith(prefix):
            return words
    return "uw gegevens"


def household_viewers(
    uow: UnitOfWork, code: str, *, days: int = 365, today: date
) -> tuple[Viewer, ...]:
    """Who looked at household `code`'s data in the last `days` days, newest first,
    one line per person, day and kind of page (a page viewed ten times in a morning
    is one look)."""
    gemeente = load_gemeente_of(uow, code)  # its own gemeente's setting (issue 22)
    by_name = gemeente is not None and gemeente.viewer_shown_as == "name"
    since = datetime.combine(today - timedelta(days=days), time(0), tzinfo=UTC)
    seen: dict[tuple[date, str, str], None] = {}
    names: dict[str, str] = {}
    for event in load_views(uow, household=code, since=since, limit=5000):
        who = _who(uow, event, by_name, names)
        seen.setdefault((event.at.date(), who, _what_nl(event.what)), None)
    return tuple(Viewer(day, who, what) for day, who, what in seen)


def _who(uow: UnitOfWork, event: ViewEvent, by_name: bool, names: dict[str, str]) -> str:
    try:
        role_nl = ROLE_NAMES_NL[Role(event.role)]
    except ValueError:
        role_nl = event.role
    if event.via == "cli":
        role_nl = "beheerder van het systeem"
    if not by_name:
        return f"een {role_nl}"
    if event.actor not in names:
        user = find_user(uow, event.actor)
        names[event.actor] = user.display_name if user is not None else event.actor
    return f"{names[event.actor]} ({role_nl})"


def other_team_openings(
    uow: UnitOfWork, code: str, *, days: int = 90, today: date
) -> Sequence[ViewEvent]:
    """Openings of household `code` with a reason (another team's waarneming or spoed)
    in the last `days` days: shown to the household's own team."""
    since = datetime.combine(today - timedelta(days=days), time(0), tzinfo=UTC)
    return [e for e in load_views(uow, household=code, since=since) if e.reason]
