"""The 6-month statushouder template (issue 19.6): the last day six months after the
intake's start, and the hand-over talk planned in month 5 as a signal with a
deadline for the household's medewerker."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huishoudboekje.adapters.persistence import UnitOfWork, load_audit_events, load_household
from huishoudboekje.adapters.persistence.signal_repo import signal_rows
from huishoudboekje.domain.handover import statushouder_period
from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.signal_deadlines import signal_deadlines
from huishoudboekje.services.statushouder import StatushouderError, plan_statushouder
from tests.web_fixtures import WebEnv, web  # noqa: F401

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "last_day", "talk_from", "talk_due"),
    [
        (date(2026, 1, 1), date(2026, 6, 30), date(2026, 5, 1), date(2026, 5, 31)),
        (date(2026, 3, 15), date(2026, 9, 14), date(2026, 7, 15), date(2026, 8, 14)),
        (date(2026, 8, 31), date(2027, 2, 27), date(2026, 12, 31), date(2027, 1, 30)),
    ],
)
def test_the_period(start: date, last_day: date, talk_from: date, talk_due: date) -> None:
    period = statushouder_period(start)
    assert (period.last_day, period.talk_from, period.talk_due) == (last_day, talk_from, talk_due)


@settings(max_examples=50)
@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)))
def test_the_talk_always_falls_in_month_5_before_the_end(start: date) -> None:
    period = statushouder_period(start)
    assert start < period.talk_from <= period.talk_due < period.last_day
    assert 175 <= (period.last_day - start).days + 1 <= 185  # about six months
    assert 118 <= (period.talk_from - start).days <= 124  # four months in


def test_plan_statushouder_sets_the_end_and_plans_the_talk(web: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(web.engine) as uow:
        period = plan_statushouder(uow, "HH-0002", date(2026, 1, 1), actor="mira", now=NOW)
        plan_statushouder(uow, "HH-0002", date(2026, 1, 1), actor="mira", now=NOW)  # again
        household = load_household(uow, "HH-0002")
        talks = [r for r in signal_rows(uow) if r.kind == "overdrachtsgesprek"]
        events = load_audit_events(uow, action="household.statushouder")
    assert household is not None and household.end == period.last_day == date(2026, 6, 30)
    [talk] = talks  # raised once, however often the template is applied
    assert talk.household == "HH-0002" and talk.status == "open"
    assert "overdrachtsgesprek" in talk.message and "30 juni 2026" in talk.message
    assert talk.data["due"] == "2026-05-29"  # 31 May 2026 is a Sunday: the Friday before
    assert len(events) == 2 and events[0].actor == "mira"


def test_the_talk_has_a_deadline_and_escalates_when_missed(web: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(web.engine) as uow:
        plan_statushouder(uow, "HH-0002", date(2026, 1, 1), actor="mira", now=NOW)
        on_time = signal_deadlines(uow, date(2026, 5, 29), household="HH-0002")
        late = signal_deadlines(uow, date(2026, 6, 1), overdue_only=True)
    [talk] = [s for s in on_time if s.kind == "overdrachtsgesprek"]
    assert talk.due == date(2026, 5, 29) and not talk.overdue
    assert [s.kind for s in late] == ["overdrachtsgesprek"]


def test_an_unknown_household_is_refused(web: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(web.engine) as uow, pytest.raises(UnknownHouseholdError):
        plan_statushouder(uow, "HH-9999", date(2026, 1, 1), actor="mira", now=NOW)


def test_a_start_outside_the_planned_years_is_refused(web: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(web.engine) as uow, pytest.raises(StatushouderError, match="begindatum"):
        plan_statushouder(uow, "HH-0002", date(2100, 9, 1), actor="mira", now=NOW)
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, "HH-0002")
        assert household is not None and household.end is None
