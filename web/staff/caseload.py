"""Staff: the caseload, one household's page and chart, and invite links."""

from __future__ import annotations

from flask import Response, abort, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.services.caseload import by_buffer_days
from huishoudboekje.services.exit_checklist import checklist_of
from huishoudboekje.services.household_requests import REQUEST_KINDS, STATUS_NL
from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.overview import HouseholdView
from huishoudboekje.services.privacy import PrivacyError, export_household
from huishoudboekje.services.signal_deadlines import open_signal_deadlines, overdue_first
from huishoudboekje.services.staff_actions import invite_member
from huishoudboekje.services.staff_pages import (
    HouseholdPage,
    caseload_page,
    household_page,
    household_view_of,
)
from web import access
from web.access import staff_only
from web.charts import buffer_chart
from web.sentences import difference_sentence
from web.staff import bp
from web.user_errors import back_to

LEDGER_ROWS = 60


@bp.get("/")
@staff_only
def caseload() -> str:
    """Caseload: every household with its signals; search on code or name. Signals
    are the nightly run's stored ones not yet acknowledged (a returned rent, a late
    payment) and tonight's computed ones, each once, most severe first, linking to
    the household page where they are acknowledged. The "Open" column counts
    requests to look at: new ones, and those whose extra payment the bank sent back
    (pay again or close)."""
    query = request.args.get("q", "").strip()[:100]
    page = caseload_page(access.engine(), access.settings().today(), query)
    sort = "buffer" if request.args.get("sorteer") == "buffer" else ""
    return render_template(
        "staff/caseload.html",
        rows=by_buffer_days(page.rows)
        if sort
        else overdue_first(page.rows, lambda row: row.household.code, page.overdue),
        overdue=page.overdue,
        sort=sort,
        query=query,
        requests_new=page.requests_new,
        requests_returned=page.requests_returned,
        pending=page.pending,
        oldest=page.oldest_suspense,
    )


def _page_or_404(code: str) -> HouseholdPage:
    try:
        return household_page(access.engine(), code, access.settings().today())
    except UnknownHouseholdError:
        abort(404)


def _view_or_404(code: str) -> HouseholdView:
    try:
        return household_view_of(access.engine(), code, access.settings().today())
    except UnknownHouseholdError:
        abort(404)


@bp.get("/huishouden/<code>")
@staff_only
def household(code: str) -> str:
    """One household: balances, signals, rules, forecast, ledger, accounts, changes."""
    page = _page_or_404(code)
    view = page.view
    return render_template(
        "staff/household.html",
        view=view,
        report=view.status,
        h=view.status.household,
        notes=page.notes,
        stored=page.stored,
        changes=page.changes,
        accounts=page.accounts,
        requests=page.requests,
        status_nl=STATUS_NL,
        kinds=REQUEST_KINDS,
        entries=list(reversed(view.entries))[:LEDGER_ROWS],
        forecast=list(view.forecast[6::7]),
        # what the household reads on Vandaag when its next amount is not the usual one
        difference=difference_sentence(view.status),
        # issue 19.6: the exit checklist once an end is planned
        exit=checklist_of(access.engine(), code, access.settings().today()),
        # issue 19.5: owner and deadline of each open stored signal, by key
        deadlines={
            s.key: s
            for s in open_signal_deadlines(
                access.engine(), access.settings().today(), household=code
            )
        },
    )


@bp.get("/huishouden/<code>/grafiek.svg")
@staff_only
def chart(code: str) -> Response:
    """The household's buffer chart."""
    view = _view_or_404(code)
    return Response(buffer_chart(view.history, view.forecast), mimetype="image/svg+xml")


@bp.post("/huishouden/<code>/uitnodigen")
@staff_only
def invite(code: str) -> tuple[str, int] | BaseResponse:
    """Create a one-time link for a household member; the link is shown once."""
    username = request.form.get("username", "").strip()
    name = request.form.get("display_name", "").strip()
    back_to(url_for("staff.household", code=code))
    token = invite_member(
        access.engine(),
        actor=access.current().username,
        household=code,
        username=username,
        display_name=name or username,
        now=access.settings().now(),
    )
    if token is None:
        abort(404)
    link = url_for("auth.invite", token=token, _external=True)
    return render_template("staff/invite.html", link=link, code=code, username=username), 200


@bp.post("/huishouden/<code>/inzage-export")
@staff_only
def privacy_export(code: str) -> Response:
    """The inzage export (AVG art. 15) of one household as a ZIP download; the export
    itself is audit-logged by the service."""
    today = access.settings().today()
    try:
        data = export_household(access.engine(), code, today, actor=access.current().username)
    except PrivacyError:
        abort(404)
    name = f"inzage-{code}-{today.isoformat()}.zip"
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
