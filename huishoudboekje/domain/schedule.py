"""Schedules: an RFC 5545 RRULE string plus a start date, read with `dateutil.rrule`."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property
from threading import Lock

from dateutil import rrule as rr

from huishoudboekje.domain.kept import kept


class ScheduleError(ValueError):
    """An RRULE that cannot be read."""


_UNTIL = re.compile(r"(?:^|[;:])UNTIL=(\d{4})(\d{2})(\d{2})", re.IGNORECASE)
_COUNT = re.compile(r"(?:^|[;:])COUNT=", re.IGNORECASE)
_ENDING_PART = re.compile(r"^(UNTIL|COUNT)=", re.IGNORECASE)


@dataclass(frozen=True)
class Schedule:
    """Dates on which something recurs, e.g. ``FREQ=MONTHLY;BYMONTHDAY=1`` from 2026-01-01."""

    start: date
    rrule: str

    def __post_init__(self) -> None:
        self._rule  # noqa: B018 - parse once, so a bad rule fails at construction

    @cached_property
    def _rule(self) -> rr.rrule:
        return _parse_rule(self.rrule, self.start)

    @cached_property
    def _memo(self) -> _Occurrences:
        return _shared_occurrences(self.rrule, self.start)

    def between(self, first: date, last: date) -> list[date]:
        """All occurrences with first <= d <= last."""
        if last < first:
            return []
        dates = self._memo.up_to(last)
        return dates[bisect_left(dates, first) : bisect_right(dates, last)]

    def next_on_or_after(self, day: date) -> date | None:
        """The first occurrence >= day within 800 days, else None."""
        horizon = day + timedelta(days=800)
        dates = self._memo.up_to(horizon)
        index = bisect_left(dates, day)
        # the memo may reach further than asked; the horizon keeps the answer independent of it
        return dates[index] if index < len(dates) and dates[index] <= horizon else None

    def previous_before(self, day: date) -> date | None:
        """The last occurrence < day, or None."""
        dates = self._memo.up_to(day)
        index = bisect_left(dates, day)
        return dates[index - 1] if index else None

    def per_year(self, around: date) -> Decimal:
        """How often this rhythm recurs in an average year, counted from `around`.

        Counted over whole cycles of the rule, so the answer does not jump with the
        window: a 4-weekly salary is 13 paydays per 52 weeks (x 365/364), never 13
        one month and 14 the next. Monthly and yearly rules are counted over whole
        years. A rule that starts later is counted from its start. An end (UNTIL or
        COUNT) does not thin the rhythm out beforehand: the rule counts fully while
        it still has a date to come and 0 once it has none, like a charge that
        ends on its `valid_until` (the budget then steps once, when it ends).
        """
        first = max(around, self.start)
        if self.next_on_or_after(first) is None:
            return Decimal(0)
        steady = self._without_end
        freq, interval = self._rhythm
        if freq in ("WEEKLY", "DAILY"):
            days = 364 * interval if freq == "WEEKLY" else 365 * interval
            count = len(steady.between(first, first + timedelta(days=days - 1)))
            return Decimal(count) * 365 / days
        # every 5 months: 5 years is a whole cycle; every 3 months: 1 year already is
        whole_cycle = freq == "YEARLY" or (freq == "MONTHLY" and 12 % interval)
        years = interval if whole_cycle else 1
        last = _add_years(first, years) - timedelta(days=1)
        return Decimal(len(steady.between(first, last))) / years

    @cached_property
    def _without_end(self) -> Schedule:
        """The same rule without its UNTIL or COUNT."""
        if not (_UNTIL.search(self.rrule) or _COUNT.search(self.rrule)):
            return self
        return Schedule(self.start, self._rule_without_end())

    def _rule_without_end(self, *extra: str) -> str:
        """The rule text without UNTIL/COUNT (empty parts dropped), `extra` parts added."""
        prefix, _, body = self.rrule.strip().rpartition(":")
        parts = [p for p in body.split(";") if p and not _ENDING_PART.match(p.strip())]
        rule = ";".join([*parts, *extra])
        return f"{prefix}:{rule}" if prefix else rule

    @cached_property
    def _rhythm(self) -> tuple[str, int]:
        """FREQ and INTERVAL of the rule text (validated by dateutil at construction)."""
        parts = dict(part.split("=", 1) for part in self._text().split(";") if "=" in part)
        return parts.get("FREQ", "").upper(), max(int(parts.get("INTERVAL", "1")), 1)

    def _text(self) -> str:
        text = self.rrule.strip().upper()
        return text[6:] if text.startswith("RRULE:") else text

    @property
    def until(self) -> date | None:
        """The last possible date, from the rule's ``UNTIL`` (None: no ``UNTIL``)."""
        found = _UNTIL.search(self.rrule)
        if found is None:
            return None
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))

    @cached_property
    def end(self) -> date | None:
        """The last day the rule applies: its ``UNTIL``, or the last date of a ``COUNT``
        rule (None: it runs on)."""
        until = self.until
        if until is not None:
            return until
        if not _COUNT.search(self.rrule):
            return None
        last = self._rule[-1] if self._rule.count() else None
        return None if last is None else last.date()

    def running_on(self, day: date) -> Schedule:
        """This schedule as if its end were not there, when it still runs on `day`
        (its end on or after `day`); unchanged when it has ended before `day`."""
        end = self.end
        if end is None or end < day:
            return self
        return self._without_end

    def ending_on(self, last: date) -> Schedule:
        """This schedule with no dates after `last`: the rule gets ``UNTIL=`` `last`.

        An ``UNTIL`` already there is replaced. A ``COUNT`` becomes an ``UNTIL`` too
        (RFC 5545 allows only one of them); when its last date comes before `last`,
        that date is kept as the end, so the dates never reach further than before.
        """
        end = last
        after = last + timedelta(days=1)
        if _COUNT.search(self.rrule) and self.next_on_or_after(after) is None:
            end = self.previous_before(after) or last
        return Schedule(self.start, self._rule_without_end(f"UNTIL={end:%Y%m%d}"))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@kept(maxsize=4096)
