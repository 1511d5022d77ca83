from dataclasses import replace
from datetime import date

import pytest

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.household import IncomeKind
from huishoudboekje.domain.household_state import IncomeReceipt
from huishoudboekje.domain.matching import HouseholdIndex, MatchStatus, ended_before, match_credit
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.night_signals import income_after_end
from huishoudboekje.domain.schedule import Schedule
from huishoudboekje.domain.signals import SignalKind
from tests.factories import income, jansen

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


# -- money for an income that has ended (its schedule got UNTIL=) ---------------------------


def ended_salary(rrule: str = "FREQ=MONTHLY;BYMONTHDAY=25;UNTIL=20260228"):
    """A salary on the 25th from the employer, ended per 28 February (staff: Beëindigen)."""
    salary = replace(
        income("loon", "1234.56", date(2026, 1, 25), rrule),
        payer_iban=WERKGEVER,
        payer_name="Werkgever BV",
        terms=("salaris",),
    )
    return replace(jansen(), incomes=(salary,)), salary


WERKGEVER = "NL20INGB0001234567"


def test_salary_after_its_end_is_still_matched_to_the_household():
    household, salary = ended_salary()
    tx = credit("1234.56", date(2026, 3, 3), WERKGEVER, "Salaris maart", "Werkgever BV")
    result = match_credit(tx, [household])
    assert result.status is MatchStatus.MATCHED  # booked to the household, not lost
    assert result.candidate is not None and result.candidate.income_id == "loon"
    assert ended_before(salary, tx.booking_date) == date(2026, 2, 28)


def test_money_on_or_before_the_end_or_for_an_income_that_runs_on_is_ordinary():
    _household, salary = ended_salary()
    assert ended_before(salary, date(2026, 2, 25)) is None
    assert ended_before(salary, date(2026, 2, 28)) is None
    running = replace(salary, schedule=Schedule(date(2026, 1, 25), "FREQ=MONTHLY;BYMONTHDAY=25"))
    assert ended_before(running, date(2026, 3, 3)) is None


def test_a_late_last_payment_is_not_money_after_the_end_unless_it_was_already_received():
    _household, salary = ended_salary()
    # 25 February's salary arriving on 2 March is late (window 5 days), not after the end
    assert ended_before(salary, date(2026, 3, 2)) is None
    # ... but when 25 February's salary was already received, 2 March is a second payment
    paid = (IncomeReceipt("loon", date(2026, 2, 25), Money("1234.56")),)
    assert ended_before(salary, date(2026, 3, 2), paid) == date(2026, 2, 28)
    # a receipt of another income does not count
    other = (IncomeReceipt("zorgtoeslag", date(2026, 2, 25), Money("1234.56")),)
    assert ended_before(salary, date(2026, 3, 2), other) is None
    # beyond the window nothing is still expected
    assert ended_before(salary, date(2026, 3, 3)) == date(2026, 2, 28)


def test_a_count_rule_ends_on_its_last_date():
    _household, salary = ended_salary("FREQ=MONTHLY;BYMONTHDAY=25;COUNT=2")
    assert salary.schedule.end == date(2026, 2, 25)
    assert ended_before(salary, date(2026, 3, 25)) == date(2026, 2, 25)
    assert ended_before(salary, date(2026, 2, 27)) is None  # the 25th, two days late


def test_income_after_end_signal_names_income_amount_date_and_end():
    _household, salary = ended_salary()
    signal = income_after_end(
        "HH-0001", "BANK-1", salary, date(2026, 3, 3), Money("1234.56"), date(2026, 2, 28)
    )
    assert signal.kind is SignalKind.INCOME_AFTER_END
    assert signal.kind.value == "inkomen_na_einde"
    assert signal.household == "HH-0001"
    assert signal.message == (
        "Loon (Werkgever BV) van € 1.234,56 op dinsdag 3 maart ontvangen, maar dit inkomen "
        "is beëindigd per zaterdag 28 februari. Controleer of het terugbetaald moet worden; "
        "het bedrag staat in de buffer van het huishouden."
    )
    # keyed by the bank line: the same credit raises it once, another credit again
    again = income_after_end(
        "HH-0001", "BANK-1", salary, date(2026, 3, 3), Money("1234.56"), date(2026, 2, 28)
    )
    assert again.key == signal.key
    other = income_after_end(
        "HH-0001", "BANK-2", salary, date(2026, 3, 3), Money("1234.56"), date(2026, 2, 28)
    )
    assert other.key != signal.key
    assert signal.data_dict()["end"] == "2026-02-28"


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (IncomeKind.LOON, "Loon"),
        (IncomeKind.WW, "WW"),
        (IncomeKind.KINDGEBONDEN_BUDGET, "Kindgebonden budget"),
        (IncomeKind.OVERIG, "Inkomen"),
    ],
)
def test_income_kinds_in_dutch(kind: IncomeKind, label: str) -> None:
    assert kind.label_nl == label
