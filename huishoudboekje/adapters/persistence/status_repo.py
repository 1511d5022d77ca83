"""The read model of household statuses: store, read, forget (see `status_tables`).

A row is written by the night (with the plan, in its transaction) and by every
change to a household's inputs during the day (`services.read_model`). Two hooks
here keep a row from ever being stale when a writer forgets to recompute: saving a
household (`household_saved`) and booking journal entries for it
(`forget_statuses`) delete its row, and a page without a row for today computes
the status itself (and says so in the log).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import CursorResult, bindparam, delete, func, insert, select, update

from huishoudboekje.adapters.persistence.status_json import (
    VERSION,
    StatusDocumentError,
    report_from_json,
    report_to_json,
)
from huishoudboekje.adapters.persistence.status_tables import (
    HouseholdSearchRow,
    HouseholdStatusRow,
)
from huishoudboekje.adapters.persistence.tables import NAME_LENGTH, table_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork, in_chunks
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.signals import Severity
from huishoudboekje.domain.status_report import StatusReport

STATUS = table_of(HouseholdStatusRow)
SEARCH = table_of(HouseholdSearchRow)
# the caseload's urgency of a household: its most severe signal (0: none)
STALE = 0  # the version of a row whose inputs changed since (never a document version)
NONE_RANK = 3  # `urgency_rank` of a household without signals
# the most severe signal ranks first: high 0, warning 1, info 2 (none: NONE_RANK)
URGENCY_RANK = {Severity.HIGH.value: 0, Severity.WARNING.value: 1, Severity.INFO.value: 2}
NO_DAYS = 2_000_000_000  # `buffer_rank` when nothing is to be paid: last
PLACEHOLDER_DAY = date(1970, 1, 1)


def status_columns(report: StatusReport) -> dict[str, object]:
    """The row of `report`: its document and the caseload's filter and sort columns."""
    household = report.household
    signals = [
        {"key": s.key, "kind": s.kind.value, "severity": s.severity.value, "message": s.message}
        for s in report.signals
    ]
    days = None if report.buffer is None else report.buffer.days
    return {
        "household": household.code,
        "name": household.name,
        "caseworker": household.caseworker,
        "team": household.team,
        "day": report.today,
        "version": VERSION,
        "document": report_to_json(report),
        "buffer_days": days,
        "buffer_rank": NO_DAYS if days is None else days,
        "urgency_rank": min(
            (URGENCY_RANK.get(s["severity"], NONE_RANK) for s in signals), default=NONE_RANK
        ),
        "signal_count": len(signals),
        "signals": json.dumps(signals, ensure_ascii=False, separators=(",", ":")),
        "leefgeld_rate": report.leefgeld_rate.amount,
        "vat": report.state.vat.amount,
        "ended": report.ended,
    }


def _placeholder(household: Household) -> dict[str, object]:
    """The row of a household no status was computed for yet."""
    return {
        "household": household.code,
        "name": household.name,
        "caseworker": household.caseworker,
        "team": household.team,
        "day": PLACEHOLDER_DAY,
        "version": STALE,
        "document": "",
        "buffer_days": None,
        "buffer_rank": NO_DAYS,
        "urgency_rank": NONE_RANK,
        "signal_count": 0,
        "signals": "[]",
        "leefgeld_rate": Decimal("0.00"),
        "vat": Decimal("0.00"),
        "ended": False,
    }


def lock_statuses(uow: UnitOfWork, codes: Iterable[str]) -> set[str]:
    """Lock the status rows of `codes`, in code order, until the transaction ends, and
    return the codes that have one (not committed).

    A writer takes the lock before it reads the inputs it computes a status from, so
    two writers of one household (the night and a staff change) take turns, and the
    second computes from what the first committed: a stored status is never older
    than its household's ledger. (PostgreSQL: FOR UPDATE; SQLite has one writer at a
    time, and a transaction that read before another one wrote may not write.)"""
    found: set[str] = set()
    for chunk in in_chunks(sorted(set(codes))):
        statement = (
            select(STATUS.c.household)
            .where(STATUS.c.household.in_(chunk))
            .order_by(STATUS.c.household)
            .with_for_update()
        )
        found.update(uow.read(statement).scalars())
    return found


