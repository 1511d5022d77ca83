"""Staff: four-eyes changes waiting for a second staff member, and households'
requests (agree, refuse, or pay again / close one whose payment came back)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.services.access_control import (
    household_of_change,
    household_of_request,
    requester_of_change,
    staff_team,
)
from huishoudboekje.services.decisions import ChangeDecision, RequestAnswer
from huishoudboekje.services.gemeente_scope import foreign_usernames
from huishoudboekje.services.household_requests import REQUEST_KINDS
from huishoudboekje.services.staff_actions import (
    answer_household_request,
    decide_four_eyes_change,
)
from huishoudboekje.services.staff_pages import changes_waiting, request_lists
from web import access, sessions
from web.access import staff_only
from web.staff import bp
from web.staff.need_to_know import my_scope, require_household, visible_codes
from web.user_errors import back_to

DECIDED_NL = {
    ChangeDecision.APPROVE: "Goedgekeurd: de wijziging is doorgevoerd.",
    ChangeDecision.REFUSE: "Afgewezen: er is niets gewijzigd.",
}
ANSWERED_NL = {
    RequestAnswer.PAY_AGAIN: (
        "De betaling gaat vannacht opnieuw de deur uit, als de buffer het toelaat.",
        "ok",
    ),
    RequestAnswer.CLOSE: ("Het verzoek is afgesloten; het geld blijft in de buffer.", "ok"),
    RequestAnswer.AGREE: ("Het verzoek wacht nu op akkoord van een tweede medewerker.", "wacht"),
    RequestAnswer.REFUSE: ("Het verzoek is afgewezen.", "ok"),
}


@bp.get("/goedkeuren")
@staff_only
def approvals() -> str:
    """Four-eyes changes waiting for a second staff member."""
    shown = visible_codes()
    team = staff_team(access.reads(), access.current().username)
    foreign = foreign_usernames(access.reads(), my_scope())  # issue 22: own gemeente's
    pending = [
        c
        for c in changes_waiting(access.engine())
        if (shown is None or c.household in shown or _new_for_team(c.kind, c.after, team))
        and c.requested_by not in foreign
    ]
    return render_template("staff/approvals.html", pending=pending)


def _new_for_team(kind: str, after: object, team: str) -> bool:
    """A new household (not stored until approved, so in no team's list yet) proposed
    for this team: its teamleider must see it to approve it (issue 19.3)."""
    proposed = after if isinstance(after, dict) else {}
    return kind == "household.create" and str(proposed.get("team") or "") == team


@bp.post("/goedkeuren/<int:request_id>")
@staff_only
def decide(request_id: int) -> BaseResponse:
    """Approve or refuse a four-eyes change (never one's own)."""
    identity = access.current()
    # issue 22: four eyes of the same gemeente (a new household is not stored yet: its
    # proposer's gemeente decides)
    if requester_of_change(access.reads(), request_id) in foreign_usernames(
        access.reads(), my_scope()
    ):
        abort(404)
    require_household(household_of_change(access.reads(), request_id))
    decision = ChangeDecision.parse(request.form.get("besluit"))
    if decision is None:
        abort(400)
    back = url_for("staff.approvals")
    approving = decision is ChangeDecision.APPROVE and identity.may_approve
    if approving and not sessions.recently_authenticated():  # issue 20.6: log in again
        flash("Log opnieuw in om goed te keuren; daarna keurt u de wijziging goed.", "info")
        return redirect(url_for("auth.reauthenticate", next=back))
    back_to(back)
    decide_four_eyes_change(
        access.engine(),
        request_id=request_id,
        decision=decision,
        decider=identity.username,
        may_approve=identity.may_approve,
        now=access.settings().now(),
        note=request.form.get("note", "").strip()[:2000],
    )
    flash(DECIDED_NL[decision], "ok")
    return redirect(back)


@bp.get("/verzoeken")
@staff_only
def requests_list() -> str:
    """Requests from households that nobody has looked at yet, and requests whose
    payment the bank sent back (pay again or close)."""
    items, returned = request_lists(access.engine())
    shown = visible_codes()
    return render_template(
        "staff/requests.html",
        items=[r for r in items if shown is None or r.household in shown],
        returned=[r for r in returned if shown is None or r.request.household in shown],
        kinds=REQUEST_KINDS,
    )


@bp.post("/verzoeken/<int:request_id>")
@staff_only
def handle_request(request_id: int) -> BaseResponse:
    """Agree (then a second staff member approves) or refuse a household's request;
    for a request whose payment came back: pay it again, or close it with a note."""
    require_household(household_of_request(access.reads(), request_id))
    answer = RequestAnswer.parse(request.form.get("besluit"))
    if answer is None:
        abort(400)
    back = url_for("staff.requests_list")
    back_to(back)
    settings = access.settings()
    answer_household_request(
        access.engine(),
        request_id=request_id,
        answer=answer,
        actor=access.current().username,
        note=request.form.get("answer", "").strip()[:2000],
        now=settings.now(),
        today=settings.today(),
    )
    flash(*ANSWERED_NL[answer])
    return redirect(back)
