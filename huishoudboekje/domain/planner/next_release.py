"""The next leefgeld release after tonight's batch, as the household will see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from huishoudboekje.domain.dutch_text import day_nl, eur
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState, LeefgeldState
from huishoudboekje.domain.leefgeld import recompute
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.occurrences import WEEK_DAYS, PlanSettings, release_dates
from huishoudboekje.domain.paid_weeks import Portion, unpaid_portion
from huishoudboekje.domain.planner.cover import instructed_until
from huishoudboekje.domain.planner.phases.leefgeld import portion_reason

PREVIEW_DAYS = 40


class Difference(StrEnum):
    """Why the next release is not the household's usual amount."""

    STEP = "stap"  # the announced new rate starts with this release
    PARTIAL = "deel"  # the leefgeld day changed: part of this week was paid already


@dataclass(frozen=True, slots=True)
class NextRelease:
    """The day and amount of the next release, and why (in plain Dutch)."""

    day: date
    amount: Money
    reason: str
    # what the household has been getting per period (None before the first rate)
    usual: Money | None = None
    difference: Difference | None = None  # set whenever amount differs from usual
    because: str = ""  # why it differs: a plain-Dutch clause to follow "omdat"


def next_release(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings
) -> NextRelease | None:
    """The first release not instructed tonight that still pays for some days."""
    after = instructed_until(today, settings) + timedelta(days=1)
    upcoming = [
        (release, portion)
        for release in release_dates(
            household, after, after + timedelta(days=PREVIEW_DAYS), settings
        )
        if (portion := unpaid_portion(household, state, release)).days
    ]
    if not upcoming:
        return None
    release, portion = upcoming[0]
    lg = state.leefgeld
    rate = lg.rate_on(release.nominal)
    reason = lg.reason
    if rate is None:
        preview = recompute(household, state, today, settings, after)
        rate = preview.state.rate or ZERO
        reason = preview.explanation
    if lg.next_rate is not None and lg.next_rate_from is not None:
        reason += (
            f" Vanaf {day_nl(lg.next_rate_from)} wordt uw leefgeld {eur(lg.next_rate)}."
            if release.nominal < lg.next_rate_from
            else ""
        )
    amount = portion.of_rate(rate)
    difference, because = None, ""
    if lg.rate is not None and amount != lg.rate:
        difference, because = _why_different(lg, portion)
        if difference is Difference.PARTIAL:
            reason = portion_reason(portion)
    return NextRelease(release.execution, amount, reason.strip(), lg.rate, difference, because)


def _why_different(lg: LeefgeldState, portion: Portion) -> tuple[Difference, str]:
    """Why a release differs from the usual rate, as a clause to follow "omdat"."""
    if not portion.whole:
        missing = portion.of - portion.days
        period = "week" if portion.of == WEEK_DAYS else "maand"
        change = "leefgelddag" if period == "week" else "manier van uitbetalen"
        because = f"uw {change} is veranderd en u al leefgeld had voor {missing}"
        because += f" {'dag' if missing == 1 else 'dagen'} van deze {period}"
        return Difference.PARTIAL, because
    # only an announced step makes a whole release differ from the rate
    return Difference.STEP, lg.next_rate_because or "uw leefgeld opnieuw is berekend"
