"""Payment instructions and the payment files they go out in (none of these commit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, or_, update
from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from huishoudboekje.adapters.persistence.crud import record_of, values_of
from huishoudboekje.adapters.persistence.nightly_tables import (
    BankTransactionRow,
    PaymentFileRow,
    PaymentInstructionRow,
)
from huishoudboekje.adapters.persistence.tables import HouseholdRow, table_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork, in_chunks
from huishoudboekje.domain.bankbook import InstructionStatus, SentPayment, TxStatus
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.payments import PaymentInstruction


def add_instructions(
    uow: UnitOfWork, instructions: Iterable[PaymentInstruction], instructed_on: date
) -> int:
    """Store new instructions (status instructed); one already stored is left alone.

    Which are stored already is read in one query per `IN_CHUNK` ids, not one per
    instruction (a round trip each: minutes at 100,000 households on PostgreSQL)."""
    pending = list(instructions)
    ids = list(dict.fromkeys(i.end_to_end_id for i in pending))
    table = table_of(PaymentInstructionRow)
    stored = {
        str(found)
        for chunk in in_chunks(ids)
        for found in uow.read(
            select_columns(table.c.end_to_end_id).where(table.c.end_to_end_id.in_(chunk))
        ).scalars()
    }
    added = 0
    for instruction in pending:
        if instruction.end_to_end_id in stored:
            continue
        stored.add(instruction.end_to_end_id)  # the same id twice in `instructions`: once
        uow.session.add(
            PaymentInstructionRow(
                **values_of(instruction, amount=instruction.amount.amount),
                status=InstructionStatus.INSTRUCTED.value,
                instructed_on=instructed_on,
                return_reason="",
            )
        )
        added += 1
    uow.session.flush()
    return added


def to_instruction(row: PaymentInstructionRow) -> PaymentInstruction:
    """The domain value of a stored instruction."""
    return record_of(PaymentInstruction, row, amount=Money(row.amount))


def instruction_rows(
    uow: UnitOfWork,
    *,
    status: InstructionStatus | None = None,
    payment_file: str | None = None,
    ids: Sequence[str] | None = None,
    instructed_on: date | None = None,
    gemeente: tuple[int, int] | None = None,
) -> list[PaymentInstructionRow]:
    """Stored instructions, ordered by execution date and EndToEndId. `gemeente`:
    (gemeente id, the first gemeente's id): only those of that gemeente's households
    (a household not stored counts as the first gemeente's)."""
    statement = select(PaymentInstructionRow).order_by(
        col(PaymentInstructionRow.execution_date), col(PaymentInstructionRow.end_to_end_id)
    )
    if gemeente is not None:
        statement = statement.where(_gemeente_of_household(gemeente[1]) == gemeente[0])
    if instructed_on is not None:
        statement = statement.where(col(PaymentInstructionRow.instructed_on) == instructed_on)
    if status is not None:
        statement = statement.where(col(PaymentInstructionRow.status) == status.value)
    if payment_file is not None:
        statement = statement.where(col(PaymentInstructionRow.payment_file) == payment_file)
    return _instructions_among(uow, statement, PaymentInstructionRow.end_to_end_id, ids)


def _gemeente_of_household(first: int) -> Any:
    """The gemeente id of each instruction's household (`first` when it is not stored)."""
    household = table_of(HouseholdRow)
    of_household = (
        select_columns(household.c.gemeente_id)
        .where(household.c.code == table_of(PaymentInstructionRow).c.household)
        .scalar_subquery()
    )
    return func.coalesce(of_household, first)


def instructed_days(uow: UnitOfWork, first: int) -> list[tuple[int, date]]:
    """(gemeente id, execution date) of the instructions not exported yet, each pair
    once: what the export's files will be, without reading every instruction (`first`:
    the gemeente of a household that is not stored)."""
    table = table_of(PaymentInstructionRow)
    gemeente = _gemeente_of_household(first)
    statement = (
        select_columns(gemeente, table.c.execution_date)
        .where(table.c.status == InstructionStatus.INSTRUCTED.value)
        .group_by(gemeente, table.c.execution_date)
    )
    return [(int(gemeente_id), day) for gemeente_id, day in uow.read(statement)]


def extra_instruction_rows(
    uow: UnitOfWork,
    *,
    charge_ids: Sequence[str] | None = None,
    status: InstructionStatus | None = None,
) -> list[PaymentInstructionRow]:
    """Stored extra payments (kind "extra", one per attempt of a household request),
    optionally only those of some requests (their `charge_id`) or with one status;
    oldest instruction first."""
    statement = (
        select(PaymentInstructionRow)
        .where(col(PaymentInstructionRow.kind) == "extra")
        .order_by(
            col(PaymentInstructionRow.instructed_on), col(PaymentInstructionRow.end_to_end_id)
        )
    )
    if status is not None:
        statement = statement.where(col(PaymentInstructionRow.status) == status.value)
    rows = _instructions_among(uow, statement, PaymentInstructionRow.charge_id, charge_ids)
    return sorted(rows, key=lambda r: (r.instructed_on, r.end_to_end_id))


def _instructions_among(
    uow: UnitOfWork,
    statement: SelectOfScalar[PaymentInstructionRow],
    column: Any,
    values: Sequence[str] | None,
) -> list[PaymentInstructionRow]:
    """The rows of `statement`: all, or (asked in chunks) those whose `column` is
    one of `values`."""
    if values is None:
        return list(uow.session.exec(statement))
    rows: list[PaymentInstructionRow] = []
    for chunk in in_chunks(list(values)):
        rows.extend(uow.session.exec(statement.where(col(column).in_(chunk))))
    return rows


def sent_payments(uow: UnitOfWork, ids: Sequence[str]) -> dict[str, SentPayment]:
    """Reconciliation's view of the instructions with these EndToEndIds."""
    rows = instruction_rows(uow, ids=[i for i in ids if i])
    returned = [r.end_to_end_id for r in rows if r.status == InstructionStatus.RETURNED.value]
    implied = _debits_implied(uow, returned)
    return {
        row.end_to_end_id: SentPayment(
            row.end_to_end_id,
            row.household,
            Money(row.amount),
            InstructionStatus(row.status),
            row.end_to_end_id in implied,
        )
        for row in rows
    }


def _debits_implied(uow: UnitOfWork, returned: Sequence[str]) -> set[str]:
    """Returned instructions whose return also booked the debit, and whose debit has
    not turned up since."""
    if not returned:
        return set()
    wanted = set(returned)
    implied: set[str] = set()
    turned_up: set[str] = set()
    statement = select(BankTransactionRow).where(
        or_(
            col(BankTransactionRow.end_to_end_id).in_(returned),
            col(BankTransactionRow.original_end_to_end_id).in_(returned),
        )
    )
    for row in uow.session.exec(statement):
        reasons = row.match_reasons or {}
        e2e = str(reasons.get("end_to_end_id", ""))
        if e2e not in wanted:
            continue
        if row.status == TxStatus.RETURNED.value and "in_flight" in reasons:
            implied.add(e2e)
        elif row.status == TxStatus.DEBIT_ALREADY_BOOKED.value:
            turned_up.add(e2e)
    return implied - turned_up


def set_instruction_status(
    uow: UnitOfWork, end_to_end_id: str, status: InstructionStatus, return_reason: str = ""
) -> None:
    """Move one instruction on in its life."""
    row = uow.session.get(PaymentInstructionRow, end_to_end_id)
    if row is None:
        raise LookupError(f"no instruction {end_to_end_id}")
    row.status = status.value
    if return_reason:
        row.return_reason = return_reason
    uow.session.add(row)
    uow.session.flush()


def record_payment_file(
    uow: UnitOfWork,
    *,
    msg_id: str,
    path: str,
    version: str,
    execution_dates: Sequence[date],
    sha256: str,
    number_of_transactions: int,
    control_sum: Money,
    night: date,
    created_at: datetime,
    end_to_end_ids: Sequence[str],
    moved: Mapping[str, date] | None = None,
) -> None:
    """Record a payment file (not yet written) and mark its instructions in flight.

    `moved`: instructions whose execution date the file moved (EndToEndId → new
    date), stored in the same transaction so a repaired file rebuilds the same.
    """
    uow.session.add(
        PaymentFileRow(
            msg_id=msg_id,
            path=path,
            version=version,
            execution_dates=[d.isoformat() for d in execution_dates],
            sha256=sha256,
            number_of_transactions=number_of_transactions,
            control_sum=control_sum.amount,
            night=night,
            created_at=created_at,
            written=False,
        )
    )
    uow.session.flush()  # the file's row first: its instructions refer to it
    # set-based updates, not a loaded and tracked row object per instruction
    for chunk in in_chunks(list(end_to_end_ids)):
        uow.session.execute(
            update(_INSTRUCTION)
            .where(_INSTRUCTION.c.end_to_end_id.in_(chunk))
            .values(status=InstructionStatus.IN_FLIGHT.value, payment_file=msg_id)
        )
    wanted = set(end_to_end_ids)
    dates = [{"e2e": e2e, "day": day} for e2e, day in (moved or {}).items() if e2e in wanted]
    if dates:
        uow.session.execute(
            update(_INSTRUCTION)
            .where(_INSTRUCTION.c.end_to_end_id == bindparam("e2e"))
            .values(execution_date=bindparam("day")),
            dates,
        )


def payment_files(
    uow: UnitOfWork, *, written: bool | None = None, night: date | None = None
) -> list[PaymentFileRow]:
    """Recorded payment files in MsgId order (optionally only (un)written ones)."""
    statement = select(PaymentFileRow).order_by(
        col(PaymentFileRow.night), col(PaymentFileRow.msg_id)
    )
    if written is not None:
        statement = statement.where(col(PaymentFileRow.written) == written)
    if night is not None:
        statement = statement.where(col(PaymentFileRow.night) == night)
    return list(uow.session.exec(statement))


def mark_written(uow: UnitOfWork, msg_id: str) -> None:
    """The file is on disk."""
    row = uow.session.get(PaymentFileRow, msg_id)
    if row is None:
        raise LookupError(f"no payment file {msg_id}")
    row.written = True
    uow.session.add(row)
    uow.session.flush()


def returned_instructions(uow: UnitOfWork) -> list[PaymentInstructionRow]:
    """Instructions the bank sent back, latest execution date first."""
    statement = (
        select(PaymentInstructionRow)
        .where(col(PaymentInstructionRow.status) == InstructionStatus.RETURNED.value)
        .order_by(col(PaymentInstructionRow.execution_date).desc())
    )
    return list(uow.session.exec(statement))


def returned_charge_payments(
    uow: UnitOfWork, households: Sequence[str]
) -> dict[str, tuple[tuple[str, Money], ...]]:
    """Per household, its fixed-charge instructions the bank sent back, as
    (EndToEndId, instructed amount) in id order (the planner's `HouseholdState.returned`)."""
    result: dict[str, list[tuple[str, Money]]] = {}
    for chunk in in_chunks(list(households)):
        statement = (
            select(PaymentInstructionRow)
            .where(col(PaymentInstructionRow.household).in_(chunk))
            .where(col(PaymentInstructionRow.kind) == "charge")
            .where(col(PaymentInstructionRow.status) == InstructionStatus.RETURNED.value)
        )
        for row in uow.session.exec(statement):
            result.setdefault(row.household, []).append((row.end_to_end_id, Money(row.amount)))
    return {code: tuple(sorted(rows)) for code, rows in result.items()}


# Read on every Vandaag and Betaald view: plain columns, built once (see persistence.journal).
_INSTRUCTION = table_of(PaymentInstructionRow)
_HOUSEHOLD_CHARGES = (
    select_columns(
        *(
            _INSTRUCTION.c[name]
            for name in (
                "end_to_end_id",
                "charge_id",
                "payee_name",
                "amount",
                "execution_date",
                "status",
                "return_reason",
            )
        )
    )
    .where(_INSTRUCTION.c.household == bindparam("household"))
    .where(_INSTRUCTION.c.kind == "charge")
    .where(_INSTRUCTION.c.execution_date >= bindparam("since"))
    .order_by(_INSTRUCTION.c.execution_date.desc())
)


def household_charge_instructions(
    uow: UnitOfWork, household: str, since: date
) -> list[tuple[Any, ...]]:
    """The household's fixed-charge instructions executing on or after `since`, newest
    first, as (end_to_end_id, charge_id, payee_name, amount, execution_date, status,
    return_reason) tuples, without building row objects."""
    rows = uow.read(_HOUSEHOLD_CHARGES, {"household": household, "since": since})
    return [tuple(row) for row in rows]


_EXECUTION_DATES = select_columns(
    _INSTRUCTION.c.end_to_end_id, _INSTRUCTION.c.execution_date
).where(_INSTRUCTION.c.household == bindparam("household"))


def household_execution_dates(uow: UnitOfWork, household: str) -> dict[str, date]:
    """The execution date of every stored instruction of the household, by EndToEndId
    (issue 23.2: the overviews date a payment by the day it is executed)."""
    rows = uow.read(_EXECUTION_DATES, {"household": household})
    out = {}
    for e2e, day in rows:
        out[str(e2e)] = day if isinstance(day, date) else date.fromisoformat(str(day))
    return out
