"""Stage `export`'s database work: which instructions go out, and the record of each
payment file (the scheduler builds and writes the pain.001 bytes with the connector).

Crash-safe in two steps: first the file is *recorded* (its MsgId, and its
instructions move to in_flight) in one DB transaction, then the bytes are
written and the record is marked written. A crash between the two leaves a
recorded, unwritten file, which the next export rebuilds from the stored
instructions and its stored creation moment (`unwritten_files`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.instruction_repo import (
    instructed_days,
    instruction_rows,
    mark_written,
    payment_files,
    record_payment_file,
    to_instruction,
)
from huishoudboekje.adapters.persistence.repository import GEMEENTE_ROW_ID
from huishoudboekje.adapters.persistence.signal_repo import upsert_signals
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.payments import Debtor, PaymentInstruction, not_before
from huishoudboekje.services.night_import import configured_gemeente
from huishoudboekje.services.night_work import AMSTERDAM, NightWork, StageResult
from huishoudboekje.services.region import Region, load_region


@dataclass(frozen=True)
class ExportResult(StageResult):
    """Stage `export`: payment files written tonight and repaired ones (or why skipped)."""

    files: int
    repaired: int = 0
    skipped: str | None = None

    def as_json(self) -> dict[str, object]:
        """A skipped export records why and no repairs, as it always has."""
        if self.skipped is not None:
            return {"skipped": self.skipped, "files": self.files}
        return {"files": self.files, "repaired": self.repaired}


@dataclass(frozen=True)
class UnwrittenFile:
    """A payment file recorded but not on disk: enough to rebuild the same bytes
    (`debtor` and `folder`: those of the pooled account it was made for, issue 22)."""

    msg_id: str
    version: str
    created_at: datetime
    instructions: tuple[PaymentInstruction, ...]
    debtor: Debtor | None = None
    folder: str = ""


@dataclass(frozen=True)
class ExportBatch:
    """Tonight's instructions of one pooled account per execution date; `planned`: the
    original date of each instruction whose execution date moved to the first possible
    day. `debtor`: the pooled account that pays them (issue 22: each gemeente's first
    account gets its own files); `folder`: the outbox subfolder its files go in ("" in
    a one-gemeente installation: the outbox itself, as always; else the IBAN)."""

    groups: dict[date, list[PaymentInstruction]]
    planned: dict[str, date]
    debtor: Debtor | None = None
    folder: str = ""


@dataclass(frozen=True)
class PaymentFile:
    """What the record of a built payment file holds (the connector's message)."""

    msg_id: str
    path: str
    version: str
    execution_dates: Sequence[date]
    sha256: str
    number_of_transactions: int
    control_sum: Money


def debtor(engine: Engine) -> Debtor:
    """The gemeente's pooled account, the payer of every payment file."""
    gemeente = configured_gemeente(engine, "no gemeente configured")
    return Debtor(gemeente.account_name, gemeente.account_iban, gemeente.bic)


def unwritten_files(engine: Engine) -> list[UnwrittenFile]:
    """Recorded payment files whose bytes were never written (a crash in between), each
    with the pooled account it was made for."""
    with UnitOfWork(engine) as uow:
        region = load_region(uow)
        found = []
        for record in payment_files(uow, written=False):
            rows = instruction_rows(uow, payment_file=record.msg_id)
            instructions = tuple(to_instruction(r) for r in rows)
            gemeente_id = region.gemeente_of_code(instructions[0].household) if rows else 1
            found.append(
                UnwrittenFile(
                    record.msg_id,
                    record.version,
                    record.created_at.astimezone(AMSTERDAM),
                    instructions,
                    region.payer(gemeente_id),
                    _folder(region, gemeente_id),
                )
            )
        return found


def _folder(region: Region, gemeente_id: int) -> str:
    """The outbox subfolder of a gemeente's payment files: none in a one-gemeente
    installation, else its pooled account's IBAN."""
    gemeente = region.gemeente(gemeente_id)
    return gemeente.account_iban if region.is_regional and gemeente is not None else ""


def exports_per_account(
    engine: Engine, real_day: date, gemeente: int | None = None
) -> list[ExportBatch]:
    """Every instructed, unexported instruction, per paying pooled account (issue 22: a
    household's payments go out from its gemeente's first account) in gemeente order,
    then grouped by execution date, none before the first business day of that
    gemeente's calendar from `real_day` on. `gemeente`: only that gemeente's."""
    with UnitOfWork(engine) as uow:
        # of the households, only the gemeente of those with an instruction is needed
        region = load_region(uow, () if gemeente is not None else None)
        groups: dict[int, dict[date, list[PaymentInstruction]]] = defaultdict(
            lambda: defaultdict(list)
        )
        planned: dict[int, dict[str, date]] = defaultdict(dict)
        earliest: dict[int, date] = {}
        of_gemeente = None if gemeente is None else (gemeente, GEMEENTE_ROW_ID)
        rows = instruction_rows(uow, status=InstructionStatus.INSTRUCTED, gemeente=of_gemeente)
        for row in rows:
            gemeente_id = region.gemeente_of_code(row.household) if gemeente is None else gemeente
            if gemeente_id not in earliest:
                earliest[gemeente_id] = region.first_payment_day(gemeente_id, real_day)
            instruction = not_before(to_instruction(row), earliest[gemeente_id])
            if instruction.execution_date != row.execution_date:
                planned[gemeente_id][instruction.end_to_end_id] = row.execution_date
            groups[gemeente_id][instruction.execution_date].append(instruction)
    return [
        ExportBatch(
            dict(groups[gemeente_id]),
            planned[gemeente_id],
            region.payer(gemeente_id),
            _folder(region, gemeente_id),
        )
        for gemeente_id in sorted(groups)
    ]


def record_file(
    work: NightWork, file: PaymentFile, group: Sequence[PaymentInstruction], batch: ExportBatch
) -> None:
    """Record the file and move its instructions in flight, with the execution dates it
    moved and their signals, in one transaction."""
    moved = [i for i in group if i.end_to_end_id in batch.planned]
    with UnitOfWork(work.engine) as uow:
        record_payment_file(
            uow,
            msg_id=file.msg_id,
            path=file.path,
            version=file.version,
            execution_dates=file.execution_dates,
            sha256=file.sha256,
            number_of_transactions=file.number_of_transactions,
            control_sum=file.control_sum,
            night=work.night,
            created_at=work.created_at,
            end_to_end_ids=[i.end_to_end_id for i in group],
            moved={i.end_to_end_id: i.execution_date for i in moved},
        )
        signals = [night_signals.payment_moved(i, batch.planned[i.end_to_end_id]) for i in moved]
        if signals:
            upsert_signals(uow, signals, work.night, "event")
        uow.commit()


def mark_file_written(engine: Engine, msg_id: str) -> None:
    """The file is on disk."""
    with UnitOfWork(engine) as uow:
        mark_written(uow, msg_id)
        uow.commit()


def record_export_problem(work: NightWork, day: date, error: str, account: str = "") -> None:
    """A payment file that could not be made: a problem of the night and a signal, one
    per pooled account (`account`: its IBAN when there are several gemeenten)."""
    of = f" van rekening {account}" if account else ""
    work.problem(f"betaalbestand{of} voor {day} niet gemaakt: {error}")
    subject = f"export {day} {account}" if account else f"export {day}"
    with UnitOfWork(work.engine) as uow:
        signal = night_signals.night_problem("", subject, work.night, error)
        upsert_signals(uow, [signal], work.night, "event")
        uow.commit()


def payer_of(engine: Engine, account: str) -> Debtor | None:
    """The pooled account `account` as the payer of its payment files, or None when it
    is no gemeente's paying account (a gemeente's first pooled account pays)."""
    with UnitOfWork(engine) as uow:
        region = load_region(uow)
    for gemeente_id in region.gemeenten:
        payer = region.debtor(gemeente_id)
        if payer.iban == account:
            return payer
    return None


def paying_account(engine: Engine, batch: ExportBatch) -> str:
    """The IBAN of the pooled account that pays `batch` (its gemeente's first one)."""
    return (batch.debtor or debtor(engine)).iban


def export_groups(engine: Engine, real_day: date) -> list[tuple[str, date]]:
    """(pooled account IBAN, execution date) of each payment file tonight's export
    makes, in order: per paying pooled account (gemeente order), then per date (the
    dates `exports_per_account` gives, from one grouped query)."""
    with UnitOfWork(engine) as uow:
        region = load_region(uow, ())
        pairs = instructed_days(uow, GEMEENTE_ROW_ID)
    days: dict[int, set[date]] = defaultdict(set)
    for gemeente_id, day in pairs:
        days[gemeente_id].add(max(day, region.first_payment_day(gemeente_id, real_day)))
    return [
        ((region.payer(gemeente_id) or debtor(engine)).iban, day)
        for gemeente_id in sorted(days)
        for day in sorted(days[gemeente_id])
    ]


def account_export(engine: Engine, real_day: date, account: str) -> ExportBatch | None:
    """Tonight's instructions paid from pooled account `account`, or None: those of
    the gemeente it pays for only (not every gemeente's, for each file)."""
    with UnitOfWork(engine) as uow:
        region = load_region(uow, ())
    for gemeente_id in sorted(region.gemeenten):
        if region.debtor(gemeente_id).iban == account:
            batches = exports_per_account(engine, real_day, gemeente_id)
            return batches[0] if batches else None
    for batch in exports_per_account(engine, real_day):  # no gemeente stored: the old way
        if paying_account(engine, batch) == account:
            return batch
    return None
