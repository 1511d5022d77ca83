"""Phase 2: pay the fixed charges due now, on time, in priority order when money is short.

A charge draws on its reserve first, then on the vat, then on the approved
advance; what does not fit is held back (it keeps its claim) and signalled.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from huishoudboekje.domain import ledger
from huishoudboekje.domain.advance import due_this_month, month_key
from huishoudboekje.domain.charge_windows import (
    ChargeProgress,
    started,
    with_payment,
    with_returns,
)
from huishoudboekje.domain.dutch_text import MONTHS_NL, day_nl, eur
from huishoudboekje.domain.household import ChargeKind, FixedCharge, Household, Shortage
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ids import advance_draw_entry_id, reserve_draw_entry_id
from huishoudboekje.domain.ledger import transfer
from huishoudboekje.domain.money import ZERO, Money, min_money
from huishoudboekje.domain.occurrences import ChargeDue, PlanSettings
from huishoudboekje.domain.planner.booking import instruct, payment, release_reserve, signal
from huishoudboekje.domain.planner.cover import (
    advance_room,
    instructed_until,
    open_dues,
    vat_need,
)
from huishoudboekje.domain.planner.step import Decision, DecisionKind, DecisionStatus, Step
from huishoudboekje.domain.signals import Severity, SignalKind


def pay_charges(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings
) -> Step:
    """Pay (or hold back) every open charge due that executes by tomorrow's batch."""
    # Select by execution date; `charge_dues` keeps only dues inside the participation,
    # so a rent due on the first day is paid even when it executes the day before.
    state = replace(state, shortage_room=None, charge_progress=_progress(state, household, today))
    dues = open_dues(state, household, today, settings, instructed_until(today, settings))
    step = Step(state)
    if not dues:
        return step
    needed = sum((vat_need(state, d) for d in dues), ZERO)
    if needed > max(state.vat, ZERO) + advance_room(state, household):
        # Money is short: pay in priority order, earliest due first within a priority.
        dues.sort(key=lambda d: (d.charge.effective_priority, d.due, d.charge.id))
    strict = shortage_of(household, settings) is Shortage.STRICT
    held: list[ChargeDue] = []
    for due in dues:
        # a charge its own reserve pays in full takes nothing the held-back one could use
        claims = strict and vat_need(step.state, due).is_positive
        first = _claim_before(held, due) if claims else None
        if first is not None:  # a higher charge, due no later, waits: it comes first
            step = step.then(_hold_back(step.state, household, due, first, strict=True))
            continue
        paid = _pay(step.state, household, today, settings, due)
        if paid is None:
            held.append(due)
            paid = _hold_back(step.state, household, due, None, strict=strict)
        step = step.then(paid)
    if strict and held:
        # the claim holds for the rest of the night: no reserve, leefgeld up to the floor
        step = replace(step, state=replace(step.state, shortage_room=household.floor_per_period()))
    return step


def _progress(
    state: HouseholdState, household: Household, today: date
) -> tuple[ChargeProgress, ...]:
    """The progress of every charge with a total, counting from the first day
    Huishoudboekje is responsible for when nothing was paid yet."""
    progress = state.charge_progress
    before = state.takes_over_from(today) - timedelta(days=1)
    with_total = [c.id for c in household.charges if c.total is not None]
    for charge_id in with_total:
        progress = started(progress, charge_id, before)
    # an instalment the bank gave back did not pay off anything
    return with_returns(progress, household.code, with_total, state.returned)


def shortage_of(household: Household, settings: PlanSettings) -> Shortage:
    """What happens when money is short: the household's own setting, else the gemeente's."""
    return household.shortage if household.shortage is not None else settings.shortage


def _claim_before(held: list[ChargeDue], due: ChargeDue) -> ChargeDue | None:
    """The first held-back charge that comes before `due`: of the same or a higher
    priority, and due on the same day or earlier."""
    for claim in held:
        if (
            claim.charge.effective_priority <= due.charge.effective_priority
            and claim.due <= due.due
        ):
            return claim
    return None


