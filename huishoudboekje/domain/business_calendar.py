"""SEPA business days: TARGET2 is closed on weekends and on the ECB's closing days."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays

from huishoudboekje.domain.kept import kept


@kept(maxsize=64)  # asked for every date the planner moves over; holidays is slow
def _target_closing_days(year: int) -> frozenset[date]:
    return frozenset(holidays.financial_holidays("XECB", years=year).keys())


@dataclass(frozen=True)
class BusinessCalendar:
    """TARGET2 business days, plus extra closing days a gemeente configures."""

    extra_closing_days: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def with_extra(cls, days: Iterable[date]) -> BusinessCalendar:
        """The TARGET2 calendar with the gemeente's own closing `days` added."""
        return cls(frozenset(days))

    def is_business_day(self, day: date) -> bool:
        """Whether payments execute on `day` (not a weekend or a closing day)."""
        if day.weekday() >= 5:
            return False
        if day in self.extra_closing_days:
            return False
        return day not in _target_closing_days(day.year)

    def on_or_before(self, day: date) -> date:
        """The last business day <= day."""
        while not self.is_business_day(day):
            day -= timedelta(days=1)
        return day

    def on_or_after(self, day: date) -> date:
        """The first business day >= day."""
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def add_business_days(self, day: date, count: int) -> date:
        """Move `count` business days forward (negative: backward) from `day`."""
        return _add_business_days(self, day, count)


@kept(maxsize=65536)
def _add_business_days(calendar: BusinessCalendar, day: date, count: int) -> date:
    """`BusinessCalendar.add_business_days`, cached: the planner and every forecast ask
    the same few dates over and over (the calendar is frozen, so the answer never changes)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if calendar.is_business_day(day):
            remaining -= 1
    return day


DEFAULT_CALENDAR = BusinessCalendar()
