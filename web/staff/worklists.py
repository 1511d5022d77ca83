"""Staff: the worklists (signals, unknown credits, returned payments, nights with
problems, requests and changes waiting), assigning or splitting a credit, teaching
a term after an assignment, closing a signal."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.domain.night_signals import suspense_severity
from huishoudboekje.services.access_control import household_of_signal, household_of_transaction
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.household_requests import REQUEST_KINDS
from huishoudboekje.services.nightly import AssignedCredit
from huishoudboekje.services.staff_actions import (
    acknowledge_household_signal,
    acknowledge_stored_signal,
    assign_credit,
    credit_with_suggestions,
    parse_parts,
    split_credit,
    teach_credit_term,
)
from huishoudboekje.services.staff_pages import household_known
from huishoudboekje.services.staff_pages import worklists as worklists_of
from huishoudboekje.services.team_pages import pending_proposals
from web import access
from web.access import staff_only
from web.formatting import money
from web.staff import bp
from web.staff.need_to_know import (
    require_household,
    require_transaction,
    visible_codes,
    visible_transactions,
)
from web.user_errors import back_to

PAYMENT_KINDS_NL = {"charge": "vaste last", "leefgeld": "leefgeld", "extra": "extra betaling"}
SPLIT_ROWS = 3  # parts the split form offers


def _taught(tx_id: str) -> AssignedCredit | None:
    """The credit just assigned to an income (`?termen=ID`), with its term suggestions."""
    if not tx_id.isdigit():
        return None
    try:
        return credit_with_suggestions(access.engine(), tx_id)
    except UserError:
        return None


@bp.get("/werklijsten")
@staff_only
def worklists() -> str:
    """Signals to look at, unknown credits, returned payments, nights with problems,
    requests and changes waiting. Once the nightly run has run, its stored signals
    are the list; before that, tonight's signals are computed from the rules."""
    today = access.settings().today()
    lists = worklists_of(access.engine(), today)
    shown = visible_codes()  # need-to-know: the own team's (and those opened with a reason)
    # issue 22: unknown money of the own gemeente (by the account it arrived on)
    own_money = visible_transactions(c.id for c in lists.credits)

    def mine(code: str | None) -> bool:
        return shown is None or code in shown

    return render_template(
        "staff/worklists.html",
        nights=lists.nights,
        stored=[s for s in lists.stored if mine(s.household)],
        signals=[s for s in lists.signals if mine(s.signal.household)],
        # not yet any household's: every team of the gemeente may assign them
        credits=[c for c in lists.credits if c.id in own_money],
        returned=[r for r in lists.returned if mine(r.household)],
        bad_nights=lists.bad_nights,
        items=[r for r in lists.items if mine(r.household)],
        returned_items=[r for r in lists.returned_items if mine(r.request.household)],
        pending=[c for c in lists.pending if mine(c.household)],
        kinds=REQUEST_KINDS,
        payment_kinds=PAYMENT_KINDS_NL,
        households=[h for h in lists.households if mine(h.code)],
        # issue 19.5: the teamleider's list (only households this person may see)
        overdue=[o for o in lists.overdue if not o.household or mine(o.household)],
        is_lead=access.current().may_approve,
        # issue 19.7: changes proposed to households, waiting for an answer or approval
        proposals=[v for v in pending_proposals(access.engine()) if mine(v.proposal.household)],
        taught=_taught(request.args.get("termen", "")),
        split_rows=range(1, SPLIT_ROWS + 1),
        ages={
            c.id: (age, suspense_severity(age).value)
            for c in lists.credits
            if c.id in own_money
            for age in [(today - c.booking_date).days]
        },
    )


@bp.post("/transacties/<int:tx_id>/toewijzen")
@staff_only
def assign(tx_id: int) -> BaseResponse:
    """Give an unknown credit to a household (and optionally one of its incomes)."""
    household = request.form.get("household", "").strip()
    income = request.form.get("income", "").strip() or None
    back = url_for("staff.worklists")
    back_to(back, "Niet toegewezen: {}.")
    if not household:  # the dropdown starts empty: never a household by default
        raise UserError("kies een huishouden")
    require_transaction(tx_id)
    require_household(household)
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
    if done.income_id is None:
        return redirect(back)
    # show which terms would have matched it, to add with one click
    return redirect(url_for("staff.worklists", termen=done.transaction_id, _anchor="termen"))


@bp.post("/transacties/<int:tx_id>/zoekterm")
@staff_only
def teach(tx_id: int) -> BaseResponse:
    """Add a suggested term to the income the credit was assigned to (no four-eyes:
    it changes no money rule; audit-logged)."""
    back = url_for("staff.worklists", termen=tx_id, _anchor="termen")
    back_to(back, "Zoekterm niet toegevoegd: {}")
    require_transaction(tx_id)
    require_household(household_of_transaction(access.reads(), tx_id))
    term = request.form.get("term", "")
    done = teach_credit_term(
        access.engine(),
        str(tx_id),
        term,
        actor=access.current().username,
        at=access.settings().now(),
    )
    flash(
        f"Zoekterm '{term.strip()}' toegevoegd aan {done.household} ({done.income_id}). "
        "Een volgende betaling zoals deze komt vanzelf goed.",
        "ok",
    )
    return redirect(back)


def _split_parts(form: MultiDict[str, str]) -> list[str]:
    """The filled rows of the split form as CODE:INCOME:AMOUNT; `UserError` for a row
    with an amount but no household chosen."""
    parts = []
    for row in range(1, SPLIT_ROWS + 1):
        amount = form.get(f"amount_{row}", "").strip()
        if amount:
            household = form.get(f"household_{row}", "").strip()
            if not household:  # the dropdown starts empty: never a household by default
                raise UserError(f"deel {row}: kies een huishouden bij het bedrag {amount}")
            income = form.get(f"income_{row}", "").strip()
            parts.append(f"{household}:{income}:{amount}")
    return parts


@bp.post("/transacties/<int:tx_id>/verdelen")
@staff_only
def split(tx_id: int) -> BaseResponse:
    """Split an unknown credit over several households; the parts must add up."""
    back = url_for("staff.worklists")
    back_to(back, "Niet verdeeld: {}.")
    parts = parse_parts(_split_parts(request.form))
    require_transaction(tx_id)
    for part in parts:
        require_household(part.household)
    done = split_credit(
        access.engine(),
        str(tx_id),
        parts,
        actor=access.current().username,
        today=access.settings().today(),
        at=access.settings().now(),
    )
    who = ", ".join(f"{p.household} {money(p.amount)}" for p in done.parts)
    flash(f"Verdeeld: {who}.", "ok")
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
    # the signal's own household decides (the form's only says where to go back to)
    require_household(household_of_signal(access.reads(), request.form.get("key", "")))
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
