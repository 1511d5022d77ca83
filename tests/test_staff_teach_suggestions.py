"""The pure rule behind "learn from staff": which terms tell a household apart."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.household import Household, IncomeKind, IncomeStream
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.schedule import Schedule
from huishoudboekje.domain.term_suggestions import (
    candidate_tokens,
    normalise,
    occurs_in,
    suggest_terms,
)

DAY = date(2026, 2, 20)
IBAN = "NL86INGB0002445588"


def zorgtoeslag(terms: tuple[str, ...] = ()) -> IncomeStream:
    return IncomeStream(
        "zorgtoeslag",
        IncomeKind("zorgtoeslag"),
        Money("154.00"),
        Schedule(date(2026, 1, 20), "FREQ=MONTHLY;BYMONTHDAY=20"),
        payer_iban=IBAN,
        payer_name="Belastingdienst/Toeslagen",
        terms=terms,
    )


def households(b_terms: tuple[str, ...] = ()) -> list[Household]:
    return [
        Household("HH-0001", "Fam. de Vries", "NL44RABO0123456789", incomes=(zorgtoeslag(),)),
        Household("HH-0002", "Fam. Bakker", "NL20INGB0001234567", incomes=(zorgtoeslag(b_terms),)),
    ]


def credit(description: str, reference: str = "") -> BankTransaction:
    return BankTransaction(
        DAY,
        DAY,
        Money("154.00"),
        counterparty_name="Belastingdienst/Toeslagen",
        counterparty_iban=IBAN,
        description=description,
        structured_reference=reference,
    )


@pytest.mark.parametrize(
    ("written", "plain"),
    [("0958.610.934", "958610934"), ("958 610 934", "958610934"), ("000123456", "123456")],
)
def test_numbers_are_compared_as_numbers(written: str, plain: str) -> None:
    assert normalise(written) == plain
    assert normalise("Toeslag") == "toeslag"


@given(st.integers(min_value=10_000, max_value=10**12), st.sampled_from(["", "0", "00"]))
def test_dots_spaces_and_leading_zeros_do_not_count(number: int, zeros: str) -> None:
    digits = zeros + str(number)
    dotted = ".".join(digits[i : i + 3] for i in range(0, len(digits), 3))
    assert normalise(dotted) == normalise(digits.replace("", " ").strip()) == str(number)


def test_periods_dates_and_short_numbers_are_no_candidates() -> None:
    keys = {
        t.key for t in candidate_tokens(credit("ZORGTOESLAG 03-2026 20.02.2026 nr 12 0958.610.934"))
    }
    assert "958610934" in keys
    assert not {"2026", "20022026", "12", "032026"} & keys


def test_the_reference_is_offered_and_words_every_household_has_are_not() -> None:
    tx = credit("0958.610.934 ZORGTOESLAG 02-2026", reference="RF18 0000 0958 6109 34")
    offered = suggest_terms(tx, households(), "HH-0001", "zorgtoeslag")
    assert offered and normalise(offered[0]) == "958610934"  # numbers first
    assert not {"zorgtoeslag", "belastingdienst", "toeslagen"} & {normalise(t) for t in offered}


def test_a_term_another_household_has_or_that_was_seen_in_its_credits_is_not_offered() -> None:
    tx = credit("0958.610.934 ZORGTOESLAG de Vries")
    offered = suggest_terms(tx, households(b_terms=("958610934",)), "HH-0001", "zorgtoeslag")
    assert "958610934" not in {normalise(t) for t in offered}
    seen = suggest_terms(tx, households(), "HH-0001", "zorgtoeslag", elsewhere={"vries"})
    assert "vries" not in seen


def test_nothing_is_offered_for_an_unknown_household_or_income() -> None:
    tx = credit("0958.610.934 ZORGTOESLAG")
    assert suggest_terms(tx, households(), "HH-0009", "zorgtoeslag") == ()
    assert suggest_terms(tx, households(), "HH-0001", "loon") == ()


def test_only_terms_in_the_credit_occur_in_it() -> None:
    tx = credit("0958.610.934 ZORGTOESLAG")
    assert occurs_in(tx, "958610934") and occurs_in(tx, "zorgtoeslag")
    assert not occurs_in(tx, "0701571670")


def test_a_name_another_family_also_has_is_not_offered() -> None:
    tx = credit("0958.610.934 ZORGTOESLAG J. Bakker")  # HH-0002 is Fam. Bakker
    offered = {normalise(t) for t in suggest_terms(tx, households(), "HH-0001", "zorgtoeslag")}
    assert "bakker" not in offered and "958610934" in {normalise(t) for t in offered}
