"""Signals with an owner and a deadline (issue 19.5).

Each open stored signal has an owner, the household's medewerker
(`Household.caseworker`), and a due day by severity counted in working days of
the gemeente's business calendar (`domain.deadlines`). A signal open after its due
day is overdue: it shows first in the caseload and on the teamleider's list
(approvers and admins, on the worklists page). `hhb signals` prints them
(`signal_list_with_deadlines`).

`signal_deadlines(uow, today, ...)` is the one read; `deadline_sort_key` orders
signals (overdue first, earliest due next) and `overdue_by_household` counts the
overdue ones per household, for the caseload to sort on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence import load_household
from huishoudboekje.adapters.persistence.signal_repo import signal_rows
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.deadlines import Deadline, due_date, is_overdue
from huishoudboekje.domain.household import Household
from huishoudboekje.services.night_history import signal_list
from huishoudboekje.services.region import load_region

T = TypeVar("T")
SEVERITY_NL = {"info": "info", "warning": "let op", "high": "urgent"}


@dataclass(frozen=True, slots=True)
class SignalDeadline:
    """An open stored signal with its owner and deadline."""

    key: str
    household: str  # "" for the pooled account
    kind: str
    severity: str
    message: str
    first_seen: date
    deadline: Deadline

    @property
    def owner(self) -> str:
        return self.deadline.owner

    @property
    def due(self) -> date | None:
        return self.deadline.due

    @property
    def overdue(self) -> bool:
        return self.deadline.overdue

    def as_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "household": self.household,
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "first_seen": self.first_seen.isoformat(),
            "owner": self.owner,
            "due": None if self.due is None else self.due.isoformat(),
            "overdue": self.overdue,
        }


def owner_of(household: Household | None) -> str:
    """The default owner of a household's signals: its medewerker ("" if none)."""
    if household is None:
        return ""
    return household.caseworker


def deadline_sort_key(signal: SignalDeadline) -> tuple[bool, date, str, str, str]:
    """Overdue first, then the earliest due day (no deadline last), household, key."""
    late, due, owner = signal.deadline.sort_key()
    return (late, due, signal.household, owner, signal.key)


def signal_deadlines(
    uow: UnitOfWork,
    today: date,
    *,
    household: str | None = None,
    owner: str | None = None,
    overdue_only: bool = False,
) -> list[SignalDeadline]:
    """The open stored signals with owner, due day and whether they are overdue on
    `today`, overdue first; filtered on `household`, `owner` and `overdue_only`.
    Each due day counts the business days of the household's own gemeente (issue 22)."""
    region = load_region(uow)
    owners: dict[str, str] = {}
    found: list[SignalDeadline] = []
    for row in signal_rows(uow, status="open"):
        if household is not None and row.household != household:
            continue
        if row.household not in owners:
            owners[row.household] = (
                owner_of(load_household(uow, row.household)) if row.household else ""
            )
        data = {str(k): str(v) for k, v in (row.data or {}).items()}
        calendar = region.settings(region.gemeente_of_code(row.household)).calendar
        due = due_date(row.severity, row.first_seen, calendar, data)
        deadline = Deadline(owners[row.household], due, is_overdue(due, today))
        if owner is not None and deadline.owner != owner:
            continue
        if overdue_only and not deadline.overdue:
            continue
        found.append(
            SignalDeadline(
                row.key,
                row.household,
                row.kind,
                row.severity,
                row.message,
                row.first_seen,
                deadline,
            )
        )
    return sorted(found, key=deadline_sort_key)


def overdue_by_household(signals: Iterable[SignalDeadline]) -> Counter[str]:
    """How many overdue signals each household has (for the caseload's order)."""
    return Counter(s.household for s in signals if s.overdue and s.household)


def open_signal_deadlines(
    engine: Engine,
    today: date,
    *,
    household: str | None = None,
    owner: str | None = None,
    overdue_only: bool = False,
) -> list[SignalDeadline]:
    """`signal_deadlines` in a unit of work of its own (for the CLI and the web)."""
    with UnitOfWork(engine) as uow:
        return signal_deadlines(
            uow, today, household=household, owner=owner, overdue_only=overdue_only
        )


def overdue_first(rows: Iterable[T], code: Callable[[T], str], overdue: Counter[str]) -> list[T]:
    """`rows` (caseload rows, or anything with a household code) with the households
    that have overdue signals first, most overdue first; otherwise in the given order."""
    return sorted(rows, key=lambda row: -overdue.get(code(row), 0))


def signal_list_with_deadlines(
    engine: Engine,
    today: date,
    *,
    include_closed: bool = False,
    household: str | None = None,
    owner: str | None = None,
    overdue_only: bool = False,
) -> list[dict[str, Any]]:
    """`hhb signals`: the stored signals as `night_history.signal_list` gives them, each
    with `owner`, `due` (ISO date or None) and `overdue` (only an open one can be),
    filtered on `household`, `owner` and `overdue_only`."""
    items = signal_list(engine, include_closed=include_closed, today=today)
    with UnitOfWork(engine) as uow:
        region = load_region(uow)
        owners: dict[str, str] = {}
        for item in items:
            code = str(item["household"])
            calendar = region.settings(region.gemeente_of_code(code)).calendar
            if code not in owners:
                owners[code] = owner_of(load_household(uow, code)) if code else ""
            data = {str(k): str(v) for k, v in (item["data"] or {}).items()}
            due = due_date(item["severity"], date.fromisoformat(item["first_seen"]), calendar, data)
            item["owner"] = owners[code]
            item["due"] = None if due is None else due.isoformat()
            item["overdue"] = item["status"] == "open" and is_overdue(due, today)
    return [
        item
        for item in items
        if (household is None or item["household"] == household)
        and (owner is None or item["owner"] == owner)
        and (not overdue_only or item["overdue"])
    ]
