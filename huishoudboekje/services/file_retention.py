"""Retention of the night's files on disk (issue 20, point 3).

Bank statement files (kept in the inbox's processed/ and rejected/ folders) and the
pain.001 payment files in the outbox hold names, IBANs and descriptions of many
households at once, so they cannot follow one household's retention period. They
follow the fiscal rule per file (`domain.retention.file_purge_date`): a file is
removed from 1 January of the year `retention_years` + 1 after its date. Everything
in them was booked in the database long before, where the household purge handles it.

The removal is idempotent, logged in the audit log (file names and counts only), and
run by `hhb privacy purge` and by the scheduler's weekly purge job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from huishoudboekje.adapters.file_retention import remove, stored_files
from huishoudboekje.adapters.persistence import UnitOfWork, load_gemeente, record_audit
from huishoudboekje.domain.retention import file_purge_date


@dataclass(frozen=True, slots=True)
class FilePurgeReport:
    """What the file purge removed (or, in a dry run, would remove)."""

    today: date
    dry_run: bool
    removed: tuple[str, ...]
    kept: int
    problems: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.today.isoformat(),
            "dry_run": self.dry_run,
            "removed": list(self.removed),
            "kept": self.kept,
            "problems": list(self.problems),
        }


def purge_files(
    engine: Engine, folders: Sequence[Path], today: date, *, dry_run: bool = False, actor: str
) -> FilePurgeReport:
    """Remove the files in `folders` past the gemeente's financial retention period."""
    with UnitOfWork(engine) as uow:
        gemeente = load_gemeente(uow)
    if gemeente is None:  # nothing configured, nothing to measure the period by
        return FilePurgeReport(today, dry_run, (), 0, ())
    removed: list[str] = []
    problems: list[str] = []
    kept = 0
    for stored in stored_files(folders):
        if today < file_purge_date(stored.day, gemeente.retention_years):
            kept += 1
            continue
        if not dry_run:
            try:
                remove(stored.path)
            except OSError as exc:
                problems.append(f"{stored.path}: niet verwijderd ({exc.strerror or exc})")
                continue
        removed.append(str(stored.path))
    if removed and not dry_run:
        with UnitOfWork(engine) as uow:
            record_audit(
                uow,
                actor=actor,
                action="privacy.purge_files",
                object_type="files",
                object_id=today.isoformat(),
                after={"removed": removed, "retention_years": gemeente.retention_years},
                at=datetime.now(UTC),
            )
            uow.commit()
    return FilePurgeReport(today, dry_run, tuple(removed), kept, tuple(problems))
