"""Staff: the guided intake of a new household (issue 19.3), seven short steps a
budget coach follows with the household at the table:

1. huishouden (name, code, own IBAN, persons), 2. contact (online or per post, with
the postal address for post), 3. team and medewerker (default: the logged-in
medewerker and their team), 4. inkomsten and 5. vaste lasten (added one at a time,
with the repeat-rule picker), 6. deelname (start, end, or the statushouder template
of six months), 7. toestemming (signed on, by whom, the scope, the signed PDF or
"op papier").

The draft travels with the form as one hidden field (`concept`, JSON), so nothing is
stored before the last step and nothing typed is lost on a problem; every step is a
POST with the CSRF token. Each step is checked with the configuration's rules before
the next one opens. The last step records the consent and proposes the household
for four-eyes ("nieuw huishouden") in one transaction (`services.intake`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.household import WEEKDAYS
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.recurrence_read import rule_sentence
from huishoudboekje.services.access_control import staff_team
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.households import household_exists
from huishoudboekje.services.intake import IntakeChoices, statushouder_end, submit_intake
from huishoudboekje.services.rule_editing import HouseholdInvalidError, check_household
from web import access
from web.access import staff_only
from web.messages import dutch, where_nl
from web.parsing import typed_day
from web.staff import bp
from web.staff.consent_form import (
    ConsentFields,
    consent_data,
    default_values,
    read_upload,
    rule_choices,
)
from web.staff.consent_form import read_values as read_consent_values
from web.staff.recurrence_form import PickerView, picker_view, read_picker
from web.staff_forms import (
    CHARGE_FORM,
    INCOME_FORM,
    WEEKDAYS_NL,
    FieldSpec,
    FormSpec,
    read_form,
    shown_value,
)

MAX_DRAFT = 60_000  # characters of the hidden draft (the app refuses larger forms anyway)
MAX_RULES = 30  # incomes or charges one intake adds


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    spec: FormSpec
    paths: tuple[str, ...] = ()  # problems at these paths (or below them) belong here


DETAILS = FormSpec(
    "Huishouden",
    (
        FieldSpec("name", "Naam", required=True, help="Bijvoorbeeld Fam. Jansen"),
        FieldSpec("code", "Code", required=True, help="Bijvoorbeeld HH-0004"),
        FieldSpec("iban", "Eigen IBAN van het huishouden (voor leefgeld)", required=True),
        FieldSpec("members", "Aantal personen", "int", required=True),
    ),
)
CONTACT = FormSpec(
    "Contact",
    (
        FieldSpec(
            "contact",
            "Hoe krijgt het huishouden het maandoverzicht?",
            "select",
            (("online", "online, op de eigen pagina's"), ("post", "per post")),
        ),
        FieldSpec("address.street", "Straat en huisnummer", help="Nodig bij per post"),
        FieldSpec("address.postcode", "Postcode", help="Bijvoorbeeld 3512 PN"),
        FieldSpec("address.city", "Plaats"),
        FieldSpec("address.attention", "Ter attentie van", help="Mag leeg"),
    ),
)
TEAM = FormSpec(
    "Team en medewerker",
    (
        FieldSpec("team", "Team", help="Leeg: geen team"),
        FieldSpec("caseworker", "Medewerker (gebruikersnaam)", help="Standaard: uzelf"),
    ),
)
PERIOD = FormSpec(
    "Deelname",
    (
        FieldSpec("start", "Deelname vanaf", "date", required=True),
        FieldSpec(
            "_template",
            "Soort deelname",
            "select",
            (
                ("gewoon", "budgetbeheer (einddatum zelf kiezen of leeg)"),
                ("statushouder", "ontzorgen statushouder (6 maanden)"),
            ),
        ),
        FieldSpec("end", "Deelname tot en met", "date", help="Leeg: geen einddatum"),
        FieldSpec(
            "leefgeld.cadence",
            "Leefgeld: hoe vaak",
            "select",
            (("weekly", "per week"), ("monthly", "per maand")),
        ),
        FieldSpec(
            "leefgeld.weekday",
            "Leefgeld: op welke dag",
            "select",
            tuple(zip(WEEKDAYS, WEEKDAYS_NL, strict=True)),
        ),
        FieldSpec("buffer.target", "Doel buffer", "amount", required=True),
    ),
)
NO_FIELDS = FormSpec("Toestemming")
STEPS = (
    Step("gegevens", "Huishouden", DETAILS, ("code", "name", "iban", "members")),
    Step("contact", "Contact", CONTACT, ("contact", "address")),
    Step("team", "Team en medewerker", TEAM, ("team", "caseworker")),
    Step("inkomsten", "Inkomsten", INCOME_FORM, ("incomes",)),
    Step("vaste-lasten", "Vaste lasten", CHARGE_FORM, ("charges",)),
    Step("deelname", "Deelname", PERIOD, ("start", "end", "leefgeld", "buffer")),
    Step("toestemming", "Toestemming", NO_FIELDS, ("consent",)),
)
BY_KEY = {s.key: s for s in STEPS}
LISTS = {"inkomsten": "incomes", "vaste-lasten": "charges"}


def _draft_defaults() -> dict[str, Any]:
    today = access.settings().today()
    me = access.current().username
    return {
        "members": 1,
        "contact": "online",
        "team": staff_team(access.reads(), me),
        "caseworker": me,
        "incomes": [],
        "charges": [],
        "start": today.isoformat(),
        "_template": "gewoon",
        "leefgeld": {"policy": "smoothed", "cadence": "weekly", "weekday": "friday"},
        "buffer": {"target": "1200.00", "advance_limit": "0.00"},
        "_consent": default_values(today.isoformat()),
    }


def _draft() -> dict[str, Any]:
    """The draft the form carried, or a new one."""
    raw = request.form.get("concept", "")
    if raw and len(raw) <= MAX_DRAFT:
        try:
            found = json.loads(raw)
        except ValueError:
            found = None
        if isinstance(found, dict):
            return {**_draft_defaults(), **found}
    return _draft_defaults()


def household_data(draft: dict[str, Any]) -> dict[str, Any]:
    """The household data of the draft (what `check_household` reads)."""
    data = {k: v for k, v in draft.items() if not k.startswith("_")}
    address = data.get("address")
    if isinstance(address, dict) and not any(str(v or "").strip() for v in address.values()):
        data.pop("address")
    elif isinstance(address, dict):
        data["address"] = {k: v for k, v in address.items() if v not in ("", None)}
    if not data.get("end"):
        data.pop("end", None)
    start = typed_day(str(draft.get("start") or ""))
    if draft.get("_template") == "statushouder" and start is not None:
        data["end"] = statushouder_end(start).isoformat()
    return data


def _problems(data: dict[str, Any]) -> dict[str, str]:
    try:
        check_household(data)
    except HouseholdInvalidError as exc:
        return {path: dutch(message) for path, message in exc.by_field().items()}
    return {}


def _belongs(path: str, step: Step) -> bool:
    return any(path == p or path.startswith((f"{p}.", f"{p}[")) for p in step.paths)


def step_problems(step: Step, draft: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The problems of this step's fields (by field), and its others (as sentences)."""
    by_field: dict[str, str] = {}
    general: list[str] = []
    fields = {f.path for f in step.spec.fields}
    if step.key in LISTS:
        fields = set()  # the listed rules' problems show as sentences
    for path, message in _problems(household_data(draft)).items():
        if not _belongs(path, step):
            continue
        if path in fields:
            by_field[path] = message
        else:
            where = where_nl(path)
            general.append(f"{where[:1].upper()}{where[1:]}: {message}")
    code = str(draft.get("code") or "")
    if step.key == "gegevens" and "code" not in by_field and household_exists(access.reads(), code):
        by_field["code"] = "Deze code is al in gebruik. Kies een andere."
    return by_field, general


