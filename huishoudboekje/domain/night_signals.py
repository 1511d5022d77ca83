"""Signals the nightly run raises about files, statements and bank lines (pure).

Each has a stable key, so raising it again on a later night updates the stored
signal instead of adding one (see adapters.persistence.signal_repo.upsert_signals).
Planner signals (income late, vat below floor, shortfall, held back, participation
ending) come from `planner.plan`; these are the ones only the night can see.
"""

from __future__ import annotations

from datetime import date

from huishoudboekje.domain.dutch_text import day_nl, eur
from huishoudboekje.domain.household import IncomeStream
from huishoudboekje.domain.ids import (
    missing_statement_key,
    payment_returned_key,
    signal_key,
    unmatched_key,
)
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.return_reasons import reason_nl
from huishoudboekje.domain.signals import Severity, Signal, SignalKind

GEMEENTE = ""  # signals about the pooled account, not one household
# Money in suspense gets more urgent as it waits: "ter info" when new, "let op" from
# LET_OP_DAYS and "urgent" from URGENT_DAYS after its booking date (see `suspense_severity`).
LET_OP_DAYS = 3
URGENT_DAYS = 10


def _signal(
    kind: SignalKind, household: str, severity: Severity, message: str, key: str, **data: str
) -> Signal:
    """A `Signal` whose `data` are the keyword arguments, in the order given."""
    return Signal(kind, household, severity, message, key=key, data=tuple(data.items()))


def file_rejected(name: str, sha256: str, error: str) -> Signal:
    """A bank file could not be imported."""
    return _signal(
        SignalKind.FILE_REJECTED,
        GEMEENTE,
        Severity.HIGH,
        f"Bestand {name} is geweigerd: {error}",
        key=signal_key(GEMEENTE, "bestand_geweigerd", sha256[:16]),
        file=name,
    )


def missing_statement(
    account: str, statement_id: str, previous_closing: Money, opening: Money
) -> Signal:
    """The opening balance does not continue the previous statement's closing balance."""
    return _signal(
        SignalKind.MISSING_STATEMENT,
        GEMEENTE,
        Severity.HIGH,
        f"Ontbrekend afschrift voor {account}: afschrift {statement_id} begint met "
        f"{eur(opening)}, het vorige eindigde met {eur(previous_closing)}.",
        key=missing_statement_key(account, statement_id),
    )


def balance_mismatch(account: str, statement_id: str, ledger_bank: Money, closing: Money) -> Signal:
    """The ledger's bank account differs from the statement's closing balance."""
    return _signal(
        SignalKind.BALANCE_MISMATCH,
        GEMEENTE,
        Severity.HIGH,
        f"Saldo in de boekhouding ({eur(ledger_bank)}) wijkt af van het eindsaldo van "
        f"afschrift {statement_id} ({eur(closing)}): verschil {eur(ledger_bank - closing)}.",
        key=signal_key(GEMEENTE, "saldo_verschil", account, statement_id),
    )


def suspense_severity(age_days: int) -> Severity:
    """How urgent money in suspense is after `age_days` days: info, let op, urgent."""
    if age_days >= URGENT_DAYS:
        return Severity.HIGH
    if age_days >= LET_OP_DAYS:
        return Severity.WARNING
    return Severity.INFO


def unmatched(
    dedupe_key: str,
    day: date,
    amount: Money,
    counterparty: str,
    why: str,
    today: date | None = None,
) -> Signal:
    """A credit nobody could be matched to, or an unknown debit, parked in suspense.

    Its severity rises with its age on `today` (default: the booking day itself), so
    the night raises it again under the same key as it waits (`suspense_severity`)."""
    what = "Bijschrijving" if amount.is_positive else "Afschrijving"
    age = max(0, ((today or day) - day).days)
    waiting = f" Staat er al {age} dagen." if age >= LET_OP_DAYS else ""
    return _signal(
        SignalKind.UNMATCHED_TRANSACTION,
        GEMEENTE,
        suspense_severity(age),
        f"{what} van {eur(abs(amount))} op {day_nl(day)} van {counterparty or 'onbekend'} "
        f"staat op de tussenrekening: {why}.{waiting}",
        key=unmatched_key(dedupe_key),
        dedupe_key=dedupe_key,
        booking_date=day.isoformat(),
    )


