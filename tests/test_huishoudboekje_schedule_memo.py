"""The caches of `Schedule` and `BusinessCalendar` answer exactly what a fresh computation gives."""

from datetime import date, datetime, time, timedelta

from dateutil import rrule as rr
from hypothesis import given, settings
from hypothesis import strategies as st

from huishoudboekje.domain.business_calendar import DEFAULT_CALENDAR, BusinessCalendar
from huishoudboekje.domain.schedule import Schedule

RULES = (
    "FREQ=MONTHLY;BYMONTHDAY=1",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYMONTHDAY=-1",
    "FREQ=WEEKLY;BYDAY=TH",
    "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
    "FREQ=MONTHLY;BYMONTHDAY=5;COUNT=4",
    "FREQ=DAILY;UNTIL=20270315",
)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31))


def fresh_between(start: date, rule: str, first: date, last: date) -> list[date]:
    """The unmemoized computation: dateutil from the start date, every time."""
    parsed = rr.rrulestr(rule, dtstart=datetime.combine(start, time()))
    lo, hi = datetime.combine(first, time()), datetime.combine(last, time())
    return [d.date() for d in parsed.between(lo, hi, inc=True)]


def fresh_next(start: date, rule: str, day: date) -> date | None:
    parsed = rr.rrulestr(rule, dtstart=datetime.combine(start, time()))
    found = parsed.after(datetime.combine(day, time()), inc=True)
    if found is None or found.date() > day + timedelta(days=800):
        return None
    return found.date()


@settings(max_examples=150, deadline=None)
@given(
    queries=st.lists(
        st.tuples(
            st.sampled_from(RULES),
            st.sampled_from((date(2025, 1, 1), date(2026, 1, 31), date(2026, 3, 5))),
            days,
            st.integers(min_value=-5, max_value=900),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_memoized_occurrences_equal_a_fresh_expansion(
    queries: list[tuple[str, date, date, int]],
) -> None:
    # queries in random order on new Schedule objects share one memo per (rule, start):
    # whatever was asked before, every answer is the one dateutil gives from scratch
    for rule, start, first, span in queries:
        last = first + timedelta(days=span)
        schedule = Schedule(start, rule)
        assert schedule.between(first, last) == fresh_between(start, rule, first, last)
        assert schedule.next_on_or_after(first) == fresh_next(start, rule, first)
        earlier = fresh_between(start, rule, start, first - timedelta(days=1))
        assert schedule.previous_before(first) == (earlier[-1] if earlier else None)


def naive_add_business_days(calendar: BusinessCalendar, day: date, count: int) -> date:
    """The uncached walk, one day at a time."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if calendar.is_business_day(day):
            remaining -= 1
    return day


@settings(max_examples=150, deadline=None)
@given(
    calls=st.lists(
        st.tuples(
            st.lists(days, max_size=3),
            days,
            st.integers(min_value=-10, max_value=10),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_cached_business_days_equal_the_naive_walk(
    calls: list[tuple[list[date], date, int]],
) -> None:
    # calendars with different extra closing days never share an answer
    for extra, day, count in calls:
        calendar = BusinessCalendar.with_extra(extra)
        expected = naive_add_business_days(calendar, day, count)
        assert calendar.add_business_days(day, count) == expected
        assert DEFAULT_CALENDAR.add_business_days(day, count) == naive_add_business_days(
            DEFAULT_CALENDAR, day, count
        )
