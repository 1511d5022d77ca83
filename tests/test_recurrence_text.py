"""Repeat rules in plain Dutch (issue 19, point 1): the picker's choice ↔ RRULE ↔ sentence.

Every picker choice → (start, RRULE) → choice gives the same rule, and choice →
sentence → choice too; the RRULE's dates are the ones the choice promises; rules
the picker cannot express still get a Dutch sentence."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huishoudboekje.domain.recurrence_read import (
    recurrence_from_sentence,
    recurrence_of,
    rule_sentence,
)
from huishoudboekje.domain.recurrence_text import (
    LAST_DAY,
    WEEK_INTERVALS,
    Kind,
    Recurrence,
    canonical,
    choice_problem,
    sentence,
    to_rrule,
)
from huishoudboekje.domain.schedule import Schedule

DAYS = st.one_of(st.integers(1, 30), st.just(LAST_DAY))
STARTS = st.dates(date(2024, 1, 1), date(2030, 12, 31))


@st.composite
def choices(draw: st.DrawFn) -> Recurrence:
    """Any choice the picker offers (and accepts), at its first date."""
    kind = draw(st.sampled_from(Kind))
    start = draw(STARTS)
    day = draw(DAYS)
    month = draw(st.integers(1, 12))
    if kind is Kind.YEARLY and day != LAST_DAY:
        day = min(day, calendar.monthrange(2025, month)[1])
    choice = Recurrence(
        kind,
        start,
        day=day,
        weekday=draw(st.integers(0, 6)),
        interval=draw(st.sampled_from(WEEK_INTERVALS)),
        month=month,
    )
    end = draw(st.sampled_from(("geen", "keer", "datum")))
    if end == "keer":
        choice = replace(choice, count=draw(st.integers(1, 60)))
    choice = canonical(choice)
    if end == "datum" and kind is not Kind.ONCE:
        choice = replace(choice, until=choice.start + timedelta(days=draw(st.integers(0, 2000))))
    assert choice_problem(choice) == ""
    return choice


@settings(max_examples=150)
@given(choices())
def test_choice_rrule_sentence_choice_is_the_same_rule(choice: Recurrence) -> None:
    rrule = to_rrule(choice)
    back = recurrence_of(choice.start, rrule)
    assert back == choice, rrule
    text = sentence(choice)
    assert recurrence_from_sentence(text) == choice, text
    assert rule_sentence(choice.start, rrule) == text


def _expected_day(choice: Recurrence, day: date) -> int:
    last = calendar.monthrange(day.year, day.month)[1]
    return last if choice.day == LAST_DAY else min(choice.day, last)


@settings(max_examples=100)
@given(choices())
def test_the_dates_are_the_ones_the_sentence_promises(choice: Recurrence) -> None:
    schedule = Schedule(choice.start, to_rrule(choice))
    dates = schedule.between(choice.start - timedelta(days=400), choice.start + timedelta(days=800))
    assert dates and dates[0] == choice.start  # the start is the first date
    if choice.kind is Kind.ONCE:
        assert dates == [choice.start]
        return
    if choice.count is not None:
        assert len(dates) <= choice.count
    if choice.until is not None:
        assert dates[-1] <= choice.until
    for day in dates:
        if choice.kind is Kind.WEEKLY:
            assert day.weekday() == choice.weekday
            assert (day - choice.start).days % (7 * choice.interval) == 0
        else:
            assert day.day == _expected_day(choice, day)
        if choice.kind is Kind.QUARTERLY:
            assert (day.month - choice.month) % 3 == 0
        if choice.kind is Kind.YEARLY:
            assert day.month == choice.month
    if choice.count is None and choice.until is None and choice.kind is not Kind.WEEKLY:
        # no month is skipped: rent on the 30th is paid in February too
        steps = {Kind.MONTHLY: 1, Kind.QUARTERLY: 3, Kind.YEARLY: 12}[choice.kind]
        months = [d.year * 12 + d.month for d in dates]
        assert all(b - a == steps for a, b in pairwise(months))


@pytest.mark.parametrize(
    ("start", "rrule", "text"),
    [
        (
            date(2026, 1, 1),
            "FREQ=MONTHLY;BYMONTHDAY=1",
            "elke maand op de 1e, vanaf 1 januari 2026",
        ),
        (
            date(2026, 1, 8),
            "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH",
            "elke 4 weken op donderdag, vanaf 8 januari 2026",
        ),
        (
            date(2026, 1, 1),
            "FREQ=MONTHLY;BYMONTHDAY=-1",
            "elke maand op de laatste dag, vanaf 31 januari 2026",
        ),
        (
            date(2026, 2, 1),
            "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=5",
            "elk kwartaal op de 5e van februari, mei, augustus en november, vanaf 5 februari 2026",
        ),
        (
            date(2026, 1, 1),
            "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15",
            "elk jaar op 15 april, vanaf 15 april 2026",
        ),
        (
            date(2026, 1, 1),
            "FREQ=MONTHLY;BYMONTHDAY=23;UNTIL=20261023",
            "elke maand op de 23e, vanaf 23 januari 2026, tot en met 23 oktober 2026",
        ),
        (
            date(2026, 1, 1),
            "RRULE:FREQ=MONTHLY;COUNT=3;BYMONTHDAY=1",
            "elke maand op de 1e, vanaf 1 januari 2026, 3 keer",
        ),
        (date(2026, 3, 3), "FREQ=YEARLY;COUNT=1", "eenmalig op 3 maart 2026"),
        (  # stored from a Friday: dateutil's first Thursday is in the week after next
            date(2026, 1, 9),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
            "elke 2 weken op donderdag, vanaf 22 januari 2026",
        ),
        (
            date(2026, 2, 10),
            "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=5",
            "elk kwartaal op de 5e van februari, mei, augustus en november, vanaf 5 mei 2026",
        ),
        (date(2026, 1, 2), "FREQ=WEEKLY", "elke week op vrijdag, vanaf 2 januari 2026"),
        (
            date(2026, 1, 30),
            "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1",
            "elke maand op de 30e (of de laatste dag als de maand korter is), "
            "vanaf 30 januari 2026",
        ),
    ],
)
def test_stored_rules_read_as_sentences(start: date, rrule: str, text: str) -> None:
    assert rule_sentence(start, rrule) == text
    assert recurrence_of(start, rrule) is not None


@pytest.mark.parametrize(
    ("start", "rrule", "text"),
    [
        (
            date(2026, 1, 1),
            "FREQ=DAILY",
            "elke dag, vanaf 1 januari 2026 (bijzondere regel: FREQ=DAILY)",
        ),
        (
            date(2026, 1, 1),
            "FREQ=MONTHLY;BYMONTHDAY=31",
            "elke maand op dag 31, vanaf 31 januari 2026 (bijzondere regel: FREQ=MONTHLY;"
            "BYMONTHDAY=31)",
        ),
        (
            date(2026, 1, 1),
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO",
            "elke 2 maanden op maandag, vanaf 5 januari 2026 "
            "(bijzondere regel: FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO)",
        ),
    ],
)
def test_rules_the_picker_cannot_express_are_still_sentences(
    start: date, rrule: str, text: str
) -> None:
    assert recurrence_of(start, rrule) is None
    assert rule_sentence(start, rrule) == text


def test_a_weekly_choice_starts_on_its_weekday() -> None:
    friday = date(2026, 1, 9)
    choice = canonical(Recurrence(Kind.WEEKLY, friday, weekday=3, interval=2))
    assert choice.start == date(2026, 1, 15)  # the next Thursday, not the one after
    assert sentence(choice) == "elke 2 weken op donderdag, vanaf 15 januari 2026"


@pytest.mark.parametrize(
    ("choice", "problem"),
    [
        (Recurrence(Kind.YEARLY, date(2026, 1, 1), day=30, month=2), "Februari heeft geen 30"),
        (Recurrence(Kind.YEARLY, date(2026, 1, 1), day=29, month=2), "Februari heeft geen 29"),
        (Recurrence(Kind.MONTHLY, date(2026, 1, 1), day=31), "1 tot en met 30"),
        (Recurrence(Kind.MONTHLY, date(2026, 1, 1), count=0), "aantal keer"),
        (
            Recurrence(Kind.MONTHLY, date(2026, 1, 1), day=5, until=date(2026, 1, 4)),
            "voor de eerste keer (5 januari 2026)",
        ),
        (Recurrence(Kind.WEEKLY, date(2026, 1, 1), interval=3), "elke 2 weken"),
    ],
)
def test_choices_that_cannot_be(choice: Recurrence, problem: str) -> None:
    assert problem in choice_problem(choice)


@pytest.mark.parametrize(
    "text",
    ["", "elke maand", "elke maand op de 1e, vanaf 31 februari 2026", "eenmalig op morgen"],
)
def test_other_text_is_no_sentence(text: str) -> None:
    assert recurrence_from_sentence(text) is None