@dataclass(frozen=True)
class Screen:
    """One step as shown."""

    step: Step
    draft: dict[str, Any]
    errors: dict[str, str]
    general: list[str]
    picker: PickerView | None = None
    rule: dict[str, Any] | None = None  # the income or charge being added
    consent: ConsentFields | None = None


def _show(screen: Screen, status: int = 200) -> tuple[str, int]:
    step = screen.step
    source = screen.rule if screen.rule is not None else screen.draft
    values = {f.path: shown_value(f, source) for f in step.spec.fields}
    index = STEPS.index(step)
    page = render_template(
        "staff/intake.html",
        steps=STEPS,
        index=index,
        step=step,
        values=values,
        errors=screen.errors,
        general=screen.general,
        concept=json.dumps(screen.draft, ensure_ascii=False, default=str),
        picker=screen.picker,
        draft=screen.draft,
        listed=screen.draft.get(LISTS.get(step.key, ""), []),
        consent=screen.consent,
        summary=_summary(screen.draft),
        max_mb=access.settings().consent_max_bytes // (1024 * 1024),
    )
    return page, status


def _summary(draft: dict[str, Any]) -> dict[str, str]:
    start = typed_day(str(draft.get("start") or ""))
    if draft.get("_template") == "statushouder" and start is not None:
        return {"end": statushouder_end(start).isoformat()}
    return {}


