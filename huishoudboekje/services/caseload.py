"""The caseload: the households staff look after, a page at a time, from the read
model (`services.read_model`): filtered, sorted and paged by the database, so its
cost does not grow with the number of households and no household is planned.

A household's signals are the nightly run's stored ones still open and those of its
stored status, each shown once, most severe first (`caseload_signals`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from huishoudboekje.adapters.persistence.caseload_repo import (
    CaseloadFilter,
    CaseloadSort,
    caseload_rows,
    has_caseload,
    open_signal_rows,
)
from huishoudboekje.adapters.persistence.signal_repo import acknowledged_among
from huishoudboekje.adapters.persistence.status_repo import search_words
from huishoudboekje.adapters.persistence.transaction_repo import transactions
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import find_user
from huishoudboekje.domain.bankbook import TxStatus
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.night_signals import suspense_severity
from huishoudboekje.domain.signals import Signal
from huishoudboekje.services.gemeente_scope import REGIONAL, GemeenteScope, transactions_in_scope
from huishoudboekje.services.night_worklists import SEVERITY_ORDER, NightSignal, OpenSignals

__all__ = ["CaseloadSort"]


@dataclass(frozen=True, slots=True)
class CaseloadSignal:
    """A signal in a caseload row: stored by the nightly run and still open, or
    computed for today only."""

    key: str
    kind: str  # a `SignalKind` value
    severity: str  # a `Severity` value
    message: str
    stored: bool  # open in the nightly run's signals: acknowledged there with a note


def caseload_signals(
    computed: Iterable[Signal | CaseloadSignal],
    stored: Iterable[NightSignal],
    acknowledged: frozenset[str],
) -> tuple[CaseloadSignal, ...]:
    """One household's signals for the caseload, most severe first: its open stored
    signals, and of today's computed signals (those of its stored status) those the
    night did not store under the same key and staff did not acknowledge (a signal is
    shown once)."""
    shown = [CaseloadSignal(s.key, s.kind, s.severity, s.message, True) for s in stored]
    seen = {s.key for s in shown} | acknowledged
    for signal in computed:
        if signal.key not in seen:
            seen.add(signal.key)
            if isinstance(signal, Signal):
                signal = CaseloadSignal(
                    signal.key, signal.kind.value, signal.severity.value, signal.message, False
                )
            shown.append(signal)
    return tuple(sorted(shown, key=lambda s: (SEVERITY_ORDER.get(s.severity, 3), not s.stored)))


PAGE_SIZE = 50


class Scope(StrEnum):
    """Whose households: the staff member's own caseload, their team's, or all."""

    MINE = "mijn"
    TEAM = "team"
    ALL = "alle"


@dataclass(frozen=True, slots=True)
class CaseloadQuery:
    """What the caseload page asks for (plain values from the request)."""

    search: str = ""
    scope: Scope | None = None  # None: "mijn" for a staff member with a caseload, else "alle"
    user: str = ""  # the staff member asking (username)
    with_signals: bool = False
    buffer_below: int | None = None
    sort: CaseloadSort = CaseloadSort.URGENCY
    page: int = 1  # from 1
    # need-to-know (issue 20): a staff member who does not see every team sees the own
    # team's households and those opened with a reason in this session (`granted`)
    own_team_only: bool = False
    granted: tuple[str, ...] = ()
    # issue 22: the staff member's gemeente; None: every gemeente (a regional account)
    gemeente_id: int | None = None


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One household in the caseload, as the read model stored it; the figures are
    None while no status is stored for it (before its first night, or just changed)."""

    code: str
    name: str
    day: date | None  # the day its status is for
    vat: Money | None
    leefgeld_rate: Money | None
    buffer_days: int | None
    signals: tuple[CaseloadSignal, ...] = ()  # most severe first
    ended: bool = False  # the participation ended: no leefgeld rate


@dataclass(frozen=True, slots=True)
class Caseload:
    """One page of the caseload."""

    rows: list[CaseloadRow]
    page: int
    more: bool  # a next page exists
    scope: Scope  # the scope shown (the default resolved)
    team: str  # the staff member's team ("" for none: no team view)


