"""Reading what people type in URLs and forms into values; None when it is no value.

The views ask these and show their own Dutch message on None, so no view needs
to catch `ValueError` (which would also hide a real bug).
"""

from __future__ import annotations

import re
from datetime import date

from huishoudboekje.domain.limits import AMOUNT_TEXT, amount_problem
from huishoudboekje.domain.money import Money
from huishoudboekje.services.rule_editing import normalize_amount

# re.ASCII: "\d" would also match Arabic-Indic and other digits, which int() reads.
PERIOD = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$", re.ASCII)


def month_of(period: str) -> date | None:
    """The first day of the month `period` names (like 2026-03), or None."""
    match = PERIOD.fullmatch(period)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), 1)
    except ValueError:  # a month like 2026-13
        return None


def amount_of(text: str) -> Money | None:
    """The amount people typed ("50", "725,40", "€ 1.234,56"), or None.

    Only the digits 0-9 (no Arabic-Indic or other digits, no "1e3"), and below the
    ceiling every amount has (`domain.limits`)."""
    plain = normalize_amount(text)
    if not AMOUNT_TEXT.fullmatch(plain.removeprefix("-")):
        return None
    try:
        amount = Money(plain)
    except (ValueError, ArithmeticError):
        return None
    return None if amount_problem(amount.amount) else amount


def typed_day(text: str) -> date | None:
    """The day people typed as 2026-06-30 or 30-06-2026, or None."""
    dutch_order = DUTCH_DATE.match(text)
    if dutch_order is None:
        return iso_day(text)
    day, month, year = (int(part) for part in dutch_order.groups())
    try:
        return date(year, month, day)
    except ValueError:  # a day like 31-02-2026
        return None


def iso_day(text: str) -> date | None:
    """The day written as 2026-06-30, or None."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
