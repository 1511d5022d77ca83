"""Plain-Dutch pieces of text the leefgeld phase and the next-release preview share."""

from __future__ import annotations

from datetime import date

from huishoudboekje.domain.dutch_text import MONTHS_NL
from huishoudboekje.domain.household import Cadence
from huishoudboekje.domain.occurrences import WEEK_DAYS


def partial_reason(days: int) -> str:
    """Why a weekly release pays fewer than 7 days ("" for a whole week)."""
    if days >= WEEK_DAYS:
        return ""
    return (
        "Uw leefgelddag is veranderd en een deel van deze week had u al gekregen. "
        f"Daarom krijgt u deze keer leefgeld voor {days} {'dag' if days == 1 else 'dagen'}."
    )


def leefgeld_remittance(nominal: date, cadence: Cadence) -> str:
    """The remittance text of a release: the month, or the ISO week, it is for."""
    if cadence is Cadence.MONTHLY:
        return f"Leefgeld {MONTHS_NL[nominal.month - 1]} {nominal.year}"
    iso = nominal.isocalendar()
    return f"Leefgeld week {iso.week} {iso.year}"
