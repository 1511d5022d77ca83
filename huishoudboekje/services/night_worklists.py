"""Staff worklists on what the nightly run stored: unknown credits, returned payments,
nights with problems and the persisted signals (acknowledged with a note).

Read functions return plain frozen records (no table rows leave this module);
`acknowledge_night_signal` writes. Assigning a credit is
`services.nightly.assign_transaction`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from huishoudboekje.adapters.persistence.audit import record_audit
from huishoudboekje.adapters.persistence.crud import record_of
from huishoudboekje.adapters.persistence.instruction_repo import (
    household_charge_instructions,
    returned_instructions,
)
from huishoudboekje.adapters.persistence.night_run_repo import last_completed_night, night_runs
from huishoudboekje.adapters.persistence.signal_repo import (
    acknowledge_signal,
    acknowledged_among,
    open_household_signals,
    signal_rows,
)
from huishoudboekje.adapters.persistence.transaction_repo import transactions
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.bankbook import TxStatus
from huishoudboekje.domain.money import Money
from huishoudboekje.services.errors import UnknownSignalError, checked_note

SEVERITY_ORDER = {"high": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class UnknownCredit:
    id: int
    booking_date: date
    amount: Money
    counterparty_name: str
    counterparty_iban: str
    description: str


@dataclass(frozen=True, slots=True)
class ReturnedPayment:
    end_to_end_id: str
    household: str
    kind: str
    payee_name: str
    amount: Money
    execution_date: date
    return_reason: str


@dataclass(frozen=True, slots=True)
class ProblemNight:
    night: date
    status: str
    attempts: int
    error: str
    problems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NightSignal:
    key: str
    household: str
    kind: str
    severity: str
    message: str
    first_seen: date
    last_seen: date
    status: str
    acknowledged_by: str | None
    acknowledged_note: str | None


def has_nights(uow: UnitOfWork) -> bool:
    """True once the nightly run has completed at least one night."""
    return last_completed_night(uow) is not None


def unknown_credits(uow: UnitOfWork) -> list[UnknownCredit]:
    """Credits nobody could match, oldest first: staff assign them to a household."""
    return [
        record_of(UnknownCredit, row, id=row.id or 0, amount=Money(row.amount))
        for row in transactions(uow, TxStatus.UNMATCHED)
        if row.amount > 0
    ]


def returned_payments(uow: UnitOfWork) -> list[ReturnedPayment]:
    """Payments the bank sent back, newest first."""
    return [
        record_of(ReturnedPayment, row, amount=Money(row.amount))
        for row in returned_instructions(uow)
    ]


def _stage_problems(stages: Any) -> tuple[str, ...]:
    out: list[str] = []
    if not isinstance(stages, dict):
        return ()
    for stage, result in stages.items():
        if isinstance(result, dict):
            for problem in result.get("problems", []) or []:
                out.append(f"{stage}: {problem}")
    return tuple(out)


def problem_nights(uow: UnitOfWork) -> list[ProblemNight]:
    """Nights that did not end "ok" (problems, failed, or still/again running), newest first."""
    return [
        record_of(ProblemNight, row, error=row.error or "", problems=_stage_problems(row.stages))
        for row in reversed(night_runs(uow))
        if row.status != "ok"
    ]


def night_signals(uow: UnitOfWork, household: str | None = None) -> list[NightSignal]:
    """Open stored signals, most severe first."""
    items = [
        record_of(NightSignal, row)
        for row in signal_rows(uow, status="open")
        if household is None or row.household == household
    ]
    return sorted(items, key=lambda s: (SEVERITY_ORDER.get(s.severity, 3), s.household, s.key))


@dataclass(frozen=True, slots=True)
class OpenSignals:
    """What the caseload needs of the stored signals, read at once for every household."""

    by_household: Mapping[str, tuple[NightSignal, ...]]  # open ones, most severe first
    acknowledged: frozenset[str]  # of the keys asked about: those staff closed with a note


def open_signals_by_household(uow: UnitOfWork, keys: Iterable[str] = ()) -> OpenSignals:
    """The open stored signals of every household, grouped per household and most
    severe first, in one query; with them which of `keys` (signals computed today)
    staff have acknowledged: the nightly run does not reopen those, so they are
    dealt with (asked in chunks, so any caseload stays within the database's limit
    on parameters). Signals about the pooled account (no household) are left out."""
    grouped: defaultdict[str, list[NightSignal]] = defaultdict(list)
    for row in open_household_signals(uow):
        signal = NightSignal(*row)
        grouped[signal.household].append(signal)
    return OpenSignals(
        {
            household: tuple(
                sorted(signals, key=lambda s: (SEVERITY_ORDER.get(s.severity, 3), s.key))
            )
            for household, signals in grouped.items()
        },
        acknowledged_among(uow, keys),
    )


def acknowledge_night_signal(
    uow: UnitOfWork, *, key: str, actor: str, note: str, now: datetime, today: date
) -> None:
    """Staff looked at a stored signal: note who, when and what was done; it closes
    and the nightly run does not reopen it. Commits and audit-logs."""
    note = checked_note(note)
    found = acknowledge_signal(uow, key, by=actor, at=now, note=note, day=today)
    if found is None:
        raise UnknownSignalError("Dit signaal bestaat niet.")
    before, household = found
    record_audit(
        uow,
        actor=actor,
        action="signal.acknowledge",
        object_type="signal",
        object_id=key[:200],
        before={"status": before},
        after={"status": "closed", "note": note, "household": household},
        at=now,
    )
    uow.commit()


@dataclass(frozen=True, slots=True)
class HouseholdPayment:
    """A fixed charge the nightly run instructed for a household, and where it stands."""

    end_to_end_id: str
    charge_id: str
    payee_name: str
    amount: Money
    execution_date: date
    status: str  # instructed | in_flight | paid | returned
    return_reason: str


def household_payments(uow: UnitOfWork, household: str, since: date) -> list[HouseholdPayment]:
    """The household's fixed-charge instructions executing on or after `since`, newest first."""
    rows = household_charge_instructions(uow, household, since)
    return [
        HouseholdPayment(e2e, charge, payee, Money(amount), day, status, reason)
        for e2e, charge, payee, amount, day, status, reason in rows
    ]
