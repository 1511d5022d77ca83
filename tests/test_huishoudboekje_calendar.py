from datetime import date
from decimal import Decimal

import pytest

from huishoudboekje.domain.business_calendar import DEFAULT_CALENDAR as CAL
from huishoudboekje.domain.business_calendar import BusinessCalendar
from huishoudboekje.domain.occurrences import PlanSettings, execution_date
from huishoudboekje.domain.schedule import Schedule, ScheduleError


@pytest.mark.parametrize(
    ("due", "executes"),
    [
        (date(2026, 2, 1), date(2026, 1, 30)),  # Sunday -> Friday
        (date(2026, 3, 1), date(2026, 2, 27)),  # Sunday -> Friday
        (date(2026, 11, 1), date(2026, 10, 30)),  # Sunday -> Friday
        (date(2026, 1, 1), date(2025, 12, 31)),  # New Year (TARGET closed)
        (date(2026, 4, 6), date(2026, 4, 2)),  # Easter Monday, Good Friday before it
        (date(2026, 5, 1), date(2026, 4, 30)),  # Labour Day
        (date(2026, 3, 4), date(2026, 3, 4)),  # an ordinary Wednesday
    ],
)
def test_charge_executes_on_last_business_day_on_or_before_due(due: date, executes: date):
    assert execution_date(due, 0, PlanSettings()) == executes


def test_lead_days_move_execution_earlier_but_never_after_due():
    assert execution_date(date(2026, 3, 6), 2, PlanSettings()) == date(2026, 3, 4)


def test_extra_closing_days_are_respected():
    cal = BusinessCalendar.with_extra([date(2026, 3, 4)])
    assert not cal.is_business_day(date(2026, 3, 4))
    assert cal.on_or_before(date(2026, 3, 4)) == date(2026, 3, 3)
    assert CAL.add_business_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_schedule_reads_rrule_and_rejects_bad_rules():
    four_weekly = Schedule(date(2026, 1, 8), "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH")
    assert four_weekly.between(date(2026, 1, 1), date(2026, 3, 31)) == [
        date(2026, 1, 8),
        date(2026, 2, 5),
        date(2026, 3, 5),
    ]
    # 13 paydays in every 52 weeks, whichever month the count starts in
    yearly = {four_weekly.per_year(date(2026, m, 1)) for m in range(1, 13)}
    assert yearly == {Decimal(13) * 365 / 364}
    assert Schedule(date(2026, 1, 1), "FREQ=MONTHLY;BYMONTHDAY=1").per_year(date(2026, 7, 9)) == 12
    assert Schedule(date(2026, 1, 1), "FREQ=MONTHLY;INTERVAL=3").per_year(date(2026, 2, 1)) == 4
    assert Schedule(date(2027, 3, 1), "FREQ=YEARLY").per_year(date(2026, 2, 1)) == 1
    # an end does not thin the rhythm out beforehand: full while it runs, 0 after
    ended = Schedule(date(2026, 1, 1), "FREQ=MONTHLY;COUNT=3")
    assert ended.per_year(date(2026, 2, 1)) == 12
    assert ended.per_year(date(2026, 6, 1)) == 0
    until = Schedule(date(2026, 1, 1), "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH;UNTIL=20260331")
    assert until.per_year(date(2026, 3, 1)) == Decimal(13) * 365 / 364
    assert until.per_year(date(2026, 4, 1)) == 0
    with pytest.raises(ScheduleError):
        Schedule(date(2026, 1, 1), "FREQ=SOMETIMES")
    with pytest.raises(ScheduleError, match="start"):
        Schedule(date(2026, 1, 1), "DTSTART:20260101\nRRULE:FREQ=DAILY")
