"""From bank lines to bookings: pure decisions of the nightly run.

Everything here is a pure function of values: which transactions of a statement
are already known (dedupe across formats), what a debit or a returned payment
means (reconcile, in `bank_reconcile`), and which journal entry books a
decided transaction.

The ledger model of the pooled bank account (see docs/operations.md):

* the very first statement of the account brings its opening balance in with a
  one-time *beginsaldo* entry against the gemeente's fund account (a statement
  older than it that arrives later moves the beginsaldo back to its own opening);
* a matched income: bank ← household vat;       unmatched credit: bank ← suspense;
* a debit carrying one of our EndToEndIds: in flight → bank (the payment left);
* a returned payment (RtrInf, or a credit carrying one of our EndToEndIds):
  bank ← household vat (the money is the household's again); when the payment's
  debit was never seen (the statement with it never reached us) the return also
  closes in flight → bank, so in flight holds only payments still pending (and
  that debit, should its statement still arrive, books nothing more);
* a debit carrying one of our EndToEndIds for another amount than instructed:
  in flight → bank for the instruction, the difference to suspense (signal
  "bedrag wijkt af"): suspense goes negative when more left than instructed;
* an unknown debit: suspense → bank (suspense goes negative until staff sort it out);
* staff assigning an unmatched credit: suspense → household vat (a credit assigned
  before the night booked it, e.g. after a crash between `match` and `book`, still
  gets its bank ← suspense entry first).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from datetime import date

from huishoudboekje.domain import ledger
from huishoudboekje.domain.bank_reconcile import (
    InstructionStatus,
    Reconciliation,
    SentPayment,
    TxStatus,
    our_reference,
    reconcile,
)
from huishoudboekje.domain.banking import BankTransaction, Statement
from huishoudboekje.domain.ids import (
    assignment_entry_id,
    bank_entry_id,
    opening_entry_id,
)
from huishoudboekje.domain.ledger import (
    BANK,
    FUND,
    IN_FLIGHT,
    SUSPENSE,
    JournalEntry,
    Posting,
    transfer,
)
from huishoudboekje.domain.money import Money

__all__ = [
    "InstructionStatus",
    "Reconciliation",
    "SentPayment",
    "TxStatus",
    "assignment_entry",
    "balance_differs",
    "booking_entry",
    "fingerprints",
    "new_transactions",
    "opening_correction",
    "opening_entry",
    "our_reference",
    "reconcile",
    "statement_period",
]


def _iban(text: str) -> str:
    return text.replace(" ", "").upper()


def fingerprints(statement: Statement) -> list[str]:
    """A format-independent key per transaction of `statement`, in order.

    (account, booking date, amount, counterparty IBAN, occurrence index among the
    identical-looking ones in this statement): the same booking read from a CAMT
    and from an MT940 or CSV export of the same day gets the same fingerprint,
    and two identical real payments get two different ones. Only compared with
    transactions that came in another format (within one format the connectors'
    dedupe keys are exact).
    """
    seen: Counter[tuple[str, str, str, str]] = Counter()
    out: list[str] = []
    for tx in statement.transactions:
        base = (
            _iban(statement.account_iban),
            tx.booking_date.isoformat(),
            str(tx.amount),
            _iban(tx.counterparty_iban),
        )
        occurrence = seen[base]
        seen[base] += 1
        raw = "|".join((*base, str(occurrence)))
        out.append("f:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32])
    return out


def new_transactions(
    statement: Statement,
    stored_keys: frozenset[str],
    stored_fingerprints: Mapping[str, frozenset[str]],
) -> list[tuple[BankTransaction, str]]:
    """The transactions of `statement` not seen before, each with its fingerprint.

    `stored_keys` are the dedupe keys already stored; `stored_fingerprints` maps a
    fingerprint to the source formats it is stored under. A transaction is known
    when its dedupe key is stored, or its fingerprint is stored from another format.
    Within the statement itself a repeated dedupe key counts once.
    """
    fresh: list[tuple[BankTransaction, str]] = []
    keys = set(stored_keys)
    for tx, fingerprint in zip(statement.transactions, fingerprints(statement), strict=True):
        if tx.dedupe_key in keys:
            continue
        formats = stored_fingerprints.get(fingerprint, frozenset())
        if formats - {statement.source_format}:
            continue
        keys.add(tx.dedupe_key)
        fresh.append((tx, fingerprint))
    return fresh


def statement_period(statement: Statement) -> tuple[date | None, date | None]:
    """The days a statement covers: its stated period, else its first and last booking
    day (many CAMT files carry no FrToDt), else unknown (an undated empty statement)."""
    days = [tx.booking_date for tx in statement.transactions]
    start = statement.period_start or (min(days) if days else None)
    end = statement.period_end or (max(days) if days else None)
    return start, end


# -------------------------------------------------------------------- booking


def booking_entry(
    dedupe_key: str,
    day: date,
    amount: Money,
    status: TxStatus,
    household: str | None,
    description: str,
    in_flight: Money | None = None,
) -> JournalEntry:
    """The journal entry for a decided transaction (see the module docstring).

    `in_flight` (from `Reconciliation.in_flight`) is the instructed amount a
    return or a settling debit clears from in flight besides its own amount.
    """
    eid = bank_entry_id(dedupe_key)
    size = abs(amount)
    meta = {"dedupe_key": dedupe_key}
    text = description[:200]
    if in_flight is not None and status in {TxStatus.RETURNED, TxStatus.SETTLED}:
        return _clearing_entry(eid, day, text, size, status, household, in_flight, meta)
    if status in {TxStatus.MATCHED, TxStatus.RETURNED}:
        if household is None:
            raise ValueError(f"{dedupe_key}: {status.value} needs a household")
        kind = "income" if status is TxStatus.MATCHED else "returned"
        return transfer(eid, day, text, BANK, ledger.vat(household), size, kind, meta)
    if status in {TxStatus.UNMATCHED, TxStatus.ASSIGNED}:
        return transfer(eid, day, text, BANK, SUSPENSE, size, "unmatched", meta)
    if status is TxStatus.SETTLED:
        return transfer(eid, day, text, IN_FLIGHT, BANK, size, "executed", meta)
    if status is TxStatus.UNKNOWN_DEBIT:
        return transfer(eid, day, text, SUSPENSE, BANK, size, "unknown_debit", meta)
    raise ValueError(f"{dedupe_key}: nothing to book for status {status.value}")


def _clearing_entry(
    eid: str,
    day: date,
    text: str,
    size: Money,
    status: TxStatus,
    household: str | None,
    in_flight: Money,
    meta: dict[str, str],
) -> JournalEntry:
    """In flight is cleared by the instructed amount; the bank moves by what the statement
    shows; the rest goes to the household's vat (a return) or to suspense (a debit)."""
    if status is TxStatus.RETURNED:
        if household is None:
            raise ValueError(f"{eid}: returned needs a household")
        # bank ← vat (the return) plus in flight → bank (the debit we never saw)
        legs = [(IN_FLIGHT, in_flight), (BANK, size - in_flight), (ledger.vat(household), -size)]
        kind = "returned"
    else:  # a debit for another amount: in flight → bank, difference → suspense
        legs = [(IN_FLIGHT, in_flight), (BANK, -size), (SUSPENSE, size - in_flight)]
        kind = "executed"
    postings = tuple(Posting(account, money) for account, money in legs if money)
    return JournalEntry(eid, day, text, postings, kind, meta=tuple(sorted(meta.items())))


