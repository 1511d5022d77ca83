"""Reading households for the entry points (web, CLI): stored records, status
reports and plan previews.

Thin on purpose: the entry points never reach into the persistence adapter, so
what they read about households goes through these names. The functions that take
an engine open one unit of work for everything they read, so a report of every
household sees one consistent database. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence import load_gemeente, load_household, load_households
from huishoudboekje.adapters.persistence.repository import household_codes
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.household import Gemeente, Household
from huishoudboekje.domain.planner import Plan
from huishoudboekje.domain.status_report import StatusReport
from huishoudboekje.services.household_status import (
    UnknownHouseholdError,
    household_status,
    preview_plans,
)

__all__ = [
    "UnknownHouseholdError",
    "all_households",
    "household_exists",
    "household_of",
    "plan_previews",
    "status_reports",
    "stored_gemeente",
]


def status_reports(engine: Engine, codes: Sequence[str] | None, today: date) -> list[StatusReport]:
    """The status of the households `codes` (None: every household) on `today`.

    Raises `UnknownHouseholdError` for a code that is not stored.
    """
    with UnitOfWork(engine) as uow:
        wanted = household_codes(uow) if codes is None else codes
        return [household_status(uow, code, today) for code in wanted]


def plan_previews(engine: Engine, today: date, code: str | None = None) -> list[Plan]:
    """What the planner would instruct on `today` for one or every active household."""
    with UnitOfWork(engine) as uow:
        return preview_plans(uow, today, code)


def stored_codes(engine: Engine) -> tuple[str, ...]:
    """The codes of every stored household, sorted."""
    with UnitOfWork(engine) as uow:
        return household_codes(uow)


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
