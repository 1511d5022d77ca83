"""Extra payments: approved household requests (verzoeken) become payments.

`decide_extras(household, state, requests, today)` is pure: it pays an approved
request (extra leefgeld or a one-off payment) to the household's own account on
the first night on or after its approval, but only when the vat covers it after
every fixed charge due before the next expected income (GUIDE §4 rule 3: never
pay out money that is not there; an extra payment never uses the advance).
Otherwise the request waits and staff get a signal. The nightly stage does the
I/O (services/night_extras.py).

When the bank sends the payment back, the request follows it ("teruggekomen",
see `household_requests.follow_returned_extras`); if staff then pay it again,
the new payment is attempt 2, 3, … with its own EndToEndId.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from huishoudboekje.domain import ledger
from huishoudboekje.domain.dutch_text import day_nl, eur
from huishoudboekje.domain.forecast import project
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ids import (
    extra_charge_id,
    extra_end_to_end_id,
    instructed_entry_id,
    waiting_request_key,
)
from huishoudboekje.domain.ledger import IN_FLIGHT, JournalEntry, transfer
from huishoudboekje.domain.money import ZERO, Money, min_money
from huishoudboekje.domain.occurrences import PlanSettings, expected_incomes
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.signals import Severity, Signal, SignalKind

INCOME_HORIZON_DAYS = 62  # look this far for the next expected income
LABELS = {"extra_leefgeld": "Extra leefgeld", "eenmalige_betaling": "Eenmalige betaling"}


@dataclass(frozen=True, slots=True)
class ExtraRequest:
    """An approved request, as the decision needs it."""

    id: int
    household: str
    kind: str  # extra_leefgeld | eenmalige_betaling
    amount: Money
    approved_on: date
    attempt: int = 1  # 2, 3, … when staff pay a returned request again


@dataclass(frozen=True, slots=True)
class ExtraDecision:
    """What tonight does with the approved requests of one household."""

    instructions: tuple[PaymentInstruction, ...]
    entries: tuple[JournalEntry, ...]
    signals: tuple[Signal, ...]
    paid: tuple[int, ...]  # request ids instructed tonight
    waiting: tuple[int, ...]  # request ids that wait for money
    state: HouseholdState


def next_income_day(household: Household, state: HouseholdState, today: date) -> date | None:
    """The first day after `today` an income is expected (not yet received), or None."""
    last = today + timedelta(days=INCOME_HORIZON_DAYS)
    days = [day for day, _s, _a in expected_incomes(household, today, last, state.receipts)]
    later = [day for day in days if day > today]
    return min(later) if later else None


def spendable(
    household: Household, state: HouseholdState, today: date, settings: PlanSettings
) -> Money:
    """What the vat can spare while every charge due before the next income stays paid."""
    income = next_income_day(household, state, today)
    horizon = (income - today).days if income is not None else settings.protect_days
    horizon = max(horizon, 1)
    # no income is counted, not even a late one: only money that is there is paid out
    without_incomes = replace(household, incomes=())
    forecast = project(without_incomes, state, today, settings, days=horizon, leefgeld=False)
    lowest = forecast.lowest.balance
    return max(min_money(state.vat, lowest), ZERO)


def decide_extras(
    household: Household,
    state: HouseholdState,
    requests: tuple[ExtraRequest, ...],
    today: date,
    settings: PlanSettings | None = None,
) -> ExtraDecision:
    """Decide which approved requests of `household` are paid tonight. Pure."""
    settings = settings or PlanSettings()
    mine = sorted(
        (r for r in requests if r.household == household.code and r.approved_on <= today),
        key=lambda r: (r.approved_on, r.id),
    )
    room = spendable(household, state, today, settings)
    execution = settings.calendar.add_business_days(today, 1)
    instructions: list[PaymentInstruction] = []
    entries: list[JournalEntry] = []
    signals: list[Signal] = []
    paid: list[int] = []
    waiting: list[int] = []
    for request in mine:
        if request.amount > room:
            waiting.append(request.id)
            signals.append(_waiting_signal(household, request, room))
            continue
        e2e = extra_end_to_end_id(request.id, request.attempt)
        instructions.append(_instruction(household, request, e2e, execution))
        entries.append(
            transfer(
                instructed_entry_id(e2e),
                today,
                f"Betaalopdracht {e2e}",
                debit=ledger.vat(household.code),
                credit=IN_FLIGHT,
                amount=request.amount,
                kind="instruct_extra",
                meta={"end_to_end_id": e2e},
            )
        )
        room = room - request.amount
        state = replace(state, vat=state.vat - request.amount)
        paid.append(request.id)
    return ExtraDecision(
        tuple(instructions), tuple(entries), tuple(signals), tuple(paid), tuple(waiting), state
    )


def _instruction(
    household: Household, request: ExtraRequest, e2e: str, execution: date
) -> PaymentInstruction:
    label = LABELS.get(request.kind, "Extra betaling")
    return PaymentInstruction(
        end_to_end_id=e2e,
        household=household.code,
        kind="extra",
        charge_id=extra_charge_id(request.id),
        payee_name=household.name,
        payee_iban=household.iban,
        payee_bic=household.bic,
        amount=request.amount,
        execution_date=execution,
        remittance=f"{label} verzoek {request.id}",
        structured_reference="",
        reason=f"{label} van {eur(request.amount)}, goedgekeurd op {day_nl(request.approved_on)}.",
    )


def _waiting_signal(household: Household, request: ExtraRequest, room: Money) -> Signal:
    label = LABELS.get(request.kind, "Extra betaling").lower()
    return Signal(
        SignalKind.PAYMENT_HELD_BACK,
        household.code,
        Severity.WARNING,
        f"Goedgekeurd verzoek {request.id} ({label} {eur(request.amount)}) wacht: de buffer "
        f"kan nu {eur(room)} missen zonder de vaste lasten tot het volgende inkomen in gevaar "
        "te brengen.",
        key=waiting_request_key(household.code, request.id),
    )
