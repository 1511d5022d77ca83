"""Four-eyes reasons for pauses, temporary amounts and totals of fixed charges.

Judged like the amount changes of `services.four_eyes`: pausing (or un-pausing) a
charge above the threshold changes what is paid by its whole amount; a temporary
amount that differs from the charge's amount by more than the threshold is an
amount change for a while; a total set, dropped or moved by more than the
threshold decides when a charge stops, like an end date. Pure, one Dutch line
per reason.
"""

from __future__ import annotations

from datetime import date

from huishoudboekje.domain.charge_windows import Pause, TemporaryAmount
from huishoudboekje.domain.dutch_text import MONTHS_NL, eur
from huishoudboekje.domain.household import FixedCharge, Household
from huishoudboekje.domain.money import Money


def _day(day: date) -> str:
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def _span(window: Pause | TemporaryAmount) -> str:
    return f"van {_day(window.first)} tot en met {_day(window.last)}"


def _charge_reasons(old: FixedCharge, new: FixedCharge, threshold: Money) -> list[str]:
    label = f"vaste last {new.id}"
    reasons: list[str] = []
    if new.amount > threshold:
        reasons.extend(
            f"{label} ({eur(new.amount)}, meer dan {eur(threshold)}) gepauzeerd {_span(p)}"
            for p in new.pause
            if p not in old.pause
        )
        reasons.extend(
            f"pauze van {label} ({eur(new.amount)}) opgeheven: {_span(p)}"
            for p in old.pause
            if p not in new.pause
        )
    for window in (*new.temporary, *old.temporary):
        added = window in new.temporary and window not in old.temporary
        removed = window in old.temporary and window not in new.temporary
        if (added or removed) and abs(window.amount - new.amount) > threshold:
            verb = "tijdelijk" if added else "tijdelijk bedrag opgeheven:"
            reasons.append(
                f"{label} {verb} {eur(window.amount)} in plaats van {eur(new.amount)} "
                f"{_span(window)} (meer dan {eur(threshold)} verschil)"
            )
    if new.total != old.total:
        moved = old.total is None or new.total is None or abs(new.total - old.total) > threshold
        if moved:
            before = "geen" if old.total is None else eur(old.total)
            after = "geen" if new.total is None else eur(new.total)
            reasons.append(f"totaalbedrag {label}: {before} → {after}")
    return reasons


def window_reasons(before: Household, after: Household, threshold: Money) -> list[str]:
    """Why a change of pauses, temporary amounts or totals needs a second staff member."""
    old = {c.id: c for c in before.charges}
    reasons: list[str] = []
    for charge in after.charges:
        if charge.id in old:
            reasons.extend(_charge_reasons(old[charge.id], charge, threshold))
    return reasons
