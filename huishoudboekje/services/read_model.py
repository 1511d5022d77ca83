"""The read model of household statuses: who writes it, and how pages read it.

Writers (each in the transaction of the change, so a stored status is never
older than the ledger and rules it was computed from):

* the night's `plan` stage stores every planned household's status with its plan
  (`night_plan`), and afterwards the status of every household it did not plan
  (not started yet, or settled), so the caseload has a row for each;
* a change to a household's inputs during the day recomputes that household's
  status for the read model's day (`refresh_statuses`): a staff change saved or
  approved, a credit assigned or split, an extra payment instructed, a
  configuration applied (every household when the gemeente's settings changed).

Saving a household or booking an entry for it marks its stored status stale in the
adapter (`status_repo`), so a writer that forgot to recompute leaves a page that
plans (and logs that it did), never a page that shows old figures.

Readers: `status_for_page` gives the stored report when it is for the day asked
and computes it otherwise. Pages never plan when the night ran: the planner and
its 60-day forecast cost many times a page's other work, and the first view after
a night is the view every household makes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date

from huishoudboekje.adapters.persistence import household_codes
from huishoudboekje.adapters.persistence.context import load_household_context
from huishoudboekje.adapters.persistence.status_repo import (
    latest_day,
    lock_statuses,
    store_statuses,
    stored_status,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.status_report import StatusReport, status_report
from huishoudboekje.services.household_status import household_status, plan_settings

log = logging.getLogger("hhb.read_model")


def computed_statuses(
    uow: UnitOfWork, codes: Iterable[str], day: date, settings: PlanSettings | None = None
) -> list[StatusReport]:
    """The status of each of `codes` on `day`, computed from what is stored now
    (the same computation as `household_status`); unknown codes are left out.
    Without `settings`, each with its own gemeente's (issue 22)."""
    codes = list(codes)
    lock_statuses(uow, codes)  # before reading the inputs (see `lock_statuses`)
    reports = []
    for code in codes:
        context = load_household_context(uow, code, since=day, kinds=())
        if context is not None:
            own = settings if settings is not None else plan_settings(context.gemeente)
            reports.append(status_report(context.household, context.state, day, own))
    return reports


def store_computed(
    uow: UnitOfWork, codes: Sequence[str], day: date, settings: PlanSettings | None = None
) -> int:
    """Compute and store the status of each of `codes` for `day` (not committed)."""
    reports = computed_statuses(uow, codes, day, settings)
    store_statuses(uow, reports)
    return len(reports)


def refresh_statuses(uow: UnitOfWork, codes: Iterable[str] | None = None) -> int:
    """Recompute and store the status of `codes` (every household: None) for the read
    model's day, after a change to their inputs inside `uow` (not committed).

    Nothing to do before the first night stored a status: pages compute until then.
    """
    day = latest_day(uow)
    if day is None:
        return 0
    wanted = sorted(set(household_codes(uow) if codes is None else codes))
    return store_computed(uow, wanted, day)


def status_for_page(uow: UnitOfWork, code: str, today: date) -> StatusReport | None:
    """The stored status of `code` when it is for `today`; else None, logged (the
    caller computes it)."""
    stored = stored_status(uow, code)
    if stored is not None and stored.day == today and stored.report is not None:
        return stored.report
    if stored is None:
        why = "none stored"
    elif stored.report is None:
        why = f"the one stored for {stored.day} is stale"
    else:
        why = f"the stored one is for {stored.day}"
    log.info("status of %s on %s: %s, planned in the request", code, today, why)
    return None


def current_status(uow: UnitOfWork, code: str, today: date) -> StatusReport:
    """The status of `code` on `today`: the stored one, else computed (logged).
    Raises `UnknownHouseholdError` for an unknown code."""
    return status_for_page(uow, code, today) or household_status(uow, code, today)
