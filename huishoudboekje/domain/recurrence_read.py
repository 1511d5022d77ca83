"""Reading repeat rules back: a stored RRULE → the picker's choice, a Dutch sentence →
the choice, and any stored rule → a sentence (best effort for what the picker cannot
express). The writing side is `domain.recurrence_text`."""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date, timedelta

from huishoudboekje.domain.dutch_text import DAYS_NL, MONTHS_NL
from huishoudboekje.domain.recurrence_text import (
    BYDAY,
    LAST_DAY,
    MAX_COUNT,
    WEEK_INTERVALS,
    Kind,
    Recurrence,
    canonical,
    date_text,
    list_nl,
    sentence,
    to_rrule,
)
from huishoudboekje.domain.schedule import Schedule, ScheduleError

# --- RRULE → choice ------------------------------------------------------------


def _parts(rrule: str) -> dict[str, str] | None:
    text = rrule.strip().upper()
    text = text.removeprefix("RRULE:")
    parts: dict[str, str] = {}
    for part in text.split(";"):
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep or key in parts:
            return None
        parts[key] = value
    return parts


_DAY_SETS = {"28,29": 29, "28,29,30": 30}


def _day_of(parts: dict[str, str]) -> int | None:
    """The picker's day from BYMONTHDAY (and BYSETPOS), or None."""
    days = parts.pop("BYMONTHDAY", None)
    setpos = parts.pop("BYSETPOS", None)
    if days is None:
        return None
    if setpos is not None:
        return _DAY_SETS.get(days) if setpos == "-1" else None
    if days == "-1":
        return LAST_DAY
    if days.isdigit() and 1 <= int(days) <= 28:
        return int(days)
    return None


def _end_of(parts: dict[str, str]) -> tuple[int | None, date | None] | None:
    count = parts.pop("COUNT", None)
    until = parts.pop("UNTIL", None)
    if count is not None and until is not None:
        return None
    if count is not None:
        return (int(count), None) if count.isdigit() and 1 <= int(count) <= MAX_COUNT else None
    if until is not None:
        match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", until)
        if match is None:
            return None
        try:
            return None, date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None, None


def _interval(parts: dict[str, str]) -> int | None:
    text = parts.pop("INTERVAL", "1")
    return int(text) if text.isdigit() else None


def _pattern(parts: dict[str, str], start: date) -> Recurrence | None:
    """The choice without its end, when the rule's remaining parts are a picker pattern."""
    freq = parts.pop("FREQ", "")
    interval = _interval(parts)
    if freq == "WEEKLY" and interval in WEEK_INTERVALS:
        byday = parts.pop("BYDAY", BYDAY[start.weekday()])
        if byday not in BYDAY:
            return None
        return Recurrence(Kind.WEEKLY, start, weekday=BYDAY.index(byday), interval=interval)
    if freq == "MONTHLY" and interval in (1, 3):
        kind = Kind.MONTHLY if interval == 1 else Kind.QUARTERLY
        day = _day_of(parts) if "BYMONTHDAY" in parts else _plain_day(start)
        return None if day is None else Recurrence(kind, start, day=day, month=start.month)
    if freq == "YEARLY" and interval == 1:
        month = parts.pop("BYMONTH", str(start.month))
        day = _day_of(parts) if "BYMONTHDAY" in parts else _plain_day(start)
        if not month.isdigit() or not 1 <= int(month) <= 12 or day is None:
            return None
        if day != LAST_DAY and day > calendar.monthrange(2025, int(month))[1]:
            return None
        return Recurrence(Kind.YEARLY, start, day=day, month=int(month))
    return None


def _plain_day(start: date) -> int | None:
    return start.day if start.day <= 28 else None


def recurrence_of(start: date, rrule: str) -> Recurrence | None:
    """The picker's choice for a stored schedule, or None when the picker cannot
    express it (then only an admin edits it raw). The choice's start is the rule's
    first date on or after `start` (the same dates)."""
    parts = _parts(rrule)
    if parts is None:
        return None
    try:
        schedule = Schedule(start, rrule)
    except ScheduleError:
        return None
    first = schedule.next_on_or_after(start)
    if first is None:
        return None
    if parts.get("COUNT") == "1" and set(parts) <= {"FREQ", "COUNT", "INTERVAL"}:
        return Recurrence(Kind.ONCE, first)
    end = _end_of(parts)
    if end is None:
        return None
    choice = _pattern(parts, start)
    if choice is None or parts:  # a part the picker does not know
        return None
    # from the rule's real first date: a phase (every 2 weeks, every quarter) counts from it
    month = first.month if choice.kind is Kind.QUARTERLY else choice.month
    choice = replace(choice, start=first, month=month, count=end[0], until=end[1])
    try:
        picked = canonical(choice)
    except ValueError:
        return None
    horizon = first + timedelta(days=3 * 366)
    if Schedule(picked.start, to_rrule(picked)).between(first, horizon) != schedule.between(
        first, horizon
    ):
        return None  # same parts, other dates (a phase the picker would not keep)
    return picked


_DATE = r"(\d{1,2}) (" + "|".join(MONTHS_NL) + r") (\d{4})"


