"""Dutch bank CSV importers: golden files, detection over the corpus, refusals, CLI."""

from __future__ import annotations

import json
import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schwifty import IBAN

from cli.main import main
from connectors.base import ConnectorError
from connectors.csv_banks import IMPORTERS
from connectors.csv_importer import CsvImporter
from connectors.registry import detect, importer_by_name
from connectors.render import to_json
from huishoudboekje.domain.banking import Statement
from huishoudboekje.domain.money import Money
from tests.golden import SAMPLES_DIR, SHARED_CORPUS, check_golden, corpus_file

CSV_IMPORTERS: dict[str, CsvImporter] = {
    importer.name: importer for importer in IMPORTERS if isinstance(importer, CsvImporter)
}
OWN_SAMPLES = {
    "csv_abnamro.tab": "csv-abnamro",
    "csv_bunq.csv": "csv-bunq",
    "csv_ing_comma.csv": "csv-ing",
    "csv_ing_english.csv": "csv-ing",
    "csv_ing_semicolon.csv": "csv-ing",
    "csv_knab.csv": "csv-knab",
    "csv_rabobank.csv": "csv-rabobank",
    "csv_rabobank_before_2018.csv": "csv-rabobank",
    "csv_triodos_cp1252.csv": "csv-triodos",
    "csv_volksbank_sns.csv": "csv-volksbank",
}
ACCEPTED_CORPUS = {
    "csv/asn/ofxdutch__transactie-historie_NL00ASNB9999999999_20220717204133.csv": "csv-volksbank",
    "csv/ing/ing2ofx__Alle_spaarrekeningen.csv": "csv-ing",
    "csv/ing/ing2ofx__ING_Enkele.csv": "csv-ing",
    "csv/ing/ofxdutch__ing_ok.csv": "csv-ing",
    "csv/knab/ofxdutch__Knab_transactieoverzicht_ok.csv": "csv-knab",
    "csv/triodos/trioconv__example-triodos.csv": "csv-triodos",
}
# Recognised, then refused with a message naming the line.
REFUSED_CORPUS = {
    # the anonymised sample's scrambled balances: 3493,00 - 39,35 is not 3454,65
    "csv/abnamro/abntsv__TXT_SAMPLE.TAB": (
        "csv-abnamro",
        "line 21: balance 3493.00 + amount -39.35 is 3453.65, but the line says 3454.65",
    ),
    "invalid/ofxdutch__ing_fail.csv": (
        "csv-ing",
        'line 3: column "Mededelingen": "Naam: PAULISSEN G J L M Omschrijving: Kosten rekening '
        'IBAN: NL99ASNB9999999999 Valutadatum: 13-12-2019" is quoted inside an unquoted field '
        "(a space before the opening quote?)",
    ),
    "invalid/ofxdutch__transactie-historie_fail.csv": (
        "csv-volksbank",
        "line 12: account NL00ASNB9999999998 differs from NL00ASNB9999999999 on line 1; "
        "this export holds one account",
    ),
}
EXPECTED_CSV_IMPORTER = {**ACCEPTED_CORPUS, **{k: v[0] for k, v in REFUSED_CORPUS.items()}}


def _sample(name: str) -> Path:
    return SAMPLES_DIR / name


def _refusal(importer: str, data: bytes, name: str = "export.csv") -> str:
    with pytest.raises(ConnectorError) as caught:
        CSV_IMPORTERS[importer].parse(data, name)
    assert caught.value.connector == importer
    return str(caught.value)


# -- golden files ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(OWN_SAMPLES))
def test_own_samples_match_their_golden_file(name: str) -> None:
    path = _sample(name)
    importer = detect(path)
    assert importer.name == OWN_SAMPLES[name]
    check_golden(f"csv__{path.stem}", to_json(importer.name, importer.extract(path)))


@pytest.mark.parametrize("relative", sorted(ACCEPTED_CORPUS))
def test_corpus_files_match_their_golden_file(relative: str) -> None:
    path = corpus_file(relative)
    importer = detect(path)
    assert importer.name == ACCEPTED_CORPUS[relative]
    check_golden(f"csv__{path.stem}", to_json(importer.name, importer.extract(path)))


