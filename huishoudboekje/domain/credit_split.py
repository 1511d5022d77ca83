"""Split one credit over several households and incomes (pure).

Sometimes one payment belongs to more than one household: a joint toeslag, a
gift for two families, a payer who paid two clients at once. Staff split it:
each part names a household, optionally one of its incomes, and an amount. The
parts must add up to the credit to the cent; each part is its own balanced
journal entry from suspense into that household's vat (`split_entries`), with a
stable id per part, so booking it again books nothing twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from huishoudboekje.domain import ledger
from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.ids import split_entry_id
from huishoudboekje.domain.ledger import SUSPENSE, JournalEntry, transfer
from huishoudboekje.domain.limits import AMOUNT_TEXT, amount_problem, non_ascii_digit
from huishoudboekje.domain.money import Money

MAX_PARTS = 20
# Digits 0-9 with three or more decimals: an amount, but not to the cent.
_TOO_PRECISE = re.compile(r"[0-9]+\.[0-9]{3,}", re.ASCII)


class SplitError(ValueError):
    """A split that cannot be booked; the message is one Dutch line for staff."""


@dataclass(frozen=True, slots=True)
class SplitPart:
    """One household's share of a credit (and the income it counts as, if any)."""

    household: str
    income_id: str | None
    amount: Money

    def as_text(self) -> str:
        """CODE:INCOME:AMOUNT, as `hhb assign --split` takes it."""
        return f"{self.household}:{self.income_id or ''}:{self.amount}"


def parse_amount(text: str, where: str) -> Money:
    """An amount like 12.50 or 12,50: the digits 0-9 only, at most two decimals, no
    thousands separators, below the ceiling of every amount (`domain.limits`), the
    same rule the web forms use; `SplitError` with one Dutch line otherwise."""
    shown = text.strip()
    cleaned = shown.replace("€", "").strip().replace(",", ".")
    digit = non_ascii_digit(cleaned)
    if digit is not None:
        raise SplitError(
            f"{where}: {shown!r} heeft het teken {digit!r}; "
            "schrijf een bedrag alleen met de cijfers 0-9"
        )
    unsigned = cleaned.removeprefix("-")
    if not AMOUNT_TEXT.fullmatch(unsigned):
        if _TOO_PRECISE.fullmatch(unsigned):
            raise SplitError(f"{where}: {shown!r} heeft meer dan twee decimalen")
        raise SplitError(f"{where}: {shown!r} is geen bedrag (schrijf bijvoorbeeld 77,50)")
    if unsigned != cleaned:
        raise SplitError(f"{where}: het bedrag moet groter dan nul zijn")
    value = Decimal(cleaned)
    if amount_problem(value):
        raise SplitError(f"{where}: {shown!r} is te groot (hoogstens € 999.999,99)")
    return Money(value)


def parse_part(text: str) -> SplitPart:
    """One part written as CODE:INCOME:AMOUNT (INCOME may be empty: CODE::AMOUNT)."""
    pieces = text.split(":")
    if len(pieces) == 3 and not pieces[0].strip():
        raise SplitError(f"deel {text.strip()!r}: kies een huishouden voor dit deel")
    if len(pieces) != 3:
        raise SplitError(
            f"deel {text!r}: schrijf HUISHOUDEN:INKOMEN:BEDRAG, "
            "bijvoorbeeld HH-0001:zorgtoeslag:77.00"
        )
    code, income, amount = (p.strip() for p in pieces)
    return SplitPart(code, income or None, parse_amount(amount, f"deel {text!r}"))


def check_split(total: Money, parts: Sequence[SplitPart]) -> None:
    """`SplitError` unless the parts are at least two, each positive, no household and
    income twice, and together exactly `total`."""
    if len(parts) < 2:
        raise SplitError("verdeel over minstens twee delen (voor één huishouden: toewijzen)")
    if len(parts) > MAX_PARTS:
        raise SplitError(f"verdeel over hoogstens {MAX_PARTS} delen")
    seen: set[tuple[str, str | None]] = set()
    for part in parts:
        if not part.amount.is_positive:
            raise SplitError(f"deel {part.as_text()}: het bedrag moet groter dan nul zijn")
        if (part.household, part.income_id) in seen:
            raise SplitError(
                f"deel {part.as_text()}: dit huishouden en inkomen staan er twee keer in"
            )
        seen.add((part.household, part.income_id))
    added = sum((p.amount for p in parts), Money(0))
    if added != total:
        raise SplitError(
            f"de delen tellen op tot {eur(added)}, de bijschrijving is {eur(total)} "
            f"(verschil {eur(abs(total - added))})"
        )


def split_entries(dedupe_key: str, day: date, parts: Sequence[SplitPart]) -> list[JournalEntry]:
    """One balanced entry per part: suspense → the household's vat."""
    return [
        transfer(
            split_entry_id(dedupe_key, number),
            day,
            f"Verdeeld: deel {number} van {len(parts)} aan {part.household}",
            SUSPENSE,
            ledger.vat(part.household),
            part.amount,
            "assigned",
            {"dedupe_key": dedupe_key, "part": str(number)},
        )
        for number, part in enumerate(parts, start=1)
    ]
