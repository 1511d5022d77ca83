"""Voorschot (advance) repayment: first from every income, in monthly instalments.

Repaying a whole advance from the first income would leave a new household
without leefgeld for weeks (the first salary would pay two months of rent).
So an advance is repaid in fixed monthly instalments of the advance limit
divided by `repay_months` (at least €25, at most what is owed), taken before
reserves and leefgeld.
"""

from __future__ import annotations

from datetime import date

from huishoudboekje.domain.household import Household
from huishoudboekje.domain.money import ZERO, Money, min_money

MINIMUM_INSTALMENT = Money("25.00")


def instalment(household: Household, advance_used: Money) -> Money:
    """The monthly instalment for an advance of `advance_used`."""
    if not advance_used.is_positive:
        return ZERO
    months = max(household.buffer.repay_months, 1)
    share = Money.round(household.buffer.advance_limit.amount / months)
    return min_money(advance_used, max(share, MINIMUM_INSTALMENT))


def month_key(day: date) -> str:
    """The month of `day` as YYYY-MM, the key of that month's instalment."""
    return f"{day.year:04d}-{day.month:02d}"


def due_this_month(
    household: Household, advance_month: str, advance_due: Money, advance_used: Money, today: date
) -> Money:
    """What is still to be repaid this month (a new month starts a new instalment)."""
    if advance_month != month_key(today):
        return instalment(household, advance_used)
    return min_money(advance_due, advance_used)
