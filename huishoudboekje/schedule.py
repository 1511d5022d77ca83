"""Schedules: an RFC 5545 RRULE string plus a start date, read with `dateutil.rrule`."""

from __future__ import annotations

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

    def between(self, first: date, last: date) -> list[date]:
        """All occurrences with first <= d <= last."""
        if last < first:
            return []
        lo = datetime.combine(first, time())
        hi = datetime.combine(last, time())
        return [d.date() for d in self._rule.between(lo, hi, inc=True)]

    def next_on_or_after(self, day: date) -> date | None:
        found = self._rule.after(datetime.combine(day, time()), inc=True)
        return found.date() if found is not None else None

    def previous_before(self, day: date) -> date | None:
        found = self._rule.before(datetime.combine(day, time()), inc=False)
        return found.date() if found is not None else None

    def count_per_year(self, around: date) -> int:
        """Occurrences in the 365 days starting at `around` (for yearly averages)."""
        return len(self.between(around, around + timedelta(days=364)))
