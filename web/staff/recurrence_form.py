"""The repeat-rule picker in the staff forms for fixed charges and incomes.

Staff choose "elke maand op dag …", "elke 2 weken op …", "elk kwartaal …", "elk
jaar op …" or "eenmalig op …", with an optional end; the picker turns it into
the stored ``schedule`` (start + RRULE, `domain.recurrence_text`). A stored rule
the picker cannot express is shown as a sentence and kept as it is: only an
admin changes it, raw, on the "Geavanceerd" tab.

Plain form fields, no JavaScript needed (``static/recurrence.js`` only hides the
fields the chosen kind does not use).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from huishoudboekje.domain.dutch_text import DAYS_NL, MONTHS_NL
from huishoudboekje.domain.recurrence_read import recurrence_of, rule_sentence
from huishoudboekje.domain.recurrence_text import (
    LAST_DAY,
    MAX_COUNT,
    WEEK_INTERVALS,
    Kind,
    Recurrence,
    canonical,
    choice_problem,
    sentence,
    to_rrule,
)
from web.parsing import typed_day

KIND_CHOICES = (
    (Kind.MONTHLY.value, "elke maand"),
    (Kind.WEEKLY.value, "elke week, elke 2 weken of elke 4 weken"),
    (Kind.QUARTERLY.value, "elk kwartaal"),
    (Kind.YEARLY.value, "elk jaar"),
    (Kind.ONCE.value, "eenmalig"),
)
DAY_CHOICES = (*((str(d), f"de {d}e") for d in range(1, 31)), ("laatste", "de laatste dag"))
WEEKDAY_CHOICES = tuple((str(i), name) for i, name in enumerate(DAYS_NL))
INTERVAL_CHOICES = (("1", "elke week"), ("2", "elke 2 weken"), ("4", "elke 4 weken"))
QUARTER_CHOICES = tuple(
    (str(m), ", ".join(MONTHS_NL[m - 1 + 3 * i] for i in range(4))) for m in (1, 2, 3)
)
MONTH_CHOICES = tuple((str(m), name) for m, name in enumerate(MONTHS_NL, start=1))
END_CHOICES = (("geen", "geen einde"), ("keer", "na een aantal keer"), ("datum", "tot en met"))
FIELDS = (
    "herhaling",
    "dag",
    "weekdag",
    "elke",
    "kwartaal",
    "maand",
    "vanaf",
    "einde",
    "aantal",
    "tot_en_met",
)


@dataclass(frozen=True)
class PickerView:
    """What the picker shows: its values, problems by field, and the rule as a sentence.
    `editable` is False for a stored rule the picker cannot express."""

    values: dict[str, str]
    sentence: str = ""
    editable: bool = True
    errors: dict[str, str] = field(default_factory=dict)

    kinds = KIND_CHOICES
    days = DAY_CHOICES
    weekdays = WEEKDAY_CHOICES
    intervals = INTERVAL_CHOICES
    quarters = QUARTER_CHOICES
    months = MONTH_CHOICES
    ends = END_CHOICES


def _values(choice: Recurrence) -> dict[str, str]:
    end = "keer" if choice.count is not None else "datum" if choice.until is not None else "geen"
    return {
        "herhaling": choice.kind.value,
        "dag": "laatste" if choice.day == LAST_DAY else str(choice.day),
        "weekdag": str(choice.weekday),
        "elke": str(choice.interval),
        "kwartaal": str(choice.month if choice.kind is Kind.QUARTERLY else 1),
        "maand": str(choice.month),
        "vanaf": choice.start.isoformat(),
        "einde": end,
        "aantal": "" if choice.count is None else str(choice.count),
        "tot_en_met": "" if choice.until is None else choice.until.isoformat(),
    }


def stored_schedule(rule: Mapping[str, Any]) -> tuple[date, str] | None:
    """The (start, RRULE) of a rule's plain data, or None (a new rule)."""
    schedule = rule.get("schedule")
    if not isinstance(schedule, Mapping):
        return None
    start = typed_day(str(schedule.get("start", "")))
    rrule = schedule.get("rrule")
    if start is None or not isinstance(rrule, str):
        return None
    return start, rrule


def picker_view(rule: Mapping[str, Any], today: date) -> PickerView:
    """The picker for a rule's stored schedule (or a new rule: monthly from today)."""
    stored = stored_schedule(rule)
    if stored is None:
        choice = Recurrence(Kind.MONTHLY, today, day=today.day if today.day <= 28 else 1)
        return PickerView(_values(choice))
    choice_or_none = recurrence_of(*stored)
    text = rule_sentence(*stored)
    if choice_or_none is None:
        return PickerView({}, sentence=text, editable=False)
    return PickerView(_values(choice_or_none), sentence=text)


