"""Issue 17.4: an irregular earner's buffer part, worked out anew at each recomputation.

The learned income is a mean; the vat carries the months above and below it. A
surplus is paid out over about eighteen months, a shortfall rebuilt in about six.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from huishoudboekje.domain.household import Cadence
from huishoudboekje.domain.leefgeld.rate import (
    REBUILD_PERIODS_IRREGULAR,
    RELEASE_PERIODS_IRREGULAR,
    irregular_buffer_part,
)
from huishoudboekje.domain.money import ZERO, Money

TARGET = Money("3600.00")


def test_a_surplus_is_paid_out_over_about_eighteen_months() -> None:
    part, why = irregular_buffer_part(Money("11400.00"), TARGET, Cadence.WEEKLY)
    assert part.amount == Money("100.00")  # 7800 / 78 weeks
    assert part.until is None  # worked out anew at the next recomputation
    assert "€ 100,00 per keer extra" in why


def test_a_shortfall_is_rebuilt_in_about_six_months() -> None:
    part, why = irregular_buffer_part(Money("1000.00"), TARGET, Cadence.WEEKLY)
    assert part.amount == Money("-100.00")  # 2600 / 26 weeks
    assert "€ 100,00 per keer naar uw buffer" in why
    monthly, _ = irregular_buffer_part(Money("1000.00"), TARGET, Cadence.MONTHLY)
    assert monthly.amount == Money("-433.33")  # 2600 / 6 months


def test_a_buffer_at_its_target_adds_nothing() -> None:
    part, why = irregular_buffer_part(TARGET, TARGET, Cadence.WEEKLY)
    assert part.amount == ZERO and why == "Uw buffer is op peil."


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=-500_000, max_value=2_000_000), st.sampled_from(list(Cadence)))
def test_the_part_moves_the_vat_towards_its_target_exactly(cents: int, cadence: Cadence) -> None:
    lowest = Money.cents(cents)
    part, _ = irregular_buffer_part(lowest, TARGET, cadence)
    assert part.amount.amount == part.amount.amount.quantize(Decimal("0.01"))
    excess = (lowest - TARGET).amount
    periods = (RELEASE_PERIODS_IRREGULAR if excess > 0 else REBUILD_PERIODS_IRREGULAR)[cadence]
    # the same sign as the distance, and the whole distance within one spread (to the cent)
    assert (part.amount.amount > 0) == (excess > 0) or part.amount == ZERO
    assert abs(part.amount.amount * periods - excess) <= Decimal("0.005") * periods
