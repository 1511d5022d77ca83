"""A household's status and plan: loaded through the persistence adapter, computed by
the pure planner. What pages show is the status the night stored
(`services.read_model`); this module computes it.

Each function takes a unit of work and plain values.
"""

from __future__ import annotations

from datetime import date

from huishoudboekje.adapters.persistence import load_gemeenten, load_household, load_households
from huishoudboekje.adapters.persistence.context import HouseholdContext, load_household_context
from huishoudboekje.adapters.persistence.planner_memory import load_planner_state
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.business_calendar import BusinessCalendar
from huishoudboekje.domain.household import Gemeente, Household
from huishoudboekje.domain.kept import kept
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.planner import Plan, plan
from huishoudboekje.domain.status_report import StatusReport, status_report


class UnknownHouseholdError(LookupError):
    """No household with that code."""

    def __init__(self, code: str) -> None:
        super().__init__(f"household {code!r} does not exist")
        self.code = code


@kept(maxsize=64)  # the same settings object for the same gemeente settings
def plan_settings(gemeente: Gemeente | None) -> PlanSettings:
    """Planning parameters from the gemeente's configuration."""
    if gemeente is None:
        return PlanSettings()
    return PlanSettings(
        calendar=BusinessCalendar.with_extra(gemeente.extra_closing_days),
        max_days_early=gemeente.max_days_early,
        max_learned_buffer=gemeente.max_learned_buffer,
        irregular_step_months=gemeente.irregular_step_months,
        shortage=gemeente.shortage,
    )


def _household(uow: UnitOfWork, code: str) -> Household:
    household = load_household(uow, code)
    if household is None:
        raise UnknownHouseholdError(code)
    return household


def household_context(
    uow: UnitOfWork,
    code: str,
    *,
    since: date | None = None,
    kinds: tuple[str, ...] | None = None,
) -> HouseholdContext:
    """The stored household with its gemeente settings, planner state and journal
    (all of it, or with `since` the entries dated `since` or later; with `kinds`
    only entries of those kinds)."""
    context = load_household_context(uow, code, since=since, kinds=kinds)
    if context is None:
        raise UnknownHouseholdError(code)
    return context


def status_of(context: HouseholdContext, today: date) -> StatusReport:
    """The status report of a loaded household, computed (see `household_status`).

    Not kept between calls: a page reads the status the night stored
    (`services.read_model`) and computes it only when none is stored for the day.
    """
    return status_report(context.household, context.state, today, plan_settings(context.gemeente))


def household_status(uow: UnitOfWork, code: str, today: date) -> StatusReport:
    """Balances, leefgeld, upcoming charges, forecast and signals of one household,
    computed from what is stored now (`read_model.current_status` reads the stored one)."""
    # the report needs the balances, not the entries: none before today are read
    return status_of(household_context(uow, code, since=today), today)


def preview_plans(uow: UnitOfWork, today: date, code: str | None = None) -> list[Plan]:
    """What the planner would instruct on `today`, for one or every active household.

    Changes nothing: the plans are computed from the stored state and dropped.
    """
    gemeenten = load_gemeenten(uow)  # issue 22: each with its own gemeente's settings
    households = [_household(uow, code)] if code else list(load_households(uow))
    return [
        plan(
            household,
            load_planner_state(uow, household.code),
            today,
            plan_settings(gemeenten.get(household.gemeente_id)),
        )
        for household in households
        if household.is_active_on(today) or code
    ]
