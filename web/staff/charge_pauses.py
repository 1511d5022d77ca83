"""Staff: pause a fixed charge, pay another amount for a while, or let it stop by
itself once a total is paid (the engine's `pause`, `temporary` and `total`,
`domain.charge_windows`). Each form proposes the household like every staff
edit (`rule_forms.propose`): checked with the configuration's rules, and held for
a second staff member when `services.window_changes` says so."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.domain.charge_windows import date_nl
from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.household import FixedCharge
from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.rule_editing import (
    household_data,
    rule_index,
    with_total,
    with_window,
    without_window,
)
from huishoudboekje.services.staff_pages import household_view_of, stored_household
from web import access
from web.access import staff_only
from web.parsing import amount_of, typed_day
from web.staff import bp
from web.staff.rule_forms import FormPage, FormPlace, propose, render_form
from web.staff_forms import FieldSpec, FormSpec, FormText

WINDOW_VIEWS = (
    ("pause_charge", "Pauzeren"),
    ("temporary_charge", "Tijdelijk ander bedrag"),
    ("total_charge", "Totaalbedrag"),
)
_DATES = (
    FieldSpec("from", "Van", "date", required=True, help="De eerste dag, zoals 2026-02-01."),
    FieldSpec(
        "until", "Tot en met", "date", required=True, help="De laatste dag, zoals 2026-03-31."
    ),
)
PAUSE_FORM = FormSpec("Pauzeren", _DATES)
TEMPORARY_FORM = FormSpec(
    "Tijdelijk ander bedrag",
    (
        FieldSpec("amount", "Bedrag", "amount", required=True, help="Bijvoorbeeld 50,00"),
        *_DATES,
    ),
)
TOTAL_FORM = FormSpec(
    "Totaalbedrag",
    (
        FieldSpec(
            "total",
            "Totaalbedrag",
            "amount",
            help="Bijvoorbeeld 1.200,00. Leeg laten: geen totaal, de betaling loopt door.",
        ),
    ),
)
_NOTE = (
    "Een pauze of een tijdelijk ander bedrag van meer dan de drempel, en een nieuw of "
    "ander totaalbedrag, gaan pas in als een tweede medewerker (teamleider) het goedkeurt."
)


def _charge(code: str, rule_id: str) -> tuple[dict[str, Any], FixedCharge]:
    household = stored_household(access.engine(), code)
    if household is None:
        abort(404)
    charge = next((c for c in household.charges if c.id == rule_id), None)
    if charge is None:
        abort(404)
    return household_data(household), charge


def _windows(charge: FixedCharge, kind: str) -> tuple[tuple[str, str, str], ...]:
    """(text, kind, first day) of each pause or temporary amount, for "Opheffen"."""
    if kind == "pause":
        return tuple(
            (
                f"Gepauzeerd van {date_nl(p.first)} tot en met {date_nl(p.last)}.",
                kind,
                p.first.isoformat(),
            )
            for p in charge.pause
        )
    return tuple(
        (
            f"Tijdelijk {eur(t.amount)} van {date_nl(t.first)} tot en met {date_nl(t.last)}.",
            kind,
            t.first.isoformat(),
        )
        for t in charge.temporary
    )


def _read_dates(
    form: dict[str, str], today: date
) -> tuple[date | None, date | None, dict[str, str]]:
    errors: dict[str, str] = {}
    found: dict[str, date] = {}
    for name, what in (("from", "eerste"), ("until", "laatste")):
        raw = form.get(name, "").strip()
        day = typed_day(raw)
        if day is None:
            errors[name] = (
                f"Vul de {what} dag in, zoals 2026-03-31."
                if not raw
                else f'"{raw[:40]}" is geen datum. Schrijf de datum zoals 2026-03-31.'
            )
        else:
            found[name] = day
    first, last = found.get("from"), found.get("until")
    if first is not None and last is not None and last < first:
        errors["until"] = "Deze dag ligt voor de eerste dag. Kies een latere dag."
    elif last is not None and last < today:
        errors["until"] = "Deze dag is al voorbij. Kies vandaag of later."
    return first, last, errors


def _window_form(code: str, rule_id: str, kind: str) -> FormPage | BaseResponse:
    stored, charge = _charge(code, rule_id)
    spec = PAUSE_FORM if kind == "pause" else TEMPORARY_FORM
    view = "pause_charge" if kind == "pause" else "temporary_charge"
    what = "pauzeren" if kind == "pause" else "tijdelijk ander bedrag"
    intro = (
        f"Nu: {eur(charge.amount)} aan {charge.payee_name}.",
        "Na de laatste dag gaat de betaling vanzelf weer zoals altijd.",
    )
    place = FormPlace(
        url_for(f"staff.{view}", code=code, rule_id=rule_id),
        url_for("staff.household", code=code),
        is_new=False,
        text=FormText(f"Vaste last {rule_id}: {what}", intro, submit="Opslaan", note=_NOTE),
        lifts=_windows(charge, kind),
        lift_action=url_for("staff.lift_window", code=code, rule_id=rule_id),
    )
    if request.method == "GET":
        return render_form(spec, {}, place)
    form = {name: request.form.get(name, "")[:40] for name in ("from", "until", "amount")}
    first, last, errors = _read_dates(form, access.settings().today())
    amount = None
    if kind == "temporary":
        money = amount_of(form["amount"])
        if money is None or not money.is_positive:
            errors["amount"] = "Vul een bedrag in van meer dan € 0,00, zoals 50,00."
        else:
            amount = str(money)
    if errors or first is None or last is None:
        return render_form(spec, form, place, errors=errors, status=400)
    data = with_window(stored, rule_id, kind, first, last, amount)
    summary = f"vaste last {rule_id} {what} van {date_nl(first)} tot en met {date_nl(last)}"
    prefix = f"charges[{rule_index(data, 'charges', rule_id)}]."
    return propose(spec, data, form, place, summary=summary, prefix=prefix)


@bp.route("/huishouden/<code>/vaste-last/<rule_id>/pauzeren", methods=["GET", "POST"])
@staff_only
def pause_charge(code: str, rule_id: str) -> FormPage | BaseResponse:
    """Pause a fixed charge: nothing is paid for dues from one day up to and including
    another; after that it pays as before."""
    return _window_form(code, rule_id, "pause")


@bp.route("/huishouden/<code>/vaste-last/<rule_id>/tijdelijk", methods=["GET", "POST"])
@staff_only
def temporary_charge(code: str, rule_id: str) -> FormPage | BaseResponse:
    """Pay another amount for a while (a payment arrangement)."""
    return _window_form(code, rule_id, "temporary")


@bp.post("/huishouden/<code>/vaste-last/<rule_id>/opheffen")
@staff_only
def lift_window(code: str, rule_id: str) -> FormPage | BaseResponse:
    """Lift a pause or temporary amount (the form names its kind and first day)."""
    stored, _charge_now = _charge(code, rule_id)
    kind = request.form.get("soort", "")
    first = typed_day(request.form.get("van", "")[:40])
    data = None if first is None else without_window(stored, rule_id, kind, first)
    if data is None or first is None:
        abort(404)
    view = "pause_charge" if kind == "pause" else "temporary_charge"
    place = FormPlace(
        url_for(f"staff.{view}", code=code, rule_id=rule_id),
        url_for("staff.household", code=code),
        is_new=False,
    )
    what = "pauze" if kind == "pause" else "tijdelijk bedrag"
    summary = f"vaste last {rule_id}: {what} vanaf {date_nl(first)} opgeheven"
    prefix = f"charges[{rule_index(data, 'charges', rule_id)}]."
    spec = PAUSE_FORM if kind == "pause" else TEMPORARY_FORM
    return propose(spec, data, {}, place, summary=summary, prefix=prefix)


def _left(code: str, rule_id: str) -> str:
    """ "nog € … te gaan van € …" for the charge, from what was really instructed."""
    try:
        view = household_view_of(access.engine(), code, access.settings().today())
    except UnknownHouseholdError:
        abort(404)
    note = next((n for n in view.status.notes if n.charge_id == rule_id), None)
    return "" if note is None else note.total_sentence()


@bp.route("/huishouden/<code>/vaste-last/<rule_id>/totaal", methods=["GET", "POST"])
@staff_only
def total_charge(code: str, rule_id: str) -> FormPage | BaseResponse:
    """Set the total of a repayment: the charge stops by itself once it is paid."""
    stored, charge = _charge(code, rule_id)
    left = _left(code, rule_id) if charge.total is not None else ""
    intro = (
        f"Nu: {eur(charge.amount)} per keer aan {charge.payee_name}.",
        f"Stand: {left}." if left else "Er is nog geen totaalbedrag.",
        "Als het totaal betaald is, stopt de betaling vanzelf. De laatste keer is het "
        "bedrag kleiner als er minder over is.",
    )
    place = FormPlace(
        url_for("staff.total_charge", code=code, rule_id=rule_id),
        url_for("staff.household", code=code),
        is_new=False,
        text=FormText(f"Vaste last {rule_id}: totaalbedrag", intro, note=_NOTE),
    )
    current = {"total": None if charge.total is None else str(charge.total)}
    if request.method == "GET":
        return render_form(TOTAL_FORM, current, place)
    raw = request.form.get("total", "")[:40]
    total = None
    if raw.strip():
        money = amount_of(raw)
        if money is None or not money.is_positive:
            errors = {
                "total": "Vul een bedrag in van meer dan € 0,00, zoals 1.200,00, of laat het leeg."
            }
            return render_form(TOTAL_FORM, {"total": raw}, place, errors=errors, status=400)
        total = str(money)
    data = with_total(stored, rule_id, total)
    what = "geen totaalbedrag" if total is None else f"totaalbedrag {raw.strip()}"
    prefix = f"charges[{rule_index(data, 'charges', rule_id)}]."
    return propose(
        TOTAL_FORM,
        data,
        {"total": raw},
        place,
        summary=f"vaste last {rule_id}: {what}",
        prefix=prefix,
    )
