"""Service functions around the nightly run that staff use (CLI now, web later).

`assign_transaction` gives an unmatched credit to a household (and optionally one
of its income streams): the money moves from suspense into the household's vat,
the income counts as received for the planner, the signal about it closes, and
the change is audit-logged. With an income it also says which terms would have
matched the credit to that income by itself (`term_teaching.suggestions`); staff
add one at once (`learn`) or afterwards (`teach_term`), so next month's credit
matches without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    append_journal_entries,
    get_state,
    load_household,
    record_audit,
    set_state,
)
from huishoudboekje.adapters.persistence.nightly_tables import BankTransactionRow
from huishoudboekje.adapters.persistence.planner_memory import (
    MEMORY_KEY,
    memory_from_json,
    memory_to_json,
)
from huishoudboekje.adapters.persistence.signal_repo import close_signal
from huishoudboekje.adapters.persistence.transaction_repo import (
    claim_unmatched,
    transaction,
    transaction_by_key,
)
from huishoudboekje.domain.bankbook import TxStatus, assignment_entry
from huishoudboekje.domain.household_state import IncomeReceipt
from huishoudboekje.domain.ids import unmatched_ageing_key, unmatched_key
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.simulation import RECEIPT_MEMORY_DAYS
from huishoudboekje.domain.term_suggestions import normalise
from huishoudboekje.services.database import on_engine
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.gemeente_scope import check_money_stays
from huishoudboekje.services.read_model import refresh_statuses
from huishoudboekje.services.term_teaching import add_term, suggestions


class AssignmentError(UserError, ValueError):
    """The transaction cannot be assigned (unknown, not unmatched, bad household/income)."""


@dataclass(frozen=True, slots=True)
class Assignment:
    """What `assign_transaction` did."""

    transaction_id: int
    dedupe_key: str
    household: str
    income_id: str | None
    amount: Money
    entry_id: str
    suggestions: tuple[str, ...] = ()  # terms that would have matched it by itself
    learned: tuple[str, ...] = ()  # of those, the ones added to the income now


def add_receipts(
    uow: UnitOfWork, household: str, receipts: Sequence[IncomeReceipt], today: date
) -> None:
    """Append income receipts to the household's planner memory (old ones age out)."""
    state = memory_from_json(household, get_state(uow, MEMORY_KEY, household=household))
    horizon = today - timedelta(days=RECEIPT_MEMORY_DAYS)
    kept = tuple(r for r in (*state.receipts, *receipts) if r.day >= horizon)
    set_state(
        uow, MEMORY_KEY, memory_to_json(replace(state, receipts=kept), today), household=household
    )


def find_transaction(uow: UnitOfWork, reference: str) -> BankTransactionRow:
    """The transaction `reference` names: its id, or else its dedupe key."""
    row: BankTransactionRow | None = None
    if reference.isdigit():
        row = transaction(uow, int(reference))
    if row is None:
        row = transaction_by_key(uow, reference)
    if row is None:
        raise AssignmentError(f"transactie {reference} bestaat niet")
    return row


TAKEN = "deze bijschrijving is net door iemand anders toegewezen of verdeeld; ververs de lijst"


def claim(uow: UnitOfWork, row: BankTransactionRow) -> None:
    """Claim the unmatched credit `row` in the database before booking anything;
    `AssignmentError` (nothing changed) when someone else assigned or split it since
    it was read. Two staff at once: exactly one of them books it."""
    if row.id is None or not claim_unmatched(uow, row.id):
        raise AssignmentError(TAKEN)


