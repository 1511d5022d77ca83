"""Staff: hand a household over to a colleague with a note (issue 19.4), the note
marked read by the new medewerker, the bulk hand-over of a medewerker who leaves,
and the household's answer to a proposed change recorded by staff (issue 19.7)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.services.errors import UserError
from huishoudboekje.services.household_proposals import STATUS_NL
from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.team_pages import (
    answer_household_proposal,
    hand_over_all_households,
    hand_over_household,
    handover_form,
    leavers,
    mark_handover_read,
    withdraw_household_proposal,
)
from web import access
from web.access import staff_only
from web.staff import bp
from web.user_errors import back_to

MAX_NOTE_FORM = 4000
STAFF_VIA = {"telefonisch": "telefonisch", "brief": "per brief", "gesprek": "in een gesprek"}


def _form_page(code: str, note: str = "", chosen: str = "", problem: str = "") -> str:
    identity = access.current()
    try:
        form = handover_form(access.engine(), code, actor=identity.username, role=identity.role)
    except UnknownHouseholdError:
        abort(404)
    return render_template(
        "staff/handover.html", code=code, form=form, note=note, chosen=chosen, problem=problem
    )


@bp.route("/huishouden/<code>/overdragen", methods=["GET", "POST"])
@staff_only
def hand_over(code: str) -> tuple[str, int] | str | BaseResponse:
    """Overdragen: choose the new medewerker and write a note for them."""
    if request.method == "GET":
        return _form_page(code)
    to_user = request.form.get("medewerker", "")
    note = request.form.get("notitie", "")[:MAX_NOTE_FORM]
    identity = access.current()
    try:
        done = hand_over_household(
            access.engine(),
            code=code,
            to_user=to_user,
            note=note,
            actor=identity.username,
            role=identity.role,
            now=access.settings().now(),
        )
    except UnknownHouseholdError:
        abort(404)
    except UserError as exc:
        return _form_page(code, note, to_user, str(exc)), 400
    flash(f"Het huishouden is overgedragen aan {done.to_user}, met uw notitie.", "ok")
    if identity.role.sees_every_team or done.to_team == done.from_team:
        return redirect(url_for("staff.household", code=code))
    return redirect(url_for("staff.caseload"))  # another team: no longer the own


@bp.post("/huishouden/<code>/overdracht/<int:handover_id>/gelezen")
@staff_only
def handover_read(code: str, handover_id: int) -> BaseResponse:
    """The new medewerker marks the hand-over note read."""
    back = url_for("staff.household", code=code)
    back_to(back)
    mark_handover_read(
        access.engine(),
        code=code,
        handover_id=handover_id,
        actor=access.current().username,
        now=access.settings().now(),
    )
    flash("De overdracht is gemarkeerd als gelezen.", "ok")
    return redirect(back)


@bp.route("/overdragen", methods=["GET", "POST"])
@staff_only
def hand_over_all() -> tuple[str, int] | str | BaseResponse:
    """Teamleider: every household of a medewerker who leaves to a colleague, one note."""
    identity = access.current()
    if not identity.may_approve:
        abort(403)
    form = leavers(access.engine(), actor=identity.username, role=identity.role)
    values = {k: request.form.get(k, "") for k in ("van", "naar", "notitie")}
    if request.method == "GET":
        return render_template("staff/handover_all.html", form=form, values=values, problem="")
    try:
        done = hand_over_all_households(
            access.engine(),
            from_user=values["van"],
            to_user=values["naar"],
            note=values["notitie"][:MAX_NOTE_FORM],
            actor=identity.username,
            role=identity.role,
            now=access.settings().now(),
        )
    except UserError as exc:
        page = render_template(
            "staff/handover_all.html", form=form, values=values, problem=str(exc)
        )
        return page, 400
    flash(f"{len(done)} huishoudens overgedragen aan {values['naar']}, met uw notitie.", "ok")
    return redirect(url_for("staff.caseload", wie="alle"))


@bp.post("/huishouden/<code>/voorstel/<int:proposal_id>/antwoord")
@staff_only
def record_answer(code: str, proposal_id: int) -> BaseResponse:
    """Staff record the answer a household gave by phone or letter (households that
    get their overview by post cannot click)."""
    back = url_for("staff.household", code=code) + "#voorstellen"
    back_to(back)
    via = request.form.get("via", "")
    if via not in STAFF_VIA:
        abort(400)
    settings = access.settings()
    status = answer_household_proposal(
        access.engine(),
        household=code,
        proposal_id=proposal_id,
        answer=request.form.get("antwoord", ""),
        via=via,
        by=access.current().username,
        message=request.form.get("toelichting", "")[:2000],
        now=settings.now(),
        today=settings.today(),
    )
    flash(
        f"Het antwoord van het huishouden is vastgelegd. Stand: {STATUS_NL.get(status, status)}.",
        "ok",
    )
    return redirect(back)


@bp.post("/huishouden/<code>/voorstel/<int:proposal_id>/intrekken")
@staff_only
def withdraw(code: str, proposal_id: int) -> BaseResponse:
    """Withdraw an open proposal (after contact, or when it went stale)."""
    back = url_for("staff.household", code=code) + "#voorstellen"
    back_to(back)
    withdraw_household_proposal(
        access.engine(),
        household=code,
        proposal_id=proposal_id,
        actor=access.current().username,
        now=access.settings().now(),
    )
    flash("De voorgestelde wijziging is ingetrokken.", "ok")
    return redirect(back)
