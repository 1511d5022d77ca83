"""What the household reads about a proposed change (issue 19.7), as properties: no
change, no question; every changed amount of an existing charge is one sentence with
both amounts; incomes, reserves and new charges are never asked; pauses say from
when; the sentences are plain (no underscores, no RRULE)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from huishoudboekje.domain.charge_windows import Pause
from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.household import (
    ChargeKind,
    FixedCharge,
    Household,
    IncomeKind,
    IncomeStream,
)
from huishoudboekje.domain.household_consent import consent_changes, first_day
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.schedule import Schedule

TODAY = date(2026, 3, 4)
MONTHLY = Schedule(date(2026, 1, 1), "FREQ=MONTHLY;BYMONTHDAY=1")
amounts = st.decimals(min_value=Decimal("1.00"), max_value=Decimal("5000.00"), places=2)


def _household(kind: ChargeKind, amount: Decimal) -> Household:
    charge = FixedCharge("c1", kind, "Ontvanger BV", "NL93RABO0123456780", Money(amount), MONTHLY)
    income = IncomeStream("loon", IncomeKind.LOON, Money("1500.00"), MONTHLY)
    return Household(
        "HH-1", "Fam. Test", "NL91ABNA0417164300", charges=(charge,), incomes=(income,)
    )


@settings(max_examples=40)
@given(st.sampled_from(list(ChargeKind)), amounts, amounts)
def test_an_amount_change_is_one_plain_sentence(
    kind: ChargeKind, old: Decimal, new: Decimal
) -> None:
    before = _household(kind, old)
    after = dataclasses.replace(
        before, charges=(dataclasses.replace(before.charges[0], amount=Money(new)),)
    )
    changes = consent_changes(before, after, TODAY)
    if old == new:
        assert changes == []
        return
    [change] = changes
    assert eur(Money(new)) in change.text and eur(Money(old)) in change.text
    assert "_" not in change.text and "FREQ" not in change.text
    assert change.from_day == TODAY


@settings(max_examples=30)
@given(amounts, st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=90))
def test_incomes_and_new_charges_are_not_asked_but_a_pause_is(
    amount: Decimal, start: int, length: int
) -> None:
    before = _household(ChargeKind.HUUR, amount)
    income = dataclasses.replace(before.incomes[0], amount=Money(amount))
    extra = dataclasses.replace(before.charges[0], id="c2")
    after = dataclasses.replace(before, incomes=(income,), charges=(*before.charges, extra))
    assert consent_changes(before, after, TODAY) == []
    first = TODAY + timedelta(days=start)
    pause = Pause(first, first + timedelta(days=length))
    paused = dataclasses.replace(
        before, charges=(dataclasses.replace(before.charges[0], pause=(pause,)),)
    )
    [change] = consent_changes(before, paused, TODAY)
    assert change.text.startswith("Wij betalen uw huur aan Ontvanger BV niet van")
    assert first_day([change], TODAY) == first
