"""What the nightly services need of the night being run, and what they give back.

The scheduler owns the night (its folders, its lock, its progress bar); the
services that do the night's database work only need what `NightWork` names.
Every stage gives back a frozen `StageResult` whose `as_json()` is the dict the
night's record stores and the report shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from huishoudboekje.domain.banking import Statement
from huishoudboekje.domain.household import Household

AMSTERDAM = ZoneInfo("Europe/Amsterdam")  # the night, its files and its days are Dutch
Progress = Callable[[str, int, int], None]  # (what, done, total)
# (stage, household): raises to stand in for a database error while that household's
# work is saved; the one seam tests use to make a night fail for one household
Fault = Callable[[str, str], None]


def no_fault(_stage: str, _household: str) -> None:
    """The production `Fault`: nothing goes wrong on purpose."""
    return None


class NightWork(Protocol):
    """The night a service works for (the scheduler's `NightContext` is one)."""

    @property
    def engine(self) -> Engine:
        """The database of the night."""
        ...

    @property
    def night(self) -> date:
        """The night's date."""
        ...

    @property
    def created_at(self) -> datetime:
        """The moment payment files and audit events of the night carry."""
        ...

    @property
    def real_day(self) -> date:
        """The day it really is (later than `night` while nights are caught up)."""
        ...

    @property
    def progress(self) -> Progress:
        """Tells how far a long stage is."""
        ...

    @property
    def fault(self) -> Fault:
        """Called just before a household's work is committed (a no-op outside tests)."""
        ...

    def households(self) -> list[Household]:
        """Every household, read once per night."""
        ...

    def problem(self, text: str) -> None:
        """Record a problem of the night (it ends "problems")."""
        ...


@dataclass(frozen=True)
class StageResult:
    """What one stage did; `as_json()` is what the night's record stores."""

    def as_json(self) -> dict[str, Any]:
        """The stage's line in the night's record (field order is the key order)."""
        return asdict(self)


@dataclass(frozen=True)
class ParsedFile:
    """A file that parsed and belongs to the gemeente's account, not yet stored."""

    path: Path
    sha256: str
    format: str
    statements: tuple[Statement, ...]
    move: bool


@dataclass
class FileResult:
    """One line of the night's `statements` report."""

    file: str
    status: str  # imported | duplicate | rejected
    transactions: int = 0
    new: int = 0
    error: str | None = None

    def as_json(self) -> dict[str, object]:
        """The line as the report shows it."""
        return {
            "file": self.file,
            "status": self.status,
            "transactions": self.transactions,
            "new": self.new,
            "error": self.error,
        }


def plain_problem(exc: BaseException) -> str:
    """The text staff see for a failure: a plain sentence. Database and file-system
    errors carry internals ("Query-invoked autoflush", SQL, paths of the library)
    that belong in the log file, not in a problem text; our own errors (a refused
    IBAN, a missing configuration) are already written for people."""
    module = type(exc).__module__ or ""
    if module.startswith(("sqlalchemy", "psycopg", "sqlite3")):
        return "databasefout (details in het logbestand)"
    if isinstance(exc, OSError):
        reason = exc.strerror or "bestandsfout"
        where = f" bij {exc.filename}" if exc.filename else ""
        return f"bestandsfout{where}: {reason} (details in het logbestand)"
    if isinstance(exc, MemoryError):
        return "te weinig geheugen (details in het logbestand)"
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return first[:300]
