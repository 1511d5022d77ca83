"""What people type in URLs and forms becomes a value, or None (never an exception)."""

from __future__ import annotations

from datetime import date

from huishoudboekje.domain.money import Money
from web.parsing import amount_of, iso_day, month_of, typed_day


def test_months_amounts_and_days_parse_or_give_none() -> None:
    assert month_of("2026-03") == date(2026, 3, 1)
    assert month_of("2026-13") is None and month_of("maart") is None
    assert amount_of("€ 1.234,56") == Money("1234.56") and amount_of("50") == Money("50")
    assert amount_of("veel") is None and amount_of("1,234") is None
    assert typed_day("30-06-2026") == typed_day("2026-06-30") == date(2026, 6, 30)
    assert typed_day("31-02-2026") is None and typed_day("morgen") is None
    assert iso_day("") is None and iso_day("2026-02-30") is None
