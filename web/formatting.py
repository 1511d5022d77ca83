"""Dutch formatting for templates (Babel, nl_NL): money, dates, months, bank reasons."""

from __future__ import annotations

from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import parse_pattern
from flask import Flask

from huishoudboekje.domain.money import Money
from huishoudboekje.domain.recurrence_read import schedule_sentence
from huishoudboekje.domain.return_reasons import reason_nl
from web.settings import AMSTERDAM

# Parsed once: given as text, Babel parses the locale again on every call, and a
# page formats dozens of amounts and dates.
LOCALE = Locale.parse("nl_NL")
# Likewise the number pattern: given as text, Babel parses it on every call. The euro
# sign is put in front here: Babel's currency formatting looks up the currency's
# names and plural forms on every amount, and a page shows many amounts.
AMOUNT = parse_pattern("#,##0.00")
EURO = "€\u00a0"


def money(value: Money | None) -> str:
    """`€ 1.234,56` (no-break space after the sign; minus before the sign)."""
    if value is None:
        return ""
    digits: str = AMOUNT.apply(abs(value.amount), LOCALE)
    return f"-{EURO}{digits}" if value.amount < 0 else f"{EURO}{digits}"


def day(value: date | None) -> str:
    """`vrijdag 6 maart`."""
    return "" if value is None else format_date(value, "EEEE d MMMM", locale=LOCALE)


def day_year(value: date | None) -> str:
    """`vrijdag 6 maart 2026`."""
    return "" if value is None else format_date(value, "EEEE d MMMM y", locale=LOCALE)


def date_nl(value: date | None) -> str:
    """`6 maart 2026` (a date in a table)."""
    return "" if value is None else format_date(value, "d MMMM y", locale=LOCALE)


def short_day(value: date | None) -> str:
    """`6 mrt.`-style short date: `6 maart`."""
    return "" if value is None else format_date(value, "d MMMM", locale=LOCALE)


def tick_day(value: date) -> str:
    """`6 mrt.` (chart axis labels)."""
    return format_date(value, "d MMM", locale=LOCALE)


def month(value: date | None) -> str:
    """`maart 2026`."""
    return "" if value is None else format_date(value, "MMMM y", locale=LOCALE)


def moment(value: datetime | None) -> str:
    """`24-11-2026 10:05` in Dutch time."""
    if value is None:
        return ""
    return format_datetime(value.astimezone(AMSTERDAM), "dd-MM-y HH:mm", locale=LOCALE)


SEVERITY_NL = {"high": "urgent", "warning": "let op", "info": "ter info"}


def severity_nl(value: object) -> str:
    """A signal's severity (`Severity` or its value) in Dutch: `urgent`, `let op`, `ter info`."""
    key = str(getattr(value, "value", value))
    return SEVERITY_NL.get(key, key)


def register(app: Flask) -> None:
    """Make the formatters Jinja filters."""
    app.add_template_filter(money, "money")
    app.add_template_filter(day, "day")
    app.add_template_filter(day_year, "day_year")
    app.add_template_filter(short_day, "short_day")
    app.add_template_filter(date_nl, "date_nl")
    app.add_template_filter(month, "month")
    app.add_template_filter(moment, "moment")
    app.add_template_filter(reason_nl, "return_reason_nl")
    app.add_template_filter(severity_nl, "severity_nl")
    app.add_template_filter(schedule_sentence, "herhaling")  # a schedule as a Dutch sentence