@pytest.mark.parametrize("relative", sorted(REFUSED_CORPUS))
def test_refused_corpus_files_name_the_line(relative: str) -> None:
    path = corpus_file(relative)
    name, message = REFUSED_CORPUS[relative]
    importer = detect(path)
    assert importer.name == name
    with pytest.raises(ConnectorError) as caught:
        importer.extract(path)
    assert str(caught.value) == f"{name}: {path.name}: {message}"


def test_abn_amro_sample_lines_read_without_the_balance_check() -> None:
    path = corpus_file("csv/abnamro/abntsv__TXT_SAMPLE.TAB")
    statements = CSV_IMPORTERS["csv-abnamro"].parse(path.read_bytes(), path.name, reconcile=False)
    check_golden(f"csv__{path.stem}__unreconciled", to_json("csv-unreconciled", statements))
    assert [s.account_iban for s in statements] == ["123456789", "112233445"]
    assert sum(len(s.transactions) for s in statements) == 26


# -- detection ---------------------------------------------------------------


def test_every_corpus_file_is_claimed_by_exactly_the_expected_csv_layout() -> None:
    if not SHARED_CORPUS.exists():
        pytest.skip("shared corpus not available")
    files = sorted(path for path in SHARED_CORPUS.rglob("*") if path.is_file())
    assert len(files) > 50
    for path in files:
        relative = path.relative_to(SHARED_CORPUS).as_posix()
        claimed = [name for name, imp in CSV_IMPORTERS.items() if imp.identify(path)]
        expected = [EXPECTED_CSV_IMPORTER[relative]] if relative in EXPECTED_CSV_IMPORTER else []
        assert claimed == expected, relative


def test_own_samples_are_claimed_by_exactly_one_csv_layout() -> None:
    for name, expected in OWN_SAMPLES.items():
        claimed = [n for n, imp in CSV_IMPORTERS.items() if imp.identify(_sample(name))]
        assert claimed == [expected], name
    for path in SAMPLES_DIR.iterdir():
        if not path.name.startswith("csv_"):
            assert not any(imp.identify(path) for imp in CSV_IMPORTERS.values()), path.name


def test_balance_history_export_is_not_a_statement() -> None:
    path = corpus_file("csv/ing/ofxdutch__NL99INGB9999999999_25-11-2019_30-05-2020.csv")
    with pytest.raises(ConnectorError, match="no connector recognises this file format"):
        detect(path)
    with pytest.raises(ConnectorError) as caught:
        CSV_IMPORTERS["csv-ing"].extract(path)
    assert str(caught.value).endswith(
        "the first lines do not match the ING betaalrekening, ING current account (English) "
        "or ING spaarrekening layout"
    )


def test_identify_never_raises(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    directory = tmp_path / "dir.csv"
    directory.mkdir()
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 20)
    for importer in CSV_IMPORTERS.values():
        assert not importer.identify(missing)
        assert not importer.identify(directory)
        assert not importer.identify(binary)


# -- what is read (independent of the golden files) ------------------------------


def _parse(relative: str) -> list[Statement]:
    path = corpus_file(relative)
    return detect(path).extract(path)


def test_ing_savings_export_has_one_statement_per_account_with_balances() -> None:
    statements = _parse("csv/ing/ing2ofx__Alle_spaarrekeningen.csv")
    closing = {s.account_iban: str(s.closing_balance) for s in statements}
    # the newest "Saldo na mutatie" per account (first line of each account in the file)
    assert closing == {
        "K 444-12345": "2750.00",
        "K 555-12345": "49000.00",
        "K 111-12345": "9500.00",
        "K 222-12345": "3000.00",
        "K 333-12345": "18451.15",
    }
    for statement in statements:
        assert statement.opening_balance is not None
        total = sum((tx.amount for tx in statement.transactions), Money(0))
        assert statement.opening_balance + total == statement.closing_balance


def test_ing_classic_export() -> None:
    (statement,) = _parse("csv/ing/ofxdutch__ing_ok.csv")
    assert statement.account_iban == "NL99INGB9999999999"
    assert [str(tx.amount) for tx in statement.transactions] == [
        "-0.31",
        "-0.31",
        "20.00",
        "0.00",
        "1.25",
        "-1.25",
    ]
    first, second = statement.transactions[:2]
    assert first.dedupe_key != second.dedupe_key  # two identical real bookings stay two
    assert statement.opening_balance is None


