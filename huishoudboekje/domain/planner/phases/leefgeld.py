"""Phase 4: release leefgeld at the steady rate, then pay leefgeld held back before.

Only as far as every charge of the coming weeks stays covered, and never from
the advance. What a release cannot pay becomes arrears, paid as soon as the
vat can spare it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from huishoudboekje.domain.dutch_text import day_nl, eur
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState, LeefgeldState
from huishoudboekje.domain.ids import arrears_id
from huishoudboekje.domain.leefgeld import cadence_of, needs_recompute, recompute
from huishoudboekje.domain.money import ZERO, Money, min_money
from huishoudboekje.domain.occurrences import (
    PlanSettings,
    Release,
    release_dates,
    release_share,
)
from huishoudboekje.domain.paid_weeks import unpaid_days, with_release
from huishoudboekje.domain.planner.booking import instruct, mark, own_account_payment, signal
from huishoudboekje.domain.planner.cover import free_after_charges, instructed_until
from huishoudboekje.domain.planner.step import Decision, DecisionKind, DecisionStatus, Step
from huishoudboekje.domain.planner.wording import leefgeld_remittance, partial_reason
from huishoudboekje.domain.signals import Severity, Signal, SignalKind

RELEASE_LOOKBACK_DAYS = 6
MINIMUM_CATCH_UP = Money("5.00")  # smaller catch-ups wait until the whole rest fits


def release_leefgeld(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings
) -> Step:
    """Release every leefgeld payment due by tomorrow's batch, then any arrears."""
    first = max(
        household.start,
        state.takes_over_from(today),
        today - timedelta(days=RELEASE_LOOKBACK_DAYS),
    )
    step = Step(state)
    for release in release_dates(household, first, instructed_until(today, settings), settings):
        if release.id in step.state.instructed:
            continue
        step = step.then(_release(step.state, household, today, settings, release))
    return step.then(_pay_arrears(step.state, household, today, settings))


def _current_rate(
    state: HouseholdState,
    household: Household,
    today: date,
    settings: PlanSettings,
    release: Release,
) -> tuple[LeefgeldState, tuple[Signal, ...]]:
    """The rate for `release` (recomputed when due, an announced step taken), and the
    signals the recomputation raised."""
    lg = state.leefgeld
    signals: tuple[Signal, ...] = ()
    if needs_recompute(household, state, today):
        decision = recompute(household, state, today, settings, release.nominal)
        signals = decision.signals
        lg = decision.state
    if (
        lg.next_rate is not None
        and lg.next_rate_from is not None
        and release.nominal >= lg.next_rate_from
    ):
        lg = replace(lg, rate=lg.next_rate, rate_since=release.nominal, next_rate=None)
        lg = replace(lg, next_rate_from=None, next_rate_because="")
    return lg, signals


def _release(
    state: HouseholdState,
    household: Household,
    today: date,
    settings: PlanSettings,
    release: Release,
) -> Step:
    """One release: the rate (or the part of it the week still lacks), as far as it fits."""
    days = unpaid_days(household, state, release)
    if days == 0:  # the leefgeld day changed and this week is paid already
        return Step(_handled(state, release))
    lg, recomputed = _current_rate(state, household, today, settings, release)
    state = replace(state, leefgeld=lg)
    rate = release_share(lg.rate or ZERO, days)  # a week already partly paid: the rest
    amount = min_money(rate, free_after_charges(state, household, today, settings))
    execution = max(release.execution, settings.calendar.on_or_after(today))
    shortfall = rate - amount
    if shortfall.is_positive:
        arrears = min_money(lg.arrears + shortfall, rate)
        state = replace(state, leefgeld=replace(lg, arrears=arrears))
    if amount == rate:
        status = DecisionStatus.PAID
        reason = f"Leefgeld {eur(amount)} op {day_nl(execution)}. "
        reason += partial_reason(days) or lg.reason
        step = Step(state, signals=recomputed)
    else:
        status = DecisionStatus.REDUCED if amount.is_positive else DecisionStatus.WITHHELD
        reason = (
            f"Leefgeld {eur(amount)} in plaats van {eur(rate)}: er is nu niet genoeg om ook "
            "de vaste lasten van de komende weken op tijd te betalen. De rest krijgt u "
            "zodra er weer geld binnenkomt."
        )
        reduced = signal(
            household.code,
            SignalKind.LEEFGELD_REDUCED,
            Severity.WARNING,
            f"Leefgeld {status.value} op {day_nl(execution)}: {eur(amount)} van {eur(rate)}.",
            f"leefgeld_verlaagd:{release.id}",
        )
        step = Step(state, signals=(*recomputed, reduced))
    if amount.is_positive:
        remittance = leefgeld_remittance(release.nominal, cadence_of(household))
        instruction = own_account_payment(
            household,
            release.id,
            "leefgeld",
            amount,
            execution,
            remittance=remittance,
            reason=reason,
        )
        step = step.then(instruct(state, today, instruction))
        step = replace(step, state=with_release(step.state, release.nominal))
    else:
        step = replace(step, state=_handled(state, release))
    decision = Decision(DecisionKind.LEEFGELD, "leefgeld", execution, amount, status, reason)
    return step.add(decisions=(decision,))


def _handled(state: HouseholdState, release: Release) -> HouseholdState:
    """`state` remembering that `release` is done, by its id and by its day."""
    return with_release(mark(state, release.id), release.nominal)


def _pay_arrears(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings
) -> Step:
    """Pay leefgeld that was held back earlier, as soon as the vat can spare it."""
    arrears = state.leefgeld.arrears
    key = arrears_id(household.code, today)
    if not arrears.is_positive or key in state.instructed:
        return Step(state)
    amount = min_money(arrears, free_after_charges(state, household, today, settings))
    if amount < MINIMUM_CATCH_UP and amount != arrears:
        return Step(state)
    if not amount.is_positive:
        return Step(state)
    execution = settings.calendar.on_or_after(today)
    reason = (
        f"Nabetaling leefgeld {eur(amount)} op {day_nl(execution)}: dit geld kon eerder "
        "niet worden betaald omdat er nog niet genoeg binnen was."
    )
    instruction = own_account_payment(
        household,
        key,
        "nabetaling",
        amount,
        execution,
        remittance=f"Nabetaling leefgeld {execution:%d-%m-%Y}",
        reason=reason,
    )
    step = instruct(state, today, instruction)
    lg = replace(step.state.leefgeld, arrears=arrears - amount)
    decision = Decision(
        DecisionKind.LEEFGELD, "nabetaling", execution, amount, DecisionStatus.PAID, reason
    )
    return replace(step, state=replace(step.state, leefgeld=lg)).add(decisions=(decision,))
