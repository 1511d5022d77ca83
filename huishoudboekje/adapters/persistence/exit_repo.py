"""The exit of a household and its checklist (issue 19.6), and the reads the
checklist ticks itself from: credits after a day, the eindafrekening's payments.
None of these commit; they hand back frozen records, never rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import col, select

from huishoudboekje.adapters.persistence.crud import upsert
from huishoudboekje.adapters.persistence.exit_tables import ExitCheckRow, ExitRow
from huishoudboekje.adapters.persistence.nightly_tables import (
    BankTransactionRow,
    PaymentInstructionRow,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class StoredExit:
    household: str
    last_day: date
    reason: str
    started_by: str
    started_at: datetime


@dataclass(frozen=True, slots=True)
class StoredTick:
    item: str
    done_by: str
    done_at: datetime
    note: str


@dataclass(frozen=True, slots=True)
class CreditSeen:
    """A credit booked for the household (matched or assigned by staff)."""

    booking_date: date
    amount: Decimal
    counterparty_name: str
    counterparty_iban: str
    income_id: str | None


@dataclass(frozen=True, slots=True)
class PayoutSeen:
    """A payment of the eindafrekening (what was left, to the household's own account)."""

    end_to_end_id: str
    amount: Decimal
    execution_date: date
    status: str


def stored_exit(uow: UnitOfWork, household: str) -> StoredExit | None:
    """The exit started for `household`, or None."""
    row = uow.session.get(ExitRow, household)
    if row is None:
        return None
    return StoredExit(row.household, row.last_day, row.reason, row.started_by, row.started_at)


def save_exit(uow: UnitOfWork, exit_: StoredExit) -> None:
    """Insert or replace the exit of `exit_.household`."""
    values = {
        "last_day": exit_.last_day,
        "reason": exit_.reason,
        "started_by": exit_.started_by,
        "started_at": exit_.started_at,
    }
    upsert(uow, ExitRow, {"household": exit_.household}, values)


def stored_ticks(uow: UnitOfWork, household: str) -> dict[str, StoredTick]:
    """The items staff ticked for `household`, by item."""
    statement = select(ExitCheckRow).where(col(ExitCheckRow.household) == household)
    return {
        row.item: StoredTick(row.item, row.done_by, row.done_at, row.note)
        for row in uow.session.exec(statement)
    }


def save_tick(uow: UnitOfWork, household: str, tick: StoredTick) -> None:
    """Record an item as ticked by staff (again: the newest tick counts)."""
    values = {"done_by": tick.done_by, "done_at": tick.done_at, "note": tick.note}
    upsert(uow, ExitCheckRow, {"household": household, "item": tick.item}, values)


def delete_tick(uow: UnitOfWork, household: str, item: str) -> bool:
    """Remove a staff tick; False when there was none."""
    row = uow.session.get(ExitCheckRow, (household, item))
    if row is None:
        return False
    uow.session.delete(row)
    uow.session.flush()
    return True


def credits_after(uow: UnitOfWork, household: str, day: date) -> list[CreditSeen]:
    """The household's credits booked after `day`, oldest first."""
    statement = (
        select(BankTransactionRow)
        .where(col(BankTransactionRow.household) == household)
        .where(col(BankTransactionRow.booking_date) > day)
        .order_by(col(BankTransactionRow.booking_date), col(BankTransactionRow.id))
    )
    return [
        CreditSeen(
            row.booking_date,
            row.amount,
            row.counterparty_name,
            row.counterparty_iban,
            row.income_id,
        )
        for row in uow.session.exec(statement)
        if row.amount > 0  # credits only
    ]


def payouts_since(uow: UnitOfWork, household: str, subject: str, day: date) -> list[PayoutSeen]:
    """The household's own-account payments of `subject` ("restant") executing on or
    after `day`, oldest first."""
    statement = (
        select(PaymentInstructionRow)
        .where(col(PaymentInstructionRow.household) == household)
        .where(col(PaymentInstructionRow.charge_id) == subject)
        .where(col(PaymentInstructionRow.execution_date) >= day)
        .order_by(col(PaymentInstructionRow.execution_date))
    )
    return [
        PayoutSeen(row.end_to_end_id, row.amount, row.execution_date, row.status)
        for row in uow.session.exec(statement)
    ]
