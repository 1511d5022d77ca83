"""OFX importer: golden files, field mapping, safe parsing, rejections, damaged input."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.base import ConnectorError
from connectors.ofx import IMPORTERS, looks_like_ofx, parse_ofx
from connectors.registry import detect, importer_by_name
from connectors.render import to_json
from huishoudboekje.domain.banking import Statement, reference_dedupe_key
from huishoudboekje.domain.money import Money
from tests.golden import SAMPLES_DIR, check_golden, corpus_file

OFX = importer_by_name("ofx")
SGML = SAMPLES_DIR / "ofx1_sgml_sns.ofx"
XML = SAMPLES_DIR / "ofx2_xml_two_accounts.ofx"
XXE = SAMPLES_DIR / "ofx2_xxe.ofx"
OWN_SAMPLES = [SGML, XML]


def _parse(data: bytes, name: str = "export.ofx") -> list[Statement]:
    return parse_ofx(data, name)


def _rejection(data: bytes, name: str = "export.ofx") -> ConnectorError:
    with pytest.raises(ConnectorError) as caught:
        parse_ofx(data, name)
    assert caught.value.connector == "ofx"
    assert caught.value.file == name
    return caught.value


@pytest.mark.parametrize("path", OWN_SAMPLES, ids=lambda path: path.stem)
def test_own_samples_match_their_golden_file(path: Path) -> None:
    assert detect(path).name == "ofx"
    check_golden(f"ofx__{path.stem}", to_json("ofx", OFX.extract(path)))


@pytest.mark.parametrize(
    "relative",
    [
        "ofx/oca__test_ofx.ofx",
        "ofx/ofxparse__bank_medium.ofx",
        "ofx/ofxparse__multiple_accounts2.ofx",
        "ofx/ofxparse__suncorp.ofx",
    ],
)
def test_corpus_files_match_their_golden_file(relative: str) -> None:
    path = corpus_file(relative)
    assert detect(path).name == "ofx"
    check_golden(f"ofx__{path.stem}", to_json("ofx", OFX.extract(path)))


def test_sgml_fields() -> None:
    (statement,) = OFX.extract(SGML)
    assert statement.account_iban == "NL22SNSB0912345678"
    assert statement.currency == "EUR"
    assert (statement.period_start, statement.period_end) == (date(2024, 1, 1), date(2024, 1, 5))
    assert statement.opening_balance is None
    assert statement.closing_balance == Money("3450.10")
    income, rent, card1, card2 = statement.transactions
    # DTPOSTED 20240102000000[+1:CET]: the day the bank wrote, not the UTC day before.
    assert income.booking_date == date(2024, 1, 2)
    assert income.value_date == date(2023, 12, 29)  # DTUSER
    assert income.amount == Money("1200.00")
    assert (income.counterparty_name, income.description) == ("UWV", "WW-uitkering december 2023")
    assert income.bank_reference == "SNS-2024-000101"
    assert income.bank_transaction_code == "CREDIT"
    assert income.dedupe_key == reference_dedupe_key("NL22SNSB0912345678", "SNS-2024-000101")
    assert rent.amount == Money("-725.40")  # decimal comma
    assert card1.counterparty_name == "Café De Korenaar"  # Windows-1252 as declared
    assert card1.dedupe_key != card2.dedupe_key


def test_xml_two_accounts_become_two_statements() -> None:
    checking, savings = OFX.extract(XML)
    assert (checking.account_iban, savings.account_iban) == (
        "NL12TRIO0198765432",
        "NL39RABO0300065264",
    )
    toeslag, premium = checking.transactions
    assert toeslag.description == "Zorgtoeslag februari 2024 – huishouden Ünal"  # UTF-8
    assert toeslag.booking_date == date(2024, 1, 25)
    assert (premium.booking_date, premium.value_date) == (date(2024, 1, 26), date(2024, 1, 25))
    assert savings.closing_balance == Money("650.00")
    assert [tx.amount for tx in savings.transactions] == [Money("50.00")]


def test_repeated_fitid_gets_an_occurrence_suffix() -> None:
    data = SGML.read_bytes().replace(b"SNS-2024-000104", b"SNS-2024-000103")
    *_, card1, card2 = _parse(data)[0].transactions
    assert card1.bank_reference == card2.bank_reference
    assert card1.dedupe_key != card2.dedupe_key


def test_amounts_are_exact_decimals() -> None:
    (statement,) = _parse(SGML.read_bytes().replace(b"<TRNAMT>1200.00", b"<TRNAMT>0.10"))
    assert statement.transactions[0].amount.amount.as_tuple().exponent == -2
    assert str(statement.transactions[0].amount) == "0.10"


# -- safe parsing --------------------------------------------------------------


def test_xxe_sample_is_refused_unresolved() -> None:
    with pytest.raises(ConnectorError) as caught:
        OFX.extract(XXE)
    assert "DOCTYPE declaration" in caught.value.message
    assert "root:" not in str(caught.value)


@pytest.mark.parametrize(
    "declaration",
    [
        b'<!doctype ofx SYSTEM "http://example.invalid/ofx.dtd">\n',
        b'<! ENTITY a "aaaaaaaaaa">\n',
        b'<!ENTITY % remote SYSTEM "http://example.invalid/x">\n',
    ],
)
def test_any_dtd_declaration_is_refused(declaration: bytes) -> None:
    data = XML.read_bytes().replace(b"<OFX>", declaration + b"<OFX>", 1)
    assert "declaration; OFX needs none" in _rejection(data).message


def test_billion_laughs_is_refused_without_expansion() -> None:
    entities = b"".join(
        b'<!ENTITY l%d "' % level + b"&l%d;" % (level - 1) * 10 + b'">\n' for level in range(1, 10)
    )
    data = XML.read_bytes().replace(
        b"<OFX>", b'<!DOCTYPE OFX [\n<!ENTITY l0 "lol">\n' + entities + b"]>\n<OFX>", 1
    )
    data = data.replace(b"Buffer opbouw januari", b"&l9;")
    assert "DOCTYPE declaration" in _rejection(data).message


# -- what is refused -----------------------------------------------------------


def test_invalid_corpus_files_are_refused() -> None:
    wrong = corpus_file("invalid/oca__test_ofx_wrong.ofx")
    assert detect(wrong).name == "ofx"
    with pytest.raises(ConnectorError) as caught:
        OFX.extract(wrong)
    assert caught.value.where == "statement 1"
    assert caught.value.message == "no account number (BANKACCTFROM/ACCTID)"
    date_missing = corpus_file("invalid/ofxparse__fail_nice_date_missing.ofx")
    assert detect(date_missing).name == "ofx"
    with pytest.raises(ConnectorError) as caught:
        OFX.extract(date_missing)
    assert caught.value.where == "line 42"
    assert caught.value.message == "DTPOSTED '' is not a date like 20240131"


def test_transaction_without_posting_date_is_refused_naming_it() -> None:
    data = XML.read_bytes().replace(b"<DTPOSTED>20240126</DTPOSTED>", b"", 1)
    error = _rejection(data)
    assert error.where == "statement 1 (NL12TRIO0198765432)"
    assert error.message.startswith(
        "transaction FITID TRIO-20240126-0002: Missing Transaction Date"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b"<TRNAMT>-139.95", b"<TRNAMT>-139,9S", "Invalid Transaction Amount"),
        (b"<TRNAMT>-139.95", b"<TRNAMT>-139.955", "more than two decimals"),
        (b"<DTPOSTED>20240126", b"<DTPOSTED>20241326", "line 35: DTPOSTED '20241326' is not a"),
        (b"<DTUSER>20240125", b"<DTUSER>2024-01-25", "DTUSER '2024-01-25' is not a date"),
        (b"<CURDEF>EUR</CURDEF>", b"", "no currency (CURDEF)"),
        (b"<ACCTID>NL12TRIO0198765432</ACCTID>", b"", "no account number"),
        (b"</OFX>", b"", "does not end with </OFX>; it looks truncated"),
    ],
)
def test_bad_values_are_refused(old: bytes, new: bytes, message: str) -> None:
    data = XML.read_bytes()
    assert old in data
    assert message in str(_rejection(data.replace(old, new, 1)))


def test_truncated_and_wrongly_encoded_files_are_refused() -> None:
    data = SGML.read_bytes()
    assert "truncated" in _rejection(data[: len(data) // 2]).message
    assert "NUL bytes" in _rejection(XML.read_text(encoding="utf-8").encode("utf-16")).message
    not_ofx = b"<?xml version='1.0'?><Document>OFXish</Document>"
    assert "no OFX header" in _rejection(not_ofx).message


def test_statement_without_bank_statements_is_refused() -> None:
    data = b"OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>\n"
    assert "no bank or credit-card statement" in _rejection(data).message


def test_identify_sniffs_the_head_and_never_raises(tmp_path: Path) -> None:
    assert OFX.identify(SGML) and OFX.identify(XML)
    assert not OFX.identify(tmp_path / "missing.ofx")
    assert not OFX.identify(tmp_path)
    assert looks_like_ofx(b'<?OFX OFXHEADER="200"?>')
    assert not looks_like_ofx(b"<Document><OFXREF/></Document>")


def test_parse_matches_extract_and_module_exposes_one_importer() -> None:
    assert parse_ofx(XML.read_bytes(), XML.name) == OFX.extract(XML)
    assert [importer.name for importer in IMPORTERS] == ["ofx"]


@settings(
    max_examples=int(os.environ.get("HHB_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    cut=st.integers(min_value=0, max_value=1600),
    flips=st.lists(st.tuples(st.integers(0, 1600), st.integers(0, 255)), max_size=4),
)
def test_damaged_files_give_statements_or_a_connector_error(
    cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(SGML.read_bytes())
    data = data[: max(cut, 1)] + data[-40:]  # keep the closing tags so ofxparse gets far
    for position, value in flips:
        data[position % len(data)] = value
    try:
        statements = _parse(bytes(data))
    except ConnectorError as error:
        assert "unexpected error" not in error.message  # a library surprise is a bug here
        return
    for statement in statements:
        assert all(tx.bank_reference for tx in statement.transactions)


def test_ofxparse_itself_leaves_entities_unresolved() -> None:
    """Defence in depth: even past the screen, bs4's HTML parser expands no DTD entity."""
    import io
    import warnings

    from bs4 import XMLParsedAsHTMLWarning
    from ofxparse import OfxParser

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
        warnings.filterwarnings("ignore", message="Call to deprecated", category=DeprecationWarning)
        ofx = OfxParser.parse(io.BytesIO(XXE.read_bytes()), fail_fast=False)
    (tx,) = ofx.accounts[0].statement.transactions
    assert tx.payee.startswith("&xxe")  # left as text, not replaced by /etc/passwd
    assert "root" not in tx.payee
    assert tx.memo.startswith("&lol2")  # not expanded