def assign_transaction(
    uow: UnitOfWork,
    reference: str,
    household_code: str,
    income_id: str | None,
    *,
    actor: str,
    today: date,
    at: datetime | None = None,
    learn: Sequence[str] = (),
) -> Assignment:
    """Assign an unmatched credit (by id or dedupe key) to a household and commit.

    With an income, the terms that would have matched it come back as `suggestions`;
    each of `learn` is added to that income in the same transaction (checked first:
    a term that would not match it to this income only changes nothing at all)."""
    row = find_transaction(uow, reference)
    if row.status != TxStatus.UNMATCHED.value or row.amount <= 0:
        raise AssignmentError(
            f"transactie {reference} staat op {row.status}; alleen een onbekende "
            "bijschrijving kan worden toegewezen"
        )
    household = load_household(uow, household_code)
    if household is None:
        raise AssignmentError(f"huishouden {household_code} bestaat niet")
    if income_id is not None and income_id not in {i.id for i in household.incomes}:
        raise AssignmentError(f"{household_code} heeft geen inkomstenbron {income_id}")
    if learn and income_id is None:
        raise AssignmentError("een zoekterm leren kan alleen bij een inkomstenbron (--income)")
    if row.id is not None:  # issue 22: the money stays in the gemeente it arrived for
        check_money_stays(uow, row.id, [household_code])
    claim(uow, row)  # before any write: the loser of a race changes nothing
    suggested = () if income_id is None else suggestions(uow, row, household_code, income_id)
    learned = tuple(
        add_term(uow, row, household_code, income_id, term, actor=actor, now=at)
        for term in learn
        if income_id is not None
    )
    amount = Money(row.amount)
    entry = assignment_entry(row.dedupe_key, row.booking_date, amount, household_code)
    before = {"status": row.status, "household": row.household, "income_id": row.income_id}
    append_journal_entries(uow, [entry])
    row.status = TxStatus.ASSIGNED.value
    row.household = household_code
    row.income_id = income_id
    reasons = dict(row.match_reasons or {})
    reasons["assigned_by"] = actor
    row.match_reasons = reasons
    uow.session.add(row)
    if income_id is not None:
        add_receipts(
            uow, household_code, [IncomeReceipt(income_id, row.booking_date, amount)], today
        )
    for key in (unmatched_key(row.dedupe_key), unmatched_ageing_key(row.dedupe_key)):
        close_signal(uow, key, today)
    record_audit(
        uow,
        actor=actor,
        action="transaction.assign",
        object_type="bank_transaction",
        object_id=row.dedupe_key,
        before=before,
        after={
            "status": row.status,
            "household": household_code,
            "income_id": income_id,
            "amount": amount,
        },
        at=at,
    )
    refresh_statuses(uow, [household_code])  # the read model, in the same transaction
    uow.commit()
    if row.id is None:  # pragma: no cover
        raise RuntimeError("stored transaction without id")
    return Assignment(
        row.id,
        row.dedupe_key,
        household_code,
        income_id,
        amount,
        entry.id,
        tuple(t for t in suggested if normalise(t) not in {normalise(x) for x in learned}),
        learned,
    )


@dataclass(frozen=True, slots=True)
class AssignedCredit:
    """A credit staff assigned to an income, and the terms that would have matched it."""

    transaction_id: int
    dedupe_key: str
    household: str
    income_id: str
    amount: Money
    booking_date: date
    counterparty_name: str
    description: str
    suggestions: tuple[str, ...]
    terms: tuple[str, ...] = ()  # the income's terms now


def _assigned(uow: UnitOfWork, reference: str) -> BankTransactionRow:
    row = find_transaction(uow, reference)
    if row.status != TxStatus.ASSIGNED.value or not row.household or not row.income_id:
        raise AssignmentError(
            f"transactie {reference} is niet aan een inkomstenbron toegewezen; "
            "een zoekterm leren kan pas daarna"
        )
    return row


def assigned_credit(uow: UnitOfWork, reference: str) -> AssignedCredit:
    """An assigned credit with the terms that would have matched it (read only)."""
    row = _assigned(uow, reference)
    household, income = str(row.household), str(row.income_id)
    stored = load_household(uow, household)
    streams = () if stored is None else stored.incomes
    return AssignedCredit(
        row.id or 0,
        row.dedupe_key,
        household,
        income,
        Money(row.amount),
        row.booking_date,
        row.counterparty_name,
        row.description,
        suggestions(uow, row, household, income),
        next((s.terms for s in streams if s.id == income), ()),
    )


def teach_term(
    uow: UnitOfWork, reference: str, term: str, *, actor: str, at: datetime | None = None
) -> AssignedCredit:
    """Add `term` to the income a credit was assigned to (no four-eyes, audit-logged);
    commits. `TermError` (nothing changed) when it would not match that credit there."""
    row = _assigned(uow, reference)
    add_term(uow, row, str(row.household), str(row.income_id), term, actor=actor, now=at)
    uow.commit()
    return assigned_credit(uow, reference)


# The same for a caller that holds an engine (`hhb assign`, the staff worklist): one
# unit of work around it.
assign_credit = on_engine(assign_transaction)
credit_with_suggestions = on_engine(assigned_credit)
teach_credit_term = on_engine(teach_term)
