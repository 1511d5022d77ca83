"""Matching: which household and income stream does an incoming payment belong to?

Pure scoring of a credit against every income stream. Several households often
receive money from the same payer (the Belastingdienst pays zorgtoeslag to all
of them), so the payer's IBAN alone never decides: the description's matching
terms, the amount and the date count too. A clear winner is matched; a tie or a
low score goes to suspense for staff, with the reasons kept either way.

A credit matched to an income that has ended (its schedule's ``UNTIL``) is still
matched and booked to the household; `ended_before` tells whether it came after
the end, so staff can check whether it must be paid back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.household import Household, IncomeStream
from huishoudboekje.domain.household_state import IncomeReceipt
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import is_received

MATCH_THRESHOLD = 60  # a candidate needs at least this score
CLEAR_LEAD = 15  # and must beat the runner-up by this much
EARLY_DAYS = 7  # an income may arrive this many days before its date


class MatchStatus(StrEnum):
    MATCHED = "matched"
    UNMATCHED = "unmatched"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True, slots=True)
class Candidate:
    household: str
    income_id: str
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MatchResult:
    status: MatchStatus
    candidate: Candidate | None
    runners_up: tuple[Candidate, ...]

    @property
    def reason(self) -> str:
        """One line for staff: why this was (not) matched."""
        if self.candidate is None:
            return "geen huishouden past bij deze betaling"
        text = "; ".join(self.candidate.reasons)
        if self.status is MatchStatus.AMBIGUOUS:
            others = ", ".join(f"{c.household} ({c.score})" for c in self.runners_up[:3])
            return f"twijfel tussen {self.candidate.household} ({self.candidate.score}) en {others}"
        return f"score {self.candidate.score}: {text}"


def _iban(text: str) -> str:
    return text.replace(" ", "").upper()


def _expected_near(stream: IncomeStream, day: date) -> bool:
    lo = day - timedelta(days=stream.window_days + 3)
    hi = day + timedelta(days=EARLY_DAYS)
    return bool(stream.schedule.between(lo, hi))


def score(tx: BankTransaction, household: Household, stream: IncomeStream) -> Candidate:
    """How well `tx` fits this income stream, and why."""
    points = 0
    reasons: list[str] = []
    text = f"{tx.description} {tx.structured_reference} {tx.counterparty_name}".casefold()
    if stream.payer_iban and _iban(stream.payer_iban) == _iban(tx.counterparty_iban):
        points += 40
        reasons.append("IBAN betaler klopt")
    terms = [t for t in stream.terms if t and t.casefold() in text]
    if terms:
        points += 25
        reasons.append(f"omschrijving bevat {', '.join(repr(t) for t in terms)}")
    if household.code.casefold() in text:
        points += 30
        reasons.append("huishoudcode in omschrijving")
    payer = stream.payer_name.casefold()
    if payer and (payer in text or tx.counterparty_name.casefold() in payer.split("/")):
        points += 10
        reasons.append("naam betaler klopt")
    margin = Money.round(stream.amount.amount * stream.margin)
    difference = abs(tx.amount - stream.amount)
    if difference <= margin:
        points += 20
        reasons.append("bedrag binnen marge")
    elif difference <= margin * 3:
        points += 5
        reasons.append("bedrag iets buiten marge")
    else:
        points -= 10
        reasons.append("bedrag wijkt sterk af")
    if _expected_near(stream, tx.booking_date):
        points += 10
        reasons.append("datum verwacht")
    if not household.is_active_on(tx.booking_date):
        points -= 50
        reasons.append("huishouden neemt niet deel op deze datum")
    return Candidate(household.code, stream.id, points, tuple(reasons))


def ended_before(
    stream: IncomeStream, day: date, receipts: Iterable[IncomeReceipt] = ()
) -> date | None:
    """The end of `stream` when money for it booked on `day` came after the income ended
    (``UNTIL``, or the last date of a ``COUNT``), else None.

    A late arrival of a date that was still expected is not money after the end: the
    last WW of 23 February, ended per 28 February, may arrive on 2 March (within
    `window_days`) unless a receipt for that date is already in `receipts`.
    """
    end = stream.schedule.end
    if end is None or day <= end:
        return None
    received = tuple(receipts)
    first = day - timedelta(days=stream.window_days)
    if any(not is_received(stream, d, received) for d in stream.schedule.between(first, end)):
        return None
    return end


def candidates(tx: BankTransaction, households: Iterable[Household]) -> list[Candidate]:
    """Every income stream's score for `tx`, best first (ties by code for determinism)."""
    scored = [score(tx, h, s) for h in households for s in h.incomes]
    scored.sort(key=lambda c: (-c.score, c.household, c.income_id))
    return scored


def match_credit(tx: BankTransaction, households: Sequence[Household]) -> MatchResult:
    """Match one credit. Debits are never matched to incomes (they are reconciled)."""
    if not tx.amount.is_positive:
        raise ValueError("only credits are matched to income streams")
    ranked = candidates(tx, households)
    if not ranked or ranked[0].score < MATCH_THRESHOLD:
        best = ranked[0] if ranked else None
        return MatchResult(MatchStatus.UNMATCHED, best, tuple(ranked[1:4]))
    best = ranked[0]
    rivals = [c for c in ranked[1:] if c.household != best.household]
    if rivals and best.score - rivals[0].score < CLEAR_LEAD:
        return MatchResult(MatchStatus.AMBIGUOUS, best, tuple(rivals[:3]))
    return MatchResult(MatchStatus.MATCHED, best, tuple(rivals[:3]))


class HouseholdIndex:
    """Households grouped by payer IBAN, so matching 10,000 households stays cheap.

    Credits from a known payer are scored against that payer's streams only;
    others (and a payer whose streams all score low) against everyone.
    """

    def __init__(self, households: Sequence[Household]) -> None:
        self.households = tuple(households)
        self._by_payer: dict[str, list[Household]] = {}
        for household in self.households:
            for iban in {_iban(s.payer_iban) for s in household.incomes if s.payer_iban}:
                self._by_payer.setdefault(iban, []).append(household)

    def match(self, tx: BankTransaction) -> MatchResult:
        subset = self._by_payer.get(_iban(tx.counterparty_iban))
        if subset:
            result = match_credit(tx, subset)
            if result.status is not MatchStatus.UNMATCHED:
                return result
        return match_credit(tx, self.households)
