"""The buffer history is the buffer total at the end of each point's day."""

from __future__ import annotations

import random
from datetime import date, timedelta

from huishoudboekje.domain.forecast import ForecastPoint
from huishoudboekje.domain.simulation import ActualIncome, simulate
from huishoudboekje.services.overview import _buffer_total, buffer_history
from tests.factories import jansen


def test_history_equals_the_buffer_total_at_every_point() -> None:
    household = jansen()
    first, last = date(2026, 1, 1), date(2026, 4, 30)
    incomes = [
        ActualIncome(day, stream.id, stream.amount)
        for stream in household.incomes
        for day in stream.schedule.between(first, last)
    ]
    entries = list(simulate(household, incomes, first, last).entries)
    assert entries
    shuffled = random.Random(6).sample(entries, len(entries))  # booking order ≠ day order
    for start, end, step in (
        (date(2026, 1, 30), date(2026, 4, 30), 7),
        (date(2025, 12, 1), date(2026, 2, 1), 3),
        (date(2026, 3, 1), date(2026, 3, 1), 7),
        (date(2026, 5, 1), date(2026, 4, 30), 7),  # empty range: only the last day
    ):
        days = [start + timedelta(days=n) for n in range(0, (end - start).days + 1, step)]
        if not days or days[-1] != end:
            days.append(end)
        expected = [ForecastPoint(d, _buffer_total(entries, household.code, d)) for d in days]
        assert buffer_history(entries, household.code, start, end, step) == expected
        assert buffer_history(shuffled, household.code, start, end, step) == expected
