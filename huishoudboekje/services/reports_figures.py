"""The pure figures of the team dashboard (`services.reports`): ages and buckets,
outstanding advances, buffer days, the median and the lowest tenth, and the month
a person typed. No database, no clock."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from huishoudboekje.domain.money import ZERO, Money

OUTFLOW_DAYS = 91  # buffer days: the vat against about three months of payments out


def parse_month(text: str) -> date:
    """'2026-11' → 2026-11-01; a ValueError with a clear message otherwise."""
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(
            f"maand {text!r} is geen geldige maand; schrijf bijvoorbeeld 2026-11"
        ) from None


@dataclass(frozen=True, slots=True)
class Ageing:
    """A count and sum of items, and how many of them are in each age bucket."""

    count: int
    total: Money
    buckets: tuple[tuple[str, int], ...]
    oldest_days: int | None


def _bucket(days: int, buckets: Sequence[tuple[int, int | None, str]]) -> str:
    for low, high, label in buckets:
        if days >= low and (high is None or days <= high):
            return label
    return buckets[0][2]


def ageing(
    items: Sequence[tuple[int, Money]], buckets: Sequence[tuple[int, int | None, str]]
) -> Ageing:
    """Count, sum and buckets of `items`, each (age in days, amount)."""
    counts = dict.fromkeys((label for _, _, label in buckets), 0)
    for days, _ in items:
        counts[_bucket(days, buckets)] += 1
    return Ageing(
        count=len(items),
        total=sum((amount for _, amount in items), ZERO),
        buckets=tuple(counts.items()),
        oldest_days=max((days for days, _ in items), default=None),
    )


def outstanding_advances(
    postings: Iterable[tuple[str, date, Decimal]], as_of: date
) -> list[tuple[int, Money]]:
    """(age in days, amount) of every advance outstanding on `as_of`; its age counts
    from the first draw since the household last owed nothing."""
    balance: dict[str, Decimal] = defaultdict(Decimal)
    since: dict[str, date] = {}
    for code, day, amount in postings:
        before = balance[code]
        balance[code] = before + amount
        if before <= 0 < balance[code]:
            since[code] = day
    return [
        ((as_of - since[code]).days, Money(amount))
        for code, amount in sorted(balance.items())
        if amount > 0
    ]


def buffer_days(vat: Decimal, outflow: Decimal) -> int | None:
    """Whole days the vat lasts at the pace of the last `OUTFLOW_DAYS` days (rounded
    down, in cents); None when nothing was paid out."""
    if vat <= 0:
        return 0
    if outflow <= 0:
        return None
    cents = int(vat * 100)
    return (cents * OUTFLOW_DAYS) // int(outflow * 100)


def lowest_tenth(values: Sequence[int]) -> int | None:
    """The value a tenth of `values` is at or below (nearest rank), None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) // 10))  # ceil(n / 10)
    return ordered[rank - 1]


def median_days(values: Sequence[int]) -> int | None:
    """The median, rounded down to whole days; None when there are none."""
    return None if not values else int(statistics.median_low(values))
