"""The bookings every phase shares: a payment instruction, an advance repayment, a signal.

Each returns a `Step` (or a value) and changes nothing in place.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from huishoudboekje.domain import ledger
from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ids import instructed_entry_id, repayment_entry_id, signal_key
from huishoudboekje.domain.ledger import IN_FLIGHT, transfer
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.planner.step import Decision, DecisionKind, DecisionStatus, Step
from huishoudboekje.domain.signals import Severity, Signal, SignalKind


def mark(state: HouseholdState, instruction_key: str) -> HouseholdState:
    """`state` remembering that `instruction_key` is done (so no later night repeats it)."""
    return replace(state, instructed=state.instructed | {instruction_key})


def signal(code: str, kind: SignalKind, severity: Severity, message: str, key: str) -> Signal:
    """A signal about household `code`; its key is made unique per household."""
    return Signal(kind, code, severity, message, key=signal_key(code, key))


def payment(
    code: str,
    e2e: str,
    kind: str,
    subject: str,
    payee: tuple[str, str, str],
    amount: Money,
    execution: date,
    *,
    reference: str = "",
    remittance: str = "",
    reason: str = "",
) -> PaymentInstruction:
    """One instruction to `payee` (name, IBAN, BIC).

    A 16-digit reference is a structured betalingskenmerk and goes in its own
    field; any other reference takes the place of the free remittance text.
    """
    structured = reference if reference.isdigit() and len(reference) == 16 else ""
    free_text = remittance if structured else (reference or remittance)
    name, iban, bic = payee
    return PaymentInstruction(
        end_to_end_id=e2e,
        household=code,
        kind=kind,
        charge_id=subject,
        payee_name=name,
        payee_iban=iban,
        payee_bic=bic,
        amount=amount,
        execution_date=execution,
        remittance=free_text,
        structured_reference=structured,
        reason=reason,
    )


def own_account_payment(
    household: Household,
    e2e: str,
    subject: str,
    amount: Money,
    execution: date,
    *,
    remittance: str,
    reason: str,
) -> PaymentInstruction:
    """A payment to the household's own account (leefgeld, arrears, the remainder)."""
    payee = (household.name, household.iban, household.bic)
    return payment(
        household.code,
        e2e,
        "leefgeld",
        subject,
        payee,
        amount,
        execution,
        remittance=remittance,
        reason=reason,
    )


def instruct(state: HouseholdState, today: date, instruction: PaymentInstruction) -> Step:
    """Instruct `instruction`: the money leaves the vat for in-flight tonight."""
    code = instruction.household
    e2e = instruction.end_to_end_id
    entry = transfer(
        instructed_entry_id(e2e),
        today,
        f"Betaalopdracht {e2e}",
        debit=ledger.vat(code),
        credit=IN_FLIGHT,
        amount=instruction.amount,
        kind=f"instruct_{instruction.kind}",
        meta={"end_to_end_id": e2e},
    )
    after = mark(replace(state, vat=state.vat - instruction.amount), e2e)
    if instruction.kind == "leefgeld" and state.shortage_room is not None:
        # a charge is held back tonight: leefgeld takes no more than the floor in all
        room = max(state.shortage_room - instruction.amount, ZERO)
        after = replace(after, shortage_room=room)
    return Step(after, entries=(entry,), instructions=(instruction,))


def release_reserve(
    state: HouseholdState,
    code: str,
    today: date,
    reserve_id: str,
    amount: Money,
    wording: tuple[str, str],
) -> Step:
    """Move `amount` of reserve `reserve_id` back into the vat; `wording` is the
    entry's id and its description."""
    entry_id, description = wording
    entry = transfer(
        entry_id,
        today,
        description,
        debit=ledger.reserve(code, reserve_id),
        credit=ledger.vat(code),
        amount=amount,
        kind="reserve_release",
    )
    after = replace(
        state,
        reserves=state.with_reserve(reserve_id, state.reserve(reserve_id) - amount),
        vat=state.vat + amount,
    )
    return Step(after, entries=(entry,))


def book_repayment(
    state: HouseholdState,
    code: str,
    today: date,
    amount: Money,
    wording: tuple[str, str, str],
) -> Step:
    """Move `amount` from the vat of household `code` to repay the advance, with its
    entry and decision; `wording` is the entry's key word, its description and the
    end of the household's sentence."""
    if not amount.is_positive:
        return Step(state)
    key, description, why = wording
    owed = state.advance_used
    entry = transfer(
        repayment_entry_id(code, key, today, owed.to_cents()),
        today,
        description,
        debit=ledger.vat(code),
        credit=ledger.advance(code),
        amount=amount,
        kind="repayment",
    )
    after = replace(
        state,
        vat=state.vat - amount,
        advance_used=owed - amount,
        advance_due=max(state.advance_due - amount, ZERO),
    )
    decision = Decision(
        DecisionKind.REPAYMENT,
        "voorschot",
        today,
        amount,
        DecisionStatus.REPAID,
        f"{eur(amount)} van het voorschot is terugbetaald{why}",
    )
    return Step(after, entries=(entry,), decisions=(decision,))
