"""Staff: the caseload, one household's page and chart, and invite links."""

from __future__ import annotations

from flask import Response, abort, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.services.caseload import CaseloadQuery, CaseloadSort, Scope
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
from huishoudboekje.services.team_pages import team_panel, unread_handover_codes
from web import access
from web.access import staff_only
from web.charts import buffer_chart
from web.sentences import difference_sentence, report_sentences
from web.staff import bp
from web.staff.need_to_know import granted_codes, my_scope
from web.user_errors import back_to

LEDGER_ROWS = 60


SCOPES = {s.value: s for s in Scope}
SORTS = {s.value: s for s in CaseloadSort}
BUFFER_BELOW_MAX = 10_000


def _whole(text: str | None, low: int, high: int) -> int | None:
    """A whole number from the query string within [low, high], else None."""
    if text is None or not text.strip().isdigit():
        return None
    number = int(text.strip())
    return number if low <= number <= high else None


@bp.get("/")
@staff_only
def caseload() -> str:
    """Caseload: the households, 50 a page, from the statuses the night stored (no
    household is planned to show it). Filters: whose ("Mijn huishoudens", "Mijn team",
    "Alle"; a medewerker with a caseload starts on their own), only those with
    signals, only those whose vat lasts fewer than N days; sorted by urgency (most
    severe signal, then fewest buffer days), buffer days or name; search on the start
    of a word of the code or the name. Signals are the stored status's and the nightly
    run's open ones, each once, most severe first, linking to the household page where
    they are acknowledged. The "Open" column counts requests to look at: new ones,
    and those whose extra payment the bank sent back (pay again or close)."""
    args = request.args
    query = CaseloadQuery(
        search=args.get("q", "").strip()[:100],
        scope=SCOPES.get(args.get("wie", "")),
        user=access.current().username,
        with_signals=args.get("signalen") == "1",
        buffer_below=_whole(args.get("buffer_onder"), 0, BUFFER_BELOW_MAX),
        sort=SORTS.get(args.get("sorteer", ""), CaseloadSort.URGENCY),
        page=_whole(args.get("pagina"), 1, 1_000_000) or 1,
        own_team_only=not access.current().role.sees_every_team,
        granted=tuple(sorted(granted_codes())),
        gemeente_id=my_scope().gemeente_id,  # issue 22: the own gemeente's only
    )
    page = caseload_page(access.engine(), access.settings().today(), query)
    found = page.caseload
    # the link of another page, sort or scope keeps the other choices
    keep = {
        "q": query.search or None,
        "wie": None if query.scope is None else query.scope.value,  # else the default again
        "signalen": "1" if query.with_signals else None,
        "buffer_onder": query.buffer_below,
        "sorteer": None if query.sort is CaseloadSort.URGENCY else query.sort.value,
    }
    return render_template(
        "staff/caseload.html",
        rows=overdue_first(found.rows, lambda row: row.code, page.overdue),
        found=found,
        overdue=page.overdue,
        query=query,
        keep=keep,
        scopes=[s for s in Scope if s is not Scope.TEAM or found.team],
        sorts=list(CaseloadSort),
        requests_new=page.requests_new,
        requests_returned=page.requests_returned,
        pending=page.pending,
        oldest=page.oldest_suspense,
        today=access.settings().today(),
        # issue 19.4: households handed to this medewerker whose note is not read yet
        handed=unread_handover_codes(access.engine(), access.current().username),
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
        # the buffer split, target and end sentences the household reads (issue 23)
        sentences=report_sentences(view.status),
        # issue 19.6: the exit checklist once an end is planned
        exit=checklist_of(access.engine(), code, access.settings().today()),
        # issue 19.4, 19.7: the hand-over note and the proposals to the household
        team=team_panel(
            access.engine(), code, actor=access.current().username, role=access.current().role
        ),
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