def _date_of(text: str) -> date | None:
    match = re.fullmatch(_DATE, text)
    if match is None:
        return None
    try:
        return date(int(match[3]), MONTHS_NL.index(match[2]) + 1, int(match[1]))
    except ValueError:
        return None


def _day_of_text(text: str) -> int | None:
    if text == "de laatste dag":
        return LAST_DAY
    match = re.fullmatch(r"de (\d{1,2})e(?: \(of de laatste dag als de maand korter is\))?", text)
    return None if match is None else int(match[1])


def _pattern_from_text(text: str, start: date) -> Recurrence | None:
    if (m := re.fullmatch(r"elke maand op (.+)", text)) is not None:
        day = _day_of_text(m[1])
        return None if day is None else Recurrence(Kind.MONTHLY, start, day=day)
    if (m := re.fullmatch(r"elke (?:(\d) weken|week) op (\w+)", text)) is not None:
        if m[2] not in DAYS_NL:
            return None
        interval = int(m[1]) if m[1] else 1
        return Recurrence(Kind.WEEKLY, start, weekday=DAYS_NL.index(m[2]), interval=interval)
    if (m := re.fullmatch(r"elk kwartaal op (.+) van (\w+), .+", text)) is not None:
        day = _day_of_text(m[1])
        if day is None or m[2] not in MONTHS_NL[:3]:
            return None
        return Recurrence(Kind.QUARTERLY, start, day=day, month=MONTHS_NL.index(m[2]) + 1)
    if (m := re.fullmatch(r"elk jaar op de laatste dag van (\w+)", text)) is not None:
        if m[1] not in MONTHS_NL:
            return None
        return Recurrence(Kind.YEARLY, start, day=LAST_DAY, month=MONTHS_NL.index(m[1]) + 1)
    if (m := re.fullmatch(r"elk jaar op (\d{1,2}) (\w+)", text)) is not None:
        if m[2] not in MONTHS_NL:
            return None
        return Recurrence(Kind.YEARLY, start, day=int(m[1]), month=MONTHS_NL.index(m[2]) + 1)
    return None


def recurrence_from_sentence(text: str) -> Recurrence | None:
    """The choice a sentence of `sentence` describes, or None for any other text."""
    if text.startswith("eenmalig op "):
        day = _date_of(text.removeprefix("eenmalig op "))
        return None if day is None else Recurrence(Kind.ONCE, day)
    match = re.fullmatch(
        r"(?P<pattern>.+?), vanaf (?P<start>\d{1,2} \w+ \d{4})"
        r"(?:, (?P<count>\d+) keer|, tot en met (?P<until>\d{1,2} \w+ \d{4}))?",
        text,
    )
    if match is None:
        return None
    start = _date_of(match["start"])
    if start is None:
        return None
    choice = _pattern_from_text(match["pattern"], start)
    if choice is None:
        return None
    if match["count"]:
        return replace(choice, count=int(match["count"]))
    if match["until"]:
        until = _date_of(match["until"])
        return None if until is None else replace(choice, until=until)
    return choice


# --- any rule ------------------------------------------------------------------

_FREQ_NL = {
    "DAILY": ("elke dag", "elke {n} dagen"),
    "WEEKLY": ("elke week", "elke {n} weken"),
    "MONTHLY": ("elke maand", "elke {n} maanden"),
    "YEARLY": ("elk jaar", "elke {n} jaar"),
}


def _generic(start: date, rrule: str) -> str:
    """A best-effort sentence for a rule the picker cannot express."""
    parts = _parts(rrule) or {}
    one, many = _FREQ_NL.get(parts.get("FREQ", ""), ("volgens een bijzondere regel", ""))
    interval = parts.get("INTERVAL", "1")
    text = many.format(n=interval) if many and interval not in ("", "1") else one
    details = []
    if "BYMONTH" in parts:
        months = [int(m) for m in parts["BYMONTH"].split(",") if m.isdigit() and 1 <= int(m) <= 12]
        details.append("in " + list_nl([MONTHS_NL[m - 1] for m in months] or ["?"]))
    if "BYMONTHDAY" in parts:
        details.append(f"op dag {parts['BYMONTHDAY'].replace(',', ', ')}")
    if "BYDAY" in parts:
        names = [
            DAYS_NL[BYDAY.index(d[-2:])] if d[-2:] in BYDAY else d
            for d in parts["BYDAY"].split(",")
        ]
        details.append("op " + list_nl(names))
    text = " ".join([text, *details])
    schedule = Schedule(start, rrule)
    first = schedule.next_on_or_after(start)
    if first is not None:
        text += f", vanaf {date_text(first)}"
    if schedule.end is not None:
        text += f", tot en met {date_text(schedule.end)}"
    return f"{text} (bijzondere regel: {rrule.strip()})"


def rule_sentence(start: date, rrule: str) -> str:
    """Any stored schedule in Dutch: the picker's sentence, or a best-effort one."""
    choice = recurrence_of(start, rrule)
    if choice is not None:
        return sentence(choice)
    try:
        return _generic(start, rrule)
    except (ScheduleError, ValueError):
        return f"bijzondere regel: {rrule.strip()}"


def schedule_sentence(schedule: Schedule) -> str:
    """`rule_sentence` of a `Schedule`."""
    return rule_sentence(schedule.start, schedule.rrule)