def caseload(uow: UnitOfWork, query: CaseloadQuery) -> Caseload:
    """One page (`PAGE_SIZE` rows) of the households `query` asks for, read from the
    stored statuses with SQL: no household is planned, no document decoded. Signals
    per row: the stored status's and the nightly run's open ones, each once."""
    user = find_user(uow, query.user) if query.user else None
    team = user.team if user is not None else ""
    scope = query.scope
    if scope is None:
        scope = Scope.MINE if query.user and has_caseload(uow, query.user) else Scope.ALL
    if scope is Scope.TEAM and not team:
        scope = Scope.ALL
    where = CaseloadFilter(
        words=tuple(search_words(query.search)),
        caseworker=query.user if scope is Scope.MINE else None,
        team=team if scope is Scope.TEAM else None,
        with_signals=query.with_signals,
        buffer_below=query.buffer_below,
        visible_team=team if query.own_team_only else None,
        granted=query.granted,
        gemeente_id=query.gemeente_id,
    )
    page = max(query.page, 1)
    stored = caseload_rows(uow, where, query.sort, (page - 1) * PAGE_SIZE, PAGE_SIZE + 1)
    shown = stored[:PAGE_SIZE]
    codes = [row.code for row in shown]
    computed = {row.code: tuple(_signal(s) for s in row.signals) for row in shown}
    open_stored = open_signals_of(uow, codes, (s.key for sig in computed.values() for s in sig))
    rows = [
        CaseloadRow(
            row.code,
            row.name,
            row.day,
            None if row.vat is None else Money(row.vat),
            None if row.leefgeld_rate is None else Money(row.leefgeld_rate),
            row.buffer_days,
            caseload_signals(
                computed[row.code],
                open_stored.by_household.get(row.code, ()),
                open_stored.acknowledged,
            ),
            row.ended,
        )
        for row in shown
    ]
    return Caseload(rows, page, len(stored) > PAGE_SIZE, scope, team)


def open_signals_of(uow: UnitOfWork, codes: Sequence[str], keys: Iterable[str]) -> OpenSignals:
    """The open stored signals of `codes`, most severe first, and which of `keys`
    (signals of their stored statuses) staff acknowledged."""
    grouped: defaultdict[str, list[NightSignal]] = defaultdict(list)
    for row in open_signal_rows(uow, codes):
        signal = NightSignal(*row)
        grouped[signal.household].append(signal)
    return OpenSignals(
        {
            code: tuple(sorted(found, key=lambda s: (SEVERITY_ORDER.get(s.severity, 3), s.key)))
            for code, found in grouped.items()
        },
        acknowledged_among(uow, keys),
    )


def _signal(data: dict[str, str]) -> CaseloadSignal:
    """A signal of a stored status (as `status_repo.status_columns` keeps it)."""
    return CaseloadSignal(data["key"], data["kind"], data["severity"], data["message"], False)


@dataclass(frozen=True, slots=True)
class SuspenseItem:
    """The money that has waited longest in suspense (unmatched credit or unknown debit)."""

    transaction_id: int
    booking_date: date
    amount: Money
    counterparty_name: str
    age_days: int
    severity: str  # a `Severity` value: rises with age (`night_signals.suspense_severity`)
    waiting: int  # how many items stand in suspense in all


def oldest_suspense(
    uow: UnitOfWork, today: date, scope: GemeenteScope = REGIONAL
) -> SuspenseItem | None:
    """The oldest item in suspense and its age in days on `today`; None when none waits.
    Only the items of `scope`'s gemeente (the gemeente of the account they arrived on)."""
    rows = transactions(uow, TxStatus.UNMATCHED, TxStatus.UNKNOWN_DEBIT)
    if not scope.regional:
        mine = transactions_in_scope(uow, scope, [r.id for r in rows if r.id is not None])
        rows = [r for r in rows if r.id in mine]
    if not rows:
        return None
    row = min(rows, key=lambda r: (r.booking_date, r.id or 0))
    age = max(0, (today - row.booking_date).days)
    return SuspenseItem(
        row.id or 0,
        row.booking_date,
        Money(row.amount),
        row.counterparty_name,
        age,
        suspense_severity(age).value,
        len(rows),
    )