def _number(text: str, allowed: range) -> int | None:
    text = text.strip()
    if text.isascii() and text.isdigit() and int(text) in allowed:
        return int(text)
    return None


def _choice(form: Mapping[str, str]) -> tuple[Recurrence | None, dict[str, str]]:
    """The choice in the submitted form, or the problems by field."""
    errors: dict[str, str] = {}
    kinds = {k.value: k for k in Kind}
    kind = kinds.get(form.get("herhaling", ""))
    if kind is None:
        errors["herhaling"] = "Kies hoe vaak."
    raw_start = form.get("vanaf", "").strip()
    start = typed_day(raw_start)
    if start is None:
        errors["vanaf"] = (
            "Vul de eerste datum in, zoals 2026-01-01."
            if not raw_start
            else f'"{raw_start[:40]}" is geen datum. Schrijf de datum zoals 2026-01-01.'
        )
    raw_day = form.get("dag", "1")
    day = LAST_DAY if raw_day == "laatste" else _number(raw_day, range(1, 31))
    needs_day = kind in (Kind.MONTHLY, Kind.QUARTERLY, Kind.YEARLY)
    if day is None and needs_day:
        errors["dag"] = "Kies een dag van 1 tot en met 30, of de laatste dag."
    weekday = _number(form.get("weekdag", "0"), range(7))
    interval = _number(form.get("elke", "1"), range(1, 5))
    if kind is Kind.WEEKLY and (weekday is None or interval not in WEEK_INTERVALS):
        errors["weekdag"] = "Kies elke week, elke 2 of 4 weken, en een dag van de week."
    quarter = _number(form.get("kwartaal", "1"), range(1, 4))
    month = _number(form.get("maand", "1"), range(1, 13))
    if (kind is Kind.QUARTERLY and quarter is None) or (kind is Kind.YEARLY and month is None):
        errors["maand"] = "Kies een maand."
    count, until = _end(form, kind, errors)
    if errors or kind is None or start is None:
        return None, errors
    choice = Recurrence(
        kind,
        start,
        day=day or 1,
        weekday=weekday or 0,
        interval=interval or 1,
        month=(quarter if kind is Kind.QUARTERLY else month) or 1,
        count=count,
        until=until,
    )
    problem = choice_problem(choice)
    if problem:
        return None, {"herhaling": problem}
    return canonical(choice), {}


def _end(
    form: Mapping[str, str], kind: Kind | None, errors: dict[str, str]
) -> tuple[int | None, date | None]:
    end = form.get("einde", "geen")
    if kind is Kind.ONCE or end == "geen":
        return None, None
    if end == "keer":
        count = _number(form.get("aantal", ""), range(1, MAX_COUNT + 1))
        if count is None:
            errors["aantal"] = f"Vul in hoe vaak: een heel getal van 1 tot en met {MAX_COUNT}."
        return count, None
    if end == "datum":
        raw = form.get("tot_en_met", "").strip()
        until = typed_day(raw)
        if until is None:
            errors["tot_en_met"] = "Vul de laatste dag in, zoals 2026-12-31."
        return None, until
    errors["einde"] = "Kies geen einde, na een aantal keer, of tot en met een datum."
    return None, None


def read_picker(
    form: Mapping[str, str], rule: Mapping[str, Any]
) -> tuple[dict[str, str] | None, PickerView]:
    """The ``schedule`` the submitted picker describes, and the picker to show again.

    The stored schedule is kept as it is when the picker was not sent, when the
    stored rule is one the picker cannot express (an admin's "Geavanceerd"), and
    when the choice is the stored rule already (so saving an unchanged form
    changes nothing). None (with the problems in the view) when the choice is wrong.
    """
    stored = stored_schedule(rule)
    if stored is not None and ("herhaling" not in form or recurrence_of(*stored) is None):
        schedule = {"start": stored[0].isoformat(), "rrule": stored[1]}
        return schedule, picker_view(rule, stored[0])
    shown = {name: str(form.get(name, ""))[:40] for name in FIELDS}
    choice, errors = _choice(form)
    if choice is None:
        return None, PickerView(shown, errors=errors)
    view = PickerView(_values(choice), sentence=sentence(choice))
    if stored is not None and recurrence_of(*stored) == choice:
        return {"start": stored[0].isoformat(), "rrule": stored[1]}, view
    return {"start": choice.start.isoformat(), "rrule": to_rrule(choice)}, view
