"""The caseload's query on the read model: filter, sort and one page, in SQL.

Every household has a row in `household_status` (`status_repo`), so the caseload
reads that one table: each sort is one of its indexes, a page is `LIMIT 51`
(the 51st row only says there is a next page), and no household's status is
computed or decoded. A search word is looked up in `household_search` by an index
range (the word as a prefix of a household's words).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select

from huishoudboekje.adapters.persistence.nightly_tables import SignalRow
from huishoudboekje.adapters.persistence.signal_repo import SIGNAL_COLUMNS
from huishoudboekje.adapters.persistence.status_json import VERSION
from huishoudboekje.adapters.persistence.status_repo import NO_DAYS, NONE_RANK, SEARCH, STATUS
from huishoudboekje.adapters.persistence.tables import HouseholdRow, table_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork

HOUSEHOLD = table_of(HouseholdRow)


class CaseloadSort(StrEnum):
    URGENCY = "urgentie"  # most severe signal first, then fewest buffer days
    BUFFER = "buffer"  # fewest buffer days first
    NAME = "naam"


# Each order ends in the household code, so a page boundary is stable. To rank by
# something new (a signal's deadline, overdue work), add its column to the read model
# and put it in front here (and in the index of that order).
ORDERS: dict[CaseloadSort, tuple[ColumnElement[Any], ...]] = {
    CaseloadSort.URGENCY: (STATUS.c.urgency_rank, STATUS.c.buffer_rank, STATUS.c.household),
    CaseloadSort.BUFFER: (STATUS.c.buffer_rank, STATUS.c.household),
    CaseloadSort.NAME: (STATUS.c.name, STATUS.c.household),
}


@dataclass(frozen=True, slots=True)
class CaseloadFilter:
    """Which households: search words (each the start of a word of the code or the
    name), only those with signals, only those whose vat lasts fewer than N days."""

    words: tuple[str, ...] = ()
    caseworker: str | None = None  # only this staff member's households
    team: str | None = None  # only this team's households
    with_signals: bool = False
    buffer_below: int | None = None
    # need-to-know (issue 20): only this team's households and those opened with a
    # reason (`granted`); None: every household (the beheerder)
    visible_team: str | None = None
    granted: tuple[str, ...] = ()
    # issue 22: only this gemeente's households; None: every gemeente (regional)
    gemeente_id: int | None = None


@dataclass(frozen=True, slots=True)
class StoredRow:
    """One caseload row as stored; the figures are None while the status is stale."""

    code: str
    name: str
    day: date | None
    vat: Decimal | None
    leefgeld_rate: Decimal | None
    buffer_days: int | None
    signals: tuple[dict[str, str], ...]
    ended: bool = False  # the participation ended (issue 23: no leefgeld rate shown)


def _word_range(word: str) -> ColumnElement[bool]:
    # the words starting with `word`: an index range on the primary key's first column
    return and_(SEARCH.c.token >= word, SEARCH.c.token < word + "\U0010ffff")


def caseload_statement(where: CaseloadFilter, sort: CaseloadSort) -> Select[Any]:
    """The caseload query (without its page bounds)."""
    statement = select(
        STATUS.c.household,
        STATUS.c.name,
        STATUS.c.day,
        STATUS.c.version,
        STATUS.c.vat,
        STATUS.c.leefgeld_rate,
        STATUS.c.buffer_days,
        STATUS.c.signals,
        STATUS.c.ended,
    )
    for word in where.words:
        statement = statement.where(
            STATUS.c.household.in_(select(SEARCH.c.household).where(_word_range(word)))
        )
    if where.gemeente_id is not None:
        statement = statement.where(
            STATUS.c.household.in_(
                select(HOUSEHOLD.c.code).where(HOUSEHOLD.c.gemeente_id == where.gemeente_id)
            )
        )
    if where.visible_team is not None:
        statement = statement.where(
            or_(STATUS.c.team == where.visible_team, STATUS.c.household.in_(where.granted))
        )
    if where.caseworker is not None:
        statement = statement.where(STATUS.c.caseworker == where.caseworker)
    if where.team is not None:
        statement = statement.where(STATUS.c.team == where.team)
    if where.with_signals:
        statement = statement.where(STATUS.c.urgency_rank < NONE_RANK)
    if where.buffer_below is not None:
        statement = statement.where(STATUS.c.buffer_rank < min(where.buffer_below, NO_DAYS))
    return statement.order_by(*ORDERS[sort])


def caseload_rows(
    uow: UnitOfWork, where: CaseloadFilter, sort: CaseloadSort, offset: int, limit: int
) -> list[StoredRow]:
    """Rows `offset` to `offset + limit` of the caseload."""
    rows = uow.read(caseload_statement(where, sort).offset(offset).limit(limit))
    out = []
    for row in rows:
        fresh = row.version == VERSION
        out.append(
            StoredRow(
                row.household,
                row.name,
                row.day if fresh else None,
                row.vat if fresh else None,
                row.leefgeld_rate if fresh else None,
                row.buffer_days if fresh else None,
                tuple(json.loads(row.signals)) if fresh else (),
                bool(row.ended) if fresh else False,
            )
        )
    return out


def open_signal_rows(uow: UnitOfWork, codes: Sequence[str]) -> list[tuple[Any, ...]]:
    """The open stored signals of the households `codes` (one page of the caseload),
    as tuples of `signal_repo.SIGNAL_COLUMNS`."""
    if not codes:
        return []
    signal = table_of(SignalRow)
    statement = (
        select(*(signal.c[name] for name in SIGNAL_COLUMNS))
        .where(signal.c.household.in_(list(codes)))
        .where(signal.c.status == "open")
    )
    return [tuple(row) for row in uow.read(statement)]


def has_caseload(uow: UnitOfWork, username: str) -> bool:
    """Whether any household has `username` as its caseworker."""
    found = uow.read(select(STATUS.c.household).where(STATUS.c.caseworker == username).limit(1))
    return found.first() is not None
