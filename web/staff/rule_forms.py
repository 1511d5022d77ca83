"""Staff forms that change a household: showing them, and proposing what they hold.

Every household form ends in `propose`: the household is checked with the rules
of the configuration and saved at once, or held for a second staff member
(four-eyes). On a problem the form comes back with each message beside its
field; otherwise the person returns to `back` with a flash message.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask import flash, redirect, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.household import FixedCharge, IncomeStream
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.rule_changes import ConsentAsk, Proposal
from huishoudboekje.services.rule_editing import (
    HouseholdInvalidError,
    Rule,
    check_household,
    rule_end,
)
from huishoudboekje.services.staff_actions import propose_household_data
from web import access
from web.formatting import day_year
from web.messages import dutch
from web.staff.recurrence_form import PickerView
from web.staff_forms import FormSpec, FormText, field_errors, shown_value

FormPage = tuple[str, int]
MAX_ASK = 2000  # the why and the urgent reason, as the household reads them


@dataclass(frozen=True, slots=True)
class FormPlace:
    """Where a form posts to, where it leads back to, and how it reads."""

    action: str
    back: str
    is_new: bool
    text: FormText | None = None
    tabs: tuple[tuple[str, str, bool], ...] = ()  # (url, text, current) above the form
    lifts: tuple[tuple[str, str, str], ...] = ()  # (text, kind, first day): "Opheffen" buttons
    lift_action: str = ""


def render_form(
    spec: FormSpec,
    data: dict[str, Any],
    place: FormPlace,
    *,
    errors: dict[str, str] | None = None,
    general: list[str] | None = None,
    status: int = 200,
    picker: PickerView | None = None,
) -> FormPage:
    """The form `spec` filled with `data`, with problems beside their fields (and the
    repeat-rule `picker` of a charge or income)."""
    values = {f.path: shown_value(f, data) for f in spec.fields}
    text = place.text
    if text is None:
        text = FormText(f"{spec.title} {'toevoegen' if place.is_new else 'bewerken'}")
    page = render_template(
        "staff/form.html",
        spec=spec,
        text=text,
        values=values,
        errors=errors or {},
        general=general or [],
        action=place.action,
        back=place.back,
        is_new=place.is_new,
        tabs=place.tabs,
        lifts=place.lifts,
        lift_action=place.lift_action,
        picker=picker,
        ask_household=access.settings().ask_household,
    )
    return page, status


def _flash_proposal(proposal: Proposal) -> None:
    if proposal.asked:
        waits = " en daarna op goedkeuring door een teamleider" if proposal.reasons else ""
        flash(
            "De wijziging is voorgelegd aan het huishouden. Ze gaat pas in als het "
            f"huishouden akkoord is{waits}.",
            "wacht",
        )
    elif proposal.applied:
        flash("De wijziging is opgeslagen.", "ok")
    else:
        flash(
            "De wijziging wacht op goedkeuring door een tweede medewerker: "
            + "; ".join(proposal.reasons),
            "wacht",
        )


def _consent_ask() -> ConsentAsk:
    """What the form says to the household (issue 19.7): why, or urgent and why."""
    form = request.form
    return ConsentAsk(
        why=form.get("waarom", "")[:MAX_ASK],
        urgent=form.get("spoed") == "1",
        urgent_reason=form.get("spoed_reden", "")[:MAX_ASK],
    )


def _save(
    data: dict[str, Any], *, creates_household: bool, summary: str
) -> tuple[Proposal | None, dict[str, str]]:
    """Check and propose a household; returns (proposal, problems by path)."""
    settings = access.settings()
    try:
        proposal = propose_household_data(
            access.engine(),
            data,
            actor=access.current().username,
            now=settings.now(),
            summary=summary,
            is_new=creates_household,
            threshold=settings.four_eyes_threshold,
            ask=_consent_ask() if settings.ask_household else None,
            today=settings.today(),
        )
    except HouseholdInvalidError as exc:
        return None, exc.by_field()
    except UserError as exc:  # four-eyes: the household exists already, or not
        return None, {"": str(exc)}
    return proposal, {}


def propose(
    spec: FormSpec,
    data: dict[str, Any],
    shown: dict[str, Any],
    place: FormPlace,
    *,
    summary: str,
    prefix: str,
    creates_household: bool = False,
    picker: PickerView | None = None,
) -> FormPage | BaseResponse:
    """Propose the household `data`; on problems show the form (`shown`) again with them.

    `prefix` is the config path of the form's part of the household (e.g.
    "charges[1]."), so each problem lands beside its own field.
    """
    proposal, problems = _save(data, creates_household=creates_household, summary=summary)
    if proposal is None:
        if picker is not None:  # a problem with the schedule lands beside the picker
            schedule = {p: m for p, m in problems.items() if p.startswith(f"{prefix}schedule")}
            if schedule:
                message = dutch(next(iter(schedule.values())))
                picker = replace(picker, errors={**picker.errors, "herhaling": message})
                problems = {p: m for p, m in problems.items() if p not in schedule}
        errors, general = field_errors(problems, prefix, spec)
        return render_form(
            spec, shown, place, errors=errors, general=general, status=400, picker=picker
        )
    _flash_proposal(proposal)
    return redirect(place.back)


def other_problems(
    spec: FormSpec, data: dict[str, Any], prefix: str
) -> tuple[dict[str, str], list[str]]:
    """The problems of the form's other fields while its picker has one of its own:
    `data` is checked (nothing is saved) with a stand-in schedule, whose own problems
    are left out, so every problem shows at once."""
    try:
        check_household(data)
    except HouseholdInvalidError as exc:
        problems = {
            path: message
            for path, message in exc.by_field().items()
            if not path.startswith(f"{prefix}schedule")
        }
        return field_errors(problems, prefix, spec)
    return {}, []


def end_text(rule: Rule) -> FormText:
    """What the end form says about `rule`: what stops after the day, and who approves."""
    if isinstance(rule, FixedCharge):
        heading = f"Vaste last {rule.id} beëindigen"
        what = (
            f"Huishoudboekje betaalt {eur(rule.amount)} aan {rule.payee_name} "
            "tot en met de dag die u hieronder kiest. Daarna niet meer."
        )
    elif isinstance(rule, IncomeStream):
        heading = f"Inkomen {rule.id} beëindigen"
        what = (
            f"Huishoudboekje verwacht {eur(rule.amount)} ({rule.kind.value}) tot en met "
            "de dag die u hieronder kiest. Daarna niet meer: het leefgeld wordt opnieuw "
            "berekend."
        )
    else:
        heading = f"Reservering {rule.id} beëindigen"
        what = (
            "Huishoudboekje zet geld opzij voor deze reservering tot en met de dag die u "
            "hieronder kiest. Daarna niet meer. Wat er al gespaard is, blijft staan."
        )
    end = rule_end(rule)
    now = f"Nu: tot en met {day_year(end)}." if end else "Nu: geen einddatum."
    threshold = eur(access.settings().four_eyes_threshold)
    note = (
        f"Een vaste last of inkomen van meer dan {threshold} beëindigen, of een einddatum "
        "vervroegen, gaat pas in als een tweede medewerker (teamleider) het goedkeurt."
    )
    return FormText(heading, (what, now), submit="Beëindigen", note=note)
