"""Blueprint `household_answers`: the household sees a change staff proposed to its
own fixed charges or leefgeld and answers it (issue 19.7): "Akkoord" or "Ik wil
eerst contact" (with an optional short message).

Like every household view, it shows the household of the logged-in identity; a
proposal of another household is "not found" (the service checks it).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.services.team_pages import answer_household_proposal, household_proposal_views
from web import access
from web.access import household_only
from web.user_errors import back_to

bp = Blueprint("household_answers", __name__)
MAX_MESSAGE = 500
ANSWERED_NL = {
    "toegepast": "Dank u. U bent akkoord. De wijziging gaat nu in.",
    "akkoord": "Dank u. U bent akkoord. De wijziging gaat in als de teamleider het ook goed vindt.",
    "contact": "Dank u. Uw medewerker neemt binnen twee werkdagen contact met u op.",
}


def _code() -> str:
    code = access.current().household
    if code is None:
        abort(403)
    return code


@bp.get("/wijzigingen")
@household_only
def proposals_page() -> str:
    """Voorgestelde wijzigingen: what staff want to change, from when and why."""
    views = household_proposal_views(access.engine(), _code(), access.settings().today())
    return render_template(
        "household/proposals.html",
        open=[v for v in views if v.is_open],
        done=[v for v in views if not v.is_open],
    )


@bp.post("/wijzigingen/<int:proposal_id>")
@household_only
def answer(proposal_id: int) -> BaseResponse:
    """The household's answer: "akkoord" or "contact"."""
    back = url_for("household_answers.proposals_page")
    back_to(back)
    choice = request.form.get("antwoord", "")
    if choice not in ("akkoord", "contact"):
        abort(400)
    settings = access.settings()
    status = answer_household_proposal(
        access.engine(),
        household=_code(),
        proposal_id=proposal_id,
        answer=choice,
        via="online",
        by=access.current().username,
        message=request.form.get("bericht", "")[:MAX_MESSAGE],
        now=settings.now(),
        today=settings.today(),
    )
    flash(ANSWERED_NL.get(status, "Dank u. Uw antwoord is bewaard."), "ok")
    return redirect(back)


@bp.app_template_global()
def proposals_waiting() -> int:
    """For the household's Vandaag: how many proposed changes wait for its answer."""
    code = access.current().household
    if code is None:
        return 0
    views = household_proposal_views(access.engine(), code, access.settings().today())
    return sum(1 for v in views if v.is_open and v.proposal.status == "voorgesteld")


URGENT_SHOWN_DAYS = 30  # Vandaag mentions an urgent change for about a month


@bp.app_template_global()
def urgent_changes() -> list[tuple[str, str]]:
    """For the household's Vandaag: changes made with spoed lately, (what, why)."""
    code = access.current().household
    if code is None:
        return []
    today = access.settings().today()
    views = household_proposal_views(access.engine(), code, today)
    return [
        (" ".join(v.proposal.lines), v.proposal.why)
        for v in views
        if v.proposal.status == "spoed"
        and v.proposal.applied_at is not None
        and (today - v.proposal.applied_at.date()).days <= URGENT_SHOWN_DAYS
    ]
