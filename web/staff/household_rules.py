"""Staff: edit a household (a new one comes through the intake, `intake`), its
incomes, fixed charges and reserves, and end a rule on a chosen day.
Every change goes through four-eyes (`rule_forms`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.domain.household import Household
from huishoudboekje.domain.recurrence_read import rule_sentence
from huishoudboekje.services.rule_editing import (
    end_problem,
    end_rule,
    find_rule,
    household_data,
    rule_end,
    rule_index,
    with_rule,
)
from huishoudboekje.services.staff_pages import stored_household
from huishoudboekje.services.user_accounts import Role
from web import access
from web.access import admin_only, staff_only
from web.formatting import day_year
from web.staff import bp
from web.staff.charge_pauses import WINDOW_VIEWS
from web.staff.recurrence_form import picker_view, read_picker
from web.staff.rule_forms import (
    FormPage,
    FormPlace,
    end_text,
    other_problems,
    propose,
    render_form,
)
from web.staff_forms import (
    ADVANCED_FORM,
    END_FORM,
    HOUSEHOLD_FORM,
    SECTIONS,
    FormSpec,
    FormText,
    read_end_date,
    read_form,
)


def _stored(code: str) -> Household:
    household = stored_household(access.engine(), code)
    if household is None:
        abort(404)
    return household


@bp.route("/huishouden/<code>/bewerken", methods=["GET", "POST"])
@staff_only
def edit_household(code: str) -> FormPage | BaseResponse:
    """Edit a household's details and its leefgeld and buffer policies."""
    stored = household_data(_stored(code))
    place = FormPlace(
        url_for("staff.edit_household", code=code),
        url_for("staff.household", code=code),
        is_new=False,
    )
    if request.method == "GET":
        return render_form(HOUSEHOLD_FORM, stored, place)
    data = read_form(HOUSEHOLD_FORM, request.form, stored, is_new=False)
    return propose(HOUSEHOLD_FORM, data, data, place, summary="gegevens en beleid", prefix="")


def _section(section: str) -> tuple[str, FormSpec]:
    """The household key and form of a section in the URL (404 for any other)."""
    if section not in SECTIONS:
        abort(404)
    return SECTIONS[section]


def _tabs(
    code: str, section: str, rule_id: str, advanced: bool
) -> tuple[tuple[str, str, bool], ...]:
    """The "Gewoon | Geavanceerd" tabs of a charge or income, for admins only."""
    if section == "reservering" or rule_id == "nieuw" or access.current().role is not Role.ADMIN:
        return ()
    return (
        (
            url_for("staff.edit_rule", code=code, section=section, rule_id=rule_id),
            "Gewoon",
            not advanced,
        ),
        (
            url_for("staff.advanced_rule", code=code, section=section, rule_id=rule_id),
            "Geavanceerd",
            advanced,
        ),
    )


@bp.route("/huishouden/<code>/<section>/<rule_id>", methods=["GET", "POST"])
@staff_only
def edit_rule(code: str, section: str, rule_id: str) -> FormPage | BaseResponse:
    """Add (rule_id "nieuw") or edit an income, fixed charge or reserve; the repeat
    rule of a charge or income is chosen with the picker (`recurrence_form`)."""
    key, spec = _section(section)
    stored = household_data(_stored(code))
    is_new = rule_id == "nieuw"
    existing = {r["id"]: r for r in stored.get(key, [])}
    if not is_new and rule_id not in existing:
        abort(404)
    base: dict[str, Any] = {} if is_new else existing[rule_id]
    text = None
    if not is_new:
        text = FormText(f"{spec.title} bewerken", links=_rule_links(code, section, rule_id))
    place = FormPlace(
        url_for("staff.edit_rule", code=code, section=section, rule_id=rule_id),
        url_for("staff.household", code=code),
        is_new=is_new,
        text=text,
        tabs=_tabs(code, section, rule_id, advanced=False),
    )
    has_schedule = key in ("charges", "incomes")
    if request.method == "GET":
        picker = picker_view(base, access.settings().today()) if has_schedule else None
        return render_form(spec, base, place, picker=picker)
    rule = read_form(spec, request.form, base, is_new=True)
    picker = None
    if has_schedule:
        schedule, picker = read_picker(request.form, base)
        if schedule is None:  # show the other fields' problems too (a stand-in rule)
            stand_in = {**rule, "schedule": {"start": "2026-01-01", "rrule": "FREQ=MONTHLY"}}
            data = with_rule(stored, key, stand_in, None if is_new else rule_id)
            prefix = f"{key}[{rule_index(data, key, rule.get('id'))}]."
            errors, general = other_problems(spec, data, prefix)
            return render_form(
                spec, rule, place, errors=errors, general=general, picker=picker, status=400
            )
        rule["schedule"] = schedule
    data = with_rule(stored, key, rule, None if is_new else rule_id)
    prefix = f"{key}[{rule_index(data, key, rule.get('id'))}]."
    summary = f"{spec.title.lower()} {rule.get('id') or ''}".strip()
    return propose(spec, data, rule, place, summary=summary, prefix=prefix, picker=picker)


