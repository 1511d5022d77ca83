"""The generic CSV engine: value parsers, encoding, the reader and the statement builder.

Uses small layouts declared here, so the engine is tested apart from any bank.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.base import ConnectorError
from connectors.csv_importer import CsvImporter
from connectors.csv_layout import (
    DECIMAL_COMMA,
    DECIMAL_POINT,
    Columns,
    CsvLayout,
    CsvRejection,
    col,
    normalize_account,
    opt,
    parse_amount,
    parse_date,
)
from connectors.csv_reader import decode, decode_head, sniff
from huishoudboekje.domain.money import Money

# A small headed layout: semicolon, signed amounts, balance after each line, newest first.
HEADED = CsvLayout(
    name="test-headed",
    header_signature=("Rekening", "Datum", "Bedrag"),
    delimiters=(";",),
    date_formats=("%Y-%m-%d",),
    row_order="newest_first",
    columns=Columns(
        account=col("Rekening"),
        booking_date=col("Datum"),
        amount=col("Bedrag"),
        counterparty_iban=opt("Tegenrekening"),
        description=(opt("Omschrijving"),),
        balance_after=opt("Saldo"),
        bank_reference=opt("Ref"),
    ),
)
# A small headerless layout: tab, start and end balance per line, gaps split statements.
HEADERLESS = CsvLayout(
    name="test-headerless",
    column_counts=(5,),
    row_shape=((0, r"\d+"), (1, r"\d{8}")),
    delimiters=("\t",),
    quotechar=None,
    date_formats=("%Y%m%d",),
    balance_gaps="split",
    columns=Columns(
        account=col(0),
        booking_date=col(1),
        balance_before=col(2),
        balance_after=col(3),
        amount=col(4),
    ),
)
HEADED_IMPORTER = CsvImporter("csv-test", (HEADED,))
HEADERLESS_IMPORTER = CsvImporter("csv-tab", (HEADERLESS,))

HEADER = "Rekening;Datum;Bedrag;Tegenrekening;Omschrijving;Saldo;Ref\n"
LINES = [  # newest first
    "NL20INGB0001234567;2025-03-02;-60,00;NL36INGB0007654321;Leefgeld;1.140,00;R3\n",
    "NL20INGB0001234567;2025-03-01;-800,00;NL44RABO0123456789;Huur;1.200,00;R2\n",
    "NL20INGB0001234567;2025-03-01;+1.850,00;NL27RABO0155667788;Uitkering;2.000,00;R1\n",
]


def _headed(lines: list[str] | None = None, header: str = HEADER) -> bytes:
    return (header + "".join(LINES if lines is None else lines)).encode()


def _refusal(importer: CsvImporter, data: bytes) -> str:
    with pytest.raises(ConnectorError) as caught:
        importer.parse(data, "export.csv")
    return str(caught.value)


# -- values ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", "1234.56"),
        ("-12,50", "-12.50"),
        ("+3,00", "3.00"),
        ("2500", "2500.00"),
        ("0,5", "0.50"),
        ("1.000.000,01", "1000000.01"),
        (" 7,10 ", "7.10"),
    ],
)
def test_decimal_comma_amounts(text: str, expected: str) -> None:
    assert parse_amount(text, (DECIMAL_COMMA,)) == Money(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12.50", "12.50"), ("-1,234.56", "-1234.56"), ("130.44", "130.44"), ("-0.41", "-0.41")],
)
def test_decimal_point_amounts(text: str, expected: str) -> None:
    assert parse_amount(text, (DECIMAL_POINT,)) == Money(expected)


@pytest.mark.parametrize(
    "text", ["12,5O", "", "1.23,45", "12,345", "1,2,3", "--1", "€ 12,50", "12.50", "nan", "1e3"]
)
def test_malformed_comma_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not an amount"):
        parse_amount(text, (DECIMAL_COMMA,))


def test_both_styles_read_each_text_one_way() -> None:
    both = (DECIMAL_COMMA, DECIMAL_POINT)
    assert parse_amount("1.234", both) == Money("1234.00")  # thousands, never 1.234
    assert parse_amount("1,234", both) == Money("1234.00")
    assert parse_amount("12,50", both) == Money("12.50")
    assert parse_amount("12.50", both) == Money("12.50")


@given(st.integers(min_value=-(10**11), max_value=10**11), st.booleans(), st.booleans())
def test_dutch_amounts_parse_exactly(cents: int, grouped: bool, plus: bool) -> None:
    whole, rest = divmod(abs(cents), 100)
    digits = f"{whole:,}".replace(",", ".") if grouped else str(whole)
    sign = "-" if cents < 0 else ("+" if plus else "")
    parsed = parse_amount(f"{sign}{digits},{rest:02d}", (DECIMAL_COMMA,))
    assert parsed == Money.cents(cents)
    assert isinstance(parsed.amount, Decimal)


def test_dates() -> None:
    formats = ("%Y%m%d", "%d-%m-%Y")
    assert parse_date("20250228", formats) == date(2025, 2, 28)
    assert parse_date("28-02-2025", formats) == date(2025, 2, 28)
    for bad in ("20250230", "2025-02-28", "", "28-2-25x"):
        with pytest.raises(ValueError, match="is not a date"):
            parse_date(bad, formats)


def test_accounts_are_normalized_only_when_they_are_ibans() -> None:
    assert normalize_account(" nl20 ingb 0001 2345 67 ") == "NL20INGB0001234567"
    assert normalize_account("K 444-12345") == "K 444-12345"
    assert normalize_account("417164300") == "417164300"


# -- encoding ----------------------------------------------------------------


def test_decode_utf8_bom_utf8_and_cp1252() -> None:
    assert decode("Zoë".encode()) == "Zoë"
    assert decode(b"\xef\xbb\xbf" + "café".encode()) == "café"
    assert decode("Zoë café €".encode("cp1252")) == "Zoë café €"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"abc\x81def", "neither UTF-8 nor Windows-1252"),
        ("Datum;Bedrag".encode("utf-16"), "NUL bytes"),
        (b"\xef\xbb\xbfabc\xff", "byte order mark"),
    ],
)
def test_undecodable_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(CsvRejection, match=message):
        decode(data)


def test_sniffing_tolerates_a_character_cut_at_the_boundary() -> None:
    head = "Rekening;Datum;Bedrag;Zoë".encode()[:-1]
    assert decode_head(head).startswith("Rekening;Datum;Bedrag;Zo")


# -- reading -----------------------------------------------------------------


def test_headed_file_newest_first_becomes_chronological() -> None:
    (statement,) = HEADED_IMPORTER.parse(_headed(), "export.csv")
    assert [str(tx.amount) for tx in statement.transactions] == ["1850.00", "-800.00", "-60.00"]
    assert statement.opening_balance == Money("150.00")
    assert statement.closing_balance == Money("1140.00")
    assert (statement.period_start, statement.period_end) == (date(2025, 3, 1), date(2025, 3, 2))
    assert statement.source_format == "csv-test"


def test_reference_becomes_the_dedupe_key_else_a_content_hash() -> None:
    (statement,) = HEADED_IMPORTER.parse(_headed(), "export.csv")
    assert all(tx.dedupe_key.startswith("r:") for tx in statement.transactions)
    no_refs = [line.rsplit(";", 1)[0] + ";\n" for line in LINES]
    (statement,) = HEADED_IMPORTER.parse(_headed(no_refs), "export.csv")
    assert all(tx.dedupe_key.startswith("h:") for tx in statement.transactions)


def test_identical_bookings_on_one_day_keep_distinct_keys() -> None:
    twice = [
        "NL20INGB0001234567;2025-03-01;-60,00;NL36INGB0007654321;Leefgeld;;\n",
        "NL20INGB0001234567;2025-03-01;-60,00;NL36INGB0007654321;Leefgeld;;\n",
    ]
    (statement,) = HEADED_IMPORTER.parse(_headed(twice), "export.csv")
    first, second = statement.transactions
    assert first.dedupe_key != second.dedupe_key
    again = HEADED_IMPORTER.parse(_headed(twice), "export.csv")[0]
    assert [tx.dedupe_key for tx in again.transactions] == [first.dedupe_key, second.dedupe_key]


def test_one_statement_per_account() -> None:
    other = "NL36INGB0007654321;2025-03-05;+5,00;;Rente;;R9\n"
    statements = HEADED_IMPORTER.parse(_headed([*LINES[:1], other, *LINES[1:]]), "export.csv")
    assert [s.account_iban for s in statements] == ["NL20INGB0001234567", "NL36INGB0007654321"]
    assert [len(s.transactions) for s in statements] == [3, 1]


def test_header_only_file_has_no_statements() -> None:
    assert HEADED_IMPORTER.parse(HEADER.encode(), "export.csv") == []


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            [LINES[0].replace("-60,00", "-60,0O")],
            'csv-test: export.csv: line 2: column "Bedrag": "-60,0O" is not an amount',
        ),
        (
            [LINES[0].replace("2025-03-02", "2025-02-30")],
            'line 2: column "Datum": "2025-02-30" is not a date (expected yyyy-mm-dd)',
        ),
        ([LINES[0].replace(";R3", ";R3;extra")], "line 2: 8 columns where the file has 7"),
        ([LINES[0], LINES[1][:40] + "\n"], "line 3: 4 columns where the file has 7"),
        ([LINES[0].replace("2025-03-02", "")], 'line 2: column "Datum": the date is empty'),
        ([LINES[0].replace("NL20INGB0001234567", "")], 'line 2: column "Rekening": the account'),
        (
            [LINES[0], LINES[1].replace("1.200,00", "1.300,00"), LINES[2]],
            "line 3: running balance does not add up: balance 2000.00 after line 4 plus "
            "amount -800.00 is 1200.00, but the file says 1300.00",
        ),
        (
            [LINES[0].replace("Leefgeld", '"Leefgeld'), LINES[1]],
            "line 2: broken CSV quoting",
        ),
    ],
)
def test_bad_lines_refuse_the_whole_file(lines: list[str], message: str) -> None:
    assert message in _refusal(HEADED_IMPORTER, _headed(lines))


def test_missing_mapped_column_is_named() -> None:
    layout = CsvLayout(
        name="needs-omschrijving",
        header_signature=("Rekening",),
        delimiters=(";",),
        date_formats=("%Y-%m-%d",),
        columns=Columns(account=col("Rekening"), booking_date=col("Datum"), amount=col("Bedrag")),
    )
    message = _refusal(CsvImporter("csv-x", (layout,)), b"Rekening;Bedrag\nNL20INGB0001234567;1\n")
    assert message == 'csv-x: export.csv: line 1: column "Datum" is missing'


def test_empty_and_foreign_files_are_refused() -> None:
    assert _refusal(HEADED_IMPORTER, b"  \n") == "csv-test: export.csv: the file is empty"
    assert "do not match the test-headed layout" in _refusal(HEADED_IMPORTER, b"a;b;c\n1;2;3\n")


def test_mixed_currencies_for_one_account_are_refused() -> None:
    layout = CsvLayout(
        name="with-currency",
        header_signature=("Rekening", "Munt"),
        delimiters=(";",),
        date_formats=("%Y-%m-%d",),
        columns=Columns(
            account=col("Rekening"),
            currency=col("Munt"),
            booking_date=col("Datum"),
            amount=col("Bedrag"),
        ),
    )
    data = b"Rekening;Munt;Datum;Bedrag\nA1;EUR;2025-01-01;1\nA1;USD;2025-01-02;2\n"
    message = _refusal(CsvImporter("csv-x", (layout,)), data)
    assert message == (
        "csv-x: export.csv: line 3: currency USD differs from EUR on line 2 for account A1"
    )


# -- headerless, per-line balances ---------------------------------------------


def _tab(*lines: str) -> bytes:
    return "".join(line.replace(" ", "\t") + "\n" for line in lines).encode()


def test_headerless_per_line_balances_and_segments() -> None:
    data = _tab(
        "123456789 20250101 100,00 90,00 -10,00",
        "123456789 20250102 90,00 95,50 5,50",
        "123456789 20250301 500,00 450,00 -50,00",  # lines in between are not in the file
    )
    first, second = HEADERLESS_IMPORTER.parse(data, "TXT.TAB")
    assert (first.opening_balance, first.closing_balance) == (Money("100.00"), Money("95.50"))
    assert (second.opening_balance, second.closing_balance) == (Money("500.00"), Money("450.00"))
    assert first.statement_id == "2025-01-01/2025-01-02"


def test_headerless_line_whose_balances_do_not_add_up_is_refused() -> None:
    data = _tab("123456789 20250101 100,00 90,00 -10,00", "123456789 20250102 90,00 96,50 5,50")
    assert _refusal(HEADERLESS_IMPORTER, data) == (
        "csv-tab: export.csv: line 2: balance 90.00 + amount 5.50 is 95.50, but the line says 96.50"
    )


def test_sniff_uses_header_signature_or_row_shape() -> None:
    assert sniff(HEADER + LINES[0], HEADED) == ";"
    assert sniff("Rekening,Datum,Bedrag\n", HEADED) is None
    assert sniff("123456789\t20250101\t1\t2\t3\n", HEADERLESS) == "\t"
    assert sniff("123456789\t2025-01-01\t1\t2\t3\n", HEADERLESS) is None
    assert sniff("123456789\t20250101\t1\t2\n", HEADERLESS) is None
    assert sniff(":20:STARTUMS\n:25:NL20INGB0001234567\n", HEADED) is None


def test_a_reference_reused_on_another_day_or_twice_stays_distinct() -> None:
    lines = [
        "NL20INGB0001234567;2025-03-02;-1,00;;A;;7\n",
        "NL20INGB0001234567;2025-03-01;-1,00;;A;;7\n",
        "NL20INGB0001234567;2025-03-01;-1,00;;A;;7\n",
    ]
    (statement,) = HEADED_IMPORTER.parse(_headed(lines), "export.csv")
    keys = [tx.dedupe_key for tx in statement.transactions]
    assert len(set(keys)) == 3
    assert all(key.startswith("r:") for key in keys)
