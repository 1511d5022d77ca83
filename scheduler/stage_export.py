"""Stage `export`: one pain.001 file per pooled account and execution date for
instructions not yet exported (issue 22: with several gemeenten, each gemeente's files
have its first pooled account as debtor and go in the outbox subfolder named by that
IBAN; a one-gemeente installation writes to the outbox itself, as always).

Crash-safe in two steps: first the file is *recorded* (its MsgId, and its
instructions move to in_flight) in one DB transaction, then the bytes are
written (atomically, by `connectors.pain001.write_pain001`) and the record is
marked written. A crash between the two leaves a recorded, unwritten file,
which the next export rebuilds from the stored instructions and its stored
creation moment: identical bytes, and an instruction is never exported twice.
The database side is `services.night_export`; building and writing the bytes
is the connector's, here.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

from huishoudboekje.domain.payments import Debtor, PaymentInstruction
from huishoudboekje.services.night_export import (
    ExportBatch,
    ExportResult,
    PaymentFile,
    account_export,
    debtor,
    export_groups,
    exports_per_account,
    mark_file_written,
    payer_of,
    record_export_problem,
    record_file,
    unwritten_files,
)
from huishoudboekje.services.night_work import plain_problem
from scheduler.context import NightContext

log = logging.getLogger("hhb.nightly")


def pain001_module() -> ModuleType | None:
    """`connectors.pain001`, or None while it is not built in this checkout."""
    try:
        return importlib.import_module("connectors.pain001")
    except ModuleNotFoundError as exc:
        if exc.name == "connectors.pain001":
            return None
        raise


def export_payments(ctx: NightContext) -> ExportResult:
    """Repair unwritten files, then export every instructed, unexported instruction."""
    pain001 = pain001_module()
    if pain001 is None:
        ctx.problem("export overgeslagen: connectors.pain001 ontbreekt")
        return ExportResult(files=0, skipped="connectors.pain001 ontbreekt")
    payer = debtor(ctx.engine)
    repaired = _repair(ctx, pain001, payer)
    written = 0
    # issue 22: each paying pooled account gets its own files (one per execution date)
    for batch in exports_per_account(ctx.engine, ctx.real_day):
        for day in sorted(batch.groups):
            try:
                _export(ctx, pain001, batch.debtor or payer, batch.groups[day], batch)
                written += 1
            except Exception as exc:  # e.g. a payee IBAN the bank would refuse
                log.exception("%s: export of the payments for %s failed", ctx.night, day)
                record_export_problem(ctx, day, plain_problem(exc), batch.folder)
    return ExportResult(files=written, repaired=repaired)


def export_file(ctx: NightContext, account: str, day: date) -> ExportResult:
    """One payment file: the instructions of pooled account `account` to execute on
    `day` not exported yet (a spread night's `export` batch). None left (a batch done
    again after a worker died) is no file."""
    pain001 = pain001_module()
    if pain001 is None:
        ctx.problem("export overgeslagen: connectors.pain001 ontbreekt")
        return ExportResult(files=0, skipped="connectors.pain001 ontbreekt")
    payer = payer_of(ctx.engine, account)
    if payer is None:
        ctx.problem(f"betaalbestand voor {day} niet gemaakt: rekening {account} is onbekend")
        return ExportResult(files=0)
    batch = account_export(ctx.engine, ctx.real_day, account)
    group = None if batch is None else batch.groups.get(day)
    if batch is None or not group:
        return ExportResult(files=0)
    try:
        _export(ctx, pain001, payer, group, batch)
    except Exception as exc:  # e.g. a payee IBAN the bank would refuse
        log.exception("%s: export of the payments for %s failed", ctx.night, day)
        record_export_problem(ctx, day, plain_problem(exc), batch.folder)
        return ExportResult(files=0)
    return ExportResult(files=1)


def tonight_groups(ctx: NightContext) -> list[tuple[str, date]]:
    """(pooled account, execution date) of every payment file the export makes tonight."""
    return export_groups(ctx.engine, ctx.real_day)


def repair_files(ctx: NightContext) -> int | None:
    """Rebuild and write every recorded, unwritten file; None without the connector."""
    pain001 = pain001_module()
    if pain001 is None:
        return None
    return _repair(ctx, pain001, debtor(ctx.engine))


def _outbox(ctx: NightContext, folder: str) -> Path:
    """The outbox, or (several gemeenten) its subfolder of one pooled account."""
    return ctx.paths.outbox / folder if folder else ctx.paths.outbox


def _export(
    ctx: NightContext,
    pain001: ModuleType,
    payer: Debtor,
    group: list[PaymentInstruction],
    batch: ExportBatch,
) -> None:
    """Record the file (moved execution dates and their signals with it), then write it."""
    message = pain001.build_pain001(group, payer, created_at=ctx.created_at)
    path = _outbox(ctx, batch.folder) / f"pain001-{message.msg_id}.xml"
    payment_file = PaymentFile(
        msg_id=message.msg_id,
        path=str(path),
        version=message.version,
        execution_dates=message.execution_dates,
        sha256=hashlib.sha256(message.xml).hexdigest(),
        number_of_transactions=message.number_of_transactions,
        control_sum=message.control_sum,
    )
    record_file(ctx, payment_file, group, batch)
    _write(ctx, pain001, message, batch.folder)


def _write(ctx: NightContext, pain001: ModuleType, message: Any, folder: str = "") -> Path:
    """Write the file's bytes, then mark its record written."""
    outbox = _outbox(ctx, folder)
    outbox.mkdir(parents=True, exist_ok=True)
    path: Path = pain001.write_pain001(message, outbox)
    mark_file_written(ctx.engine, message.msg_id)
    return path


def _repair(ctx: NightContext, pain001: ModuleType, payer: Debtor) -> int:
    """Rebuild and write every recorded, unwritten file; the same MsgId or it fails."""
    repaired = 0
    for record in unwritten_files(ctx.engine):
        message = pain001.build_pain001(
            list(record.instructions),
            record.debtor or payer,
            created_at=record.created_at,
            version=record.version,
        )
        if message.msg_id != record.msg_id:
            raise RuntimeError(f"payment file {record.msg_id} rebuilds as {message.msg_id}")
        _write(ctx, pain001, message, record.folder)
        repaired += 1
    return repaired
