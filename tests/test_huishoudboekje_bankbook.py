"""Pure decisions of the nightly run: dedupe across formats, reconcile, bookings."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huishoudboekje.domain import ledger
from huishoudboekje.domain.bankbook import (
    InstructionStatus,
    SentPayment,
    TxStatus,
    assignment_entry,
    booking_entry,
    fingerprints,
    new_transactions,
    opening_entry,
    reconcile,
)
from huishoudboekje.domain.banking import BankTransaction, Statement
from huishoudboekje.domain.money import Money

ACCOUNT = "NL91ABNA0417164300"
DAY = date(2026, 2, 20)


def tx(amount: str, key: str, iban: str = "NL86INGB0002445588", **extra: object) -> BankTransaction:
    return BankTransaction(
        booking_date=DAY,
        value_date=DAY,
        amount=Money(amount),
        counterparty_iban=iban,
        dedupe_key=key,
        **extra,  # type: ignore[arg-type]
    )


def statement(fmt: str, *txs: BankTransaction) -> Statement:
    return Statement(ACCOUNT, f"S-{fmt}", tuple(txs), source_format=fmt)


def test_the_same_day_in_another_format_adds_nothing() -> None:
    camt = statement("camt053", tx("131.00", "r:1"), tx("-725.40", "r:2", "NL93RABO0123456780"))
    mt940 = statement("mt940", tx("131.00", "m:1"), tx("-725.40", "m:2", "NL93RABO0123456780"))
    stored = {fp: frozenset({"camt053"}) for fp in fingerprints(camt)}
    assert new_transactions(mt940, frozenset(), stored) == []
    # within one format the dedupe key decides: a new key is a new transaction
    assert (
        len(new_transactions(statement("camt053", tx("131.00", "r:9")), frozenset(), stored)) == 1
    )


def test_two_identical_real_payments_stay_two() -> None:
    camt = statement("camt053", tx("50.00", "r:1"), tx("50.00", "r:2"))
    assert len(set(fingerprints(camt))) == 2
    assert len(new_transactions(camt, frozenset(), {})) == 2
    # a CSV of the same day that has them both adds nothing; with a third one, one more
    stored = {fp: frozenset({"camt053"}) for fp in fingerprints(camt)}
    csv = statement("csv-ing", tx("50.00", "h:1"), tx("50.00", "h:2"), tx("50.00", "h:3"))
    assert [t.dedupe_key for t, _ in new_transactions(csv, frozenset(), stored)] == ["h:3"]


def test_a_repeated_key_within_a_statement_counts_once_and_stored_keys_are_skipped() -> None:
    camt = statement("camt053", tx("1.00", "r:1"), tx("2.00", "r:2"))
    assert [t.dedupe_key for t, _ in new_transactions(camt, frozenset({"r:1"}), {})] == ["r:2"]


def sent(status: InstructionStatus, amount: str = "725.40") -> dict[str, SentPayment]:
    return {"E2E-1": SentPayment("E2E-1", "HH-0001", Money(amount), status)}


def test_reconcile_settles_returns_and_parks() -> None:
    debit = tx("-725.40", "r:1", end_to_end_id="E2E-1")
    assert reconcile(debit, sent(InstructionStatus.IN_FLIGHT)).status is TxStatus.SETTLED
    # the same debit twice: the second finds the instruction paid → unknown debit
    assert reconcile(debit, sent(InstructionStatus.PAID)).status is TxStatus.UNKNOWN_DEBIT
    # an amount that differs settles the instruction and says so (difference → suspense)
    differs = reconcile(debit, sent(InstructionStatus.IN_FLIGHT, "700.00"))
    assert (differs.status, differs.in_flight) == (TxStatus.SETTLED, Money("700.00"))
    assert differs.amount_differs and "bedrag wijkt af" in differs.reason
    assert reconcile(tx("-9.00", "r:2"), {}).status is TxStatus.UNKNOWN_DEBIT
    back = tx("725.40", "r:3", original_end_to_end_id="E2E-1", is_return=True, return_reason="AC04")
    decision = reconcile(back, sent(InstructionStatus.PAID))
    assert (decision.status, decision.household) == (TxStatus.RETURNED, "HH-0001")
    assert "AC04" in decision.reason and decision.in_flight is None
    # a return whose debit was never seen also clears the instructed amount from in flight
    unseen = reconcile(back, sent(InstructionStatus.IN_FLIGHT))
    assert (unseen.status, unseen.in_flight) == (TxStatus.RETURNED, Money("725.40"))
    assert not unseen.amount_differs
    # its debit turning up later (a late statement) was booked with the return
    implied = {
        "E2E-1": SentPayment("E2E-1", "HH-0001", Money("725.40"), InstructionStatus.RETURNED, True)
    }
    assert reconcile(debit, implied).status is TxStatus.DEBIT_ALREADY_BOOKED
    assert reconcile(debit, sent(InstructionStatus.RETURNED)).status is TxStatus.UNKNOWN_DEBIT
    assert reconcile(back, {}).status is TxStatus.UNMATCHED


@pytest.mark.parametrize(
    ("status", "amount", "debit", "credit"),
    [
        (TxStatus.MATCHED, "131.00", ledger.BANK, ledger.vat("HH-0001")),
        (TxStatus.RETURNED, "725.40", ledger.BANK, ledger.vat("HH-0001")),
        (TxStatus.UNMATCHED, "50.00", ledger.BANK, ledger.SUSPENSE),
        (TxStatus.SETTLED, "-725.40", ledger.IN_FLIGHT, ledger.BANK),
        (TxStatus.UNKNOWN_DEBIT, "-12.50", ledger.SUSPENSE, ledger.BANK),
    ],
)
def test_booking_entries(
    status: TxStatus, amount: str, debit: ledger.Account, credit: ledger.Account
) -> None:
    entry = booking_entry("r:1", DAY, Money(amount), status, "HH-0001", "x")
    assert entry.id == "bank:r:1"
    assert [(p.account, p.amount) for p in entry.postings] == [
        (debit, abs(Money(amount))),
        (credit, -abs(Money(amount))),
    ]


@pytest.mark.parametrize(
    ("status", "amount", "instructed", "expected"),
    [
        # return, debit never seen: in flight → bank → vat, the bank moves by the return only
        (
            TxStatus.RETURNED,
            "725.40",
            "725.40",
            {ledger.IN_FLIGHT: "725.40", ledger.vat("HH-0001"): "-725.40"},
        ),
        # a return for less than was sent (bank costs kept back)
        (
            TxStatus.RETURNED,
            "720.00",
            "725.40",
            {ledger.IN_FLIGHT: "725.40", ledger.BANK: "-5.40", ledger.vat("HH-0001"): "-720.00"},
        ),
        # more left than instructed: suspense owes the difference
        (
            TxStatus.SETTLED,
            "-726.40",
            "725.40",
            {ledger.IN_FLIGHT: "725.40", ledger.BANK: "-726.40", ledger.SUSPENSE: "1.00"},
        ),
        # less left than instructed: suspense holds the difference
        (
            TxStatus.SETTLED,
            "-724.40",
            "725.40",
            {ledger.IN_FLIGHT: "725.40", ledger.BANK: "-724.40", ledger.SUSPENSE: "-1.00"},
        ),
    ],
)
def test_clearing_entries_empty_in_flight_by_the_instructed_amount(
    status: TxStatus, amount: str, instructed: str, expected: dict[ledger.Account, str]
) -> None:
    entry = booking_entry("r:1", DAY, Money(amount), status, "HH-0001", "x", Money(instructed))
    assert {p.account: p.amount for p in entry.postings} == {
        a: Money(m) for a, m in expected.items()
    }
    book = ledger.Ledger((entry,))
    assert book.balance(ledger.IN_FLIGHT) == -Money(instructed)  # clears what was instructed


def test_assignment_and_opening_entries() -> None:
    entry = assignment_entry("r:1", DAY, Money("50.00"), "HH-0003")
    assert entry.postings[0].account == ledger.SUSPENSE
    assert entry.postings[1].account == ledger.vat("HH-0003")
    opening = opening_entry(ACCOUNT, DAY, Money("1000.00"))
    assert opening is not None
    assert ledger.Ledger((opening,)).balance(ledger.BANK) == Money("1000.00")
    assert ledger.Ledger((opening,)).balance(ledger.FUND) == Money("1000.00")
    assert opening_entry(ACCOUNT, DAY, Money("0.00")) is None


@given(st.lists(st.sampled_from(["1.00", "2.00", "-1.00"]), max_size=12))
def test_fingerprints_are_unique_within_a_statement(amounts: list[str]) -> None:
    camt = statement("camt053", *(tx(a, f"r:{i}") for i, a in enumerate(amounts)))
    prints = fingerprints(camt)
    assert len(set(prints)) == len(prints)
    # and the same in another format gives the same fingerprints
    other = statement("mt940", *(tx(a, f"m:{i}") for i, a in enumerate(amounts)))
    assert fingerprints(other) == prints
