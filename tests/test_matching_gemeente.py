"""Matching against a generated gemeente (tests/realistic_gemeente.py), as properties.

Every seed is a different gemeente: shared payers, shared amounts, references in
the formats payers use, late money, strangers. Whatever the seed:
- every credit with a reference only its household has is matched to that household
  and income;
- no credit is matched to a household whose reference differs (no wrong match at all);
- a credit without a distinguishing term is matched only when payer IBAN, amount and
  date leave a single household, and then to the right one; one that carries a number
  nobody configured is not matched at all.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from huishoudboekje.domain.match_options import amount_fit, plausible_date
from huishoudboekje.domain.matching import HouseholdIndex, MatchResult, MatchStatus
from tests.realistic_gemeente import Credit, RealisticGemeente, generate

SEEDS = st.integers(min_value=0, max_value=10_000)


@cache
def run(seed: int, n: int = 100) -> tuple[RealisticGemeente, tuple[MatchResult, ...]]:
    gemeente = generate(n, seed)
    index = HouseholdIndex(gemeente.households)
    return gemeente, tuple(index.match(c.tx) for c in gemeente.credits)


def got(result: MatchResult) -> tuple[str, str] | None:
    if result.status is MatchStatus.MATCHED and result.candidate is not None:
        return (result.candidate.household, result.candidate.income_id)
    return None


def unique_references(gemeente: RealisticGemeente) -> set[str]:
    """The payers' numbers that only one household has (the generator may draw one twice)."""
    owners: dict[str, set[str]] = {}
    for (code, _), number in gemeente.references.items():
        owners.setdefault(number, set()).add(code)
    return {number for number, codes in owners.items() if len(codes) == 1}


def test_the_generator_is_deterministic_and_realistic() -> None:
    one, two = generate(200, 7), generate(200, 7)
    assert one.credits == two.credits and one.households == two.households
    assert generate(200, 8).credits != one.credits
    amounts = Counter((i.payer_iban, i.amount) for h in one.households for i in h.incomes)
    sharing = [
        h for h in one.households if any(amounts[(i.payer_iban, i.amount)] > 1 for i in h.incomes)
    ]
    assert len(sharing) >= 0.3 * len(one.households)
    strangers = [c for c in one.credits if c.household is None]
    assert 1 <= len(strangers) <= len(one.credits) / 150
    assert any(not c.has_reference for c in one.credits if c.household)
    late = [c for c in one.credits if c.expected and c.tx.booking_date > c.expected]
    early = [c for c in one.credits if c.expected and c.tx.booking_date < c.expected]
    assert late and early
    assert max((c.tx.booking_date - c.expected).days for c in late if c.expected) <= 10
    config = one.config()
    assert len(config["households"]) == 200
    assert one.expected_incomes("HH-0001")


@settings(max_examples=6, deadline=None)
@given(SEEDS)
def test_every_credit_with_a_unique_reference_is_matched_to_its_household_and_income(
    seed: int,
) -> None:
    gemeente, results = run(seed)
    unique = unique_references(gemeente)
    for credit, result in zip(gemeente.credits, results, strict=True):
        number = gemeente.references.get((credit.household or "", credit.income or ""), "")
        if credit.has_reference and number in unique:
            assert got(result) == (credit.household, credit.income), (
                credit.tx.description,
                result.reason,
            )


@settings(max_examples=6, deadline=None)
@given(SEEDS)
def test_no_credit_is_ever_matched_to_a_household_whose_reference_differs(seed: int) -> None:
    gemeente, results = run(seed)
    for credit, result in zip(gemeente.credits, results, strict=True):
        matched = got(result)
        if matched is not None:
            assert matched == (credit.household, credit.income), (
                credit.tx.description,
                credit.household,
                result.reason,
            )


def _fitting_households(
    gemeente: RealisticGemeente, credit: Credit, *, by_date: bool = True
) -> set[str]:
    """Brute force: households with a stream from this payer whose amount (and date) fit."""
    tx = credit.tx
    return {
        h.code
        for h in gemeente.households
        for s in h.incomes
        if s.payer_iban == tx.counterparty_iban
        and amount_fit(s, tx.amount) in ("binnen", "iets")
        and (not by_date or plausible_date(s, tx.booking_date))
    }


def _recognisable(gemeente: RealisticGemeente, credit: Credit) -> set[str]:
    """Households with a configured number at this payer (absent from this credit): their
    own credits carry it, so a word on this one cannot be theirs."""
    tx = credit.tx
    return {
        h.code
        for h in gemeente.households
        for s in h.incomes
        if s.payer_iban == tx.counterparty_iban
        and (s.reference or any(t.isdigit() and len(t) >= 6 for t in s.terms))
        and h.code != credit.household
    }


@settings(max_examples=6, deadline=None)
@given(SEEDS)
def test_without_a_distinguishing_term_only_a_single_fitting_household_is_matched(
    seed: int,
) -> None:
    gemeente, results = run(seed)
    checked = 0
    for credit, result in zip(gemeente.credits, results, strict=True):
        if credit.household is None or credit.has_reference or credit.taught_term:
            continue  # a configured number or a taught term may tell it apart
        checked += 1
        fitting = _fitting_households(gemeente, credit)
        if got(result) is not None:
            # only when payer, amount and date leave it alone, or every other household
            # that fits has a number of its own (and a word of this one's decided)
            assert fitting - _recognisable(gemeente, credit) == {credit.household}, (
                credit.tx.description,
                result.reason,
            )
        if credit.unknown_number:  # a number nobody configured in the description: staff
            continue
        if _fitting_households(gemeente, credit, by_date=False) == {credit.household} == fitting:
            # payer, amount and date leave this household alone: then it is matched
            assert got(result) == (credit.household, credit.income), result.reason
    assert checked


def test_a_thousand_households_nearly_everything_with_a_reference_matches() -> None:
    gemeente, results = run(16, 1000)
    with_reference = [
        (c, r) for c, r in zip(gemeente.credits, results, strict=True) if c.has_reference
    ]
    matched = [c for c, r in with_reference if got(r) == (c.household, c.income)]
    assert len(matched) >= 0.99 * len(with_reference)
    strangers = [r for c, r in zip(gemeente.credits, results, strict=True) if c.household is None]
    assert strangers and all(r.status is not MatchStatus.MATCHED for r in strangers)
