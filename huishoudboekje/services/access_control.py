"""Need-to-know access and the view log (issue 20, points 1 and 2).

Who may see a household's data:

- a medewerker and a teamleider (approver): the households of their own team
  (`Household.team == User.team`; a gemeente that uses no teams leaves both empty,
  so everyone sees every household, as before teams existed);
- a beheerder (admin): every household;
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

from huishoudboekje.adapters.persistence import UnitOfWork, load_gemeente, load_household
from huishoudboekje.adapters.persistence.user_repo import find_user
from huishoudboekje.adapters.persistence.view_log_repo import ViewEvent, append_view, load_views
from huishoudboekje.services.user_accounts import ROLE_NAMES_NL, Role

__all__ = [
    "BREAK_GLASS_HOURS",
    "BREAK_GLASS_REASONS",
    "HouseholdAccess",
    "ViewEvent",
    "Viewer",
    "household_access",
    "household_team",
    "household_viewers",
    "other_team_openings",
    "record_view",
    "record_views",
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
    if not role.sees_household_data:
        return HouseholdAccess.NONE
    if role.sees_every_team or team == staff_team(uow, username):
        return HouseholdAccess.OWN_TEAM
    return HouseholdAccess.OTHER_TEAM


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
) -> tuple[ViewEvent, ...]:
    """The view log, newest first, filtered (for admins and the privacy officer)."""
    moment = None if since is None else datetime.combine(since, time(0), tzinfo=UTC)
    with UnitOfWork(engine) as uow:
        return load_views(uow, household=household, actor=actor, since=moment, limit=limit)


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
    gemeente = load_gemeente(uow)
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