def income_after_end(
    household: str, dedupe_key: str, stream: IncomeStream, day: date, amount: Money, end: date
) -> Signal:
    """Money for an income that has ended was booked to the household: it may have to be
    paid back (UWV, werkgever), so staff look before it is spent as ordinary income."""
    payer = f" ({stream.payer_name})" if stream.payer_name else ""
    return _signal(
        SignalKind.INCOME_AFTER_END,
        household,
        Severity.HIGH,
        f"{stream.kind.label_nl}{payer} van {eur(amount)} op {day_nl(day)} ontvangen, maar "
        f"dit inkomen is beëindigd per {day_nl(end)}. Controleer of het terugbetaald moet "
        "worden; het bedrag staat in de buffer van het huishouden.",
        key=signal_key(household, "inkomen_na_einde", dedupe_key),
        dedupe_key=dedupe_key,
        income=stream.id,
        booking_date=day.isoformat(),
        amount=str(amount),
        end=end.isoformat(),
    )


def payment_returned(household: str, end_to_end_id: str, amount: Money, reason: str) -> Signal:
    """One of our payments came back; the money is in the household's vat again."""
    return _signal(
        SignalKind.PAYMENT_RETURNED,
        household,
        Severity.HIGH,
        f"Betaling {end_to_end_id} van {eur(amount)} is teruggekomen "
        f"(reden {reason or 'onbekend'}: {reason_nl(reason)}); het geld staat weer in de buffer.",
        key=payment_returned_key(household, end_to_end_id),
        end_to_end_id=end_to_end_id,
        reason=reason,
    )


def payment_amount_differs(
    household: str, end_to_end_id: str, instructed: Money, left: Money
) -> Signal:
    """One of our payments left the bank for another amount than we instructed."""
    return _signal(
        SignalKind.PAYMENT_AMOUNT_OFF,
        household,
        Severity.HIGH,
        f"Betaling {end_to_end_id}: bedrag wijkt af. Afgeschreven {eur(left)}, opdracht "
        f"{eur(instructed)}; het verschil van {eur(abs(left - instructed))} staat op de "
        "tussenrekening (onbekende posten) tot een medewerker het uitzoekt.",
        key=signal_key(household, "bedrag_afwijkend", end_to_end_id),
        end_to_end_id=end_to_end_id,
        instructed=str(instructed),
        left=str(left),
    )


def night_problem(household: str, stage: str, night: date, error: str) -> Signal:
    """A household or stage failed tonight; the rest of the night went on."""
    return _signal(
        SignalKind.NIGHT_PROBLEM,
        household,
        Severity.HIGH,
        f"Nachtelijke verwerking ({stage}) van {day_nl(night)} mislukt: {error}",
        key=signal_key(household, "mislukt", stage, night.isoformat()),
    )


def payment_moved(instruction: PaymentInstruction, planned: date) -> Signal:
    """A payment goes out later than planned: its night did not run in time."""
    return _signal(
        SignalKind.PAYMENT_LATE,
        instruction.household,
        Severity.HIGH if instruction.kind == "charge" else Severity.WARNING,
        f"Betaling van {eur(instruction.amount)} aan {instruction.payee_name} gaat op "
        f"{day_nl(instruction.execution_date)} uit in plaats van {day_nl(planned)}: de "
        "nachtelijke verwerking heeft niet op tijd gedraaid. Controleer of de ontvanger "
        "dit moet weten.",
        key=signal_key(instruction.household, "verschoven", instruction.end_to_end_id),
        end_to_end_id=instruction.end_to_end_id,
        planned=planned.isoformat(),
        execution=instruction.execution_date.isoformat(),
    )