_COLUMNS = tuple(c.name for c in STATUS.columns if c.name != "household")
_UPDATE = (
    update(STATUS)
    .where(STATUS.c.household == bindparam("b_household"))
    .values({name: bindparam(f"b_{name}") for name in _COLUMNS})
)


def store_statuses(uow: UnitOfWork, reports: Sequence[StatusReport]) -> None:
    """Store `reports` (one per household), replacing what was stored (not committed):
    rows are updated in place (never deleted and inserted again, which a concurrent
    writer of the same row could not wait for), a missing one is inserted."""
    if not reports:
        return
    rows = [status_columns(r) for r in reports]
    existing = lock_statuses(uow, [str(row["household"]) for row in rows])
    changed = [
        {f"b_{k}": v for k, v in row.items()} for row in rows if row["household"] in existing
    ]
    if changed:
        uow.session.execute(_UPDATE, changed)
    new = [row for row in rows if row["household"] not in existing]
    if new:
        uow.session.execute(insert(STATUS), new)


def forget_statuses(uow: UnitOfWork, codes: Iterable[str]) -> None:
    """Mark the stored statuses of `codes` stale: their inputs changed (not committed).

    The row keeps its day (the day the read model is for), its document is no
    longer read (`STALE` version) and the caseload shows no figures for it until
    it is recomputed."""
    for chunk in in_chunks(sorted(set(codes))):
        uow.session.execute(
            update(STATUS).where(STATUS.c.household.in_(chunk)).values(version=STALE)
        )


def latest_day(uow: UnitOfWork) -> date | None:
    """The newest day a status is stored for: the day of the last night."""
    day = uow.read(select(func.max(STATUS.c.day))).scalar()
    return day if isinstance(day, date) else None


def fresh_codes(uow: UnitOfWork, codes: Sequence[str], day: date) -> set[str]:
    """Those of `codes` with a readable status stored for `day`."""
    fresh: set[str] = set()
    for chunk in in_chunks(codes):
        rows = uow.read(
            select(STATUS.c.household).where(
                STATUS.c.household.in_(chunk), STATUS.c.day == day, STATUS.c.version == VERSION
            )
        )
        fresh.update(row.household for row in rows)
    return fresh


@dataclass(frozen=True, slots=True)
class StoredStatus:
    """A stored row: the day it is for, and its report (None when unreadable)."""

    day: date
    report: StatusReport | None


def stored_status(uow: UnitOfWork, code: str) -> StoredStatus | None:
    """The stored status of household `code` (any day), or None."""
    row = uow.read(
        select(STATUS.c.day, STATUS.c.version, STATUS.c.document).where(STATUS.c.household == code)
    ).first()
    if row is None:
        return None
    if row.version != VERSION:
        return StoredStatus(row.day, None)
    try:
        return StoredStatus(row.day, report_from_json(row.document))
    except StatusDocumentError:
        return StoredStatus(row.day, None)


def search_tokens(code: str, name: str) -> set[str]:
    """The words a household is found by: its code and name whole, and each word of
    either (lower case), so "0001", "hh-0001", "jansen" and "piet jansen" all find it."""
    words = {code.lower(), name.lower().strip()}
    words |= {w for w in re.split(r"[^\w]+", f"{code} {name}".lower()) if w}
    return {w[:NAME_LENGTH] for w in words if w}


def household_saved(uow: UnitOfWork, household: Household) -> None:
    """After a household was saved: its search words anew, its stored status stale
    (a new household gets a placeholder row, so the caseload lists it)."""
    code, name = household.code, household.name
    uow.session.execute(delete(SEARCH).where(SEARCH.c.household == code))
    uow.session.execute(
        insert(SEARCH), [{"token": t, "household": code} for t in sorted(search_tokens(code, name))]
    )
    marked = uow.session.execute(
        update(STATUS)
        .where(STATUS.c.household == code)
        # stale, and without the old document and signal texts: a household's data
        # (its name, its IBAN) leaves the read model with the household's own row
        .values(
            version=STALE,
            document="",
            signals="[]",
            name=name,
            caseworker=household.caseworker,
            team=household.team,
        )
    )
    if not (isinstance(marked, CursorResult) and marked.rowcount):
        uow.session.execute(insert(STATUS), [_placeholder(household)])


def search_words(query: str) -> list[str]:
    """The words of a search: each must start one of a household's words."""
    return [w for w in re.split(r"[^\w-]+", query.lower()) if w][:5]