def _pay(
    state: HouseholdState, household: Household, today: date, settings: PlanSettings, due: ChargeDue
) -> Step | None:
    """Pay `due` from its reserve, the vat and the advance; None when that is not enough."""
    charge = due.charge
    from_reserve = charge.amount - vat_need(state, due)
    need = charge.amount - from_reserve
    from_vat = min_money(max(state.vat, ZERO), need)
    from_advance = need - from_vat
    if from_advance > advance_room(state, household):
        return None
    execution = max(due.execution, settings.calendar.on_or_after(today))
    step = Step(state)
    if from_reserve.is_positive and charge.reserve:
        wording = (
            reserve_draw_entry_id(due.id),
            f"Reservering {charge.reserve} voor {charge.kind.value}",
        )
        step = release_reserve(state, household.code, today, charge.reserve, from_reserve, wording)
    if from_advance.is_positive:
        step = step.then(_draw_advance(step.state, household, today, due, from_advance))
    reason = f"{charge.kind.value.capitalize()} {eur(charge.amount)} aan {charge.payee_name}"
    reason += f", betaald op {day_nl(execution)}"
    if execution > due.due:
        reason += f" (te laat: de vervaldag was {day_nl(due.due)})"
        late = signal(
            household.code,
            SignalKind.PAYMENT_LATE,
            Severity.HIGH,
            f"{charge.kind.value} {eur(charge.amount)} wordt te laat betaald "
            f"({day_nl(execution)} in plaats van {day_nl(due.due)}).",
            f"te_laat:{due.id}",
        )
        step = step.add(signals=(late,))
    instruction = payment(
        household.code,
        due.id,
        "charge",
        charge.id,
        (charge.payee_name, charge.payee_iban, charge.payee_bic),
        charge.amount,
        execution,
        reference=charge.reference,
        remittance=f"{charge.kind.value} {MONTHS_NL[due.due.month - 1]} {due.due.year}",
        reason=reason,
    )
    decision = Decision(
        DecisionKind.CHARGE, charge.id, execution, charge.amount, DecisionStatus.PAID, reason
    )
    step = step.then(instruct(step.state, today, instruction)).add(decisions=(decision,))
    if charge.total is None:
        return step
    progress = with_payment(step.state.charge_progress, charge.id, charge.amount, due.due)
    return replace(step, state=replace(step.state, charge_progress=progress))


def _draw_advance(
    state: HouseholdState, household: Household, today: date, due: ChargeDue, amount: Money
) -> Step:
    """Lend `amount` from the approved advance so the charge is paid on time."""
    code = household.code
    entry = transfer(
        advance_draw_entry_id(due.id),
        today,
        f"Voorschot voor {due.charge.kind.value}",
        debit=ledger.advance(code),
        credit=ledger.vat(code),
        amount=amount,
        kind="advance",
    )
    used = state.advance_used + amount
    # start the repayment schedule now, exactly as tomorrow's repay_advance()
    # would, so that planning the same night twice changes nothing
    due_now = due_this_month(household, state.advance_month, state.advance_due, used, today)
    after = replace(
        state,
        vat=state.vat + amount,
        advance_used=used,
        advance_month=month_key(today),
        advance_due=due_now,
    )
    text = f"Voorschot van {eur(amount)} om de {due.charge.kind.value} op tijd te betalen."
    decision = Decision(
        DecisionKind.ADVANCE, due.charge.id, today, amount, DecisionStatus.DRAWN, text
    )
    drawn = signal(code, SignalKind.ADVANCE_DRAWN, Severity.WARNING, text, f"voorschot:{due.id}")
    return Step(after, entries=(entry,), decisions=(decision,), signals=(drawn,))


def _hold_back(
    state: HouseholdState,
    household: Household,
    due: ChargeDue,
    claim: ChargeDue | None,
    *,
    strict: bool,
) -> Step:
    """`due` waits (keeping its claim) and staff are warned: it does not fit, or a
    held-back `claim` comes before it."""
    charge = due.charge
    room = max(state.vat, ZERO) + advance_room(state, household)
    if claim is None:
        missing = charge.amount - min_money(room, charge.amount)
        reason = waiting_sentence(charge_label(charge), missing, strict=strict)
        staff = f"Buffer {eur(state.vat)}, voorschotruimte {eur(advance_room(state, household))}."
    else:
        first = charge_label(claim.charge)
        reason = (
            f"De {charge_label(charge)} wacht tot de {first} betaald is; "
            f"de eerstvolgende inkomsten gaan eerst naar de {first}."
        )
        staff = f"Wacht op {first} (vervaldag {day_nl(claim.due)}), die eerst gaat."
    reason += f" (Vervaldag {day_nl(due.due)}.)"
    decision = Decision(
        DecisionKind.CHARGE,
        charge.id,
        due.execution,
        charge.amount,
        DecisionStatus.HELD_BACK,
        reason,
    )
    held = signal(
        household.code,
        SignalKind.PAYMENT_HELD_BACK,
        Severity.HIGH,
        f"Betaling achtergehouden: {charge.kind.value} {eur(charge.amount)} aan "
        f"{charge.payee_name}, vervaldag {day_nl(due.due)}. {staff}",
        f"achtergehouden:{due.id}",
    )
    return Step(state, decisions=(decision,), signals=(held,))


def charge_label(charge: FixedCharge) -> str:
    """How a household calls a charge: its kind ("huur"), or its id for "overig"."""
    return charge.id if charge.kind is ChargeKind.OVERIG else charge.kind.value.replace("_", " ")


def waiting_sentence(what: str, missing: Money, *, strict: bool = True) -> str:
    """What a held-back charge waits for, in plain Dutch (B1)."""
    then = (
        f"de eerstvolgende inkomsten gaan eerst naar de {what}."
        if strict
        else f"de {what} wordt betaald zodra er genoeg geld is."
    )
    return f"{what.capitalize()} wacht op {eur(missing)}; {then}"
