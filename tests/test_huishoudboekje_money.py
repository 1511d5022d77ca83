from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huishoudboekje.domain.money import ZERO, Money, allocate, total

cents = st.integers(min_value=-(10**11), max_value=10**11)
money = cents.map(Money.cents)


def test_float_is_rejected_with_a_hint():
    with pytest.raises(TypeError, match=r'use a string like "725\.40"'):
        Money(725.4)  # type: ignore[arg-type]


def test_bool_is_rejected():
    with pytest.raises(TypeError):
        Money(True)


@pytest.mark.parametrize("text", ["12,50", "abc", "", "NaN", "Infinity"])
def test_non_numbers_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        Money(text)


def test_sub_cent_amounts_need_explicit_rounding():
    with pytest.raises(ValueError, match="more than two decimals"):
        Money("0.005")
    assert Money.round(Decimal("0.005")) == Money("0.01")
    assert Money.round(Decimal("-0.005")) == Money("-0.01")
    assert Money("18.150") == Money("18.15")


def test_representation_always_two_decimals():
    assert str(Money(5)) == "5.00"
    assert str(Money("725.4")) == "725.40"
    assert repr(Money("-1")) == "Money('-1.00')"


def test_money_is_immutable():
    m = Money("1.00")
    with pytest.raises(AttributeError):
        m.amount = Decimal(2)  # type: ignore[misc]


def test_no_mixing_with_plain_numbers():
    with pytest.raises(TypeError):
        Money("1.00") + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money("1.00") * Decimal("0.5")  # type: ignore[operator]
    assert sum([Money("1.10"), Money("2.20")]) == Money("3.30")


@given(money, money)
def test_addition_is_exact(a: Money, b: Money) -> None:
    assert (a + b).to_cents() == a.to_cents() + b.to_cents()
    assert a + b - b == a


@given(money, st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=20))
def test_allocate_parts_add_up(amount: Money, weights: list[int]) -> None:
    if sum(weights) == 0:
        weights = [*weights[:-1], 1]
    parts = allocate(amount, weights)
    assert len(parts) == len(weights)
    assert total(parts) == amount
    # every part is within one cent of its exact share
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = amount.amount * weight / weight_sum
        assert abs(part.amount - exact) < Decimal("0.01")


def test_allocate_example():
    assert allocate(Money("100.00"), [1, 1, 1]) == [Money("33.34"), Money("33.33"), Money("33.33")]
    assert allocate(Money("-0.05"), [1, 1]) == [Money("-0.03"), Money("-0.02")]
    assert allocate(ZERO, [3]) == [ZERO]
    with pytest.raises(ValueError):
        allocate(Money(1), [0, 0])


@pytest.mark.parametrize("text", ["999999999999999999999999999.99", "1e15", "-1000000000000000"])
def test_absurd_amounts_are_refused_with_a_clear_error(text: str) -> None:
    with pytest.raises(ValueError, match="out of range"):
        Money(text)


def test_largest_plausible_amount_is_still_money() -> None:
    assert str(Money("999999999999999.99")) == "999999999999999.99"
