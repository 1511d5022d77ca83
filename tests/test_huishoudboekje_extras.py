"""Approved extra payments: the pure decision (pay when the vat allows, else wait)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from huishoudboekje.domain.extra_payments import ExtraRequest, decide_extras, spendable
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ids import extra_charge_id, extra_end_to_end_id, request_of_charge_id
from huishoudboekje.domain.ledger import IN_FLIGHT, vat
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.domain.signals import SignalKind
from tests.factories import HOUSEHOLD_IBAN, jansen

TODAY = date(2026, 3, 10)
SETTINGS = PlanSettings()


def state(amount: str) -> HouseholdState:
    return HouseholdState(code="HH-0001", planned_since=TODAY, vat=Money(amount))


def request(rid: int, amount: Money | str, approved: date = TODAY) -> ExtraRequest:
    money = amount if isinstance(amount, Money) else Money(amount)
    return ExtraRequest(rid, "HH-0001", "eenmalige_betaling", money, approved)


def test_charges_before_the_next_income_are_kept_back() -> None:
    room = spendable(jansen(), state("500.00"), TODAY, SETTINGS)
    assert Money("0.00") < room < Money("500.00")  # water (15th) is due before the 20th


def test_pays_what_the_vat_can_spare_to_the_households_own_account() -> None:
    household, st_ = jansen(), state("500.00")
    room = spendable(household, st_, TODAY, SETTINGS)
    decision = decide_extras(household, st_, (request(7, room),), TODAY, SETTINGS)
    [instruction] = decision.instructions
    assert decision.paid == (7,) and decision.waiting == () and decision.signals == ()
    assert instruction.kind == "extra" and instruction.payee_iban == HOUSEHOLD_IBAN
    assert instruction.end_to_end_id == extra_end_to_end_id(7) == "HHB-EXTRA-7"
    assert instruction.amount == room and instruction.execution_date > TODAY
    assert "Eenmalige betaling" in instruction.remittance
    [entry] = decision.entries
    assert {(p.account, p.amount) for p in entry.postings} == {
        (vat("HH-0001"), room),  # the planner's sign convention (vat is owed to the household)
        (IN_FLIGHT, -room),
    }
    assert decision.state.vat == Money("500.00") - room


def test_one_cent_too_much_waits_with_a_signal() -> None:
    household, st_ = jansen(), state("500.00")
    room = spendable(household, st_, TODAY, SETTINGS)
    decision = decide_extras(household, st_, (request(8, room + Money("0.01")),), TODAY, SETTINGS)
    assert decision.instructions == () and decision.entries == ()
    assert decision.waiting == (8,)
    [signal] = decision.signals
    assert signal.kind is SignalKind.PAYMENT_HELD_BACK and "verzoek 8" in signal.message


def test_never_uses_the_advance() -> None:
    household = jansen()
    assert household.buffer.advance_limit.is_positive
    decision = decide_extras(household, state("0.00"), (request(9, "10.00"),), TODAY, SETTINGS)
    assert decision.instructions == () and decision.waiting == (9,)


def test_not_before_approval_and_not_for_other_households() -> None:
    later = request(10, "5.00", approved=date(2026, 3, 11))
    other = ExtraRequest(11, "HH-0002", "extra_leefgeld", Money("5.00"), TODAY)
    decision = decide_extras(jansen(), state("900.00"), (later, other), TODAY, SETTINGS)
    assert decision.instructions == () and decision.waiting == ()


def test_several_requests_share_the_room_oldest_first() -> None:
    household, st_ = jansen(), state("500.00")
    room = spendable(household, st_, TODAY, SETTINGS)
    first = request(21, room, approved=date(2026, 3, 9))
    second = request(20, "0.01")
    decision = decide_extras(household, st_, (second, first), TODAY, SETTINGS)
    assert decision.paid == (21,) and decision.waiting == (20,)


@given(
    st.integers(min_value=0, max_value=200_000),
    st.lists(st.integers(min_value=1, max_value=100_000), max_size=4),
)
def test_never_pays_beyond_the_spendable_vat(vat_cents: int, amounts: list[int]) -> None:
    household, st_ = jansen(), state(str(Money(Decimal(vat_cents) / 100)))
    requests = tuple(request(i + 1, Money(Decimal(a) / 100)) for i, a in enumerate(amounts))
    decision = decide_extras(household, st_, requests, TODAY, SETTINGS)
    paid = sum((i.amount for i in decision.instructions), Money("0.00"))
    assert paid <= spendable(household, st_, TODAY, SETTINGS)
    assert set(decision.paid) | set(decision.waiting) == {r.id for r in requests}
    assert decide_extras(household, st_, requests, TODAY, SETTINGS) == decision


def test_a_later_attempt_has_its_own_end_to_end_id_and_the_same_request_link() -> None:
    household, st_ = jansen(), state("900.00")
    again = ExtraRequest(7, "HH-0001", "extra_leefgeld", Money("5.00"), TODAY, attempt=2)
    [instruction] = decide_extras(household, st_, (again,), TODAY, SETTINGS).instructions
    assert instruction.end_to_end_id == extra_end_to_end_id(7, 2) == "HHB-EXTRA-7-2"
    assert len(extra_end_to_end_id(10**12, 99)) <= 35
    assert instruction.charge_id == extra_charge_id(7) == "verzoek-7"
    assert request_of_charge_id(instruction.charge_id) == 7
    assert request_of_charge_id("huur") is None and request_of_charge_id("verzoek-x") is None
