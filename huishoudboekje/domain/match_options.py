"""One income stream of one household as a matching candidate, with its terms prepared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.household import Household, IncomeStream, TermRule
from huishoudboekje.domain.match_text import CreditText, Term, term
from huishoudboekje.domain.money import Money

AmountFit = Literal["binnen", "iets", "buiten", "ver"]
EARLY_DAYS = 7  # an income may arrive this many days before its date
LATE_SLACK_DAYS = 10  # ... and this many days after its window, and still be its money
FAR_FRACTION = 2  # "ver": beyond three margins and more than 1/FAR_FRACTION of the amount


def compact_iban(text: str) -> str:
    return text.replace(" ", "").upper()


def amount_fit(stream: IncomeStream, amount: Money) -> AmountFit:
    """How `amount` fits the income's expected amount: within the margin, a little
    outside (up to three margins), outside, or far outside (also more than half the
    expected amount away: a reference does not make such an amount this income)."""
    margin = Money.round(stream.amount.amount * stream.margin)
    return _fit(_cents(stream.amount), _cents(margin), _cents(amount))


def _cents(amount: Money) -> int:
    return int(amount.amount * 100)


def _fit(expected: int, margin: int, got: int) -> AmountFit:
    difference = abs(got - expected)
    if difference <= margin:
        return "binnen"
    if difference <= margin * 3:
        return "iets"
    if difference * FAR_FRACTION > expected:
        return "ver"
    return "buiten"


def plausible_date(stream: IncomeStream, day: date) -> bool:
    """Whether money booked on `day` can be one of the income's dates: at most
    EARLY_DAYS early, or within its window plus LATE_SLACK_DAYS late."""
    lo = day - timedelta(days=stream.window_days + LATE_SLACK_DAYS)
    return bool(stream.schedule.between(lo, day + timedelta(days=EARLY_DAYS)))


@dataclass(frozen=True, slots=True)
class Option:
    """An income stream of a household that a credit may belong to."""

    household: Household
    stream: IncomeStream
    terms: tuple[Term, ...]  # configured terms, then the reference and the household code
    required: tuple[Term, ...]  # with `match: all`: the terms that must all appear
    iban: str
    payer: str
    cents: int  # the expected amount and its margin, in cents
    margin_cents: int

    def fit(self, amount: Money) -> AmountFit:
        """`amount_fit` of this stream, computed in whole cents."""
        return _fit(self.cents, self.margin_cents, _cents(amount))

    def iban_fits(self, tx: BankTransaction) -> bool:
        return bool(self.iban) and self.iban == compact_iban(tx.counterparty_iban)

    def payer_name_fits(self, tx: BankTransaction, text: CreditText) -> bool:
        name = tx.counterparty_name.casefold()
        return bool(self.payer) and (self.payer in text.words or name in self.payer.split("/"))

    def payer_fits(self, tx: BankTransaction, text: CreditText) -> bool:
        """The payer's IBAN matches, or none is configured and the payer's name does."""
        if self.iban:
            return self.iban_fits(tx)
        return self.payer_name_fits(tx, text)

    def terms_complete(self, text: CreditText) -> bool:
        """False when the income wants every term (`match: all`) and one is missing."""
        return all(t.found_in(text) for t in self.required)


def options_of(household: Household) -> list[Option]:
    """The household's income streams as candidates."""
    out = []
    for stream in household.incomes:
        configured = [term(t) for t in stream.terms if t.strip()]
        if stream.reference.strip():
            configured.append(term(stream.reference, strong=True))
        terms: dict[str, Term] = {}
        for t in [*configured, term(household.code, strong=True)]:
            terms.setdefault(t.key, t)
        required = tuple(configured) if stream.match is TermRule.ALL else ()
        iban = compact_iban(stream.payer_iban)
        margin = Money.round(stream.amount.amount * stream.margin)
        payer = stream.payer_name.casefold()
        values = tuple(terms.values())
        cents = _cents(stream.amount)
        out.append(Option(household, stream, values, required, iban, payer, cents, _cents(margin)))
    return out
