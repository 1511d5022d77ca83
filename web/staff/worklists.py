"""Staff: the worklists (signals, unknown credits, returned payments, nights with
problems, requests and changes waiting), assigning a credit, closing a signal."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.services.extra_returns import returned_requests
from huishoudboekje.services.household_requests import REQUEST_KINDS, open_requests
from huishoudboekje.services.households import all_households, household_exists
from huishoudboekje.services.night_worklists import (
    acknowledge_night_signal,
    has_nights,
    night_signals,
    problem_nights,
    returned_payments,
    unknown_credits,
)
from huishoudboekje.services.nightly import assign_transaction
from huishoudboekje.services.staff import acknowledge_signal, pending_changes, signal_worklist
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
    today = access.settings().today()
    with access.uow() as uow:
        nights = has_nights(uow)
        stored = night_signals(uow) if nights else []
        computed = [] if nights else signal_worklist(uow, today)
        credits = unknown_credits(uow)
        returned = returned_payments(uow)
        bad_nights = problem_nights(uow)
        items = open_requests(uow)
        returned_items = returned_requests(uow)
        pending = pending_changes(uow)
        households = all_households(uow)
    return render_template(
        "staff/worklists.html",
        nights=nights,
        stored=stored,
        signals=computed,
        credits=credits,
        returned=returned,
        bad_nights=bad_nights,
        items=items,
        returned_items=returned_items,
        pending=pending,
        kinds=REQUEST_KINDS,
        payment_kinds=PAYMENT_KINDS_NL,
        households=households,
    )


@bp.post("/transacties/<int:tx_id>/toewijzen")
@staff_only
def assign(tx_id: int) -> BaseResponse:
    """Give an unknown credit to a household (and optionally one of its incomes)."""
    household = request.form.get("household", "").strip()
    income = request.form.get("income", "").strip() or None
    back = url_for("staff.worklists")
    back_to(back, "Niet toegewezen: {}.")
    with access.uow() as uow:
        done = assign_transaction(
            uow,
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
    with access.uow() as uow:
        if not household_exists(uow, code):
            abort(404)
        acknowledge_signal(
            uow,
            household=code,
            key=request.form.get("key", ""),
            actor=access.current().username,
            note=request.form.get("note", ""),
            now=access.settings().now(),
        )
    flash("Het signaal is afgehandeld.", "ok")
    return redirect(back)


@bp.post("/signalen/afhandelen")
@staff_only
def acknowledge_stored() -> BaseResponse:
    """Close a stored signal of the nightly run with a note."""
    code = request.form.get("huishouden", "")
    with access.uow() as uow:
        known = household_exists(uow, code)
    back = url_for("staff.household", code=code) if known else url_for("staff.worklists")
    back_to(back)
    with access.uow() as uow:
        acknowledge_night_signal(
            uow,
            key=request.form.get("key", ""),
            actor=access.current().username,
            note=request.form.get("note", ""),
            now=access.settings().now(),
            today=access.settings().today(),
        )
    flash("Het signaal is afgehandeld.", "ok")
    return redirect(back)