def test_volksbank_export_balances_and_references() -> None:
    (statement,) = _parse(
        "csv/asn/ofxdutch__transactie-historie_NL00ASNB9999999999_20220717204133.csv"
    )
    assert (str(statement.opening_balance), str(statement.closing_balance)) == ("130.44", "84.24")
    first = statement.transactions[0]
    assert (first.bank_reference, first.dedupe_key[:2]) == ("51392971", "r:")
    later = statement.transactions[5]
    assert later.value_date == date(2022, 6, 28) and later.booking_date == date(2022, 6, 28)
    assert statement.transactions[3].bank_reference == ""  # "00000000" is no reference
    assert statement.transactions[3].dedupe_key.startswith("h:")


def test_knab_export() -> None:
    (statement,) = _parse("csv/knab/ofxdutch__Knab_transactieoverzicht_ok.csv")
    assert len(statement.transactions) == 28
    assert statement.transactions[0].booking_date == date(2019, 1, 7)  # chronological
    assert all(tx.dedupe_key.startswith("r:") for tx in statement.transactions)
    assert str(statement.transactions[-1].amount) == "-827.75"


def test_own_samples_read_the_special_cases() -> None:
    (triodos,) = detect(_sample("csv_triodos_cp1252.csv")).extract(
        _sample("csv_triodos_cp1252.csv")
    )
    assert triodos.transactions[0].counterparty_name == "Zoë Bakker"  # cp1252
    assert str(triodos.transactions[1].amount) == "1850.00"  # "1.850,00"
    (rabo,) = detect(_sample("csv_rabobank.csv")).extract(_sample("csv_rabobank.csv"))
    assert rabo.account_iban == "NL42RABO0300012345"  # UTF-8 BOM before the header
    returned = rabo.transactions[3]
    assert (returned.is_return, returned.return_reason) == (True, "MD06")
    assert returned.original_end_to_end_id == rabo.transactions[2].end_to_end_id
    assert rabo.transactions[1].structured_reference == "1234567890123456"
    assert str(rabo.closing_balance) == "-75.40"
    abn = detect(_sample("csv_abnamro.tab")).extract(_sample("csv_abnamro.tab"))
    incasso = abn[0].transactions[3]
    assert (incasso.counterparty_name, incasso.counterparty_iban) == (
        "Waterbedrijf Zuid",
        "NL91ABNA0417164300",
    )
    assert incasso.end_to_end_id == "WZ-2025-06-31337"
    (ing,) = detect(_sample("csv_ing_comma.csv")).extract(_sample("csv_ing_comma.csv"))
    energy = ing.transactions[3]
    assert (energy.counterparty_iban, energy.end_to_end_id) == (
        "NL91ABNA0417164300",
        "EN-889102-2024",
    )
    assert energy.value_date == date(2025, 3, 4) and energy.booking_date == date(2025, 3, 3)


def test_reimport_gives_the_same_dedupe_keys() -> None:
    for name in OWN_SAMPLES:
        path = _sample(name)
        first = [tx.dedupe_key for s in detect(path).extract(path) for tx in s.transactions]
        again = [tx.dedupe_key for s in detect(path).extract(path) for tx in s.transactions]
        assert first == again
        assert len(set(first)) == len(first), name


# -- refusals ----------------------------------------------------------------


def _ing_semicolon() -> str:
    return _sample("csv_ing_semicolon.csv").read_text(encoding="utf-8")


def test_bad_amount_names_connector_file_line_and_column() -> None:
    data = _ing_semicolon().replace('"125,75"', '"12,5O"').encode()
    assert _refusal("csv-ing", data) == (
        'csv-ing: export.csv: line 3: column "Bedrag (EUR)": "12,5O" is not an amount'
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda text: text.replace('"20250402"', '"20250431"'),
            'line 3: column "Datum": "20250431" is not a date (expected yyyymmdd or dd-mm-yyyy)',
        ),
        (
            lambda text: text.replace('"Af";"125,75"', '"Afx";"125,75"'),
            'line 3: column "Af Bij": "Afx" is not a debit/credit indication (Af/Bij)',
        ),
        (
            lambda text: text.replace('"3074,25"', '"3074,35"'),
            "line 3: running balance does not add up: balance 3200.00 after line 4 plus "
            "amount -125.75 is 3074.25, but the file says 3074.35",
        ),
        (
            lambda text: text.replace(';"zorg"', ';"zorg";"extra"'),
            "line 3: 12 columns where the file has 11 (a truncated or broken line?)",
        ),
        (
            lambda text: text.rstrip("\n")[:-40],
            "line 5: broken CSV quoting: unexpected end of data",
        ),
        (
            lambda text: text.rstrip("\n").rsplit(";", 3)[0] + "\n",
            "line 5: 8 columns where the file has 11 (a truncated or broken line?)",
        ),
        (
            lambda text: text.replace('"Af";"60,00"', '"Af";"-60,00"'),
            'line 2: column "Bedrag (EUR)": the amount has a sign while column "Af Bij" gives it',
        ),
    ],
)
def test_broken_ing_files_are_refused_whole(edit: object, message: str) -> None:
    assert callable(edit)
    data = edit(_ing_semicolon()).encode()
    assert _refusal("csv-ing", data) == f"csv-ing: export.csv: {message}"


