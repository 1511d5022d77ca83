"""Buffer health in days (issue 17, point 6): the pure calculation, by hand and as
properties, and where it shows (hhb status --json)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from huishoudboekje.domain.buffer_days import BufferDays, buffer_days, days_covered
from huishoudboekje.domain.charge_windows import Pause
from huishoudboekje.domain.household import ChargeKind, LeefgeldPolicy
from huishoudboekje.domain.household_state import HouseholdState, LeefgeldState
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.status_report import status_report
from tests.factories import charge, household

TODAY = date(2026, 3, 10)
SETTINGS = PlanSettings()


def example(vat: str = "1000.00", advance: str = "0.00", **charge_extra: object):  # type: ignore[no-untyped-def]
    """Huur € 730,00 on the 1st of every month, weekly leefgeld € 100,00."""
    h = household(
        "HH-D",
        leefgeld=LeefgeldPolicy(),
        charges=(charge("huur", "730.00", date(2025, 1, 1), kind=ChargeKind.HUUR, **charge_extra),),
    )
    state = HouseholdState(
        "HH-D",
        vat=Money(vat),
        advance_used=Money(advance),
        leefgeld=LeefgeldState(rate=Money("100.00")),
    )
    return h, state


def test_the_hand_worked_example() -> None:
    """12 rents from 1 April 2026 to 1 March 2027: € 8.760,00; 52 weeks of € 100,00
    leefgeld: € 5.200,00; a year costs € 13.960,00, a day € 38,246...; € 1.000,00
    lasts 1000 × 365 / 13960 = 26,1 days: 26."""
    h, state = example()
    result = buffer_days(h, state, TODAY, SETTINGS)
    assert result == BufferDays(26, Money("1000.00"), Money("13960.00"), TODAY)
    assert result.sentence() == "Uw buffer is genoeg voor ongeveer 26 dagen."


def test_the_advance_limit_does_not_count() -> None:
    h, state = example(vat="1000.00", advance="400.00")
    with_limit = replace(h, buffer=replace(h.buffer, advance_limit=Money("5000.00")))
    assert buffer_days(with_limit, state, TODAY, SETTINGS).days == 26


def test_a_pause_makes_the_buffer_last_longer() -> None:
    h, state = example(pause=(Pause(date(2026, 4, 1), date(2026, 9, 30)),))
    result = buffer_days(h, state, TODAY, SETTINGS)
    assert result.yearly_need == Money("730.00") * 6 + Money("5200.00")
    assert result.days == 1000 * 365 // (6 * 730 + 5200)  # 38


def test_nothing_to_pay_is_no_number_and_an_empty_vat_is_zero() -> None:
    assert days_covered(Money("50.00"), ZERO) is None
    assert days_covered(ZERO, ZERO) == 0
    assert days_covered(Money("-5.00"), Money("100.00")) == 0
    assert BufferDays(1, Money("1"), Money("365"), TODAY).sentence() == (
        "Uw buffer is genoeg voor ongeveer 1 dag."
    )


@given(
    st.integers(-100_000, 1_000_000).map(Money.cents),
    st.integers(0, 1_000_000).map(Money.cents),
    st.integers(1, 5_000_000).map(Money.cents),
)
def test_more_money_never_means_fewer_days(vat: Money, more: Money, need: Money) -> None:
    less_days = days_covered(vat, need)
    more_days = days_covered(vat + more, need)
    assert less_days is not None and more_days is not None
    assert more_days >= less_days


@given(st.integers(1, 5_000_000).map(Money.cents), st.integers(-100_000, 0).map(Money.cents))
def test_an_empty_vat_covers_zero_days(need: Money, vat: Money) -> None:
    assert days_covered(vat, need) == 0


@given(st.integers(1, 1_000_000).map(Money.cents), st.integers(1, 5_000_000).map(Money.cents))
def test_days_are_exact_and_rounded_down(vat: Money, need: Money) -> None:
    days = days_covered(vat, need)
    assert days is not None
    # days whole days cost no more than the vat; one more day would cost more
    assert days * need.to_cents() <= vat.to_cents() * 365 < (days + 1) * need.to_cents()


@given(st.integers(0, 500_000).map(Money.cents), st.integers(0, 500_000).map(Money.cents))
def test_monotone_in_the_vat_for_a_whole_household(a: Money, b: Money) -> None:
    h, state = example()
    low, high = sorted([a, b])
    days_low = buffer_days(h, replace(state, vat=low), TODAY, SETTINGS).days
    days_high = buffer_days(h, replace(state, vat=high), TODAY, SETTINGS).days
    assert days_low is not None and days_high is not None
    assert days_low <= days_high
    if not low.is_positive:
        assert days_low == 0


def test_the_status_report_carries_it() -> None:
    h, state = example()
    report = status_report(h, state, TODAY, SETTINGS)
    assert report.buffer is not None
    assert report.as_json()["buffer_days"] == report.buffer.days
    assert report.buffer.measured == TODAY
