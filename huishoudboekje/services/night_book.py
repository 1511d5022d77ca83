"""Stage `book`'s work: one journal entry per decided transaction, in one DB transaction.

Matched incomes go bank ← vat and become income receipts in the household's
planner memory (the planner itself repays an open advance first and fills the
reserves when it plans tonight, so that is not done twice here). A credit staff
assigned or split (`nightly.assign_transaction`, `split_credit.split_transaction`)
is "assigned": staff booked suspense → vat (one entry per part for a split) and
its receipts when they did it, so here it gets only its bank ← suspense entry,
once, also when staff were earlier than this stage. Afterwards the
ledger's bank account must equal the latest statement's closing balance; a
difference raises a "saldo verschil" signal and is never absorbed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from huishoudboekje.adapters.persistence.household_batch import put_states, state_values
from huishoudboekje.adapters.persistence.journal import append_journal_entries
from huishoudboekje.adapters.persistence.planner_memory import (
    MEMORY_KEY,
    memory_from_json,
    memory_to_json,
)
from huishoudboekje.adapters.persistence.repository import load_gemeente, pooled_account_owners
from huishoudboekje.adapters.persistence.signal_repo import close_stale_signals, upsert_signals
from huishoudboekje.adapters.persistence.statement_repo import last_statement
from huishoudboekje.adapters.persistence.transaction_repo import (
    bank_balance,
    transaction_columns,
    update_transactions,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.bankbook import TxStatus, balance_differs, booking_entry
from huishoudboekje.domain.household_state import IncomeReceipt
from huishoudboekje.domain.ledger import JournalEntry
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.simulation import RECEIPT_MEMORY_DAYS
from huishoudboekje.services.night_work import NightWork, StageResult

BOOKABLE = (
    TxStatus.MATCHED,
    TxStatus.UNMATCHED,
    TxStatus.SETTLED,
    TxStatus.RETURNED,
    TxStatus.UNKNOWN_DEBIT,
    TxStatus.ASSIGNED,  # assigned by staff before this stage booked it (see bankbook)
)


@dataclass(frozen=True)
class BookResult(StageResult):
    """Stage `book`: entries booked, and the bank balance difference (None: none)."""

    booked: int
    balance_difference: str | None


def book_transactions(work: NightWork) -> BookResult:
    """Book every decided, unbooked transaction; then check the bank balance."""
    with UnitOfWork(work.engine) as uow:
        rows = transaction_columns(uow, *BOOKABLE, unbooked=True)
        entries: list[JournalEntry] = []
        changes: list[dict[str, Any]] = []
        receipts: dict[str, list[IncomeReceipt]] = defaultdict(list)
        for row in rows:
            status = TxStatus(row.status)
            amount = Money(row.amount)
            entry = booking_entry(
                row.dedupe_key,
                row.booking_date,
                amount,
                status,
                row.household,
                row.description or row.counterparty_name or status.value,
                _in_flight(row.match_reasons),
            )
            entries.append(entry)
            changes.append({"id": row.id, "journal_entry_id": entry.id})
            if status is TxStatus.MATCHED and row.household and row.income_id:
                receipts[row.household].append(
                    IncomeReceipt(row.income_id, row.booking_date, amount)
                )
        update_transactions(uow, changes)
        append_journal_entries(uow, entries)
        store_receipts(uow, receipts, work)
        mismatch = check_balance(uow, work)
        uow.commit()
    return BookResult(len(entries), mismatch)


def _in_flight(reasons: dict[str, Any] | None) -> Money | None:
    """The instructed amount `reconcile` said this transaction clears from in flight."""
    value = (reasons or {}).get("in_flight")
    return None if value is None else Money(str(value))


def store_receipts(
    uow: UnitOfWork, receipts: dict[str, list[IncomeReceipt]], work: NightWork
) -> None:
    """Append income receipts to each household's planner memory, in bulk."""
    codes = sorted(receipts)
    horizon = work.night - timedelta(days=RECEIPT_MEMORY_DAYS)
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        stored = state_values(uow, chunk, (MEMORY_KEY,))
        memories: dict[tuple[str, str], Any] = {}
        for code in chunk:
            state = memory_from_json(code, stored.get((code, MEMORY_KEY)))
            kept = tuple(r for r in (*state.receipts, *receipts[code]) if r.day >= horizon)
            memories[(code, MEMORY_KEY)] = memory_to_json(replace(state, receipts=kept), work.night)
        put_states(uow, memories, stored)


def check_balance(uow: UnitOfWork, work: NightWork) -> str | None:
    """Compare the ledger's bank account with the latest statement's closing balance.

    Issue 22: with several pooled accounts (several gemeenten) the ledger's bank account
    holds them all, so it is compared with the sum of the latest closing balance of
    every account that has statements."""
    gemeente = load_gemeente(uow)
    if gemeente is None:
        return None
    accounts = [
        gemeente.account_iban,
        *sorted(set(pooled_account_owners(uow)) - {gemeente.account_iban}),
    ]
    latests = [s for s in (last_statement(uow, iban) for iban in accounts) if s is not None]
    if not latests:
        return None
    latest = latests[0]
    closing = latest.closing
    if len(latests) > 1:
        closings = [s.closing for s in latests]
        closing = (
            None
            if any(c is None for c in closings)
            else sum((c for c in closings if c is not None), Money("0"))
        )
    ledger_bank = bank_balance(uow)
    difference = balance_differs(ledger_bank, closing)
    if difference is None or closing is None:
        close_stale_signals(uow, "balance", work.night + timedelta(days=1))
        return None
    account = " + ".join(s.account_iban for s in latests)
    statement = " + ".join(s.statement_id for s in latests)
    signal = night_signals.balance_mismatch(account, statement, ledger_bank, closing)
    upsert_signals(uow, [signal], work.night, "balance")
    work.problem(signal.message)
    return str(difference)
