"""The joined household read gives exactly what the separate loaders give, and a
window on the journal changes which entries come back, never the balances; the
status built from it is reused only for exactly the same input."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from huishoudboekje.adapters.config import load_config
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_gemeente,
    load_household,
    load_journal_entries,
    save_household,
)
from huishoudboekje.adapters.persistence.context import load_household_context
from huishoudboekje.adapters.persistence.planner_memory import load_planner_state
from huishoudboekje.domain.household import Gemeente
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.status_report import status_report
from huishoudboekje.services.configuration import apply_config
from huishoudboekje.services.household_status import household_status, plan_settings
from huishoudboekje.services.overview import CHARGE_KIND, HISTORY_DAYS, household_view, paid_charges
from tests.factories import jansen
from tests.web_fixtures import DEMO_CONFIG, HISTORY_FROM, TODAY, seed_history

AT = datetime(2026, 1, 1, tzinfo=UTC)


def demo_with_history(engine: Engine) -> None:
    """The demo configuration, with HH-0001's nights booked up to the day before TODAY."""
    with UnitOfWork(engine) as uow:
        apply_config(uow, load_config(DEMO_CONFIG), actor="test")
        uow.commit()
    seed_history(engine, "HH-0001", HISTORY_FROM, TODAY - timedelta(days=1))


def test_the_joined_read_equals_the_separate_loaders(engine: Engine) -> None:
    demo_with_history(engine)
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


def test_a_window_on_the_journal_keeps_the_balances_of_the_whole_journal(engine: Engine) -> None:
    demo_with_history(engine)
    with UnitOfWork(engine) as uow:
        whole = load_household_context(uow, "HH-0001")
        assert whole is not None and whole.state.reserves
        whole_view = household_view(uow, "HH-0001", TODAY)
        for since in (
            HISTORY_FROM,
            date(2026, 2, 1),
            TODAY - timedelta(days=40),
            TODAY,
            date(2027, 1, 1),
        ):
            part = load_household_context(uow, "HH-0001", since=since)
            assert part is not None
            assert part.state == whole.state
            assert part.balances == whole.balances
            assert part.entries == tuple(e for e in whole.entries if e.day >= since)
            view = household_view(uow, "HH-0001", TODAY, since=since)
            assert view.status == whole_view.status
            assert view.buffer == whole_view.buffer
            if since <= TODAY - timedelta(days=HISTORY_DAYS):
                assert view.history == whole_view.history
            else:
                with pytest.raises(ValueError, match="history"):
                    _ = view.history
    assert [p.balance for p in whole_view.history] != [Money(0)] * len(whole_view.history)


def test_a_filter_on_kinds_reads_only_those_entries_and_refuses_a_history(
    engine: Engine,
) -> None:
    demo_with_history(engine)
    since = TODAY - timedelta(days=40)
    with UnitOfWork(engine) as uow:
        whole = load_household_context(uow, "HH-0001", since=since)
        charges = load_household_context(uow, "HH-0001", since=since, kinds=(CHARGE_KIND,))
        assert whole is not None and charges is not None
        expected = tuple(e for e in whole.entries if e.kind == CHARGE_KIND)
        assert expected and len(expected) < len(whole.entries)
        assert charges.entries == expected
        assert charges.balances == whole.balances and charges.state == whole.state
        everything = load_journal_entries(uow, household="HH-0001", kinds=(CHARGE_KIND,))
        assert everything[-len(expected) :] == expected
        view = household_view(uow, "HH-0001", TODAY, since=since, kinds=(CHARGE_KIND,))
        assert paid_charges(view.entries, view.status.household, since) == paid_charges(
            whole.entries, whole.household, since
        )
        all_charges = household_view(uow, "HH-0001", TODAY, kinds=(CHARGE_KIND,))
        with pytest.raises(ValueError, match="kinds"):
            _ = all_charges.history


def test_the_status_is_computed_from_what_is_stored_now_and_afresh_after_any_change(
    engine: Engine,
) -> None:
    demo_with_history(engine)
    with UnitOfWork(engine) as uow:
        first = household_status(uow, "HH-0001", TODAY)
        # not kept per process any more (issue 24: pages read the stored status)
        again = household_status(uow, "HH-0001", TODAY)
        assert again == first and again is not first
        assert household_status(uow, "HH-0001", TODAY + timedelta(days=1)) != first
        # a stored change (here: one more member) is a new input: planned afresh
        household = load_household(uow, "HH-0001")
        assert household is not None
        changed = dataclasses.replace(household, members=household.members + 1)
        save_household(uow, changed, at=AT)
        after = household_status(uow, "HH-0001", TODAY)
    assert after is not first and after.household == changed
    # what is computed is exactly what the pure function gives
    settings = plan_settings(first_gemeente(engine))
    assert first == status_report(first.household, first_state(engine), TODAY, settings)


def first_gemeente(engine: Engine) -> Gemeente | None:
    with UnitOfWork(engine) as uow:
        return load_gemeente(uow)


def first_state(engine: Engine) -> HouseholdState:
    with UnitOfWork(engine) as uow:
        context = load_household_context(uow, "HH-0001")
        assert context is not None
        return context.state