def _screen(step: Step, draft: dict[str, Any], status: int = 200) -> tuple[str, int]:
    """A step as it opens (no problems yet)."""
    picker = None
    rule: dict[str, Any] | None = None
    consent = None
    if step.key in LISTS:
        rule = {}
        picker = picker_view({}, access.settings().today())
    if step.key == "toestemming":
        consent = _consent_fields(draft, {})
    return _show(Screen(step, draft, {}, [], picker, rule, consent), status)


def _consent_fields(draft: dict[str, Any], errors: dict[str, str]) -> ConsentFields:
    return ConsentFields(
        draft.get("_consent") or default_values(access.settings().today().isoformat()),
        rule_choices(draft.get("incomes") or [], "payer_name"),
        rule_choices(draft.get("charges") or [], "payee_name"),
        errors,
    )


@bp.route("/huishouden-nieuw", methods=["GET", "POST"])
@staff_only
def new_household() -> tuple[str, int] | BaseResponse:
    """The guided intake (see the module docstring); nothing is stored before its end."""
    if request.method == "GET":
        return _screen(STEPS[0], _draft_defaults())
    draft = _draft()
    step = BY_KEY.get(request.form.get("stap", ""), STEPS[0])
    action = request.form.get("actie", "volgende")[:60]
    if step.key in LISTS:
        return _list_step(step, draft, action)
    if step.key == "toestemming":
        draft["_consent"] = read_consent_values(request.form)
        if action == "vorige":
            return _screen(STEPS[-2], draft)
        return _finish(step, draft)
    draft = read_form(step.spec, request.form, draft, is_new=True)
    if action == "vorige":
        return _screen(STEPS[max(STEPS.index(step) - 1, 0)], draft)
    errors, general = step_problems(step, draft)
    if errors or general:
        return _show(Screen(step, draft, errors, general), 400)
    return _screen(STEPS[STEPS.index(step) + 1], draft)