def test_wrong_encoding_is_refused() -> None:
    data = _sample("csv_triodos_cp1252.csv").read_bytes().replace(b"Zo\xeb", b"Zo\x81")
    position = data.index(b"\x81")
    assert _refusal("csv-triodos", data) == (
        "csv-triodos: export.csv: the file is neither UTF-8 nor Windows-1252 text "
        f"(byte {position} is 0x81)"
    )
    utf16 = _sample("csv_bunq.csv").read_text(encoding="utf-8").encode("utf-16")
    assert "NUL bytes" in _refusal("csv-bunq", utf16)


def test_wrong_importer_for_the_file() -> None:
    data = _sample("csv_knab.csv").read_bytes()
    assert _refusal("csv-rabobank", data) == (
        "csv-rabobank: export.csv: the first lines do not match the Rabobank or "
        "Rabobank (before 2018) layout"
    )


FUZZ_EXAMPLES = int(os.environ.get("HHB_FUZZ_EXAMPLES", "150"))
FUZZ_FILES = sorted(
    [(importer, _sample(name)) for name, importer in OWN_SAMPLES.items()]
    + [
        (importer, SHARED_CORPUS / relative)
        for relative, importer in EXPECTED_CSV_IMPORTER.items()
        if (SHARED_CORPUS / relative).exists()
    ]
)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(FUZZ_FILES),
    st.lists(
        st.tuples(
            st.sampled_from(["drop", "copy", "swap"]), st.integers(0, 999), st.integers(0, 999)
        ),
        max_size=3,
    ),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=4),
    st.integers(0, 10**6),
)
def test_mutated_files_parse_or_raise_connector_error(
    file: tuple[str, Path],
    line_edits: list[tuple[str, int, int]],
    flips: list[tuple[int, int]],
    cut: int,
) -> None:
    """Lines dropped, copied or swapped, bytes flipped, the file cut: a correct parse
    or a ConnectorError, nothing else."""
    importer, path = file
    lines = path.read_bytes().splitlines(keepends=True)
    for edit, first, second in line_edits:
        i, j = first % len(lines), second % len(lines)
        if edit == "drop" and len(lines) > 1:
            del lines[i]
        elif edit == "copy":
            lines.insert(j, lines[i])
        else:
            lines[i], lines[j] = lines[j], lines[i]
    data = bytearray(b"".join(lines))
    for position, value in flips:
        data[position % len(data)] = value
    data = data[: max(1, cut % (len(data) + 1))]
    try:
        statements = CSV_IMPORTERS[importer].parse(bytes(data), path.name)
    except ConnectorError as error:
        assert error.connector == importer and error.file == path.name
        assert "unexpected error" not in error.message
        return
    for statement in statements:
        if statement.opening_balance is not None and statement.closing_balance is not None:
            total = sum((tx.amount for tx in statement.transactions), Money(0))
            assert statement.opening_balance + total == statement.closing_balance


# -- property: an ING export written from generated bookings reads back the same --


