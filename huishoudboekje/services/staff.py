"""Service functions for the staff work place: worklists, signal notes, audit search.

Worklists built on what exists today: the signals of tonight's plan per
household (from `household_status`), household requests and four-eyes changes.
Unmatched transactions, returned payments and nights with problems come from
the nightly run's tables once they exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from huishoudboekje.adapters.persistence import (
    AuditEvent,
    load_audit_events,
    load_households,
    record_audit,
)
from huishoudboekje.adapters.persistence.approvals import (
    ChangeRequest,
    SignalNote,
    list_change_requests,
    save_signal_note,
    signal_notes,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import User, list_users
from huishoudboekje.domain.recurrence_read import rule_sentence
from huishoudboekje.domain.signals import Signal
from huishoudboekje.services.errors import checked_note
from huishoudboekje.services.household_status import household_status


@dataclass(frozen=True, slots=True)
class SignalItem:
    """A signal on the worklist, with the note staff left on it (if any)."""

    signal: Signal
    household_name: str
    note: SignalNote | None


def signal_worklist(
    uow: UnitOfWork, today: date, *, include_acknowledged: bool = False
) -> list[SignalItem]:
    """Signals of every active household for `today`, most severe first."""
    notes = signal_notes(uow)
    order = {"high": 0, "warning": 1, "info": 2}
    items = []
    for household in load_households(uow):
        if not household.is_active_on(today):
            continue
        for signal in household_status(uow, household.code, today).signals:
            note = notes.get((signal.household, signal.key))
            if note is None or include_acknowledged:
                items.append(SignalItem(signal, household.name, note))
    return sorted(items, key=lambda i: (order.get(i.signal.severity.value, 3), i.signal.household))


def notes_for(uow: UnitOfWork, household: str) -> dict[str, SignalNote]:
    """Notes on one household's signals, by signal key."""
    return {key: note for (_, key), note in signal_notes(uow, household).items()}


def acknowledge_signal(
    uow: UnitOfWork, *, household: str, key: str, actor: str, note: str, now: datetime
) -> None:
    """Mark a signal as looked at, with a note; commits (and audit-logs)."""
    note = checked_note(note)
    save_signal_note(uow, household=household, key=key[:200], by=actor, at=now, note=note)
    record_audit(
        uow,
        actor=actor,
        action="signal.acknowledge",
        object_type="signal",
        object_id=f"{household}:{key}"[:200],
        after={"note": note},
        at=now,
    )
    uow.commit()


def pending_changes(uow: UnitOfWork, household: str | None = None) -> tuple[ChangeRequest, ...]:
    """Four-eyes changes waiting for approval, newest first."""
    return list_change_requests(uow, status="pending", household=household)


def change_history(uow: UnitOfWork, household: str) -> tuple[ChangeRequest, ...]:
    """All four-eyes changes of one household, newest first."""
    return list_change_requests(uow, household=household)


def household_accounts(uow: UnitOfWork, household: str) -> tuple[User, ...]:
    """The login accounts of one household."""
    return list_users(uow, household=household)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None


def _flat(value: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict) and set(value) == {"start", "rrule"}:  # a schedule, in Dutch
        return {prefix.rstrip("."): _schedule_text(value)}
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key, item in value.items():
            out.update(_flat(item, f"{prefix}{key}."))
        return out
    if isinstance(value, list) and all(isinstance(v, dict) and "id" in v for v in value):
        out = {}
        for item in value:
            out.update(_flat(item, f"{prefix}{item['id']}."))
        return out
    return {prefix.rstrip("."): "–" if value is None else str(value)}


def _schedule_text(schedule: dict[str, Any]) -> str:
    try:
        start = date.fromisoformat(str(schedule["start"]))
    except ValueError:
        return f"{schedule['start']} {schedule['rrule']}"
    return rule_sentence(start, str(schedule["rrule"]))


def audit_changes(event: AuditEvent) -> list[tuple[str, str, str]]:
    """(field, before, after) for every field that differs between before and after;
    rules are keyed by their id (``charges.huur.amount``)."""
    before, after = _flat(event.before or {}), _flat(event.after or {})
    keys = list(after) + [k for k in before if k not in after]
    return [
        (key, before.get(key, "–"), after.get(key, "–"))
        for key in keys
        if before.get(key) != after.get(key)
    ]


def search_audit(uow: UnitOfWork, where: AuditFilter, limit: int = 500) -> list[AuditEvent]:
    """Audit events matching every given filter, newest first (at most `limit`)."""
    events = load_audit_events(
        uow,
        object_type=where.object_type or None,
        object_id=where.object_id or None,
    )
    out = []
    for event in reversed(events):
        if where.actor and where.actor.lower() not in event.actor.lower():
            continue
        if where.action and not event.action.startswith(where.action):
            continue
        day = event.at.date()
        if where.since and day < where.since:
            continue
        if where.until and day > where.until:
            continue
        out.append(event)
        if len(out) >= limit:
            break
    return out