def _shared_occurrences(rrule: str, start: date) -> _Occurrences:
    """One memo per (rule text, start date), shared by every `Schedule` with those values.

    The dates depend on nothing else, and thousands of households have the same
    "rent on the 1st from January" schedule: the nightly run expands it once
    instead of once per household (dateutil's expansion dominated planning).
    """
    return _Occurrences(_parse_rule(rrule, start), start)


@kept(maxsize=4096)
def _parse_rule(rrule: str, start: date) -> rr.rrule:
    """The dateutil rule for (text, start); cached because every household load parses
    its schedules again (the rule objects are never changed, so sharing them is safe)."""
    text = rrule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if "DTSTART" in text.upper():
        raise ScheduleError("put the start date in 'start', not DTSTART in the rule")
    try:
        rule = rr.rrulestr(text, dtstart=datetime.combine(start, time()))
    except (ValueError, TypeError) as exc:
        raise ScheduleError(f"rrule {rrule!r} is not valid: {exc}") from None
    if not isinstance(rule, rr.rrule):
        raise ScheduleError(f"rrule {rrule!r} must be a single RRULE")
    return rule


class _Occurrences:
    """Memoized occurrences of a rule, extended in yearly steps as later dates are asked.

    dateutil iterates from the start date on every query; remembering the dates
    keeps a query cheap however old the schedule is. Shared between threads (web
    requests), so an extension builds a new list and swaps it in under a lock.
    """

    def __init__(self, rule: rr.rrule, start: date) -> None:
        self._rule = rule
        self._dates: list[date] = []
        self._until = start - timedelta(days=1)
        self._lock = Lock()

    def up_to(self, last: date) -> list[date]:
        """Every occurrence up to at least `last`, sorted (do not modify the list)."""
        if last > self._until:
            with self._lock:
                if last > self._until:
                    until = max(last, self._until + timedelta(days=366))
                    lo = datetime.combine(self._until + timedelta(days=1), time())
                    hi = datetime.combine(until, time())
                    more = [d.date() for d in self._rule.between(lo, hi, inc=True)]
                    self._dates = self._dates + more
                    self._until = until
        return self._dates
