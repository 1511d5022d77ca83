"""Staff split one unmatched credit over several households and incomes.

The parts must add up to the credit to the cent (`domain.credit_split`); anything
else is refused with one Dutch line and nothing changes. Each part is booked at
once as its own balanced entry, suspense → that household's vat (stable ids, so
nothing is ever booked twice); a part with an income counts as received for the
planner. The credit itself becomes "assigned" with the parts kept in its match
reasons: the night's `book` stage books its bank ← suspense entry once, like any
assigned credit, also when staff split it before the night booked it. Audit-logged
as ``transaction.split``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    append_journal_entries,
    load_household,
    record_audit,
)
from huishoudboekje.adapters.persistence.signal_repo import close_signal
from huishoudboekje.domain.bankbook import TxStatus
from huishoudboekje.domain.credit_split import (
    SplitError,
    SplitPart,
    check_split,
    parse_part,
    split_entries,
)
from huishoudboekje.domain.household_state import IncomeReceipt
from huishoudboekje.domain.ids import unmatched_ageing_key, unmatched_key
from huishoudboekje.domain.money import Money
from huishoudboekje.services.database import on_engine
from huishoudboekje.services.gemeente_scope import check_money_stays
from huishoudboekje.services.nightly import (
    AssignmentError,
    add_receipts,
    claim,
    find_transaction,
)
from huishoudboekje.services.read_model import refresh_statuses

__all__ = ["Split", "SplitPart", "parse_parts", "split_credit", "split_transaction"]


@dataclass(frozen=True, slots=True)
class Split:
    """What `split_transaction` did."""

    transaction_id: int
    dedupe_key: str
    amount: Money
    parts: tuple[SplitPart, ...]
    entry_ids: tuple[str, ...]


def parse_parts(texts: Sequence[str]) -> list[SplitPart]:
    """Parts written as CODE:INCOME:AMOUNT; `AssignmentError` for one that is not."""
    try:
        return [parse_part(text) for text in texts]
    except SplitError as exc:
        raise AssignmentError(str(exc)) from None


def _check_households(uow: UnitOfWork, parts: Sequence[SplitPart]) -> None:
    for part in parts:
        household = load_household(uow, part.household)
        if household is None:
            raise AssignmentError(f"huishouden {part.household} bestaat niet")
        if part.income_id is not None and part.income_id not in {i.id for i in household.incomes}:
            raise AssignmentError(f"{part.household} heeft geen inkomstenbron {part.income_id}")


def split_transaction(
    uow: UnitOfWork,
    reference: str,
    parts: Sequence[SplitPart],
    *,
    actor: str,
    today: date,
    at: datetime | None = None,
) -> Split:
    """Split an unmatched credit (by id or dedupe key) over `parts` and commit."""
    row = find_transaction(uow, reference)
    if row.status != TxStatus.UNMATCHED.value or row.amount <= 0:
        raise AssignmentError(
            f"transactie {reference} staat op {row.status}; alleen een onbekende "
            "bijschrijving kan worden verdeeld"
        )
    amount = Money(row.amount)
    try:
        check_split(amount, parts)
    except SplitError as exc:
        raise AssignmentError(str(exc)) from None
    _check_households(uow, parts)
    if row.id is not None:  # issue 22: the money stays in the gemeente it arrived for
        check_money_stays(uow, row.id, [p.household for p in parts])
    claim(uow, row)  # before any write: the loser of a race changes nothing
    entries = split_entries(row.dedupe_key, row.booking_date, parts)
    append_journal_entries(uow, entries)
    before = {"status": row.status, "household": row.household, "income_id": row.income_id}
    shares = [
        {"household": p.household, "income": p.income_id, "amount": str(p.amount)} for p in parts
    ]
    row.status = TxStatus.ASSIGNED.value
    row.household = None  # several: see the parts
    row.income_id = None
    row.match_reasons = {**(row.match_reasons or {}), "assigned_by": actor, "split": shares}
    uow.session.add(row)
    receipts: defaultdict[str, list[IncomeReceipt]] = defaultdict(list)
    for part in parts:
        if part.income_id is not None:
            receipts[part.household].append(
                IncomeReceipt(part.income_id, row.booking_date, part.amount)
            )
    for household, received in sorted(receipts.items()):
        add_receipts(uow, household, received, today)
    for key in (unmatched_key(row.dedupe_key), unmatched_ageing_key(row.dedupe_key)):
        close_signal(uow, key, today)
    record_audit(
        uow,
        actor=actor,
        action="transaction.split",
        object_type="bank_transaction",
        object_id=row.dedupe_key,
        before=before,
        after={"status": row.status, "amount": amount, "parts": shares},
        at=at,
    )
    refresh_statuses(uow, {p.household for p in parts})  # the read model, same transaction
    uow.commit()
    if row.id is None:  # pragma: no cover
        raise RuntimeError("stored transaction without id")
    return Split(row.id, row.dedupe_key, amount, tuple(parts), tuple(e.id for e in entries))


# For a caller that holds an engine (`hhb assign --split`, the staff worklist).
split_credit = on_engine(split_transaction)
