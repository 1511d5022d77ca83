"""The caseload: every household (or those matching a search) with its signals.

A household's signals are the nightly run's stored ones still open and tonight's
computed ones, each shown once, most severe first (`caseload_signals`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from huishoudboekje.adapters.persistence import load_households
from huishoudboekje.adapters.persistence.transaction_repo import transactions
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.bankbook import TxStatus
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.night_signals import suspense_severity
from huishoudboekje.domain.signals import Signal
from huishoudboekje.domain.status_report import StatusReport
from huishoudboekje.services.household_status import household_status
from huishoudboekje.services.night_worklists import (
    SEVERITY_ORDER,
    NightSignal,
    open_signals_by_household,
)


@dataclass(frozen=True, slots=True)
class CaseloadSignal:
    """A signal in a caseload row: stored by the nightly run and still open, or
    computed for today only."""

    key: str
    kind: str  # a `SignalKind` value
    severity: str  # a `Severity` value
    message: str
    stored: bool  # open in the nightly run's signals: acknowledged there with a note


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    household: Household
    status: StatusReport
    signals: tuple[CaseloadSignal, ...] = ()  # most severe first


def caseload_signals(
    computed: Iterable[Signal], stored: Iterable[NightSignal], acknowledged: frozenset[str]
) -> tuple[CaseloadSignal, ...]:
    """One household's signals for the caseload, most severe first: its open stored
    signals, and of today's computed signals those the night did not store under the
    same key and staff did not acknowledge (a signal is shown once)."""
    shown = [CaseloadSignal(s.key, s.kind, s.severity, s.message, True) for s in stored]
    seen = {s.key for s in shown} | acknowledged
    for signal in computed:
        if signal.key not in seen:
            seen.add(signal.key)
            shown.append(
                CaseloadSignal(
                    signal.key, signal.kind.value, signal.severity.value, signal.message, False
                )
            )
    return tuple(sorted(shown, key=lambda s: (SEVERITY_ORDER.get(s.severity, 3), not s.stored)))


def caseload(uow: UnitOfWork, today: date, query: str = "") -> list[CaseloadRow]:
    """Households whose code or name contains `query`, each with its open stored
    signals and tonight's computed ones (the stored ones of every household are read
    in one query)."""
    needle = query.strip().lower()
    found = [
        (household, household_status(uow, household.code, today))
        for household in load_households(uow)
        if not needle or needle in household.code.lower() or needle in household.name.lower()
    ]
    stored = open_signals_by_household(
        uow, (signal.key for _, report in found for signal in report.signals)
    )
    return [
        CaseloadRow(
            household,
            report,
            caseload_signals(
                report.signals, stored.by_household.get(household.code, ()), stored.acknowledged
            ),
        )
        for household, report in found
    ]


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


def oldest_suspense(uow: UnitOfWork, today: date) -> SuspenseItem | None:
    """The oldest item in suspense and its age in days on `today`; None when none waits."""
    rows = transactions(uow, TxStatus.UNMATCHED, TxStatus.UNKNOWN_DEBIT)
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
