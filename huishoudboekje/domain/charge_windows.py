"""Pauses, temporary amounts and target totals of a fixed charge (issue 17, point 5).

A budget coach pauses a charge for a while (two months without sports club), lowers
it for a while (a payment arrangement with the energy company), or lets a debt
repayment stop by itself once its total is paid. All three revert by themselves.

- A pause `[first, last]` (both inclusive, by due date): no payment is due in it.
- A temporary amount `[first, last]`: the due dates in it pay that amount instead.
- A total: once that much has been paid the charge stops; the last instalment is
  smaller when less than a whole one is left. What was paid is counted from the
  household's state (`ChargeProgress`: what the planner really instructed), never
  from the calendar.

Pure functions of the charge's rules, dates and the progress kept in the state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from huishoudboekje.domain.dutch_text import MONTHS_NL, eur
from huishoudboekje.domain.ids import charge_instruction_id
from huishoudboekje.domain.money import ZERO, Money


@dataclass(frozen=True, slots=True)
class Pause:
    """No payment is due from `first` up to and including `last`."""

    first: date
    last: date


@dataclass(frozen=True, slots=True)
class TemporaryAmount:
    """From `first` up to and including `last`, each due pays `amount` instead."""

    first: date
    last: date
    amount: Money


@dataclass(frozen=True, slots=True)
class ChargeProgress:
    """What the planner has instructed for a charge with a total: `paid` in all, for
    the dues up to and including `through`, less the instalments the bank gave back
    (`returned`: their EndToEndIds, each subtracted once)."""

    charge_id: str
    paid: Money
    through: date
    returned: tuple[str, ...] = ()


class WindowError(ValueError):
    """Windows that cannot be: the end before the start, or two that overlap."""


def check_windows(windows: Iterable[Pause | TemporaryAmount]) -> None:
    """Raise `WindowError` when a window ends before it starts or two overlap."""
    ordered = sorted(windows, key=lambda w: (w.first, w.last))
    for window in ordered:
        if window.last < window.first:
            raise WindowError(
                f"until {window.last.isoformat()} is before from {window.first.isoformat()}"
            )
    for before, after in pairwise(ordered):
        if after.first <= before.last:
            raise WindowError(
                f"{before.first.isoformat()}..{before.last.isoformat()} overlaps "
                f"{after.first.isoformat()}..{after.last.isoformat()}"
            )


def is_paused(pauses: tuple[Pause, ...], due: date) -> bool:
    """Whether a due date lies in one of the pauses."""
    return any(p.first <= due <= p.last for p in pauses)


def amount_on(amount: Money, temporary: tuple[TemporaryAmount, ...], due: date) -> Money:
    """The amount due on `due`: a temporary amount in its window, else `amount`."""
    for window in temporary:
        if window.first <= due <= window.last:
            return window.amount
    return amount


def remaining(total: Money, progress: ChargeProgress | None) -> Money:
    """What is still to be paid of `total` (never below zero)."""
    paid = progress.paid if progress is not None else ZERO
    return max(total - paid, ZERO)


def capped(
    total: Money | None,
    progress: ChargeProgress | None,
    dues: list[tuple[date, Money]],
) -> list[tuple[date, Money]]:
    """The dues (in date order) with a total applied: dues after `progress.through`
    take what is left in turn, the last one only the rest, later ones nothing (left
    out). Dues up to `through` are kept as they are (they were paid already)."""
    if total is None:
        return dues
    left = remaining(total, progress)
    result = []
    for day, amount in sorted(dues):
        if progress is not None and day <= progress.through:
            result.append((day, amount))
            continue
        if not left.is_positive:
            continue
        take = min(amount, left)
        left = left - take
        result.append((day, take))
    return result


def progress_by_charge(
    progress: tuple[ChargeProgress, ...],
) -> Mapping[str, ChargeProgress]:
    return {p.charge_id: p for p in progress}


def with_payment(
    progress: tuple[ChargeProgress, ...], charge_id: str, amount: Money, due: date
) -> tuple[ChargeProgress, ...]:
    """The progress after paying `amount` for the due of `due`."""
    now = progress_by_charge(progress).get(charge_id)
    paid = (now.paid if now is not None else ZERO) + amount
    through = max(due, now.through) if now is not None else due
    returned = now.returned if now is not None else ()
    others = tuple(p for p in progress if p.charge_id != charge_id)
    return tuple(sorted((*others, ChargeProgress(charge_id, paid, through, returned)), key=_key))


def with_returns(
    progress: tuple[ChargeProgress, ...],
    household: str,
    charge_ids: Iterable[str],
    returned: Iterable[tuple[str, Money]],
) -> tuple[ChargeProgress, ...]:
    """The progress with every instalment the bank gave back taken off what was paid,
    once: a returned payment did not reach the creditor, so the total is not nearer
    and one more (or a larger last) instalment follows.

    `returned` holds the household's returned payments (EndToEndId, instructed
    amount); those of the charges `charge_ids` for a due already counted are
    subtracted and remembered in `ChargeProgress.returned`."""
    counted = dict(progress_by_charge(progress))
    changed = False
    for end_to_end_id, amount in returned:
        for charge_id in charge_ids:
            now = counted.get(charge_id)
            if now is None or end_to_end_id in now.returned:
                continue
            due = _due_of(end_to_end_id)
            if due is None or due > now.through:
                continue
            if charge_instruction_id(household, charge_id, due) != end_to_end_id:
                continue
            counted[charge_id] = ChargeProgress(
                charge_id,
                max(now.paid - amount, ZERO),
                now.through,
                tuple(sorted((*now.returned, end_to_end_id))),
            )
            changed = True
    if not changed:
        return progress
    return tuple(sorted(counted.values(), key=_key))


def _due_of(end_to_end_id: str) -> date | None:
    """The day an EndToEndId ends in (YYYYMMDD), or None."""
    digits = end_to_end_id[-8:]
    if not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def started(
    progress: tuple[ChargeProgress, ...], charge_id: str, before: date
) -> tuple[ChargeProgress, ...]:
    """The progress with a record for `charge_id` (nothing paid, counting from the day
    after `before`) when it has none yet."""
    if charge_id in progress_by_charge(progress):
        return progress
    fresh = ChargeProgress(charge_id, ZERO, before)
    return tuple(sorted((*progress, fresh), key=_key))


def _key(p: ChargeProgress) -> str:
    return p.charge_id


def date_nl(day: date) -> str:
    """`1 maart 2026`."""
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def window_sentence(
    what: str,
    pauses: tuple[Pause, ...],
    temporary: tuple[TemporaryAmount, ...],
    today: date,
) -> str:
    """What is different about a charge now or next, in plain Dutch (B1), or ""."""
    for pause in sorted(pauses, key=lambda p: p.first):
        if pause.first <= today <= pause.last:
            return f"De betaling voor {what} is gepauzeerd tot en met {date_nl(pause.last)}."
        if today < pause.first:
            return (
                f"De betaling voor {what} stopt van {date_nl(pause.first)} "
                f"tot en met {date_nl(pause.last)}."
            )
    for window in sorted(temporary, key=lambda w: w.first):
        if window.first <= today <= window.last:
            return (
                f"De betaling voor {what} is tijdelijk {eur(window.amount)}, "
                f"tot en met {date_nl(window.last)}."
            )
        if today < window.first:
            return (
                f"De betaling voor {what} is tijdelijk {eur(window.amount)} "
                f"van {date_nl(window.first)} "
                f"tot en met {date_nl(window.last)}."
            )
    return ""


def total_sentence(total: Money, progress: ChargeProgress | None) -> str:
    """`nog € 480,00 te gaan` (or that it is paid off), in plain Dutch."""
    left = remaining(total, progress)
    if not left.is_positive:
        return f"helemaal afbetaald ({eur(total)})"
    return f"nog {eur(left)} te gaan van {eur(total)}"
