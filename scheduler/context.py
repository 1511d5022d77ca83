"""What one night carries from stage to stage (in memory; the database holds the rest).

Only the parsed files travel in memory, from `import` to `dedupe`. Every later
stage reads its work from the database (transactions with status "new",
instructions not yet exported, ...), which is what makes a re-run after a crash
pick up exactly where the night stopped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from huishoudboekje.domain.household import Household
from huishoudboekje.services.database import Engine
from huishoudboekje.services.night_runs import all_households
from huishoudboekje.services.night_work import (
    AMSTERDAM,
    Fault,
    FileResult,
    ParsedFile,
    Progress,
    no_fault,
)

if TYPE_CHECKING:
    from scheduler.spread import Spread

__all__ = [
    "AMSTERDAM",
    "Fault",
    "FileResult",
    "NightContext",
    "NightPaths",
    "ParsedFile",
    "Progress",
]


@dataclass(frozen=True)
class NightPaths:
    """Where files come in and go out. processed/ and rejected/ live inside the inbox."""

    inbox: Path
    outbox: Path
    var: Path

    @classmethod
    def under(cls, var: Path, inbox: Path | None = None, outbox: Path | None = None) -> NightPaths:
        """Defaults: var/inbox and var/outbox."""
        return cls(inbox or var / "inbox", outbox or var / "outbox", var)

    @property
    def processed(self) -> Path:
        """Where imported (and duplicate) files go."""
        return self.inbox / "processed"

    @property
    def rejected(self) -> Path:
        """Where refused files go, each with its reason beside it."""
        return self.inbox / "rejected"

    @property
    def retained(self) -> tuple[Path, ...]:
        """The folders whose files the weekly purge removes after the retention period
        (statements imported or refused, pain.001 files written)."""
        return (self.processed, self.rejected, self.outbox)

    @property
    def lock_file(self) -> Path:
        """The file lock that keeps a second night out."""
        return self.var / "nightly.lock"

    def create(self) -> None:
        """Make the folders (idempotent)."""
        for folder in (self.inbox, self.outbox, self.var, self.processed, self.rejected):
            folder.mkdir(parents=True, exist_ok=True)


def _quiet(_what: str, _done: int, _total: int) -> None:
    return None


@dataclass
class NightContext:
    """State of one night (or one `hhb import`) while its stages run."""

    engine: Engine
    night: date
    paths: NightPaths
    files: list[Path] | None = None  # explicit files (hhb import); None = the inbox
    catching_up_to: date | None = None  # a missed night, run on a later day: that day
    parsed: list[ParsedFile] = field(default_factory=list)
    results: list[FileResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    progress: Progress = _quiet
    fault: Fault = no_fault
    spread: Spread | None = None  # a night spread over workers (PostgreSQL, --workers N)
    _households: list[Household] | None = None

    def households(self) -> list[Household]:
        """Every household, read once per night (validating 10,000 rule sets takes a while)."""
        if self._households is None:
            self._households = all_households(self.engine)
        return self._households

    @property
    def created_at(self) -> datetime:
        """The payment files' creation moment: 02:00 Amsterdam time of the night, so a
        re-run writes identical bytes."""
        return datetime.combine(self.night, time(2, 0), tzinfo=AMSTERDAM)

    @property
    def real_day(self) -> date:
        """The day it really is: later than `night` while missed nights are caught up."""
        return max(self.night, self.catching_up_to or self.night)

    def problem(self, text: str) -> None:
        """Record a problem of the night (it ends "problems")."""
        self.problems.append(text)


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
