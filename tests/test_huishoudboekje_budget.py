"""The monthly budget behind the leefgeld rate: the rules in force, at their steady rhythm."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from huishoudboekje.domain.leefgeld import budget
from huishoudboekje.domain.money import Money
from tests.factories import charge, jansen


def test_a_four_weekly_salary_gives_the_same_expected_income_on_every_day_of_the_year():
    household = jansen()
    first = date(2026, 1, 1)
    incomes = {budget(household, first + timedelta(days=n)).monthly_income for n in range(365)}
    # €1.850 x 13 x 365/364 / 12 + €131 zorgtoeslag, never 13 one month and 14 the next
    assert incomes == {Money("2140.67")}


def test_a_future_rent_increase_counts_from_the_day_it_takes_effect():
    household = jansen()
    huur = household.charges[0]
    raised = replace(
        household,
        charges=(
            replace(huur, valid_until=date(2026, 6, 30)),
            replace(huur, id="huur-2026", amount=Money("825.40"), valid_from=date(2026, 7, 1)),
            *household.charges[1:],
        ),
    )
    june = budget(raised, date(2026, 6, 30)).monthly_charges
    july = budget(raised, date(2026, 7, 1)).monthly_charges
    assert june == budget(household, date(2026, 6, 30)).monthly_charges
    assert july - june == Money("100.00")


def test_a_charge_paid_from_its_reserve_is_budgeted_once():
    household = jansen()
    settlement = charge(
        "jaarafrekening",
        "240.00",
        date(2026, 11, 18),
        "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=18",
        reserve="energie-jaarafrekening",
    )
    with_settlement = replace(household, charges=(*household.charges, settlement))
    day = date(2026, 3, 1)
    # the reserve's €25 a month is its budget; the charge is not counted on top
    assert budget(with_settlement, day) == budget(household, day)
    unlinked = replace(settlement, reserve=None)
    more = budget(replace(household, charges=(*household.charges, unlinked)), day)
    assert more.monthly_charges - budget(household, day).monthly_charges == Money("20.00")


def test_a_full_reserve_leaves_its_share_to_leefgeld():
    household = jansen()  # energie-jaarafrekening: €25 a month up to €300
    day = date(2026, 3, 1)
    filling = budget(household, day, reserves_held={"energie-jaarafrekening": Money("100.00")})
    last_bit = budget(household, day, reserves_held={"energie-jaarafrekening": Money("290.00")})
    full = budget(household, day, reserves_held={"energie-jaarafrekening": Money("300.00")})
    assert filling.monthly_reserves == Money("25.00")
    assert last_bit.monthly_reserves == Money("10.00")
    assert full.monthly_reserves == Money("0.00")
    assert full.sustainable > filling.sustainable