@settings(max_examples=60, deadline=None)
@given(
    st.integers(-(10**7), 10**7),
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(-(10**6), 10**6).filter(bool)),
        min_size=1,
        max_size=25,
    ),
)
def test_generated_ing_export_reads_back(
    opening_cents: int, bookings: list[tuple[int, int]]
) -> None:
    day = date(2025, 1, 1)
    lines, balance, chronological = [], opening_cents, []
    for step, cents in bookings:
        day += timedelta(days=step)
        balance += cents
        chronological.append((day, cents, balance))
    for day_, cents, after in reversed(chronological):  # ING lists the newest first
        word = "Bij" if cents > 0 else "Af"
        lines.append(
            f'"{day_:%Y%m%d}";"Tegenpartij";"NL20INGB0001234567";"";"OV";"{word}";'
            f'"{_dutch(abs(cents))}";"Overschrijving";"Valutadatum: {day_:%d-%m-%Y}";'
            f'"{_dutch(after)}";""'
        )
    header = _ing_semicolon().splitlines()[0]
    data = "\n".join([header, *lines]).encode()
    (statement,) = CSV_IMPORTERS["csv-ing"].parse(data, "generated.csv")
    assert [tx.amount.to_cents() for tx in statement.transactions] == [
        c for _, c, _ in chronological
    ]
    assert statement.opening_balance == Money.cents(opening_cents)
    assert statement.closing_balance == Money.cents(balance)
    assert len({tx.dedupe_key for tx in statement.transactions}) == len(bookings)


def _dutch(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d}"


# -- hhb parse -----------------------------------------------------------------


def test_hhb_parse_json_for_a_csv_export(capsys: pytest.CaptureFixture[str]) -> None:
    path = _sample("csv_rabobank.csv")
    assert main(["parse", str(path), "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out == to_json("csv-rabobank", importer_by_name("csv-rabobank").extract(path))
    parsed = json.loads(out)
    assert parsed["format"] == "csv-rabobank"
    assert parsed["statements"][0]["transactions"][1]["amount"] == "-725.40"


def test_hhb_parse_explicit_csv_format(capsys: pytest.CaptureFixture[str]) -> None:
    path = _sample("csv_knab.csv")
    assert main(["parse", str(path), "--format", "csv-knab"]) == 0
    assert "csv-knab: 1 afschrift(en), 3 transactie(s)" in capsys.readouterr().out


def test_hhb_parse_bad_csv_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.csv"
    path.write_text(_ing_semicolon().replace('"125,75"', '"12,5O"'), encoding="utf-8")
    assert main(["parse", str(path), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert re.fullmatch(
        r'csv-ing: export\.csv: line 3: column "Bedrag \(EUR\)": "12,5O" is not an amount\n', err
    )


def test_own_samples_use_valid_fictional_ibans() -> None:
    for name in OWN_SAMPLES:
        text = _sample(name).read_bytes().decode("cp1252")
        ibans = set(re.findall(r"\bNL\d{2}[A-Z]{4}\d{10}\b", text))
        assert ibans, name
        for iban in ibans:
            IBAN(iban)  # raises on a wrong checksum or bank code


def test_old_mac_line_endings_and_layout_variant_are_kept() -> None:
    data = _sample("csv_triodos_cp1252.csv").read_bytes().replace(b"\r\n", b"\r")
    (statement,) = CSV_IMPORTERS["csv-triodos"].parse(data, "triodos.csv")
    assert len(statement.transactions) == 4
    assert statement.extra == (("layout", "Triodos"),)
    ing = CSV_IMPORTERS["csv-ing"].extract(corpus_file("csv/ing/ing2ofx__Alle_spaarrekeningen.csv"))
    assert {s.extra for s in ing} == {(("layout", "ING spaarrekening"),)}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-(10**6), 10**6), st.booleans()),  # (amount in cents, gap before)
        min_size=1,
        max_size=30,
    )
)
def test_generated_abn_amro_export_reconciles_per_segment(lines: list[tuple[int, bool]]) -> None:
    balance, rows, gaps = 10_000, [], 0
    for index, (cents, gap) in enumerate(lines):
        if gap and index:
            balance += 12_345  # lines missing from the file: the chain breaks here
            gaps += 1
        start, balance = balance, balance + cents
        line = ["417164300", "EUR", "20250601", _dutch(start), _dutch(balance), "20250601"]
        line = [*line, _dutch(cents), f"SEPA Overboeking regel {index}"]
        rows.append("\t".join(line).replace(".", ""))  # ABN AMRO writes no thousands dots
    statements = CSV_IMPORTERS["csv-abnamro"].parse("\n".join(rows).encode(), "TXT.TAB")
    assert len(statements) == gaps + 1
    assert sum(len(s.transactions) for s in statements) == len(lines)
    for statement in statements:
        assert statement.opening_balance is not None
        total = sum((tx.amount for tx in statement.transactions), Money(0))
        assert statement.opening_balance + total == statement.closing_balance
    assert statements[-1].closing_balance == Money.cents(balance)
