"""Staff: the exit checklist of a household whose participation ends (issue 19.6),
ticking its items, starting an exit, and the hand-over letters as PDF."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.domain.handover import ItemKind
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.exit_checklist import checklist_of, start, tick
from huishoudboekje.services.exit_letters import UnknownLetterError, exit_letter_pdf
from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.staff_pages import stored_household
from web import access
from web.access import staff_only
from web.parsing import typed_day
from web.staff import bp
from web.user_errors import back_to

LETTER_KINDS = {"inkomen": ItemKind.INCOME, "vaste-last": ItemKind.CHARGE}
LETTER_OF = {ItemKind.INCOME: "inkomen", ItemKind.CHARGE: "vaste-last"}


@bp.get("/huishouden/<code>/einde")
@staff_only
def exit_checklist(code: str) -> str:
    """The exit checklist, or (no end planned) the form to start the exit."""
    today = access.settings().today()
    household = stored_household(access.engine(), code)
    if household is None:
        abort(404)
    found = checklist_of(access.engine(), code, today)
    return render_template(
        "staff/exit.html", h=household, found=found, today=today, letter_of=LETTER_OF
    )


@bp.post("/huishouden/<code>/einde/afvinken")
@staff_only
def exit_tick(code: str) -> BaseResponse:
    """Tick (or untick) one item of the checklist; audit-logged."""
    back = url_for("staff.exit_checklist", code=code)
    back_to(back, "Niet bijgewerkt: {}")
    done = request.form.get("done", "1") != "0"
    try:
        line = tick(
            access.engine(),
            code,
            request.form.get("item", "")[:200],
            done=done,
            actor=access.current().username,
            now=access.settings().now(),
            today=access.settings().today(),
            note=request.form.get("note", ""),
        )
    except UnknownHouseholdError:
        abort(404)
    flash(f"{'Afgevinkt' if done else 'Weer open'}: {line.item.label}.", "ok")
    return redirect(back)


@bp.post("/huishouden/<code>/einde/starten")
@staff_only
def exit_start(code: str) -> BaseResponse:
    """Start the exit: the last day of participation and why; audit-logged."""
    back = url_for("staff.exit_checklist", code=code)
    back_to(back, "Einde niet vastgelegd: {}")
    day = typed_day(request.form.get("last_day", "").strip())
    if day is None:
        raise UserError("vul de laatste dag in als datum, bijvoorbeeld 2026-06-30")
    try:
        start(
            access.engine(),
            code,
            day,
            request.form.get("reason", ""),
            actor=access.current().username,
            now=access.settings().now(),
        )
    except UnknownHouseholdError:
        abort(404)
    flash("Het einde van de deelname is vastgelegd.", "ok")
    return redirect(back)


@bp.get("/huishouden/<code>/einde/brief/<kind>/<rule_id>")
@staff_only
def exit_letter(code: str, kind: str, rule_id: str) -> Response:
    """The hand-over letter to the payer of an income or the payee of a charge (PDF)."""
    item = LETTER_KINDS.get(kind)
    if item is None:
        abort(404)
    try:
        name, pdf = exit_letter_pdf(access.engine(), code, item, rule_id, access.settings().today())
    except (UnknownHouseholdError, UnknownLetterError):
        abort(404)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
