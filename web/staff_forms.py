"""Staff forms for a household and its rules, described as fields over the config's data.

Each field's `path` is the path in the household's plain data (the YAML form),
so a configuration problem at ``charges[0].amount`` lands beside the field
``amount`` of the charge form. Values are checked by `editing.check_household`,
the same rules as `hhb config apply`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from huishoudboekje.domain.household import WEEKDAYS, ChargeKind, IncomeKind
from huishoudboekje.services.rule_editing import normalize_amount
from web.formatting import day_year
from web.messages import dutch, where_nl
from web.parsing import typed_day

WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


@dataclass(frozen=True)
class FieldSpec:
    path: str  # e.g. "amount", "schedule.rrule", "leefgeld.floor"
    label: str
    kind: str = "text"  # text | amount | int | date | select | terms | fraction
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    required: bool = False
    only_new: bool = False  # shown (and read) only when creating

    @property
    def input_id(self) -> str:
        """The HTML id of the field's input (its label points at it)."""
        return "f-" + self.path.replace(".", "-")


@dataclass(frozen=True)
class FormSpec:
    title: str
    fields: tuple[FieldSpec, ...] = field(default=())


FOUR_EYES_NOTE = (
    "Een nieuw huishouden, een nieuwe IBAN, een bedrag dat meer verandert dan de drempel en "
    "een hogere voorschotlimiet gaan pas in als een tweede medewerker (teamleider) ze goedkeurt."
)


@dataclass(frozen=True)
class FormText:
    """The words around a form: heading, lines above it, button, note and links below."""

    heading: str
    intro: tuple[str, ...] = ()
    submit: str = "Opslaan"
    note: str = FOUR_EYES_NOTE
    links: tuple[tuple[str, str], ...] = ()  # (url, text)


def _kinds(kinds: Sequence[str]) -> tuple[tuple[str, str], ...]:
    return tuple((k, k.replace("_", " ")) for k in kinds)


HOUSEHOLD_FORM = FormSpec(
    "Huishouden",
    (
        FieldSpec("code", "Code", required=True, only_new=True, help="Bijvoorbeeld HH-0004"),
        FieldSpec("name", "Naam", required=True),
        FieldSpec("iban", "IBAN voor leefgeld", required=True),
        FieldSpec("members", "Aantal personen", "int", required=True),
        FieldSpec("start", "Deelname vanaf", "date", required=True, help="JJJJ-MM-DD"),
        FieldSpec("end", "Deelname tot en met", "date", help="Leeg laten als er geen einddatum is"),
        FieldSpec(
            "leefgeld.policy",
            "Leefgeld",
            "select",
            (
                ("smoothed", "stabiel (aanbevolen)"),
                ("fixed", "vast bedrag"),
                ("monthly_first", "hele maand op de eerste werkdag"),
            ),
        ),
        FieldSpec(
            "leefgeld.cadence",
            "Hoe vaak",
            "select",
            (("weekly", "per week"), ("monthly", "per maand")),
        ),
        FieldSpec(
            "leefgeld.weekday", "Dag", "select", tuple(zip(WEEKDAYS, WEEKDAYS_NL, strict=True))
        ),
        FieldSpec("leefgeld.floor", "Minimum leefgeld per keer", "amount", help="Leeg: standaard"),
        FieldSpec(
            "leefgeld.amount", "Vast leefgeld per keer", "amount", help="Alleen bij vast bedrag"
        ),
        FieldSpec("buffer.target", "Doel buffer", "amount", required=True),
        FieldSpec("buffer.advance_limit", "Voorschotlimiet", "amount", required=True),
        FieldSpec("buffer.repay_months", "Voorschot terugbetalen in maanden", "int"),
    ),
)

CHARGE_FORM = FormSpec(
    "Vaste last",
    (
        FieldSpec("id", "Naam (kort, zonder spaties)", required=True, help="Bijvoorbeeld huur"),
        FieldSpec("kind", "Soort", "select", _kinds([k.value for k in ChargeKind]), required=True),
        FieldSpec("payee_name", "Ontvanger", required=True),
        FieldSpec("payee_iban", "IBAN ontvanger", required=True),
        FieldSpec("amount", "Bedrag", "amount", required=True, help="Bijvoorbeeld 725,40"),
        FieldSpec("reference", "Betalingskenmerk"),
        FieldSpec("lead_days", "Dagen eerder betalen", "int"),
        FieldSpec("priority", "Voorrang (lager = eerder)", "int", help="Leeg: standaard"),
        FieldSpec(
            "total",
            "Totaalbedrag",
            "amount",
            help="Stopt vanzelf als dit bedrag betaald is (bijvoorbeeld een schuld). "
            "Leeg: geen einde",
        ),
    ),
)

INCOME_FORM = FormSpec(
    "Inkomen",
    (
        FieldSpec("id", "Naam (kort, zonder spaties)", required=True, help="Bijvoorbeeld loon"),
        FieldSpec("kind", "Soort", "select", _kinds([k.value for k in IncomeKind]), required=True),
        FieldSpec("payer_name", "Betaler"),
        FieldSpec("payer_iban", "IBAN betaler"),
        FieldSpec("terms", "Zoekwoorden", "terms", help="Gescheiden door komma's"),
        FieldSpec("amount", "Verwacht bedrag", "amount", required=True),
        FieldSpec("margin", "Marge", "fraction", help="Bijvoorbeeld 5%"),
    ),
)

