"""Schedules: an RFC 5545 RRULE string plus a start date, read with `dateutil.rrule`."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from dateutil import rrule as rr


class ScheduleError(ValueError):
    """An RRULE that cannot be read."""


@dataclass(frozen=True)
class Schedule:
    """Dates on which something recurs, e.g. ``FREQ=MONTHLY;BYMONTHDAY=1`` from 2026-01-01."""

    start: date
    rrule: str

    def __post_init__(self) -> None:
        self._rule  # noqa: B018 - parse once, so a bad rule fails at construction

    @cached_property
    def _rule(self) -> rr.rrule:
        text = self.rrule.strip()
        if text.upper().startswith("RRULE:"):
            text = text[6:]
        if "DTSTART" in text.upper():
            raise ScheduleError("put the start date in 'start', not DTSTART in the rule")
        try:
            rule = rr.rrulestr(text, dtstart=datetime.combine(self.start, time()))
        except (ValueError, TypeError) as exc:
            raise ScheduleError(f"rrule {self.rrule!r} is not valid: {exc}") from None
        if not isinstance(rule, rr.rrule):
            raise ScheduleError(f"rrule {self.rrule!r} must be a single RRULE")
        return rule

    @cached_property
    def _memo(self) -> _Occurrences:
        return _Occurrences(self._rule, self.start)

    def between(self, first: date, last: date) -> list[date]:
        """All occurrences with first <= d <= last."""
        if last < first:
            return []
        dates = self._memo.up_to(last)
        return dates[bisect_left(dates, first) : bisect_right(dates, last)]

    def next_on_or_after(self, day: date) -> date | None:
        dates = self._memo.up_to(day + timedelta(days=800))
        index = bisect_left(dates, day)
        return dates[index] if index < len(dates) else None

    def previous_before(self, day: date) -> date | None:
        dates = self._memo.up_to(day)
        index = bisect_left(dates, day)
        return dates[index - 1] if index else None

    def count_per_year(self, around: date) -> int:
        """Occurrences in the 365 days starting at `around` (for yearly averages)."""
        return len(self.between(around, around + timedelta(days=364)))


class _Occurrences:
    """Memoized occurrences of a rule, extended in yearly steps as later dates are asked.

    dateutil iterates from the start date on every query; remembering the dates
    keeps a query cheap however old the schedule is.
    """

    def __init__(self, rule: rr.rrule, start: date) -> None:
        self._rule = rule
        self._dates: list[date] = []
        self._until = start - timedelta(days=1)

    def up_to(self, last: date) -> list[date]:
        if last > self._until:
            until = max(last, self._until + timedelta(days=366))
            lo = datetime.combine(self._until + timedelta(days=1), time())
            hi = datetime.combine(until, time())
            self._dates.extend(d.date() for d in self._rule.between(lo, hi, inc=True))
            self._until = until
        return self._dates
