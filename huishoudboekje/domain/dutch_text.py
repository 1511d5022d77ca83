"""Plain-Dutch formatting for explanations carried in data (the web may use Babel instead)."""

from __future__ import annotations

from datetime import date

from huishoudboekje.domain.money import Money

DAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def eur(amount: Money) -> str:
    """`€ 1.234,56`, with a minus sign before the symbol for negative amounts."""
    cents = abs(amount.to_cents())
    euros, rest = divmod(cents, 100)
    grouped = f"{euros:,}".replace(",", ".")
    sign = "-" if amount.is_negative else ""
    return f"{sign}€ {grouped},{rest:02d}"


def day_nl(day: date) -> str:
    """`vrijdag 6 maart`."""
    return f"{DAYS_NL[day.weekday()]} {day.day} {MONTHS_NL[day.month - 1]}"