def _rule_links(code: str, section: str, rule_id: str) -> tuple[tuple[str, str], ...]:
    """Links below a rule's form: end it, and for a charge pause it, another amount for a
    while, and its total."""
    title = SECTIONS[section][1].title
    links = [
        (
            url_for("staff.end_rule_form", code=code, section=section, rule_id=rule_id),
            f"{title} {rule_id} beëindigen",
        )
    ]
    if section == "vaste-last":
        links += [
            (url_for(f"staff.{view}", code=code, rule_id=rule_id), f"{label} ({rule_id})")
            for view, label in WINDOW_VIEWS
        ]
    return tuple(links)


@bp.route("/huishouden/<code>/<section>/<rule_id>/geavanceerd", methods=["GET", "POST"])
@admin_only
def advanced_rule(code: str, section: str, rule_id: str) -> FormPage | BaseResponse:
    """Admins only: the stored repeat rule (start and RRULE) of a charge or income, raw,
    for rules the picker cannot express."""
    key, spec = _section(section)
    if key == "reserves":
        abort(404)
    stored = household_data(_stored(code))
    existing = {r["id"]: r for r in stored.get(key, [])}
    if rule_id not in existing:
        abort(404)
    base = existing[rule_id]
    schedule = base["schedule"]
    now = rule_sentence(date.fromisoformat(str(schedule["start"])), str(schedule["rrule"]))
    place = FormPlace(
        url_for("staff.advanced_rule", code=code, section=section, rule_id=rule_id),
        url_for("staff.household", code=code),
        is_new=False,
        text=FormText(
            f"{spec.title} {rule_id}: herhaling (geavanceerd)",
            (
                f"Nu: {now}.",
                "Hier past u de herhaling zelf aan, als RRULE (RFC 5545). Gebruik dit alleen "
                "voor een herhaling die de keuzelijst niet kan maken.",
            ),
        ),
        tabs=_tabs(code, section, rule_id, advanced=True),
    )
    if request.method == "GET":
        return render_form(ADVANCED_FORM, base, place)
    rule = read_form(ADVANCED_FORM, request.form, base, is_new=False)
    data = with_rule(stored, key, rule, rule_id)
    prefix = f"{key}[{rule_index(data, key, rule_id)}]."
    summary = f"{spec.title.lower()} {rule_id} herhaling (geavanceerd)"
    return propose(ADVANCED_FORM, data, rule, place, summary=summary, prefix=prefix)


@bp.route("/huishouden/<code>/<section>/<rule_id>/beeindigen", methods=["GET", "POST"])
@staff_only
def end_rule_form(code: str, section: str, rule_id: str) -> FormPage | BaseResponse:
    """End a fixed charge, income or reserve: it applies up to and including a day."""
    key, spec = _section(section)
    household = _stored(code)
    rule = find_rule(household, key, rule_id)
    if rule is None:
        abort(404)
    place = FormPlace(
        url_for("staff.end_rule_form", code=code, section=section, rule_id=rule_id),
        url_for("staff.household", code=code),
        is_new=False,
        text=end_text(rule),
    )
    if request.method == "GET":
        current = rule_end(rule)
        return render_form(END_FORM, {"valid_until": current.isoformat() if current else ""}, place)
    raw = request.form.get("valid_until", "")[:40]
    today = access.settings().today()
    last, problem = read_end_date(raw, today)
    if last is not None:
        problem = end_problem(rule, last, today)
    if last is None or problem:
        errors = {"valid_until": problem}
        return render_form(END_FORM, {"valid_until": raw}, place, errors=errors, status=400)
    data = end_rule(household_data(household), key, rule_id, last)
    return propose(
        END_FORM,
        data,
        {"valid_until": raw},
        place,
        summary=f"{spec.title.lower()} {rule_id} beëindigen tot en met {day_year(last)}",
        prefix=f"{key}[{rule_index(data, key, rule_id)}].",
    )