RESERVE_FORM = FormSpec(
    "Reservering",
    (
        FieldSpec("id", "Naam (kort, zonder spaties)", required=True),
        FieldSpec("monthly", "Per maand", "amount"),
        FieldSpec("percent_of_toeslag", "Of: percentage van toeslagen", "fraction"),
        FieldSpec("target", "Tot (doelbedrag)", "amount"),
        FieldSpec("description", "Omschrijving"),
    ),
)

END_FORM = FormSpec(
    "Beëindigen",
    (
        FieldSpec(
            "valid_until",
            "Tot en met",
            "date",
            required=True,
            help="De laatste dag, zoals 2026-06-30. Vandaag of later.",
        ),
    ),
)

# the "Geavanceerd" tab (admins only): the stored repeat rule itself
ADVANCED_FORM = FormSpec(
    "Herhaling (geavanceerd)",
    (
        FieldSpec("schedule.start", "Start", "date", required=True, help="JJJJ-MM-DD"),
        FieldSpec(
            "schedule.rrule",
            "Herhaling (RRULE)",
            required=True,
            help="Bijvoorbeeld FREQ=MONTHLY;BYMONTHDAY=1",
        ),
    ),
)

KEEP_DEFAULT_WHEN_EMPTY = frozenset({"lead_days", "buffer.repay_months", "margin"})

SECTIONS: dict[str, tuple[str, FormSpec]] = {
    "vaste-last": ("charges", CHARGE_FORM),
    "inkomen": ("incomes", INCOME_FORM),
    "reservering": ("reserves", RESERVE_FORM),
}


def get_path(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, or None."""
    current: Any = data
    for part in path.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
    return current


def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    current = data
    for part in parts[:-1]:
        nxt = current.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            current[part] = nxt
        current = nxt
    current[parts[-1]] = value


def _value(spec: FieldSpec, raw: str) -> Any:
    text = raw.strip()
    if spec.kind == "terms":
        return [t.strip() for t in text.split(",") if t.strip()]
    if not text:
        return "" if spec.kind == "text" else None
    if spec.kind == "amount":
        return normalize_amount(text)
    if spec.kind == "int" and text.isascii() and text.isdigit():  # int("٣") would be 3
        return int(text)
    return text


def read_form(
    spec: FormSpec, form: Mapping[str, str], base: Mapping[str, Any], *, is_new: bool
) -> dict[str, Any]:
    """`base` (plain data) with the submitted fields put in.

    A field submitted empty becomes null (empty text for a text field, no words
    for a terms field), so a required one gets the usual "fill this in" problem.
    A field that is not in the submitted form at all keeps its stored value: a
    form that does not send a field does not mean to blank it."""
    data = copy.deepcopy(dict(base))
    for field_spec in spec.fields:
        if field_spec.only_new and not is_new:
            continue
        if field_spec.path not in form:
            continue  # left out: keep what is stored (or the default of a new one)
        value = _value(field_spec, form[field_spec.path])
        if value is None and field_spec.path in KEEP_DEFAULT_WHEN_EMPTY:
            continue  # empty: keep the default
        _set_path(data, field_spec.path, value)
    return data


def shown_value(spec: FieldSpec, data: Mapping[str, Any]) -> str:
    """What an input shows for stored data."""
    value = get_path(data, spec.path)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if spec.kind == "amount":
        return str(value).replace(".", ",")
    return str(value)


def field_errors(
    problems: Mapping[str, str], prefix: str, spec: FormSpec
) -> tuple[dict[str, str], list[str]]:
    """Split problems (paths inside the household) into those beside a field of
    this form and the rest (shown at the top)."""
    by_field: dict[str, str] = {}
    other: list[str] = []
    paths = {f.path for f in spec.fields}
    for path, english in problems.items():
        message = dutch(english)
        inner = path[len(prefix) :] if prefix and path.startswith(prefix) else path
        if (not prefix or path.startswith(prefix)) and inner in paths:
            by_field[inner] = message
        elif not path or path == prefix.rstrip("."):
            other.append(message)  # about the household or this rule as a whole
        else:
            where = where_nl(path)
            other.append(f"{where[:1].upper()}{where[1:]}: {message}")
    return by_field, other


def read_end_date(raw: str, today: date) -> tuple[date | None, str]:
    """The "Tot en met" date of an end form, or a Dutch message saying what is wrong.

    Accepts 2026-06-30 and 30-06-2026; the day may not lie before `today`."""
    text = raw.strip()
    if not text:
        return None, "Vul de laatste dag in, zoals 2026-06-30."
    chosen = typed_day(text)
    if chosen is None:
        return None, f'"{text}" is geen datum. Schrijf de datum zoals 2026-06-30.'
    if chosen < today:
        return None, f"Deze dag is al voorbij. Kies vandaag ({day_year(today)}) of later."
    return chosen, ""
