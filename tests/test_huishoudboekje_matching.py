from dataclasses import replace
from datetime import date

import pytest

from huishoudboekje.banking import BankTransaction
from huishoudboekje.matching import HouseholdIndex, MatchStatus, match_credit
from huishoudboekje.money import Money
from tests.factories import jansen

TOESLAGEN = "NL86INGB0002445588"


def credit(amount: str, day: date, iban: str = "", description: str = "", name: str = ""):
    return BankTransaction(
        booking_date=day,
        value_date=day,
        amount=Money(amount),
        counterparty_iban=iban,
        counterparty_name=name,
        description=description,
    )


def households():
    one = jansen()
    # a second household with the same toeslag payer and amount: IBAN alone cannot decide
    toeslag = replace(one.incomes[1], payer_iban=TOESLAGEN, terms=("TS-7781",))
    one = replace(one, incomes=(one.incomes[0], replace(toeslag, terms=("TS-1234",))))
    two = replace(jansen(), code="HH-0002", name="Fam. de Vries", incomes=(toeslag,))
    return [one, two]


def test_salary_matches_by_iban_terms_amount_and_date():
    one, two = households()
    tx = credit(
        "1850.00", date(2026, 2, 5), "NL20INGB0001234567", "Salaris februari", "Betaler loon"
    )
    result = match_credit(tx, [one, two])
    assert result.status is MatchStatus.MATCHED
    assert result.candidate is not None
    assert (result.candidate.household, result.candidate.income_id) == ("HH-0001", "loon")
    assert "IBAN betaler klopt" in result.reason and "bedrag binnen marge" in result.reason


def test_shared_payer_is_decided_by_the_matching_term():
    one, two = households()
    tx = credit("131.00", date(2026, 2, 20), TOESLAGEN, "Zorgtoeslag 2026 TS-7781")
    result = match_credit(tx, [one, two])
    assert result.status is MatchStatus.MATCHED
    assert result.candidate is not None and result.candidate.household == "HH-0002"


def test_shared_payer_without_distinguishing_term_goes_to_staff():
    one, two = households()
    tx = credit("131.00", date(2026, 2, 20), TOESLAGEN, "Zorgtoeslag 2026")
    result = match_credit(tx, [one, two])
    assert result.status is MatchStatus.AMBIGUOUS
    assert "twijfel" in result.reason


def test_unknown_payment_is_unmatched():
    result = match_credit(
        credit("12.34", date(2026, 2, 3), "NL91ABNA0417164300", "teruggave"), households()
    )
    assert result.status is MatchStatus.UNMATCHED


def test_household_not_taking_part_is_not_matched():
    one, two = households()
    one = replace(one, end=date(2026, 1, 31))
    tx = credit("1850.00", date(2026, 2, 5), "NL20INGB0001234567", "Salaris", "Betaler loon")
    assert match_credit(tx, [one, two]).status is MatchStatus.UNMATCHED


def test_index_gives_the_same_answer_as_a_full_scan():
    hh = households()
    index = HouseholdIndex(hh)
    for tx in [
        credit("1850.00", date(2026, 2, 5), "NL20INGB0001234567", "Salaris", "Betaler loon"),
        credit("131.00", date(2026, 2, 20), TOESLAGEN, "Zorgtoeslag TS-7781"),
        credit("131.00", date(2026, 2, 20), TOESLAGEN, "Zorgtoeslag"),
        credit("5.00", date(2026, 2, 20), "", "HH-0002 gift"),
    ]:
        assert index.match(tx).status == match_credit(tx, hh).status


def test_debits_are_not_matched_as_income():
    with pytest.raises(ValueError):
        match_credit(credit("-10.00", date(2026, 2, 3)), households())
