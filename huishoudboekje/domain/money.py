"""Money: one exact type for euro amounts.

A `Money` is a `Decimal` quantized to cents. It is built from `str`, `int` or
`Decimal`; a `float` raises `TypeError` because a float cannot hold most cent
amounts exactly. Amounts that carry sub-cent digits are refused by the
constructor; computed values (a rate times 12/52) are rounded explicitly with
`Money.round`, so every rounding in the code base is visible at its call site.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import total_ordering
from typing import Union

CENT = Decimal("0.01")
# No household, gemeente or bank file deals in a quadrillion euro; anything this
# large is a damaged file, and refusing it keeps every sum far inside Decimal's
# 28-digit precision (so quantizing can never fail half-way).
LIMIT = Decimal("1e15")

MoneyInput = Union[str, int, Decimal, "Money"]


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("a bool is not an amount")
    if isinstance(value, float):
        raise TypeError(
            f'float {value!r} is not accepted as money; use a string like "{value:.2f}"'
        )
    if isinstance(value, Money):
        return value.amount
    if isinstance(value, Decimal):
        dec = value
    elif isinstance(value, int):
        dec = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        try:
            dec = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not an amount") from None
    else:
        raise TypeError(f"{type(value).__name__} is not accepted as money")
    if not dec.is_finite():
        raise ValueError(f"{value!r} is not a finite amount")
    if abs(dec) >= LIMIT:
        raise ValueError(f"{value!r} is out of range for an amount")
    return dec


@total_ordering
class Money:
    """An exact amount in euro, always with two decimals."""

    __slots__ = ("amount",)
    amount: Decimal

    def __init__(self, value: MoneyInput = 0) -> None:
        dec = _to_decimal(value)
        quantized = dec.quantize(CENT)
        if quantized != dec:
            raise ValueError(f"{value!r} has more than two decimals; use Money.round()")
        object.__setattr__(self, "amount", quantized)

    @classmethod
    def round(cls, value: Decimal | int | str) -> Money:
        """Round a computed value half-up to cents (the explicit rounding point)."""
        dec = _to_decimal(value)
        return cls(dec.quantize(CENT, rounding=ROUND_HALF_UP))

    @classmethod
    def cents(cls, cents: int) -> Money:
        """Build from a whole number of cents."""
        return cls(Decimal(cents).scaleb(-2))

    @classmethod
    def _exact(cls, amount: Decimal) -> Money:
        """A result of exact arithmetic on cent amounts (+, -, x int): already in cents.

        Skips the parsing and quantizing of the constructor, which dominated the
        planner's tight loops; the range check stays.
        """
        if abs(amount) >= LIMIT:
            raise ValueError(f"{amount!r} is out of range for an amount")
        money = object.__new__(cls)
        object.__setattr__(money, "amount", amount)
        return money

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Money is immutable")

    # -- arithmetic -------------------------------------------------------
    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money._exact(self.amount + other.amount)

    def __radd__(self, other: object) -> Money:
        # lets sum() start from 0
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money._exact(self.amount - other.amount)

    def __neg__(self) -> Money:
        return Money._exact(-self.amount)

    def __abs__(self) -> Money:
        return Money._exact(abs(self.amount))

    def __mul__(self, factor: object) -> Money:
        """Multiply by a whole number; fractional factors go through `Money.round`."""
        if isinstance(factor, bool) or not isinstance(factor, int):
            return NotImplemented
        return Money._exact(self.amount * factor)

    __rmul__ = __mul__

    # -- comparison -------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if isinstance(other, Money):
            return self.amount == other.amount
        return NotImplemented

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount < other.amount

    def __hash__(self) -> int:
        return hash(("Money", self.amount))

    def __bool__(self) -> bool:
        return self.amount != 0

    # -- helpers ----------------------------------------------------------
    @property
    def is_positive(self) -> bool:
        return self.amount > 0

    @property
    def is_negative(self) -> bool:
        return self.amount < 0

    def to_cents(self) -> int:
        return int(self.amount.scaleb(2))

    def __str__(self) -> str:
        return format(self.amount, "f")

    def __repr__(self) -> str:
        return f"Money('{self.amount}')"


ZERO = Money(0)


def total(amounts: Iterable[Money]) -> Money:
    """Sum of amounts, ZERO for none."""
    result = ZERO
    for amount in amounts:
        result = result + amount
    return result


def min_money(*amounts: Money) -> Money:
    return min(amounts)


def allocate(amount: Money, weights: Sequence[int | Decimal]) -> list[Money]:
    """Split `amount` over `weights` so that the parts add up exactly.

    Uses the largest-remainder method: every part gets its floor share in cents,
    the leftover cents go one each to the parts with the largest remainders
    (ties to the earliest). Works for negative amounts (mirrored).
    """
    if not weights:
        raise ValueError("allocate needs at least one weight")
    weight_values = [_to_decimal(w) for w in weights]
    if any(w < 0 for w in weight_values):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weight_values, Decimal(0))
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    sign = -1 if amount.is_negative else 1
    cents = abs(amount.to_cents())
    shares = [Decimal(cents) * w / weight_sum for w in weight_values]
    floors = [int(s) for s in shares]
    leftover = cents - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:leftover]:
        floors[i] += 1
    return [Money.cents(sign * c) for c in floors]
