"""Round trip: statements written as MT940 (ING and ABN AMRO style) parse back unchanged."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.mt940 import parse_mt940
from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import Money
from tests.mt940_writer import STYLES, Mt940Statement, write_mt940

OWN_IBAN = "NL20INGB0001234567"
PLACEHOLDERS = {"NOTPROVIDED", "NONREF", "EREF"}

# SWIFT's x character set without the slash (it delimits :86: subfields). A name
# that *is* a subfield key ("/CNTP/iban/bic/NAME//") is ambiguous in the format
# itself, so generated text never contains one.
KEYS = ("ADDR", "BENM", "BIC", "CNTP", "CSID", "EREF", "IBAN", "MARF", "NAME", "ORDP", "REMI")
KEYS += ("RTRN", "TRTP", "PREF", "PURP", "ISDT", "SUM", "KREF", "TRCD", "ULT", "SVCL", "BUSP")
swift_text = (
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -?:().,'+",
        max_size=140,
    )
    .map(lambda value: " ".join(value.split()))
    .filter(lambda value: not any(key in value for key in KEYS))
)
references = st.from_regex(r"[A-Za-z0-9\-?().,'+]{1,35}", fullmatch=True).filter(
    lambda value: value.upper() not in PLACEHOLDERS
)
bank_references = st.from_regex(r"[0-9A-Z]{1,16}", fullmatch=True).filter(
    lambda value: value not in PLACEHOLDERS
)
ibans = st.from_regex(r"NL[0-9]{2}[A-Z]{4}[0-9]{10}", fullmatch=True)
bics = st.from_regex(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?", fullmatch=True)


@st.composite
def transactions(draw: st.DrawFn, style: str) -> BankTransaction:
    valued = draw(st.dates(min_value=date(2001, 1, 1), max_value=date(2049, 12, 28)))
    booked = valued + timedelta(days=draw(st.integers(0, 3)))
    returned = draw(st.booleans())
    end_to_end = draw(st.one_of(st.just(""), references))
    iban = draw(st.one_of(st.just(""), ibans))
    structured = style == "ing" and draw(st.booleans())
    return BankTransaction(
        booking_date=booked,
        value_date=valued,
        amount=Money.cents(draw(st.sampled_from([1, -1])) * draw(st.integers(1, 10**11))),
        counterparty_name=draw(swift_text),
        counterparty_iban=iban,
        counterparty_bic=draw(bics) if iban and draw(st.booleans()) else "",
        description="" if structured else draw(swift_text),
        structured_reference=draw(st.from_regex(r"[0-9]{16}", fullmatch=True))
        if structured
        else "",
        end_to_end_id=end_to_end,
        bank_reference=draw(st.one_of(st.just(""), bank_references)) if style == "ing" else "",
        is_reversal=draw(st.booleans()),
        is_return=returned,
        return_reason=draw(st.sampled_from(["AC04", "AC06", "MD07", "MS03"])) if returned else "",
        original_end_to_end_id=end_to_end if returned else "",
    )


@st.composite
def statements(draw: st.DrawFn) -> tuple[str, list[Mt940Statement]]:
    style = draw(st.sampled_from(STYLES))
    result = []
    for number in range(draw(st.integers(1, 3))):
        txs = draw(st.lists(transactions(style), max_size=6))
        opening_date = min((tx.value_date for tx in txs), default=date(2024, 1, 1))
        result.append(
            Mt940Statement(
                account=OWN_IBAN,
                opening=Money.cents(draw(st.integers(-(10**9), 10**9))),
                opening_date=opening_date,
                closing_date=max((tx.booking_date for tx in txs), default=opening_date),
                transactions=tuple(txs),
                reference=f"P{number:015d}",
                number=f"{number:05d}",
            )
        )
    return style, result


COMPARED = (
    "booking_date",
    "value_date",
    "amount",
    "counterparty_name",
    "counterparty_iban",
    "counterparty_bic",
    "description",
    "structured_reference",
    "end_to_end_id",
    "bank_reference",
    "is_reversal",
    "is_return",
    "return_reason",
    "original_end_to_end_id",
)


@settings(max_examples=int(os.environ.get("HHB_FUZZ_EXAMPLES", "120")), deadline=None)
@given(statements())
def test_written_statements_parse_back_unchanged(case: tuple[str, list[Mt940Statement]]) -> None:
    style, written = case
    parsed = parse_mt940(write_mt940(written, style), "roundtrip.sta")
    assert len(parsed) == len(written)
    for source, statement in zip(written, parsed, strict=True):
        assert statement.account_iban == source.account
        assert statement.statement_id == f"{source.reference} {source.number}"
        assert statement.opening_balance == source.opening
        assert statement.closing_balance == source.closing
        assert (statement.period_start, statement.period_end) == (
            source.opening_date,
            source.closing_date,
        )
        assert len(statement.transactions) == len(source.transactions)
        for expected, actual in zip(source.transactions, statement.transactions, strict=True):
            for name in COMPARED:
                assert getattr(actual, name) == getattr(expected, name), name
    keys = [tx.dedupe_key for statement in parsed for tx in statement.transactions]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("style", STYLES)
def test_writer_output_matches_the_bank_layout(style: str) -> None:
    tx = BankTransaction(
        booking_date=date(2024, 1, 2),
        value_date=date(2023, 12, 29),
        amount=Money("-725.40"),
        counterparty_name="Woonstichting De Linde",
        counterparty_iban="NL44RABO0123456789",
        description="Huur januari 2024 " * 5,
        end_to_end_id="HUUR-2024-01",
        bank_reference="24002000000002" if style == "ing" else "",
    )
    statement = Mt940Statement(
        OWN_IBAN, Money("1000.00"), date(2023, 12, 29), date(2024, 1, 2), (tx,)
    )
    text = write_mt940([statement], style).decode()
    assert ":61:2312290102D725,40" in text
    assert all(len(line) <= 65 for line in text.splitlines())
    (parsed,) = parse_mt940(text.encode(), "layout.sta")
    assert parsed.closing_balance == Money("274.60")
    assert parsed.transactions[0].booking_date == date(2024, 1, 2)
