"""A household's status and plan: loaded through the persistence adapter, computed by
the pure planner, and kept per exact input (`domain.kept`).

Each function takes a unit of work and plain values.
"""

from __future__ import annotations

from datetime import date

from huishoudboekje.adapters.persistence import load_gemeente, load_household, load_households
from huishoudboekje.adapters.persistence.context import HouseholdContext, load_household_context
from huishoudboekje.adapters.persistence.planner_memory import load_planner_state
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.business_calendar import BusinessCalendar
from huishoudboekje.domain.household import Gemeente, Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.kept import forget_household_results, kept
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


# Reports kept per process; one is a few tens of kilobytes.
STATUS_MEMO_SIZE = 1024


def status_of(context: HouseholdContext, today: date) -> StatusReport:
    """The status report of a loaded household (see `household_status`).

    The report is a pure function of the household's rules, the gemeente's
    settings, the planner state (memory and balances) and the day, so it is
    computed once per distinct combination and then reused: a household that
    reloads Vandaag or goes on to Betaald and Overzicht is planned once. Each
    call still reads all four from the database, and any change (a staff edit,
    a night, new gemeente settings, a new day) is a new combination, planned
    afresh on the very next call.
    """
    return _status_memo(context.household, context.gemeente, context.state, today)


def forget_status_reports() -> None:
    """Drop the kept status reports and the planner's other results about households
    (the web benchmark times a first view with it; see `domain.kept`)."""
    forget_household_results()


@kept(maxsize=STATUS_MEMO_SIZE, per_household=True)
def _status_memo(
    household: Household, gemeente: Gemeente | None, state: HouseholdState, today: date
) -> StatusReport:
    return status_report(household, state, today, plan_settings(gemeente))


def household_status(uow: UnitOfWork, code: str, today: date) -> StatusReport:
    """Balances, leefgeld, upcoming charges, forecast and signals of one household."""
    # the report needs the balances, not the entries: none before today are read
    return status_of(household_context(uow, code, since=today), today)


def preview_plans(uow: UnitOfWork, today: date, code: str | None = None) -> list[Plan]:
    """What the planner would instruct on `today`, for one or every active household.

    Changes nothing: the plans are computed from the stored state and dropped.
    """
    settings = plan_settings(load_gemeente(uow))
    households = [_household(uow, code)] if code else list(load_households(uow))
    return [
        plan(household, load_planner_state(uow, household.code), today, settings)
        for household in households
        if household.is_active_on(today) or code
    ]
