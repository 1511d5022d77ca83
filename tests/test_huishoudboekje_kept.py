"""The one cache policy (domain.kept): every speed cache registered, one call forgets them."""

from __future__ import annotations

from datetime import date

from huishoudboekje.domain import kept as kept_module
from huishoudboekje.domain import schedule
from huishoudboekje.domain.ids import instruction_id
from huishoudboekje.domain.kept import (
    forget_household_results,
    forget_kept_results,
    kept,
    kept_functions,
)


def test_every_speed_cache_is_registered():
    names = set(kept_functions())
    assert {
        "huishoudboekje.domain.business_calendar._add_business_days",
        "huishoudboekje.domain.business_calendar._target_closing_days",
        "huishoudboekje.domain.ids.instruction_id",
        "huishoudboekje.domain.occurrences.execution_date",
        "huishoudboekje.domain.occurrences._paid_release_days",
        "huishoudboekje.domain.occurrences._uncovered",
        "huishoudboekje.domain.schedule._parse_rule",
        "huishoudboekje.domain.schedule._shared_occurrences",
        "huishoudboekje.services.household_status.plan_settings",
    } <= names
    assert set(kept_functions(per_household=True)) >= {
        "huishoudboekje.domain.ids.instruction_id",
    }
    assert "huishoudboekje.domain.schedule._parse_rule" in kept_functions(per_household=False)


def test_a_kept_result_is_reused_until_it_is_forgotten():
    calls: list[int] = []

    @kept(maxsize=4)
    def square(n: int) -> int:
        calls.append(n)
        return n * n

    try:
        assert square(3) == square(3) == 9
        assert calls == [3]
        forget_household_results()  # a shared cache survives a household's first view
        assert square(3) == 9 and calls == [3]
        forget_kept_results()
        assert square(3) == 9 and calls == [3, 3]
    finally:
        kept_module._KEPT[:] = [entry for entry in kept_module._KEPT if entry[0] is not square]


def test_forgetting_drops_the_planner_caches():
    instruction_id("HH-0001", "huur", date(2026, 3, 1))
    schedule.Schedule(date(2026, 1, 1), "FREQ=MONTHLY;BYMONTHDAY=1").between(
        date(2026, 1, 1), date(2026, 12, 31)
    )
    forget_household_results()
    assert instruction_id.cache_info().currsize == 0
    # the shared ones (parsed rules) stay until everything is forgotten
    assert schedule._parse_rule.cache_info().currsize > 0
    forget_kept_results()
    assert all(cached.cache_info().currsize == 0 for cached, _ in kept_module._KEPT)
