"""The household is asked (issue 19.7): which staff changes need the household's
answer, and what they mean, in plain Dutch (B1) (pure).

A change to the household's own fixed charges (amount, day, pause, temporary
amount, ending) or its leefgeld (amount, cadence, weekday) is proposed to the
household before it takes effect. `consent_changes(before, after, today)` lists
each such change as one sentence the household reads ("Uw huur aan Woonstad wordt
€ 745,00 (was € 725,00).") and the first day it matters; an empty list means the
change needs no answer (an income, a reserve, a new charge, staff fields).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from huishoudboekje.domain.charge_windows import Pause, TemporaryAmount
from huishoudboekje.domain.dutch_text import DAYS_NL, MONTHS_NL, eur
from huishoudboekje.domain.household import Cadence, FixedCharge, Household, LeefgeldPolicy
from huishoudboekje.domain.recurrence_read import schedule_sentence

# how a household calls a charge of this kind (as on its own pages)
CHARGE_WORD = {
    "huur": "huur",
    "energie": "energie",
    "water": "water",
    "zorgpremie": "zorgpremie",
    "stadsverwarming": "warmte",
    "gemeentelijke_belastingen": "belasting",
    "overig": "rekening",
}
CADENCE_NL = {
    Cadence.WEEKLY: "elke week",
    Cadence.MONTHLY: "elke maand",
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def day_text(day: date) -> str:
    """`1 juli 2026`."""
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


@dataclass(frozen=True, slots=True)
class ConsentChange:
    """One change the household is asked about: a sentence, and from when."""

    text: str  # B1 Dutch, for the household
    from_day: date


def _charge_name(charge: FixedCharge) -> str:
    return f"uw {CHARGE_WORD.get(charge.kind.value, 'rekening')} aan {charge.payee_name}"


def _end(charge: FixedCharge) -> date | None:
    ends = [d for d in (charge.valid_until, charge.schedule.end) if d is not None]
    return min(ends) if ends else None


def _windows_added(
    old: tuple[Pause | TemporaryAmount, ...], new: tuple[Pause | TemporaryAmount, ...]
) -> list[Pause | TemporaryAmount]:
    return [w for w in new if w not in old]


def _charge_changes(old: FixedCharge, new: FixedCharge, today: date) -> list[ConsentChange]:
    name = _charge_name(new)
    out: list[ConsentChange] = []
    if new.amount != old.amount:
        text = f"Wij betalen {name} voortaan {eur(new.amount)} (was {eur(old.amount)})."
        out.append(ConsentChange(text[0].upper() + text[1:], today))
    if new.schedule != old.schedule:
        text = (
            f"Wij betalen {name} voortaan {schedule_sentence(new.schedule)} "
            f"(was {schedule_sentence(old.schedule)})."
        )
        out.append(ConsentChange(text, max(today, new.schedule.start)))
    for window in _windows_added(old.pause, new.pause):
        text = f"Wij betalen {name} niet van {day_text(window.first)} tot en met " + (
            f"{day_text(window.last)}."
        )
        out.append(ConsentChange(text, window.first))
    for window in _windows_added(old.temporary, new.temporary):
        assert isinstance(window, TemporaryAmount)
        text = (
            f"Wij betalen {name} van {day_text(window.first)} tot en met "
            f"{day_text(window.last)} {eur(window.amount)} in plaats van {eur(new.amount)}."
        )
        out.append(ConsentChange(text, window.first))
    kept: tuple[Pause | TemporaryAmount, ...] = (*new.pause, *new.temporary)
    was: tuple[Pause | TemporaryAmount, ...] = (*old.pause, *old.temporary)
    removed = [w for w in was if w not in kept]
    for gone in removed:
        text = (
            f"De afspraak over {name} van {day_text(gone.first)} tot en met "
            f"{day_text(gone.last)} vervalt."
        )
        out.append(ConsentChange(text, max(today, gone.first)))
    end, old_end = _end(new), _end(old)
    if end != old_end and end is not None:
        text = f"Wij betalen {name} na {day_text(end)} niet meer."
        out.append(ConsentChange(text, end))
    elif end != old_end:
        out.append(ConsentChange(f"Wij blijven {name} betalen, zonder einddatum.", today))
    return out


def _weekday_nl(weekday: str) -> str:
    return DAYS_NL[WEEKDAYS.index(weekday)] if weekday in WEEKDAYS else weekday


def _when(policy: LeefgeldPolicy) -> str:
    if policy.cadence is Cadence.MONTHLY:
        return CADENCE_NL[policy.cadence]
    return f"{CADENCE_NL[policy.cadence]} op {_weekday_nl(policy.weekday)}"


def _leefgeld_changes(old: LeefgeldPolicy, new: LeefgeldPolicy, today: date) -> list[ConsentChange]:
    out: list[ConsentChange] = []
    if new.amount != old.amount and new.amount is not None:
        was = "" if old.amount is None else f" (was {eur(old.amount)})"
        out.append(ConsentChange(f"Uw leefgeld wordt {eur(new.amount)}{was}.", today))
    if new.cadence != old.cadence or new.weekday != old.weekday:
        text = f"U krijgt uw leefgeld voortaan {_when(new)} (was {_when(old)})."
        out.append(ConsentChange(text, today))
    return out


def consent_changes(before: Household, after: Household, today: date) -> list[ConsentChange]:
    """The changes of `after` against `before` the household is asked about; empty when
    none (new charges, incomes, reserves and staff fields need no answer)."""
    changes: list[ConsentChange] = []
    old = {c.id: c for c in before.charges}
    for charge in after.charges:
        if charge.id in old:
            changes.extend(_charge_changes(old[charge.id], charge, today))
    changes.extend(_leefgeld_changes(before.leefgeld, after.leefgeld, today))
    return changes


def first_day(changes: list[ConsentChange], today: date) -> date:
    """From when the proposal matters: its earliest change, never before `today`."""
    return max(today, min((c.from_day for c in changes), default=today))
