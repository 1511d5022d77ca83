"""Matching: which household and income stream does an incoming payment belong to?

The decision is `match_decide.decide` (how terms, amount and date weigh, and when
a credit goes to suspense); the text rules are in `match_text` (numbers compared
as numbers). This module holds the index that finds a credit's candidates
without scoring every stream: the streams of its payer (IBAN) near its amount,
the streams without a payer IBAN near its amount, and every stream of a
household whose reference, number or code the credit's text names.

A credit matched to an income that has ended (its schedule's ``UNTIL``) is still
matched and booked to the household; `ended_before` tells whether it came after
the end, so staff can check whether it must be paid back.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.household import Household, IncomeStream
from huishoudboekje.domain.household_state import IncomeReceipt
from huishoudboekje.domain.match_decide import MATCH_THRESHOLD, decide
from huishoudboekje.domain.match_options import Option, compact_iban, options_of
from huishoudboekje.domain.match_result import Candidate, MatchResult, MatchStatus
from huishoudboekje.domain.match_text import MIN_NUMBER_DIGITS, CreditText, credit_text
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import is_received

__all__ = [
    "MATCH_THRESHOLD",
    "Candidate",
    "HouseholdIndex",
    "MatchResult",
    "MatchStatus",
    "ended_before",
    "match_credit",
]

NARROW_MARGIN = Decimal("0.3")  # streams with a wider margin are checked one by one
CLOSE = ("binnen", "iets")


class _ByAmount:
    """Income streams sorted by amount: the ones a credit's amount may belong to."""

    def __init__(self, options: Iterable[Option]) -> None:
        narrow = sorted(
            (o for o in options if o.stream.margin <= NARROW_MARGIN),
            key=lambda o: o.stream.amount.amount,
        )
        self._amounts = [o.stream.amount.amount for o in narrow]
        self._narrow = narrow
        self._spread = 3 * max((o.stream.margin for o in narrow), default=Decimal(0))
        self._wide = [o for o in options if o.stream.margin > NARROW_MARGIN]

    def near(self, amount: Decimal) -> list[Option]:
        """Streams whose amount is within three margins of `amount` (or just outside)."""
        lo = bisect_left(self._amounts, amount / (1 + self._spread))
        hi = (
            bisect_right(self._amounts, amount / (1 - self._spread))
            if self._spread < 1
            else len(self._amounts)
        )
        money = Money(amount)
        found = [o for o in self._narrow[lo:hi] if o.fit(money) in CLOSE]
        return found + [o for o in self._wide if o.fit(money) in CLOSE]


class HouseholdIndex:
    """Candidates by payer IBAN and amount, and by the numbers and codes a text names,
    so that matching 10,000 households scores a handful of streams per credit."""

    def __init__(self, households: Sequence[Household]) -> None:
        self.households = tuple(households)
        everything = [o for h in self.households for o in options_of(h)]
        self._of_household: dict[str, list[Option]] = {}
        payers: dict[str, list[Option]] = {}
        self._by_key: dict[str, set[str]] = {}
        for option in everything:
            code = option.household.code
            self._of_household.setdefault(code, []).append(option)
            payers.setdefault(option.iban, []).append(option)
            for t in option.terms:
                if t.strong:
                    self._by_key.setdefault(_lookup_key(t.key, t.numeric), set()).add(code)
        self._by_payer = {iban: _ByAmount(opts) for iban, opts in payers.items() if iban}
        self._no_payer = _ByAmount(payers.get("", []))

    def candidates(self, tx: BankTransaction, text: CreditText) -> list[Option]:
        """The streams `tx` may belong to (see the module docstring)."""
        found: dict[tuple[str, str], Option] = {}
        payer = self._by_payer.get(compact_iban(tx.counterparty_iban))
        near = payer.near(tx.amount.amount) if payer else []
        for option in [*near, *self._no_payer.near(tx.amount.amount)]:
            found[(option.household.code, option.stream.id)] = option
        codes: set[str] = set()
        for key in [*text.numbers, *text.tokens]:
            codes |= self._by_key.get(key, set())
        for code in sorted(codes):
            for option in self._of_household[code]:
                found[(code, option.stream.id)] = option
        return list(found.values())

    def match(self, tx: BankTransaction) -> MatchResult:
        """Match one credit. Debits are never matched to incomes (they are reconciled)."""
        if not tx.amount.is_positive:
            raise ValueError("only credits are matched to income streams")
        text = credit_text(tx)
        return decide(tx, text, self.candidates(tx, text))


def _lookup_key(key: str, numeric: bool) -> str:
    """Where the index files a strong term: a number by its digits, a word with a long
    enough number in it ("TS-7781") by that number, anything else as one token."""
    if numeric:
        return key
    digits = "".join(c for c in key if c.isdigit()).lstrip("0")
    return digits if len(digits) >= MIN_NUMBER_DIGITS - 1 else key


def match_credit(tx: BankTransaction, households: Sequence[Household]) -> MatchResult:
    """Match one credit against `households` (builds an index; use `HouseholdIndex` for many)."""
    return HouseholdIndex(households).match(tx)


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
