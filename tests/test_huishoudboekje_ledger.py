from datetime import date

import pytest

from huishoudboekje.domain import ledger
from huishoudboekje.domain.ledger import (
    BANK,
    IN_FLIGHT,
    JournalEntry,
    Ledger,
    Posting,
    UnbalancedEntryError,
    transfer,
)
from huishoudboekje.domain.money import Money

DAY = date(2026, 3, 2)


def test_unbalanced_entry_is_refused():
    with pytest.raises(UnbalancedEntryError):
        JournalEntry(
            "x",
            DAY,
            "broken",
            (Posting(BANK, Money("10.00")), Posting(ledger.vat("HH-1"), Money("-9.99"))),
        )


def test_income_then_payment_keeps_balances_in_natural_sign():
    book = Ledger().post(
        transfer("in", DAY, "loon", BANK, ledger.vat("HH-1"), Money("1850.00")),
        transfer("pay", DAY, "huur", ledger.vat("HH-1"), IN_FLIGHT, Money("725.40")),
    )
    assert book.balance(BANK) == Money("1850.00")
    assert book.balance(ledger.vat("HH-1")) == Money("1124.60")
    assert book.balance(IN_FLIGHT) == Money("725.40")


def test_posting_the_same_entry_twice_books_it_once():
    entry = transfer("in", DAY, "loon", BANK, ledger.vat("HH-1"), Money("100.00"))
    book = Ledger().post(entry).post(entry)
    assert len(book.entries) == 1
    assert book.balance(BANK) == Money("100.00")


def test_reversal_undoes_an_entry_without_editing_it():
    entry = transfer("in", DAY, "loon", BANK, ledger.vat("HH-1"), Money("100.00"))
    book = Ledger().post(entry, entry.reversed("in-rev", DAY, "terugdraaien"))
    assert book.balance(BANK) == Money(0)
    assert book.entries[0] == entry
    assert book.entries[1].reversal_of == "in"


def test_account_names_round_trip():
    for account in (BANK, ledger.vat("HH-1"), ledger.reserve("HH-1", "energie:jaar")):
        assert ledger.Account.parse(account.name) == account
