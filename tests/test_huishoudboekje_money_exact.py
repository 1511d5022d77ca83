"""Money arithmetic skips the constructor's quantizing; the results are the same values."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huishoudboekje.domain.money import LIMIT, Money

cents = st.integers(min_value=-(10**14), max_value=10**14)


def via_constructor(value: Decimal) -> Money:
    """The slow path every operation used before: parse, quantize, check."""
    return Money(value)


@given(a=cents, b=cents, factor=st.integers(min_value=-1000, max_value=1000))
def test_arithmetic_equals_the_constructor_path(a: int, b: int, factor: int) -> None:
    x, y = Money.cents(a), Money.cents(b)
    pairs: list[tuple[Callable[[], Money], Decimal]] = [
        (lambda: x + y, x.amount + y.amount),
        (lambda: x - y, x.amount - y.amount),
        (lambda: -x, -x.amount),
        (lambda: abs(x), abs(x.amount)),
        (lambda: x * factor, x.amount * factor),
    ]
    for operation, exact in pairs:
        if abs(exact) >= LIMIT:
            continue  # out of range raises (test below); 10^12 x 1000 gets there
        fast, slow = operation(), via_constructor(exact)
        # same value, same exponent (two decimals), same text, same sign of zero
        assert fast.amount.as_tuple() == slow.amount.as_tuple()
        assert (str(fast), repr(fast), hash(fast)) == (str(slow), repr(slow), hash(slow))


def test_arithmetic_out_of_range_still_raises() -> None:
    big = Money("999999999999999.99")
    with pytest.raises(ValueError, match="out of range"):
        big + Money("0.01")
    with pytest.raises(ValueError, match="out of range"):
        big * 2
    with pytest.raises(AttributeError):
        big.amount = Decimal(1)  # type: ignore[misc]
