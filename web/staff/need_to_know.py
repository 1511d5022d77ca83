"""Need-to-know on every staff route that names a household, and the view log.

Installed on the staff blueprint, so a new route with a `<code>` in its URL is
covered without doing anything: `guard` runs before the view and answers 404 for
another gemeente's household (issue 22), refuses another team's household (unless
opened with a reason) or any household for a role that sees no household data;
`log_view` runs after it and writes one view-log row for every successful request
about a household. See services/access_control.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import Response, abort, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.services.access_control import (
    BREAK_GLASS_HOURS,
    BREAK_GLASS_REASONS,
    HouseholdAccess,
    household_access,
    household_team,
    other_team_openings,
    own_team_codes,
    record_view,
)
from huishoudboekje.services.gemeente_scope import (
    GemeenteScope,
    staff_scope,
    transactions_in_scope,
)
from web import access
from web.access import staff_only
from web.staff import bp

SESSION_GRANTS = "hhb_grants"  # household code -> [reason, until (ISO)]
GRANT_ENDPOINT = "staff.open_with_reason"
MAX_EXPLANATION = 500


def _code() -> str | None:
    """The household this request is about: the `<code>` in its URL, or the one a view
    found behind a request's id or in a form (`require_household`)."""
    code = (request.view_args or {}).get("code")
    if isinstance(code, str):
        return code
    found = g.get("hhb_household")
    return found if isinstance(found, str) else None


def _grant(code: str) -> str:
    """The reason this session was given to open another team's `code`, while valid."""
    grants = session.get(SESSION_GRANTS)
    if not isinstance(grants, dict) or code not in grants:
        return ""
    reason, until = grants[code]
    if access.settings().now() > datetime.fromisoformat(until):
        return ""
    return str(reason)


@bp.before_request
def guard() -> tuple[str, int] | None:
    """Refuse what this person may not see (see the module docstring)."""
    code = _code()
    identity = g.get("identity")
    if code is None or identity is None or not identity.role.is_staff:
        return None  # not about a household, or the view's own decorator decides
    verdict = household_access(
        access.reads(), username=identity.username, role=identity.role, code=code
    )
    if verdict is HouseholdAccess.OTHER_GEMEENTE:
        abort(404)  # issue 22: another gemeente's household is not there, for anyone
    if verdict is HouseholdAccess.NONE:
        abort(403)
    g.hhb_view_reason = ""
    if verdict is HouseholdAccess.OTHER_TEAM:
        g.hhb_view_reason = _grant(code)
        if not g.hhb_view_reason and request.endpoint != GRANT_ENDPOINT:
            return _no_access(code), 403
    if verdict is not HouseholdAccess.UNKNOWN and request.endpoint != GRANT_ENDPOINT:
        _log_before_a_change(code)
    return None


def _log_before_a_change(code: str) -> None:
    """A request that may change something is view-logged before the view acts, so a
    view log that cannot be written stops it with nothing changed (a read is logged
    after it, in `log_view`, and a failure there shows nothing either)."""
    if request.method in ("GET", "HEAD"):
        return
    identity = access.current()
    record_view(
        access.engine(),
        actor=identity.username,
        role=identity.role.value,
        household=code,
        what=f"{request.endpoint} {request.method} {request.path}",
        via="web",
        reason=g.get("hhb_view_reason", ""),
    )
    g.hhb_view_logged = True


def granted_codes() -> set[str]:
    grants = session.get(SESSION_GRANTS)
    if not isinstance(grants, dict):
        return set()
    return {code for code in grants if _grant(code)}


def visible_codes() -> frozenset[str] | None:
    """The households the logged-in staff member may see in a list: the own team's and
    those opened with a reason in this session; None: every household."""
    identity = access.current()
    own = own_team_codes(access.reads(), username=identity.username, role=identity.role)
    return None if own is None else own | granted_codes()


def my_scope() -> GemeenteScope:
    """The gemeente the logged-in staff member works for (issue 22), or every gemeente
    for a regional account and in an installation with one gemeente."""
    return staff_scope(access.reads(), access.current().username)


def visible_transactions(ids: Iterable[int]) -> frozenset[int]:
    """Those of the bank transactions `ids` of the own gemeente (a household's by its
    household, money that matched none by the account it arrived on)."""
    return transactions_in_scope(access.reads(), my_scope(), ids)


