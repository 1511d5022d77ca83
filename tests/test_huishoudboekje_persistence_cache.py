"""Loading a household reuses the checked result for the same stored data, and only then."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from huishoudboekje.adapters.config import household_from_data, household_to_data
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_household,
    load_households,
    save_household,
)
from huishoudboekje.domain.money import Money
from tests.factories import jansen

AT = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_loaded_household_equals_a_fresh_check_and_follows_every_change(engine: Engine) -> None:
    household = jansen()
    with UnitOfWork(engine) as uow:
        save_household(uow, household, at=AT)
        uow.commit()
    with UnitOfWork(engine) as uow:
        first = load_household(uow, household.code)
        again = load_household(uow, household.code)
        everyone = load_households(uow)
    assert first == household
    assert again == household == household_from_data(household_to_data(household))
    assert everyone == (household,)
    # a change to the rules or to a column gives the changed household, never the cached one
    rent = dataclasses.replace(household.charges[0], amount=Money("912.34"))
    changed = dataclasses.replace(household, charges=(rent, *household.charges[1:]))
    ended = dataclasses.replace(changed, end=date(2026, 12, 31))
    for version in (changed, ended, household):
        with UnitOfWork(engine) as uow:
            save_household(uow, version, at=AT)
            uow.commit()
        with UnitOfWork(engine) as uow:
            assert load_household(uow, household.code) == version
