"""Phase 4: release leefgeld at the steady rate, then pay leefgeld held back before.

Only as far as every charge of the coming weeks stays covered, and never from
the advance. What a release cannot pay becomes arrears, paid as soon as the
vat can spare it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from huishoudboekje.domain.dutch_text import day_nl, eur
from huishoudboekje.domain.household import Cadence, Household
from huishoudboekje.domain.household_state import HouseholdState, LeefgeldState
from huishoudboekje.domain.ids import arrears_id, instruction_id, release_id
from huishoudboekje.domain.leefgeld import (
    cadence_of,
    needs_recompute,
    recompute,
    whole_euros_down,
)
from huishoudboekje.domain.money import ZERO, Money, min_money
from huishoudboekje.domain.occurrences import (
    WEEK_DAYS,
    PlanSettings,
    Release,
    is_monthly,
    release_dates,
)
from huishoudboekje.domain.paid_weeks import (
    Portion,
    period_end,
    unpaid_portion,
    with_release,
)
from huishoudboekje.domain.planner.booking import instruct, mark, own_account_payment, signal
from huishoudboekje.domain.planner.cover import free_after_charges, instructed_until
from huishoudboekje.domain.planner.step import Decision, DecisionKind, DecisionStatus, Step
from huishoudboekje.domain.planner.wording import leefgeld_remittance, partial_reason
from huishoudboekje.domain.signals import Severity, Signal, SignalKind

RELEASE_LOOKBACK_DAYS = 6
REST_OF_PERIOD = "LGR"  # the subject of a release paying the rest of a period
MINIMUM_CATCH_UP = Money("5.00")  # smaller catch-ups wait until the whole rest fits


def release_leefgeld(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings
) -> Step:
    """Release every leefgeld payment due by tomorrow's batch, then any arrears.

    The release of the period that holds today is always looked at: after a change
    to monthly cadence, the days of this month the last weekly release did not pay
    for are paid at once (the release pays only those days, see `unpaid_portion`).
    """
    lookback = today - timedelta(days=RELEASE_LOOKBACK_DAYS)
    if is_monthly(household):
        lookback = min(lookback, date(today.year, today.month, 1))
    first = max(household.start, state.takes_over_from(today), lookback)
    step = Step(state)
    releases = release_dates(household, first, instructed_until(today, settings), settings)
    for release in (*_first_month(state, household, today, settings), *releases):
        if release.id in step.state.instructed:
            rest = _rest_of_period(step.state, household, release)
            if rest is None:
                continue
            release = rest
        step = step.then(_release(step.state, household, today, settings, release))
    return step.then(_pay_arrears(step.state, household, today, settings))


def _first_month(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings
) -> tuple[Release, ...]:
    """The release of the month the household started in, after a change to monthly
    cadence within that month.

    A monthly release is on the 1st, and a household that starts later in the month
    has no release for it (`release_dates` skips a day before the start). That is
    right for a household monthly from the start: its first month is the opbouw.
    But a household that started weekly and has had leefgeld for days of this month
    must also be paid the rest of the month once it changes to monthly, or those
    days are paid by no release (a weekly Monday start on 2 January, monthly from
    the 9th: 12-31 January paid by nobody). The release pays only the days after
    the last weekly release (`unpaid_portion`).
    """
    paid_through = state.leefgeld.paid_through
    month = date(today.year, today.month, 1)
    if not is_monthly(household) or paid_through is None or household.start <= month:
        return ()
    if not household.is_active_on(today) or paid_through < month:
        return ()
    if paid_through >= period_end(household, month):
        return ()
    return (
        Release(month, settings.calendar.on_or_after(month), release_id(household.code, month)),
    )


def _rest_of_period(
    state: HouseholdState, household: Household, release: Release
) -> Release | None:
    """The release paying the rest of a period whose own id was used under other rules.

    A weekly release on the 1st of a month has the id of that month's monthly
    release. After a change to monthly cadence, the days of the month it did not pay
    for are paid under an id of their own (once: then they are paid).
    """
    if state.leefgeld.paid_through is None:
        return None
    if unpaid_portion(household, state, release).days == 0:
        return None
    rest = instruction_id(household.code, REST_OF_PERIOD, release.nominal)
    return None if rest in state.instructed else replace(release, id=rest)


def _current_rate(
    state: HouseholdState,
    household: Household,
    today: date,
    settings: PlanSettings,
    release: Release,
) -> tuple[LeefgeldState, tuple[Signal, ...]]:
    """The rate for `release` (recomputed when due, an announced step taken), and the
    signals the recomputation raised."""
    # an announced step is taken first, so a recomputation tonight starts from it
    # (announced means paid: it is never replaced on the night it takes effect)
    lg = _with_step_taken(state.leefgeld, release.nominal)
    signals: tuple[Signal, ...] = ()
    if needs_recompute(household, state, today):
        decision = recompute(
            household, replace(state, leefgeld=lg), today, settings, release.nominal
        )
        signals = decision.signals
        lg = _with_step_taken(decision.state, release.nominal)
    return lg, signals


def _with_step_taken(lg: LeefgeldState, nominal: date) -> LeefgeldState:
    """`lg` with its announced step taken when the release of `nominal` is its first."""
    if lg.next_rate is None or lg.next_rate_from is None or nominal < lg.next_rate_from:
        return lg
    return replace(
        lg,
        rate=lg.next_rate,
        rate_since=nominal,
        next_rate=None,
        next_rate_from=None,
        next_rate_because="",
    )


def in_cadence(state: HouseholdState, household: Household) -> HouseholdState:
    """`state` with its rate per period of the household's cadence.

    After a change of cadence the rate (and an announced step, and the buffer part)
    is converted once at the same amount per day, in whole euros down: € 178 a week
    is € 771 a month.
    The next recomputation may then announce a step, as for any change of the rules.
    """
    cadence = cadence_of(household)
    lg = state.leefgeld
    if lg.cadence == cadence.value:
        return state
    if lg.cadence == "":  # older memory: the rate is per period of today's cadence
        return replace(state, leefgeld=replace(lg, cadence=cadence.value))
    factor = Decimal(52) / 12 if cadence is Cadence.MONTHLY else Decimal(12) / 52

    def convert(amount: Money | None) -> Money | None:
        return None if amount is None else whole_euros_down(Money.round(amount.amount * factor))

    converted = replace(
        lg,
        cadence=cadence.value,
        rate=convert(lg.rate),
        next_rate=convert(lg.next_rate),
        adjustment=Money.round(lg.adjustment.amount * factor),
    )
    return replace(state, leefgeld=converted)


def portion_reason(portion: Portion) -> str:
    """Why a release pays fewer days than its whole period ("" when whole)."""
    if portion.whole:
        return ""
    if portion.of == WEEK_DAYS:
        return partial_reason(portion.days)
    days = f"{portion.days} {'dag' if portion.days == 1 else 'dagen'}"
    return (
        "Uw leefgeld wordt nu per maand betaald en een deel van deze maand had u al "
        f"gekregen. Daarom krijgt u deze keer leefgeld voor {days}."
    )


def _release(
    state: HouseholdState,
    household: Household,
    today: date,
    settings: PlanSettings,
    release: Release,
) -> Step:
    """One release: the rate (or the part of it the week still lacks), as far as it fits."""
    portion = unpaid_portion(household, state, release)
    if portion.days == 0:  # the leefgeld day or cadence changed: this period is paid
        return Step(_handled(state, household, release))
    lg, recomputed = _current_rate(state, household, today, settings, release)
    state = replace(state, leefgeld=lg)
    rate = portion.of_rate(lg.rate or ZERO)  # a period already partly paid: the rest
    amount = min_money(rate, free_after_charges(state, household, today, settings))
    execution = max(release.execution, settings.calendar.on_or_after(today))
    shortfall = rate - amount
    if shortfall.is_positive:
        arrears = min_money(lg.arrears + shortfall, rate)
        state = replace(state, leefgeld=replace(lg, arrears=arrears))
    if amount == rate:
        status = DecisionStatus.PAID
        reason = f"Leefgeld {eur(amount)} op {day_nl(execution)}. "
        reason += portion_reason(portion) or lg.reason
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
        step = replace(step, state=with_release(step.state, release.nominal, household))
    else:
        step = replace(step, state=_handled(state, household, release))
    decision = Decision(DecisionKind.LEEFGELD, "leefgeld", execution, amount, status, reason)
    return step.add(decisions=(decision,))


def _handled(state: HouseholdState, household: Household, release: Release) -> HouseholdState:
    """`state` remembering that `release` is done, by its id and by its day."""
    return with_release(mark(state, release.id), release.nominal, household)


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
