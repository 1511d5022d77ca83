"""Repeat rules in plain Dutch: the staff picker's choice ↔ RRULE ↔ a Dutch sentence.

RRULE (with a start date, `domain.schedule.Schedule`) stays the stored and YAML
form. Staff choose from a few patterns (`Recurrence`) that cover what charges and
incomes really do; everyone reads the rule as a sentence ("elke maand op de 1e,
vanaf 1 januari 2026"). A rule the picker cannot express (`recurrence_of` gives
None) still gets a best-effort sentence (`rule_sentence`).

The translation is lossless for every choice: a choice → (start, RRULE) → choice,
and choice → sentence → choice (`recurrence_from_sentence` reads the sentences this
module writes, nothing else). The start of a choice is its first date: the picker
moves the typed "vanaf" day to the first date of the rule (`canonical`), which
changes no date of the rule.

Days 29 and 30 of a month mean "or the last day when the month is shorter" (rent
due on the 30th is due in February too): ``BYMONTHDAY=28,29,30;BYSETPOS=-1``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from huishoudboekje.domain.dutch_text import DAYS_NL, MONTHS_NL
from huishoudboekje.domain.schedule import Schedule


class Kind(StrEnum):
    """The patterns of the picker (the values are what the form sends)."""

    MONTHLY = "maand"
    WEEKLY = "week"
    QUARTERLY = "kwartaal"
    YEARLY = "jaar"
    ONCE = "eenmalig"


LAST_DAY = -1  # "de laatste dag" of the month
WEEK_INTERVALS = (1, 2, 4)
MAX_COUNT = 999
BYDAY: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True)
class Recurrence:
    """One choice in the picker.

    `day` is the day of the month (1-30, or `LAST_DAY`) for monthly, quarterly and
    yearly rules; `weekday` (0 = maandag) and `interval` (1, 2 or 4 weeks) for
    weekly ones; `month` the month of a yearly rule, or of the first quarter month
    (1-3: januari, februari or maart and every third month after). `start` is the
    first date (the one date of a one-off). At most one of `count` and `until`."""

    kind: Kind
    start: date
    day: int = 1
    weekday: int = 0
    interval: int = 1
    month: int = 1
    count: int | None = None
    until: date | None = None


def _month_days(day: int) -> str:
    if day == LAST_DAY:
        return "BYMONTHDAY=-1"
    if day in (29, 30):
        days = ",".join(str(d) for d in range(28, day + 1))
        return f"BYMONTHDAY={days};BYSETPOS=-1"
    return f"BYMONTHDAY={day}"


def _quarter_months(month: int) -> tuple[int, ...]:
    return tuple(range((month - 1) % 3 + 1, 13, 3))


def _body(choice: Recurrence) -> str:
    """The RRULE of a choice without its end."""
    if choice.kind is Kind.MONTHLY:
        return f"FREQ=MONTHLY;{_month_days(choice.day)}"
    if choice.kind is Kind.WEEKLY:
        interval = f"INTERVAL={choice.interval};" if choice.interval > 1 else ""
        return f"FREQ=WEEKLY;{interval}BYDAY={BYDAY[choice.weekday]}"
    if choice.kind is Kind.QUARTERLY:
        return f"FREQ=MONTHLY;INTERVAL=3;{_month_days(choice.day)}"
    if choice.kind is Kind.YEARLY:
        return f"FREQ=YEARLY;BYMONTH={choice.month};{_month_days(choice.day)}"
    return "FREQ=YEARLY;COUNT=1"


def to_rrule(choice: Recurrence) -> str:
    """The RRULE text of a choice (its start date is the schedule's start)."""
    body = _body(choice)
    if choice.kind is Kind.ONCE:
        return body
    if choice.count is not None:
        return f"{body};COUNT={choice.count}"
    if choice.until is not None:
        return f"{body};UNTIL={choice.until:%Y%m%d}"
    return body


def _first_quarter_start(choice: Recurrence) -> date:
    """The first day of the first month of the quarter cycle on or after `start`."""
    months = _quarter_months(choice.month)
    day = choice.start
    year, month = day.year, day.month
    while month not in months:
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return day if (year, month) == (day.year, day.month) else date(year, month, 1)


def canonical(choice: Recurrence) -> Recurrence:
    """The same choice with `start` moved to its first date and the fields its kind
    does not use at their defaults. Raises `ValueError` when the rule has no date."""
    if choice.kind is Kind.ONCE:
        return Recurrence(Kind.ONCE, choice.start)
    count, until = choice.count, choice.until
    start = choice.start
    if choice.kind is Kind.WEEKLY:  # the first such weekday on or after the start
        first = start + timedelta(days=(choice.weekday - start.weekday()) % 7)
        return Recurrence(
            Kind.WEEKLY,
            first,
            weekday=choice.weekday,
            interval=choice.interval,
            count=count,
            until=until,
        )
    if choice.kind is Kind.QUARTERLY:
        start = _first_quarter_start(choice)
        body = f"FREQ=MONTHLY;BYMONTH={','.join(map(str, _quarter_months(choice.month)))};"
        body += _month_days(choice.day)
    else:
        body = _body(choice)
    found = Schedule(start, body).next_on_or_after(start)
    if found is None:
        raise ValueError("rule gives no date")
    first = found
    if choice.kind is Kind.QUARTERLY:
        month = (first.month - 1) % 3 + 1
        return Recurrence(
            Kind.QUARTERLY, first, day=choice.day, month=month, count=count, until=until
        )
    if choice.kind is Kind.YEARLY:
        return Recurrence(
            Kind.YEARLY, first, day=choice.day, month=choice.month, count=count, until=until
        )
    return Recurrence(Kind.MONTHLY, first, day=choice.day, count=count, until=until)


def choice_problem(choice: Recurrence) -> str:
    """What is wrong with a choice, in Dutch for staff ("" when nothing is)."""
    if choice.kind in (Kind.MONTHLY, Kind.QUARTERLY, Kind.YEARLY) and not (
        choice.day == LAST_DAY or 1 <= choice.day <= 30
    ):
        return "Kies een dag van 1 tot en met 30, of de laatste dag van de maand."
    if choice.kind is Kind.YEARLY:
        if not 1 <= choice.month <= 12:
            return "Kies een maand."
        if choice.day != LAST_DAY and choice.day > calendar.monthrange(2025, choice.month)[1]:
            return (
                f"{MONTHS_NL[choice.month - 1].capitalize()} heeft geen {choice.day} dagen "
                "(elk jaar). Kies een eerdere dag of de laatste dag van de maand."
            )
    if choice.kind is Kind.QUARTERLY and not 1 <= choice.month <= 12:
        return "Kies een maand."
    if choice.kind is Kind.WEEKLY and (
        choice.interval not in WEEK_INTERVALS or not 0 <= choice.weekday <= 6
    ):
        return "Kies elke week, elke 2 weken of elke 4 weken, en een dag van de week."
    if choice.count is not None and choice.until is not None:
        return "Kies één einde: na een aantal keer, of tot en met een datum."
    if choice.count is not None and not 1 <= choice.count <= MAX_COUNT:
        return f"Het aantal keer is 1 tot en met {MAX_COUNT}."
    if choice.kind is not Kind.ONCE and choice.until is not None:
        first = canonical(choice).start
        if choice.until < first:
            return (
                f"De einddatum ligt voor de eerste keer ({date_text(first)}). "
                "Kies een latere einddatum."
            )
    return ""


# --- sentences -----------------------------------------------------------------


def date_text(day: date) -> str:
    """`1 januari 2026`."""
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def _day_text(day: int) -> str:
    if day == LAST_DAY:
        return "de laatste dag"
    if day in (29, 30):
        return f"de {day}e (of de laatste dag als de maand korter is)"
    return f"de {day}e"


def list_nl(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} en {words[-1]}"


def _pattern_text(choice: Recurrence) -> str:
    if choice.kind is Kind.MONTHLY:
        return f"elke maand op {_day_text(choice.day)}"
    if choice.kind is Kind.WEEKLY:
        every = "elke week" if choice.interval == 1 else f"elke {choice.interval} weken"
        return f"{every} op {DAYS_NL[choice.weekday]}"
    if choice.kind is Kind.QUARTERLY:
        months = list_nl([MONTHS_NL[m - 1] for m in _quarter_months(choice.month)])
        return f"elk kwartaal op {_day_text(choice.day)} van {months}"
    month = MONTHS_NL[choice.month - 1]
    if choice.day == LAST_DAY:
        return f"elk jaar op de laatste dag van {month}"
    return f"elk jaar op {choice.day} {month}"


def sentence(choice: Recurrence) -> str:
    """The choice in plain Dutch: "elke maand op de 1e, vanaf 1 januari 2026"."""
    if choice.kind is Kind.ONCE:
        return f"eenmalig op {date_text(choice.start)}"
    text = f"{_pattern_text(choice)}, vanaf {date_text(choice.start)}"
    if choice.count is not None:
        return f"{text}, {choice.count} keer" if choice.count > 1 else f"{text}, 1 keer"
    if choice.until is not None:
        return f"{text}, tot en met {date_text(choice.until)}"
    return text
