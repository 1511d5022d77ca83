"""Reading households and the gemeente for the entry points (web, CLI).

Thin on purpose: the entry points never reach into the persistence adapter, so
what they read about households goes through these names.
"""

from __future__ import annotations

from huishoudboekje.adapters.persistence import load_gemeente, load_household, load_households
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.household import Gemeente, Household


def household_of(uow: UnitOfWork, code: str) -> Household | None:
    """The household with `code`, or None when there is none."""
    return load_household(uow, code)


def household_exists(uow: UnitOfWork, code: str) -> bool:
    """Whether a household with `code` is stored."""
    return bool(code) and load_household(uow, code) is not None


def all_households(uow: UnitOfWork) -> tuple[Household, ...]:
    """Every household, ordered by code."""
    return load_households(uow)


def stored_gemeente(uow: UnitOfWork) -> Gemeente | None:
    """The gemeente, or None before the first `hhb config apply`."""
    return load_gemeente(uow)
