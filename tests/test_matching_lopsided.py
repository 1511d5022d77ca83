"""Lopsided configurations (review of issue 16): one household has a term, another has
none, or a household has a weak term (a word, a short number, a year). A wrong
automatic match is worse than a suspense item:

- a plain word only one household has configured decides only when every other
  household that the payer, amount and date fit could have been recognised another way;
- a household named only by a weak key is not enough when the description also holds
  a reference-like number that no candidate has configured (someone else's kenmerk).
"""

from __future__ import annotations

from datetime import date

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.household import IncomeKind, IncomeStream
from huishoudboekje.domain.matching import MatchResult, MatchStatus, match_credit
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.schedule import Schedule
from tests.factories import household

TOESLAGEN = ("Belastingdienst/Toeslagen", "NL86INGB0002445588")
DAY = date(2026, 3, 20)


def zorgtoeslag(*terms: str) -> IncomeStream:
    return IncomeStream(
        id="zorgtoeslag",
        kind=IncomeKind.ZORGTOESLAG,
        amount=Money("154.00"),
        schedule=Schedule(date(2026, 1, 20), "FREQ=MONTHLY;BYMONTHDAY=20"),
        payer_iban=TOESLAGEN[1],
        payer_name=TOESLAGEN[0],
        terms=terms,
    )


def credit(description: str) -> BankTransaction:
    return BankTransaction(
        booking_date=DAY,
        value_date=DAY,
        amount=Money("154.00"),
        counterparty_iban=TOESLAGEN[1],
        counterparty_name=TOESLAGEN[0],
        description=description,
    )


def two(a: tuple[str, ...], b: tuple[str, ...]):
    return [
        household("HH-0001", name="Fam. de Vries", incomes=(zorgtoeslag(*a),)),
        household("HH-0002", name="Fam. Bakker", incomes=(zorgtoeslag(*b),)),
    ]


def who(result: MatchResult) -> str | None:
    if result.status is MatchStatus.MATCHED and result.candidate is not None:
        return result.candidate.household
    return None


def test_a_word_only_one_household_configured_does_not_take_another_households_credit() -> None:
    households = two(("zorgtoeslag",), ())
    result = match_credit(credit("ZORGTOESLAG BAKKER 03-2026"), households)
    assert who(result) is None, result.reason
    assert result.status is MatchStatus.AMBIGUOUS
    assert "'zorgtoeslag'" in result.reason and "HH-0002" in result.reason
    assert "geen eigen kenmerk" in result.reason
    # with no terms on either it was already a tie
    assert who(match_credit(credit("ZORGTOESLAG BAKKER 03-2026"), two((), ()))) is None


def test_a_word_decides_when_every_other_fitting_household_has_an_identifying_term() -> None:
    households = two(("zorgtoeslag", "participatiewet"), ("701571670",))
    result = match_credit(credit("PARTICIPATIEWET ZORGTOESLAG 03-2026"), households)
    assert who(result) == "HH-0001", result.reason
    assert "'participatiewet' (geen andere kandidaat heeft dit)" in result.reason
    # the other household's credit carries its own number: never to HH-0001
    assert who(match_credit(credit("701571670 ZORGTOESLAG 03-2026"), households)) == "HH-0002"


def test_a_weak_key_does_not_beat_a_kenmerk_nobody_has_configured() -> None:
    # HH-0001 was (wrongly) given a short number and a year; HH-0002 has nothing
    for weak in ("4711", "2026"):
        households = two((weak,), ())
        result = match_credit(credit(f"0701.571.670 ZORGTOESLAG 03-{weak}"), households)
        assert who(result) is None, (weak, result.reason)
        assert "onbekend kenmerk" in result.reason, result.reason
    # a full reference of its own still decides next to the period
    households = two(("958610934",), ())
    assert who(match_credit(credit("0958.610.934 ZORGTOESLAG 03-2026"), households)) == "HH-0001"
