"""Privacy pages (issue 20): the household sees who looked at its data; admins and
the privacy officer read the view log; the functioneel beheerder sees the gemeente's
settings and accounts without any household data."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request

from huishoudboekje.services.access_control import household_viewers, view_log
from huishoudboekje.services.account_admin import list_accounts
from huishoudboekje.services.gemeente_scope import (
    accounts_gemeenten,
    gemeente_choices,
    gemeente_settings,
)
from huishoudboekje.services.households import stored_gemeente
from huishoudboekje.services.user_accounts import ROLE_NAMES_NL, Role
from web import access
from web.access import household_only, requires
from web.staff.need_to_know import my_scope

bp = Blueprint("privacy", __name__)
LOG_ROWS = 500


@bp.get("/bekeken")
@household_only
def viewers() -> str:
    """Who at the gemeente looked at this household's data in the last year."""
    identity = access.current()
    assert identity.household is not None
    rows = household_viewers(access.reads(), identity.household, today=access.settings().today())
    return render_template("household/viewers.html", rows=rows)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@bp.get("/medewerker/inzagelog")
@requires(Role.ADMIN, Role.PRIVACY_OFFICER)
def view_log_page() -> str:
    """The view log, newest first, filtered on household, user and first day."""
    household = request.args.get("huishouden", "").strip()[:40] or None
    user = request.args.get("gebruiker", "").strip()[:100] or None
    since_text = request.args.get("vanaf", "").strip()[:10]
    since = _day(since_text)
    events = view_log(
        access.engine(),
        household=household,
        actor=user,
        since=since,
        limit=LOG_ROWS,
        gemeente_id=my_scope().gemeente_id,  # issue 22: the own gemeente's households
    )
    return render_template(
        "staff/view_log.html",
        events=events,
        household=household or "",
        user=user or "",
        since=since_text,
        bad_since=bool(since_text) and since is None,
        limit=LOG_ROWS,
        roles=ROLE_NAMES_NL,
    )


@bp.get("/medewerker/instellingen")
@requires(Role.FUNCTIONEEL_BEHEERDER, Role.ADMIN)
def settings_page() -> str:
    """The gemeente's settings and the staff accounts (no household data)."""
    scope = my_scope()  # issue 22: a gemeente's own settings and staff only
    gemeente = stored_gemeente(access.reads()) if scope.regional else None
    gemeente = gemeente_settings(access.reads(), scope) if gemeente is None else gemeente
    of = accounts_gemeenten(access.reads())
    accounts = [
        a
        for a in list_accounts(access.engine())
        if a.household is None and (scope.regional or of.get(a.username) == scope.code)
    ]
    return render_template(
        "staff/settings.html",
        gemeente=gemeente,
        accounts=accounts,
        roles=ROLE_NAMES_NL,
        gemeente_of=of,
        regional=scope.regional and len(gemeente_choices(access.engine())) > 1,
    )