def assignment_entry(dedupe_key: str, day: date, amount: Money, household: str) -> JournalEntry:
    """Staff assigned an unmatched credit: from suspense into the household's vat."""
    return transfer(
        assignment_entry_id(dedupe_key),
        day,
        f"Toegewezen aan {household}",
        SUSPENSE,
        ledger.vat(household),
        amount,
        "assigned",
        {"dedupe_key": dedupe_key},
    )


def opening_entry(account_iban: str, day: date, opening: Money) -> JournalEntry | None:
    """The one-time beginsaldo: the first statement's opening balance, against the fund.

    None for a zero opening balance (nothing to book). A negative opening balance
    (an overdrawn account) is booked the other way round by `transfer`'s sign.
    """
    if not opening:
        return None
    return _beginsaldo(opening_entry_id(_iban(account_iban)), day, "", opening)


def opening_correction(
    account_iban: str, statement_id: str, day: date, change: Money
) -> JournalEntry | None:
    """A statement older than every stored one arrived late: its transactions are booked
    now, but they were already inside the beginsaldo taken from the statement that used
    to be the first. `change` (its opening balance minus the beginsaldo booked so far)
    moves the beginsaldo back to its opening balance. None when nothing changes."""
    if not change:
        return None
    entry = opening_entry_id(_iban(account_iban), day, statement_id)
    return _beginsaldo(entry, day, " (eerder afschrift)", change)


def _beginsaldo(eid: str, day: date, note: str, amount: Money) -> JournalEntry:
    """Bank against the gemeente's fund: the beginsaldo, or a move of it."""
    return transfer(
        eid, day, f"Beginsaldo derdengeldenrekening{note}", BANK, FUND, amount, "opening"
    )


def balance_differs(ledger_bank: Money, closing: Money | None) -> Money | None:
    """The difference bank-in-ledger minus the statement's closing balance, if any."""
    if closing is None or ledger_bank == closing:
        return None
    return ledger_bank - closing
