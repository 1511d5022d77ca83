"""Stage `export`: one pain.001 file per execution date for instructions not yet exported.

Crash-safe in two steps: first the file is *recorded* (its MsgId, and its
instructions move to in_flight) in one DB transaction, then the bytes are
written (atomically, by `connectors.pain001.write_pain001`) and the record is
marked written. A crash between the two leaves a recorded, unwritten file,
which the next export rebuilds from the stored instructions and its stored
creation moment: identical bytes, and an instruction is never exported twice.
"""

from __future__ import annotations

import hashlib
import importlib
from collections import defaultdict
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

from huishoudboekje.adapters.persistence import UnitOfWork, load_gemeente
from huishoudboekje.adapters.persistence.nightly_repo import (
    instruction_rows,
    mark_written,
    payment_files,
    record_payment_file,
    to_instruction,
    upsert_signals,
)
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.payments import Debtor, PaymentInstruction, not_before
from huishoudboekje.services.household_status import plan_settings
from scheduler.context import AMSTERDAM, NightContext


def pain001_module() -> ModuleType | None:
    """`connectors.pain001`, or None while it is not built in this checkout."""
    try:
        return importlib.import_module("connectors.pain001")
    except ModuleNotFoundError as exc:
        if exc.name == "connectors.pain001":
            return None
        raise


def export_payments(ctx: NightContext) -> dict[str, Any]:
    """Repair unwritten files, then export every instructed, unexported instruction."""
    pain001 = pain001_module()
    if pain001 is None:
        ctx.problem("export overgeslagen: connectors.pain001 ontbreekt")
        return {"skipped": "connectors.pain001 ontbreekt", "files": 0}
    with UnitOfWork(ctx.engine) as uow:
        gemeente = load_gemeente(uow)
        if gemeente is None:
            raise RuntimeError("no gemeente configured")
        debtor = Debtor(gemeente.account_name, gemeente.account_iban, gemeente.bic)
        earliest = plan_settings(gemeente).calendar.on_or_after(ctx.real_day)
        repaired = _repair(ctx, uow, pain001, debtor)
        groups: dict[date, list[PaymentInstruction]] = defaultdict(list)
        planned: dict[str, date] = {}
        for row in instruction_rows(uow, status=InstructionStatus.INSTRUCTED):
            instruction = not_before(to_instruction(row), earliest)
            if instruction.execution_date != row.execution_date:
                planned[instruction.end_to_end_id] = row.execution_date
            groups[instruction.execution_date].append(instruction)
    written = 0
    for day in sorted(groups):
        try:
            _export(ctx, pain001, debtor, groups[day], planned)
            written += 1
        except Exception as exc:  # e.g. a payee IBAN the bank would refuse
            ctx.problem(f"betaalbestand voor {day} niet gemaakt: {exc}")
            with UnitOfWork(ctx.engine) as uow:
                signal = night_signals.night_problem("", f"export {day}", ctx.night, str(exc))
                upsert_signals(uow, [signal], ctx.night, "event")
                uow.commit()
    return {"files": written, "repaired": repaired}


def _export(
    ctx: NightContext,
    pain001: ModuleType,
    debtor: Debtor,
    group: list[PaymentInstruction],
    planned: dict[str, date],
) -> None:
    """Record the file (moved execution dates and their signals with it), then write it."""
    message = pain001.build_pain001(group, debtor, created_at=ctx.created_at)
    moved = [i for i in group if i.end_to_end_id in planned]
    path = ctx.paths.outbox / f"pain001-{message.msg_id}.xml"
    with UnitOfWork(ctx.engine) as uow:
        record_payment_file(
            uow,
            msg_id=message.msg_id,
            path=str(path),
            version=message.version,
            execution_dates=message.execution_dates,
            sha256=hashlib.sha256(message.xml).hexdigest(),
            number_of_transactions=message.number_of_transactions,
            control_sum=message.control_sum,
            night=ctx.night,
            created_at=ctx.created_at,
            end_to_end_ids=[i.end_to_end_id for i in group],
            moved={i.end_to_end_id: i.execution_date for i in moved},
        )
        signals = [night_signals.payment_moved(i, planned[i.end_to_end_id]) for i in moved]
        if signals:
            upsert_signals(uow, signals, ctx.night, "event")
        uow.commit()
    _write(ctx, pain001, message)


def _write(ctx: NightContext, pain001: ModuleType, message: object) -> Path:
    ctx.paths.outbox.mkdir(parents=True, exist_ok=True)
    path: Path = pain001.write_pain001(message, ctx.paths.outbox)
    with UnitOfWork(ctx.engine) as uow:
        mark_written(uow, message.msg_id)  # type: ignore[attr-defined]
        uow.commit()
    return path


def _repair(ctx: NightContext, uow: UnitOfWork, pain001: ModuleType, debtor: Debtor) -> int:
    repaired = 0
    for record in payment_files(uow, written=False):
        group = [to_instruction(r) for r in instruction_rows(uow, payment_file=record.msg_id)]
        message = pain001.build_pain001(
            group,
            debtor,
            created_at=record.created_at.astimezone(AMSTERDAM),
            version=record.version,
        )
        if message.msg_id != record.msg_id:
            raise RuntimeError(f"payment file {record.msg_id} rebuilds as {message.msg_id}")
        _write(ctx, pain001, message)
        repaired += 1
    return repaired
