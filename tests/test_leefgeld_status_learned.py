"""`hhb status` (text) says what the planner expects from an irregular income: the
learned monthly amount and what it rests on, in plain Dutch (issue 17 point 4)."""

from __future__ import annotations

from datetime import date

from cli.status_cmd import render_status
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState, IncomeReceipt
from huishoudboekje.domain.leefgeld.recompute import buffer_target_in_force
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.status_report import status_report
from tests.factories import jansen
from tests.test_learned_income import START, _zzp_household


def _receipts(months: range, amount: str) -> tuple[IncomeReceipt, ...]:
    return tuple(IncomeReceipt("omzet", date(2026, m, 10), Money(amount)) for m in months)


def _text(today: date, receipts: tuple[IncomeReceipt, ...]) -> str:
    household = _zzp_household()
    assert isinstance(household, Household)
    state = HouseholdState(
        code="HH-ZZP", vat=Money("1500.00"), receipts=receipts, planned_since=START
    )
    return render_status(status_report(household, state, today))


def test_status_text_shows_the_learned_expected_amount() -> None:
    text = _text(date(2026, 7, 20), _receipts(range(1, 8), "1234.00"))
    assert (
        "  Inkomen (omzet):      verwacht (geleerd): € 1.234,00 per maand, "
        "uit 6 maanden met 6 betalingen"
    ) in text.splitlines()


def test_status_text_while_learning_and_before_any_month() -> None:
    blended = _text(date(2026, 3, 20), _receipts(range(1, 4), "1000.00"))
    # 2 months seen: (1850 x 4 + 1000 x 2) / 6
    assert (
        "verwacht (deels geleerd): € 1.566,67 per maand, uit 2 maanden en het ingestelde "
        "bedrag van € 1.850,00 per maand"
    ) in blended
    first = _text(date(2026, 1, 20), ())
    assert "verwacht: € 1.850,00 per maand, het ingestelde bedrag" in first


def test_a_household_without_an_irregular_income_gets_no_such_line() -> None:
    household = jansen()
    text = render_status(status_report(household, HouseholdState(household.code), START))
    assert "verwacht" not in text


def test_status_json_shows_the_learned_buffer_target_the_rate_aims_for() -> None:
    """`hhb status --json` buffer_target: the target in force (for an irregular
    income the learned one, `recompute.buffer_target_in_force`), not the configured
    € 1.200 the planner no longer aims for (issue 17)."""
    household = _zzp_household()
    assert isinstance(household, Household)
    state = HouseholdState(
        code="HH-ZZP",
        vat=Money("1500.00"),
        receipts=_receipts(range(1, 8), "1234.00"),
        planned_since=START,
    )
    today = date(2026, 7, 20)
    report = status_report(household, state, today)
    learned = buffer_target_in_force(household, report.state, today, PlanSettings())
    assert learned != household.buffer.target
    assert report.as_json()["buffer_target"] == str(learned)
    # a household without an irregular income: the configured target
    plain = jansen()
    report = status_report(plain, HouseholdState(plain.code), START)
    assert report.as_json()["buffer_target"] == str(plain.buffer.target)
