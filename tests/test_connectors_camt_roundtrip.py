"""Round trip: statements written as CAMT.053 (001.02 and 001.08) parse back unchanged."""

from __future__ import annotations

import dataclasses
import functools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from connectors.camt import parse_camt
from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import Money
from tests.camt_writer import VERSIONS, CamtStatement, write_camt053
from tests.golden import SHARED_CORPUS, corpus_file

OWN_IBAN = "NL88BNGH6091390996"
PLACEHOLDERS = {"NOTPROVIDED", "NONREF"}

characters = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"))
short_text = st.text(alphabet=characters, max_size=60).map(lambda value: " ".join(value.split()))
# longer than one 140-character Ustrd, so the writer cuts it (often mid-word)
long_text = st.text(alphabet=characters, min_size=150, max_size=400).map(
    lambda value: " ".join(value.split())
)
text = st.one_of(short_text, long_text)
names = short_text
references = st.one_of(
    st.just(""),
    st.from_regex(r"[A-Za-z0-9/\-?:().,'+]{1,35}", fullmatch=True).filter(
        lambda value: value.upper() not in PLACEHOLDERS
    ),
)
ibans = st.one_of(
    st.just(""),
    st.from_regex(r"NL[0-9]{2}[A-Z]{4}[0-9]{10}", fullmatch=True).filter(
        lambda value: value != OWN_IBAN
    ),
)
bics = st.one_of(
    st.just(""), st.from_regex(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?", fullmatch=True)
)
codes = st.sampled_from(["PMNT-RCDT-ESCT", "PMNT-ICDT-ESCT", "PMNT-RDDT-ESDD", "370", "N654"])
cents = st.integers(min_value=1, max_value=10**10)


@st.composite
def entries(draw: st.DrawFn) -> tuple[BankTransaction, ...]:
    """One booking: a single transaction or a batch sharing dates, direction and code."""
    sign = draw(st.sampled_from([1, -1]))
    booked = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    valued = booked + timedelta(days=draw(st.integers(-3, 3)))
    reversal = draw(st.booleans())
    code = draw(codes)
    count = draw(st.integers(1, 3))
    batch = []
    for _ in range(count):
        returned = draw(st.booleans())
        end_to_end = draw(references)
        batch.append(
            BankTransaction(
                booking_date=booked,
                value_date=valued,
                amount=Money.cents(sign * draw(cents)),
                counterparty_name=draw(names),
                counterparty_iban=draw(ibans),
                counterparty_bic=draw(bics),
                description=draw(text),
                structured_reference=draw(
                    st.one_of(st.just(""), st.from_regex(r"[0-9]{16}", fullmatch=True))
                ),
                end_to_end_id=end_to_end,
                bank_reference=draw(references),
                bank_transaction_code=code,
                is_reversal=reversal,
                is_return=returned,
                return_reason=draw(st.sampled_from(["AC04", "AC06", "MD07", "MS03"]))
                if returned
                else "",
                original_end_to_end_id=end_to_end if returned else "",
            )
        )
    return tuple(batch)


@st.composite
def statements(draw: st.DrawFn) -> list[CamtStatement]:
    result = []
    for number in range(draw(st.integers(1, 2))):
        iban = draw(st.booleans())
        result.append(
            CamtStatement(
                account=OWN_IBAN if iban else "ZV-DERDENGELD-1",
                account_is_iban=iban,
                opening=Money.cents(draw(st.integers(-(10**9), 10**9))),
                entries=tuple(draw(st.lists(entries(), max_size=6))),
                statement_id=f"STMT-{number + 1}",
            )
        )
    return result


def _without_key(tx: BankTransaction) -> BankTransaction:
    return dataclasses.replace(tx, dedupe_key="")


@functools.cache
def _schema(version: str) -> etree.XMLSchema | None:
    """The official camt.053 XSD from ../shared/corpus, or None without the corpus."""
    path = SHARED_CORPUS / "xsd" / f"genkgo__camt.053.{version}.xsd"
    return etree.XMLSchema(etree.parse(str(path))) if path.exists() else None


# Each version gets its own run, so both 001.02 and 001.08 are always exercised.
@pytest.mark.parametrize("version", VERSIONS)
@settings(max_examples=30, deadline=None)
@given(
    written=statements(),
    prefix=st.sampled_from([None, "camt"]),
    timestamps=st.booleans(),
)
def test_written_statements_parse_back_unchanged(
    version: str, written: list[CamtStatement], prefix: str | None, timestamps: bool
) -> None:
    data = write_camt053(written, version, prefix=prefix, timestamps=timestamps)
    schema = _schema(version)
    if schema is not None:  # the generated file is one a bank could have sent
        schema.assertValid(etree.fromstring(data))
    parsed = parse_camt(data, "roundtrip.xml")
    assert len(parsed) == len(written)
    for statement, source in zip(parsed, written, strict=True):
        assert statement.account_iban == source.account
        assert (statement.opening_balance, statement.closing_balance) == (
            source.opening,
            source.closing,
        )
        expected = [tx for entry in source.entries for tx in entry]
        assert [_without_key(tx) for tx in statement.transactions] == expected
    keys = [tx.dedupe_key for statement in parsed for tx in statement.transactions]
    assert len(keys) == len(set(keys))
    assert parse_camt(data, "again.xml") == parsed


def _example() -> list[CamtStatement]:
    tx = BankTransaction(
        booking_date=date(2024, 4, 2),
        value_date=date(2024, 4, 2),
        amount=Money("-725.40"),
        counterparty_name="Woonstichting De Linde",
        counterparty_iban="NL56RABO9314170586",
        counterparty_bic="RABONL2U",
        description="Huur april 2024 " * 12,
        structured_reference="5012345678901234",
        end_to_end_id="HHB-HUUR-2024-04-0042",
        bank_reference="BNG20240402-0002",
        bank_transaction_code="PMNT-ICDT-ESCT",
        is_return=True,
        return_reason="AC04",
        original_end_to_end_id="HHB-HUUR-2024-04-0042",
    )
    batch = (tx, dataclasses.replace(tx, amount=Money("-1.00"), bank_transaction_code="370"))
    return [CamtStatement(account=OWN_IBAN, opening=Money("1000.00"), entries=((tx,), batch))]


@pytest.mark.parametrize("version", VERSIONS)
def test_writer_output_is_schema_valid(version: str) -> None:
    schema_path = corpus_file(f"xsd/genkgo__camt.053.{version}.xsd")
    schema = etree.XMLSchema(etree.parse(str(schema_path)))
    for timestamps in (False, True):
        document = etree.fromstring(write_camt053(_example(), version, timestamps=timestamps))
        schema.assertValid(document)
