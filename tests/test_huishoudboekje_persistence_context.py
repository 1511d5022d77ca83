"""The joined household read gives exactly what the separate loaders give."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from huishoudboekje.config import load_config
from huishoudboekje.persistence import (
    UnitOfWork,
    apply_config,
    load_gemeente,
    load_household,
    load_journal_entries,
    save_household,
)
from huishoudboekje.persistence.context import load_household_context
from huishoudboekje.persistence.planner_memory import load_planner_state
from huishoudboekje.state import HouseholdState
from tests.factories import jansen
from tests.web_fixtures import DEMO_CONFIG, HISTORY_FROM, seed_history

AT = datetime(2026, 1, 1, tzinfo=UTC)


def test_the_joined_read_equals_the_separate_loaders(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        apply_config(uow, load_config(DEMO_CONFIG), actor="test")
        uow.commit()
    seed_history(engine, "HH-0001", HISTORY_FROM, date(2026, 3, 3))
    with UnitOfWork(engine) as uow:
        for code in ("HH-0001", "HH-0002"):  # with and without a night behind it
            context = load_household_context(uow, code)
            assert context is not None
            assert context.household == load_household(uow, code)
            assert context.gemeente == load_gemeente(uow) is not None
            assert context.state == load_planner_state(uow, code)
            assert context.entries == load_journal_entries(uow, household=code)
        assert load_household_context(uow, "HH-9999") is None
        with_history = load_household_context(uow, "HH-0001")
        assert with_history is not None and with_history.entries
        assert with_history.state.vat.is_positive


def test_before_any_config_or_night_the_context_has_no_gemeente_and_an_empty_state(
    engine: Engine,
) -> None:
    household = jansen()
    with UnitOfWork(engine) as uow:
        save_household(uow, household, at=AT)
        uow.commit()
    with UnitOfWork(engine) as uow:
        context = load_household_context(uow, household.code)
    assert context is not None
    assert context.household == household
    assert context.gemeente is None
    assert context.state == HouseholdState(household.code)
    assert context.entries == ()


def test_the_context_sees_what_its_own_unit_of_work_wrote(engine: Engine) -> None:
    household = jansen()
    renamed = dataclasses.replace(household, name="Fam. Jansen-de Boer")
    with UnitOfWork(engine) as uow:
        save_household(uow, household, at=AT)
        uow.commit()
        save_household(uow, renamed, at=AT)  # flushed, not committed
        context = load_household_context(uow, household.code)
        assert context is not None and context.household == renamed
