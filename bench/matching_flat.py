"""The baseline of bench/matching.py: matching as it was before issue 16 ("flat terms").

A copy of the old `huishoudboekje.domain.matching` scoring, kept here so the
benchmark can measure the new matching against it in the same run: any
configured term in the description gives a flat +25, the payer's IBAN +40, the
household code +30; a candidate needs 60 points and a lead of 15 over the
runner-up. The old index scored every stream of every household of the
credit's payer, and everyone when that gave nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.household import Household, IncomeStream
from huishoudboekje.domain.money import Money

MATCH_THRESHOLD = 60
CLEAR_LEAD = 15
EARLY_DAYS = 7


@dataclass(frozen=True, slots=True)
class FlatCandidate:
    household: str
    income_id: str
    score: int


def _iban(text: str) -> str:
    return text.replace(" ", "").upper()


def _expected_near(stream: IncomeStream, day: date) -> bool:
    lo = day - timedelta(days=stream.window_days + 3)
    hi = day + timedelta(days=EARLY_DAYS)
    return bool(stream.schedule.between(lo, hi))


def score(tx: BankTransaction, household: Household, stream: IncomeStream) -> FlatCandidate:
    points = 0
    text = f"{tx.description} {tx.structured_reference} {tx.counterparty_name}".casefold()
    if stream.payer_iban and _iban(stream.payer_iban) == _iban(tx.counterparty_iban):
        points += 40
    if [t for t in stream.terms if t and t.casefold() in text]:
        points += 25
    if household.code.casefold() in text:
        points += 30
    payer = stream.payer_name.casefold()
    if payer and (payer in text or tx.counterparty_name.casefold() in payer.split("/")):
        points += 10
    margin = Money.round(stream.amount.amount * stream.margin)
    difference = abs(tx.amount - stream.amount)
    if difference <= margin:
        points += 20
    elif difference <= margin * 3:
        points += 5
    else:
        points -= 10
    if _expected_near(stream, tx.booking_date):
        points += 10
    if not household.is_active_on(tx.booking_date):
        points -= 50
    return FlatCandidate(household.code, stream.id, points)


def _match(tx: BankTransaction, households: Iterable[Household]) -> FlatCandidate | str | None:
    """The matched candidate, None (unmatched) or "ambiguous"."""
    ranked = [score(tx, h, s) for h in households for s in h.incomes]
    ranked.sort(key=lambda c: (-c.score, c.household, c.income_id))
    if not ranked or ranked[0].score < MATCH_THRESHOLD:
        return None
    best = ranked[0]
    rivals = [c for c in ranked[1:] if c.household != best.household]
    if rivals and best.score - rivals[0].score < CLEAR_LEAD:
        return "ambiguous"
    return best


class FlatIndex:
    """The old index: households by payer IBAN, everyone as the fallback."""

    def __init__(self, households: Sequence[Household]) -> None:
        self.households = tuple(households)
        self._by_payer: dict[str, list[Household]] = {}
        for household in self.households:
            for iban in {_iban(s.payer_iban) for s in household.incomes if s.payer_iban}:
                self._by_payer.setdefault(iban, []).append(household)

    def match(self, tx: BankTransaction) -> FlatCandidate | str | None:
        subset = self._by_payer.get(_iban(tx.counterparty_iban))
        if subset:
            result = _match(tx, subset)
            if result is not None:
                return result
        return _match(tx, self.households)