def _list_step(step: Step, draft: dict[str, Any], action: str) -> tuple[str, int]:
    """Incomes or charges: add one, remove one, or go on."""
    key = LISTS[step.key]
    rules: list[dict[str, Any]] = list(draft.get(key) or [])
    index = STEPS.index(step)
    if action.startswith("weg:"):
        draft[key] = [r for r in rules if r.get("id") != action[4:]]
        return _screen(step, draft)
    if action == "vorige":
        return _screen(STEPS[index - 1], draft)
    if action != "toevoegen":
        _, general = step_problems(step, draft)
        if general:
            return _show(Screen(step, draft, {}, general), 400)
        return _screen(STEPS[index + 1], draft)
    rule = read_form(step.spec, request.form, {}, is_new=True)
    schedule, picker = read_picker(request.form, {})
    errors: dict[str, str] = {}
    if any(r.get("id") == rule.get("id") for r in rules):
        errors["id"] = "Deze naam is al gebruikt. Kies een andere."
    if len(rules) >= MAX_RULES:
        errors["id"] = f"Voeg hier hoogstens {MAX_RULES} toe; de rest kan later."
    stand_in = schedule or {"start": "2026-01-01", "rrule": "FREQ=MONTHLY"}
    trial = {**draft, key: [*rules, {**rule, "schedule": stand_in}]}
    prefix = f"{key}[{len(rules)}]."
    for path, message in _problems(household_data(trial)).items():
        if path.startswith(prefix):
            inner = path[len(prefix) :]
            if inner.startswith("schedule") and schedule is not None:
                picker = PickerView(picker.values, picker.sentence, errors={"herhaling": message})
            elif not inner.startswith("schedule"):
                errors.setdefault(
                    inner if inner in {f.path for f in step.spec.fields} else "id", message
                )
    if errors or schedule is None or picker.errors:
        return _show(Screen(step, draft, errors, [], picker, rule), 400)
    draft[key] = [*rules, {**rule, "schedule": schedule}]
    flash(f"{step.spec.title} {rule.get('id')} is toegevoegd aan de intake.", "ok")
    return _screen(step, draft)


def _finish(step: Step, draft: dict[str, Any]) -> tuple[str, int] | BaseResponse:
    """The last step: record the consent and propose the household."""
    values = draft["_consent"]
    consent, errors = consent_data(values)
    if consent is None:
        return _show(Screen(step, draft, {}, [], consent=_consent_fields(draft, errors)), 400)
    data = {**household_data(draft), "consent": consent}
    settings = access.settings()
    choices = IntakeChoices(
        statushouder=draft.get("_template") == "statushouder",
        upload=read_upload(request.files, values),
        max_bytes=settings.consent_max_bytes,
        threshold=settings.four_eyes_threshold,
    )
    try:
        proposal = submit_intake(
            access.engine(), data, choices, actor=access.current().username, now=settings.now()
        )
    except HouseholdInvalidError as exc:
        return _back_to_problem(draft, exc.by_field())
    except UserError as exc:
        problem = {"document" if "PDF" in str(exc) or "bestand" in str(exc) else "": str(exc)}
        return _show(Screen(step, draft, {}, [], consent=_consent_fields(draft, problem)), 400)
    code = str(data.get("code"))
    if proposal.applied:
        flash(f"Huishouden {code} is opgeslagen, met de toestemming.", "ok")
        return redirect(url_for("staff.household", code=code))
    flash(
        f"Huishouden {code} en de toestemming zijn vastgelegd. Het huishouden wacht op "
        "goedkeuring door een tweede medewerker: " + "; ".join(proposal.reasons),
        "wacht",
    )
    return redirect(url_for("staff.approvals"))


def _back_to_problem(draft: dict[str, Any], problems: dict[str, str]) -> tuple[str, int]:
    """The first step with a problem, with it shown (a later step changed nothing)."""
    for step in STEPS:
        if step.key == "toestemming":
            break
        errors, general = step_problems(step, draft)
        if errors or general:
            return _show(Screen(step, draft, errors, general), 400)
    general = [f"{where_nl(p)}: {dutch(m)}" for p, m in problems.items()]
    last = STEPS[-1]
    return _show(Screen(last, draft, {}, general, consent=_consent_fields(draft, {})), 400)


@bp.app_template_filter("herhaling_data")
def schedule_data_sentence(schedule: object) -> str:
    """A draft rule's schedule (plain data) as a Dutch sentence."""
    if not isinstance(schedule, dict):
        return ""
    start = typed_day(str(schedule.get("start") or ""))
    if start is None:
        return ""
    return rule_sentence(start, str(schedule.get("rrule") or ""))


@bp.app_template_filter("bedrag_data")
def amount_data(amount: object) -> str:
    """A draft rule's amount (plain data, "725.40") as staff read it: "€ 725,40"."""
    try:
        return eur(Money(str(amount)))
    except (ValueError, ArithmeticError):
        return str(amount)
