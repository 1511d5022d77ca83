"""Read-only household views for the command line: status reports and plan previews.

Each function opens one unit of work for everything it reads, so a report of
every household sees one consistent database. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.repository import household_codes
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.planner import Plan
from huishoudboekje.domain.status_report import StatusReport
from huishoudboekje.services.household_status import (
    UnknownHouseholdError,
    household_status,
    preview_plans,
)

__all__ = ["UnknownHouseholdError", "plan_previews", "status_reports"]


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
