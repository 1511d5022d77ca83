"""Staff: the worklists (signals, unknown credits, returned payments, nights with
problems, requests and changes waiting), assigning a credit, closing a signal."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.services.household_requests import REQUEST_KINDS
from huishoudboekje.services.staff_actions import (
    acknowledge_household_signal,
    acknowledge_stored_signal,
    assign_credit,
)
from huishoudboekje.services.staff_pages import household_known
from huishoudboekje.services.staff_pages import worklists as worklists_of
from web import access
from web.access import staff_only
from web.staff import bp
from web.user_errors import back_to

PAYMENT_KINDS_NL = {"charge": "vaste last", "leefgeld": "leefgeld", "extra": "extra betaling"}


@bp.get("/werklijsten")
@staff_only
def worklists() -> str:
    """Signals to look at, unknown credits, returned payments, nights with problems,
    requests and changes waiting. Once the nightly run has run, its stored signals
    are the list; before that, tonight's signals are computed from the rules."""
    lists = worklists_of(access.engine(), access.settings().today())
    return render_template(
        "staff/worklists.html",
        nights=lists.nights,
        stored=lists.stored,
        signals=lists.signals,
        credits=lists.credits,
        returned=lists.returned,
        bad_nights=lists.bad_nights,
        items=lists.items,
        returned_items=lists.returned_items,
        pending=lists.pending,
        kinds=REQUEST_KINDS,
        payment_kinds=PAYMENT_KINDS_NL,
        households=lists.households,
    )


@bp.post("/transacties/<int:tx_id>/toewijzen")
@staff_only
def assign(tx_id: int) -> BaseResponse:
    """Give an unknown credit to a household (and optionally one of its incomes)."""
    household = request.form.get("household", "").strip()
    income = request.form.get("income", "").strip() or None
    back = url_for("staff.worklists")
    back_to(back, "Niet toegewezen: {}.")
    done = assign_credit(
        access.engine(),
        str(tx_id),
        household,
        income,
        actor=access.current().username,
        today=access.settings().today(),
        at=access.settings().now(),
    )
    flash(f"Toegewezen aan {done.household}.", "ok")
    return redirect(back)


@bp.post("/huishouden/<code>/signaal")
@staff_only
def acknowledge(code: str) -> BaseResponse:
    """Mark a signal as looked at, with a note."""
    to_worklist = request.form.get("terug") == "werklijst"
    back = url_for("staff.worklists") if to_worklist else url_for("staff.household", code=code)
    back_to(back)
    known = acknowledge_household_signal(
        access.engine(),
        household=code,
        key=request.form.get("key", ""),
        actor=access.current().username,
        note=request.form.get("note", ""),
        now=access.settings().now(),
    )
    if not known:
        abort(404)
    flash("Het signaal is afgehandeld.", "ok")
    return redirect(back)


@bp.post("/signalen/afhandelen")
@staff_only
def acknowledge_stored() -> BaseResponse:
    """Close a stored signal of the nightly run with a note."""
    code = request.form.get("huishouden", "")
    known = household_known(access.engine(), code)
    back = url_for("staff.household", code=code) if known else url_for("staff.worklists")
    back_to(back)
    acknowledge_stored_signal(
        access.engine(),
        key=request.form.get("key", ""),
        actor=access.current().username,
        note=request.form.get("note", ""),
        now=access.settings().now(),
        today=access.settings().today(),
    )
    flash("Het signaal is afgehandeld.", "ok")
    return redirect(back)
