"""Deadlines of signals (issue 19.5): who acts on an open signal and by when (pure).

A signal is due a number of working days after it was first seen, by severity:
urgent (`high`) in 2, let op (`warning`) in 10, info never. Working days are the
business calendar's (weekends, TARGET2 closing days and the gemeente's own closing
days do not count). A signal may carry its own deadline in its data (`due`, an ISO
date), as the hand-over talk of a statushouder does. A signal still open after its
due day is overdue: it goes to the teamleider's list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from huishoudboekje.domain.business_calendar import BusinessCalendar

# working days a signal may stay open, by severity value; info: no deadline
WORKING_DAYS = {"high": 2, "warning": 10}
DUE_KEY = "due"  # a signal's own deadline in its data, as an ISO date


def due_date(
    severity: str,
    first_seen: date,
    calendar: BusinessCalendar,
    data: dict[str, str] | None = None,
) -> date | None:
    """The last day to act on a signal first seen on `first_seen`; None: no deadline.

    Counting starts the day after `first_seen`: a signal first seen on a Friday with
    two working days is due on Tuesday (a Saturday: on Tuesday too)."""
    own = (data or {}).get(DUE_KEY, "")
    if own:
        try:
            return date.fromisoformat(own)
        except ValueError:
            pass  # a broken date falls back to the rule by severity
    days = WORKING_DAYS.get(severity)
    if days is None:
        return None
    return calendar.add_business_days(first_seen, days)


def is_overdue(due: date | None, today: date) -> bool:
    """Whether an open signal due on `due` is late on `today` (the due day itself is not)."""
    return due is not None and today > due


@dataclass(frozen=True, slots=True)
class Deadline:
    """The owner, due day and lateness of one open signal."""

    owner: str  # a username; "" when nobody is assigned (the pooled account's signals)
    due: date | None
    overdue: bool

    def sort_key(self) -> tuple[bool, date, str]:
        """Overdue first, then the earliest due day (no deadline last), then owner."""
        return (not self.overdue, self.due or date.max, self.owner)
