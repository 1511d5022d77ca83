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
    instruction_rows,
    mark_written,
    payment_files,
    record_payment_file,
    to_instruction,
)
from huishoudboekje.adapters.persistence.repository import load_gemeente
from huishoudboekje.adapters.persistence.signal_repo import upsert_signals
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain import night_signals
from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.payments import Debtor, PaymentInstruction, not_before
from huishoudboekje.services.household_status import plan_settings
from huishoudboekje.services.night_import import configured_gemeente
from huishoudboekje.services.night_work import AMSTERDAM, NightWork, StageResult


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
    """A payment file recorded but not on disk: enough to rebuild the same bytes."""

    msg_id: str
    version: str
    created_at: datetime
    instructions: tuple[PaymentInstruction, ...]


@dataclass(frozen=True)
class ExportBatch:
    """Tonight's instructions per execution date; `planned`: the original date of each
    instruction whose execution date moved to the first possible day."""

    groups: dict[date, list[PaymentInstruction]]
    planned: dict[str, date]


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
    """Recorded payment files whose bytes were never written (a crash in between)."""
    with UnitOfWork(engine) as uow:
        return [
            UnwrittenFile(
                record.msg_id,
                record.version,
                record.created_at.astimezone(AMSTERDAM),
                tuple(to_instruction(r) for r in instruction_rows(uow, payment_file=record.msg_id)),
            )
            for record in payment_files(uow, written=False)
        ]


def instructions_to_export(engine: Engine, real_day: date) -> ExportBatch:
    """Every instructed, unexported instruction, grouped by execution date, none before
    the first business day from `real_day` on."""
    with UnitOfWork(engine) as uow:
        earliest = plan_settings(load_gemeente(uow)).calendar.on_or_after(real_day)
        groups: dict[date, list[PaymentInstruction]] = defaultdict(list)
        planned: dict[str, date] = {}
        for row in instruction_rows(uow, status=InstructionStatus.INSTRUCTED):
            instruction = not_before(to_instruction(row), earliest)
            if instruction.execution_date != row.execution_date:
                planned[instruction.end_to_end_id] = row.execution_date
            groups[instruction.execution_date].append(instruction)
    return ExportBatch(dict(groups), planned)


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


def record_export_problem(work: NightWork, day: date, error: str) -> None:
    """A payment file that could not be made: a problem of the night and a signal."""
    work.problem(f"betaalbestand voor {day} niet gemaakt: {error}")
    with UnitOfWork(work.engine) as uow:
        signal = night_signals.night_problem("", f"export {day}", work.night, error)
        upsert_signals(uow, [signal], work.night, "event")
        uow.commit()


def export_groups(engine: Engine, real_day: date) -> list[tuple[str, date]]:
    """(pooled account IBAN, execution date) of each payment file tonight's export
    makes, in order. Today one pooled account pays everything (the gemeente's); a
    second account is one more group per execution date."""
    account = debtor(engine).iban
    return [(account, day) for day in sorted(instructions_to_export(engine, real_day).groups)]