def require_transaction(tx_id: int) -> None:
    """404 for a bank transaction of another gemeente (or none at all, once there are
    several): nobody assigns or splits another gemeente's money."""
    if tx_id not in visible_transactions([tx_id]):
        abort(404)


def require_household(code: str | None) -> None:
    """For a route that reaches one household through a request's id or a form field
    rather than a `<code>` in its URL: the same need-to-know as `guard` (403 for
    another team's household without a reason), and the request is view-logged as
    being about `code`. An unknown household is left to the view (its own 404)."""
    if code is None:
        return
    identity = access.current()
    verdict = household_access(
        access.reads(), username=identity.username, role=identity.role, code=code
    )
    if verdict is HouseholdAccess.UNKNOWN:
        return
    if verdict is HouseholdAccess.OTHER_GEMEENTE:
        abort(404)
    if verdict is HouseholdAccess.NONE:
        abort(403)
    reason = _grant(code) if verdict is HouseholdAccess.OTHER_TEAM else ""
    if verdict is HouseholdAccess.OTHER_TEAM and not reason:
        abort(403)
    g.hhb_view_reason = reason
    g.hhb_household = code
    if not g.get("hhb_view_logged"):
        _log_before_a_change(code)


def _no_access(code: str) -> str:
    team = household_team(access.reads(), code) or ""
    return render_template(
        "staff/no_access.html",
        code=code,
        team=team,
        reasons=BREAK_GLASS_REASONS,
        hours=BREAK_GLASS_HOURS,
    )


@bp.after_request
def log_view(response: Response) -> Response:
    """One view-log row for every successful request about a household's data."""
    code = _code()
    identity = g.get("identity")
    if (
        code is None
        or identity is None
        or not identity.role.sees_household_data
        or response.status_code >= 400
        or g.get("hhb_view_logged")
        # the form that asks why shows only the household's team, not its data
        or (request.endpoint == GRANT_ENDPOINT and request.method == "GET")
        or household_team(access.reads(), code) is None
    ):
        return response
    record_view(
        access.engine(),
        actor=identity.username,
        role=identity.role.value,
        household=code,
        what=f"{request.endpoint} {request.method} {request.path}",
        via="web",
        reason=g.get("hhb_view_reason", ""),
    )
    return response


@bp.route("/huishouden/<code>/toegang", methods=["GET", "POST"])
@staff_only
def open_with_reason(code: str) -> tuple[str, int] | BaseResponse:
    """Open another team's household with a reason (waarneming, spoed) and an
    explanation, for a few hours; the reason goes with every view-log row."""
    if household_team(access.reads(), code) is None:
        abort(404)
    if request.method == "GET":
        return _no_access(code), 200
    reason = request.form.get("reden", "")
    explanation = " ".join(request.form.get("toelichting", "").split())
    problem = None
    if reason not in BREAK_GLASS_REASONS:
        problem = "Kies waarom u dit huishouden opent: waarneming of spoed."
    elif not explanation:
        problem = "Schrijf in een paar woorden waarom (bijvoorbeeld: voor wie u waarneemt)."
    elif len(explanation) > MAX_EXPLANATION:
        problem = f"Houd de toelichting korter dan {MAX_EXPLANATION} tekens."
    if problem is not None:
        page = render_template(
            "staff/no_access.html",
            code=code,
            team=household_team(access.reads(), code) or "",
            reasons=BREAK_GLASS_REASONS,
            hours=BREAK_GLASS_HOURS,
            problem=problem,
            chosen=reason,
            explanation=explanation,
        )
        return page, 400
    until = access.settings().now() + timedelta(hours=BREAK_GLASS_HOURS)
    grants = dict(session.get(SESSION_GRANTS) or {})
    grants[code] = [f"{reason}: {explanation}", until.isoformat()]
    session[SESSION_GRANTS] = grants
    g.hhb_view_reason = grants[code][0]
    return redirect(url_for("staff.household", code=code))


@bp.app_template_global()
def openings_by_other_teams(code: str) -> list[object]:
    """For the household's page: who from another team opened it, and why."""
    return list(other_team_openings(access.reads(), code, today=access.settings().today()))
