"""Phase 5: what staff must look at: incomes late or off, a low buffer, a shortfall ahead.

This phase changes no money. The forecast it makes on the final state is kept
in the step (`outlook`), so callers that show a forecast need not project again.
"""

from __future__ import annotations

from datetime import date, timedelta

from huishoudboekje.domain.dutch_text import day_nl, eur
from huishoudboekje.domain.forecast import project
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ids import signal_key
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import (
    RECEIPT_MEMORY_DAYS,
    PlanSettings,
    is_received_on,
    planning_since,
    receipt_days,
    stopped_incomes,
)
from huishoudboekje.domain.planner.booking import signal
from huishoudboekje.domain.planner.step import Step
from huishoudboekje.domain.signals import Severity, Signal, SignalKind

SIGNAL_LOOKBACK_DAYS = 45


def check_signals(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings
) -> Step:
    """The income signals, then the outlook signals with the forecast behind them."""
    incomes = _late_incomes(state, household, today) + _incomes_off(state, household, today)
    incomes += _stopped_incomes(state, household, today)
    outlook = _outlook(state, household, today, settings)
    return Step(state, signals=incomes + outlook.signals, outlook=outlook.outlook)


def _first_day(state: HouseholdState, household: Household, today: date) -> date:
    """The first day whose incomes are checked (not before Huishoudboekje took over)."""
    return max(
        household.start,
        state.takes_over_from(today),
        today - timedelta(days=SIGNAL_LOOKBACK_DAYS),
    )


def _late_incomes(state: HouseholdState, household: Household, today: date) -> tuple[Signal, ...]:
    """An expected income that has not come in once its window has passed."""
    first = _first_day(state, household, today)
    received = receipt_days(state.receipts)
    return tuple(
        signal(
            household.code,
            SignalKind.INCOME_LATE,
            Severity.WARNING,
            f"{income.kind.value} ({income.payer_name or income.id}) van "
            f"{eur(income.amount)}, verwacht op {day_nl(day)}, is niet binnengekomen.",
            f"inkomen_te_laat:{income.id}:{day.isoformat()}",
        )
        for income in household.incomes
        for day in income.schedule.between(first, today - timedelta(days=income.window_days + 1))
        if not is_received_on(income, day, received.get(income.id, ()))
    )


def _stopped_incomes(
    state: HouseholdState, household: Household, today: date
) -> tuple[Signal, ...]:
    """An expected income that looks stopped (issue 17.3): staff should ask why.

    Keyed by the income and its first missed date, so it is one signal for as long
    as the income stays away; if it comes back and stops again, that is a new one.
    """
    since = planning_since(household, state.planned_since, today)
    signals = []
    for stopped in stopped_incomes(household, today, state.receipts, since):
        if stopped.last_received is None and since < today - timedelta(days=RECEIPT_MEMORY_DAYS):
            continue  # its receipts aged out of memory: raised long ago, not again
        income = stopped.income
        last = (
            f"laatst ontvangen op {day_nl(stopped.last_received)}"
            if stopped.last_received
            else "sinds de start niet ontvangen"
        )
        signals.append(
            Signal(
                SignalKind.INCOME_STOPPED,
                household.code,
                Severity.HIGH,
                f"Inkomen lijkt gestopt: {income.kind.label_nl.lower()} "
                f"({income.payer_name or income.id}) van {eur(income.amount)}, {last}; "
                f"verwacht op {day_nl(stopped.first_missed)} en daarna niet meer "
                "binnengekomen. Het leefgeld wordt berekend zonder dit inkomen tot het "
                "weer binnenkomt.",
                key=signal_key(
                    household.code, "inkomen_gestopt", income.id, stopped.first_missed.isoformat()
                ),
                data=(
                    ("income", income.id),
                    ("first_missed", stopped.first_missed.isoformat()),
                    (
                        "last_received",
                        stopped.last_received.isoformat() if stopped.last_received else "",
                    ),
                ),
            )
        )
    return tuple(signals)


def _incomes_off(state: HouseholdState, household: Household, today: date) -> tuple[Signal, ...]:
    """A received income whose amount lies outside its stream's margin."""
    first = _first_day(state, household, today)
    incomes = {i.id: i for i in household.incomes}
    signals = []
    for receipt in state.receipts:
        stream = incomes.get(receipt.income_id)
        if stream is None or receipt.day < first:
            continue
        margin = Money.round(stream.amount.amount * stream.margin)
        if abs(receipt.amount - stream.amount) > margin:
            signals.append(
                signal(
                    household.code,
                    SignalKind.INCOME_AMOUNT_OFF,
                    Severity.WARNING,
                    f"{stream.kind.value} van {day_nl(receipt.day)} was {eur(receipt.amount)}, "
                    f"verwacht {eur(stream.amount)}.",
                    f"inkomen_bedrag:{stream.id}:{receipt.day.isoformat()}",
                )
            )
    return tuple(signals)


def _outlook(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings
) -> Step:
    """A buffer below the floor, a projected shortfall, a participation about to end."""
    code = household.code
    signals = []
    floor = household.floor_per_period()
    if state.vat < floor:
        iso = today.isocalendar()
        signals.append(
            signal(
                code,
                SignalKind.VAT_BELOW_FLOOR,
                Severity.WARNING,
                f"Buffer {eur(state.vat)} is lager dan het minimum leefgeld {eur(floor)}.",
                f"buffer_laag:{iso.year}-W{iso.week:02d}",
            )
        )
    forecast = project(household, state, today, settings)
    lowest = forecast.lowest
    if lowest.balance.is_negative:
        signals.append(
            signal(
                code,
                SignalKind.PROJECTED_SHORTFALL,
                Severity.HIGH,
                f"Verwacht tekort van {eur(-lowest.balance)} op {day_nl(lowest.day)}.",
                f"verwacht_tekort:{lowest.day.isoformat()}",
            )
        )
    end = household.end
    if end is not None and today <= end <= today + timedelta(days=30):
        signals.append(
            signal(
                code,
                SignalKind.PARTICIPATION_ENDING,
                Severity.INFO,
                f"De deelname eindigt op {day_nl(end)}.",
                f"einde:{end.isoformat()}",
            )
        )
    return Step(state, signals=tuple(signals), outlook=forecast)
