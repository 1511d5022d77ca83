"""CAMT.052/053/054 importer: golden files, upstream expectations, rejections, dedupe keys."""

from __future__ import annotations

import ast
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.base import ConnectorError
from connectors.camt import IMPORTERS, CamtImporter, parse_camt, sniff_message_type
from connectors.registry import detect, importer_by_name
from connectors.render import to_json
from huishoudboekje.domain.banking import Statement, content_dedupe_key, reference_dedupe_key
from huishoudboekje.domain.money import Money
from tests.golden import SAMPLES_DIR, check_golden, corpus_file

CAMT053 = importer_by_name("camt053")
ZUIDERVEEN = SAMPLES_DIR / "camt053_v02_zuiderveen.xml"
PREFIXED = SAMPLES_DIR / "camt053_v08_prefixed_othr.xml"
OWN_SAMPLES = sorted(
    path for path in SAMPLES_DIR.glob("camt05*.xml") if "billion_laughs" not in path.name
)


def _parse(data: bytes, name: str = "statement.xml", **options: object) -> list[Statement]:
    return parse_camt(data, name, **options)  # type: ignore[arg-type]


def _rejection(data: bytes, name: str = "statement.xml") -> str:
    with pytest.raises(ConnectorError) as caught:
        parse_camt(data, name)
    return str(caught.value)


def _zuiderveen() -> bytes:
    return ZUIDERVEEN.read_bytes()


# -- golden files ------------------------------------------------------------


@pytest.mark.parametrize("path", OWN_SAMPLES, ids=lambda path: path.stem)
def test_own_samples_match_their_golden_file(path: Path) -> None:
    importer = detect(path)
    check_golden(f"camt__{path.stem}", to_json(importer.name, importer.extract(path)))


RECONCILED_CORPUS = [
    "camt052/iso20022__camt052.xml",
    "camt053/hhb__Anoniem.xml",
    "camt053/hhb__CAMT_ABN.xml",
    "camt053/hhb__CAMT_RABO.xml",
    "camt053/hhb__Empty_customer_statement_message_CAMT.053_v2.xml",
    "camt053/hhb__correcte_format_camt_generator.xml",
    "camt053/ing2ofx__transactie-historie.xml",
    "camt053/iso20022__camt053.xml",
    "camt054/oca__test-camt054",
]


@pytest.mark.parametrize("relative", RECONCILED_CORPUS)
def test_corpus_files_match_their_golden_file(relative: str) -> None:
    path = corpus_file(relative)
    importer = detect(path)
    check_golden(f"camt__{path.stem}", to_json(importer.name, importer.extract(path)))


# Real samples whose balances do not add up (cut-down or synthetic upstream test
# files). The importer refuses them; their entries are still checked, parsed
# without the balance check, against a golden file of their own.
UNRECONCILED_CORPUS = {
    "camt052/hbci4j__test-camt-ruecklastschrift.xml": (
        r"Rpt 1: balances do not reconcile: opening 100\.00 \+ entries -53\.00 = 47\.00, "
        r"but closing balance \(CLBD\) is 100\.00 \(difference 53\.00\)"
    ),
    "camt053/genkgo__camt053.v2.five.decimals.xml": (
        r"Stmt 1: balances do not reconcile: .* closing balance \(CLBD\) is 27\.05"
    ),
    "camt053/genkgo__camt053.v4.xml": r"Stmt 1: opening balance is in EUR but closing .* in SEK",
    "camt053/genkgo__camt053.v8.xml": r"Stmt 1: opening balance is in EUR but closing .* in SEK",
    "camt053/hhb__camt053-kosten-betalingsverkeer-20231130.xml": (
        r"Stmt 1: balances do not reconcile: .*\(difference -24009\.67\)"
    ),
    "camt053/hhb__camt053_AccountIdentification_Id.xml": (
        r"Stmt 1 Ntry 1: entry is in EUR but the statement balances are in USD"
    ),
    "camt053/oca__test-camt053": r"Stmt 1: balances do not reconcile: .*\(difference -434\.16\)",
}


@pytest.mark.parametrize("relative", sorted(UNRECONCILED_CORPUS))
def test_unreconciled_corpus_files_are_refused(relative: str) -> None:
    path = corpus_file(relative)
    importer = detect(path)
    with pytest.raises(ConnectorError, match=UNRECONCILED_CORPUS[relative]) as caught:
        importer.extract(path)
    assert caught.value.connector == importer.name
    assert caught.value.file == path.name


@pytest.mark.parametrize("relative", sorted(UNRECONCILED_CORPUS))
def test_unreconciled_corpus_entries_match_their_golden_file(relative: str) -> None:
    path = corpus_file(relative)
    statements = parse_camt(path.read_bytes(), path.name, reconcile=False)
    check_golden(f"camt__{path.stem}__unreconciled", to_json("camt-unreconciled", statements))


# -- upstream expectations (independent of our own golden files) --------------


@pytest.mark.parametrize(
    "relative",
    [
        "camt053/genkgo__camt053.v2.five.decimals.xml",
        "camt053/genkgo__camt053.v4.xml",
        "camt053/genkgo__camt053.v8.xml",
    ],
)
def test_genkgo_entries_match_genkgo_expectations(relative: str) -> None:
    path = corpus_file(relative)
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["getEntries"]
    (statement,) = parse_camt(path.read_bytes(), path.name, reconcile=False)
    assert len(statement.transactions) == len(expected)
    for tx, entry in zip(statement.transactions, expected, strict=True):
        detail = entry["getTransactionDetail"]
        assert tx.amount == Money.cents(int(entry["getAmount"]["getAmount"]))
        assert tx.currency == entry["getAmount"]["getCurrency"]["getCode"]
        assert tx.booking_date.isoformat() == entry["getBookingDate"]["0"][:10]
        assert tx.value_date.isoformat() == entry["getValueDate"]["0"][:10]
        assert tx.bank_reference == (entry["getAccountServicerReference"] or "")
        assert tx.end_to_end_id == (detail["getReference"]["getEndToEndId"] or "")
        creditor_ref = detail["getRemittanceInformation"]["getCreditorReferenceInformation"]
        assert tx.structured_reference == (creditor_ref["getRef"] if creditor_ref else "")
        names = {party["getRelatedPartyType"]["getName"] for party in detail["getRelatedParties"]}
        assert tx.counterparty_name == "" or tx.counterparty_name in names
    assert statement.opening_balance == Money("18.15")  # five decimals: "18.150"


@pytest.mark.parametrize(
    ("relative", "golden"),
    [
        ("camt053/oca__test-camt053", "camt053/oca__golden-camt053.pydata"),
        ("camt054/oca__test-camt054", "camt054/oca__golden-camt054.pydata"),
    ],
)
def test_oca_files_match_oca_expectations(relative: str, golden: str) -> None:
    path = corpus_file(relative)
    text = corpus_file(golden).read_text(encoding="utf-8")
    currency, account, (expected,) = ast.literal_eval(text)
    # amounts straight from the literal's text, never through float
    amounts = [Money(value) for value in re.findall(r"'amount': (-?[0-9.]+)", text)]
    (statement,) = parse_camt(path.read_bytes(), path.name, reconcile=False)
    assert (statement.currency, statement.account_iban) == (currency, account)
    assert statement.statement_id == expected["name"]
    assert [tx.amount for tx in statement.transactions] == amounts
    for tx, want in zip(statement.transactions, expected["transactions"], strict=True):
        assert tx.booking_date.isoformat() == want["date"]
        assert tx.counterparty_name == want["partner_name"]
        assert tx.counterparty_iban == want["account_number"]
        # domain and family agree; for the sub-family we prefer the TxDtls code (OCA: Ntry)
        assert tx.bank_transaction_code.split("-")[:2] == want["transaction_type"].split("-")[:2]
        assert want["ref"] in (tx.end_to_end_id, tx.structured_reference)


def test_abn_statement_splits_batches_and_keeps_returns() -> None:
    path = corpus_file("camt053/hhb__CAMT_ABN.xml")
    (statement,) = CAMT053.extract(path)
    txs = statement.transactions
    assert len(txs) == 29  # 13 entries, 26 TxDtls, 3 entries without details
    acceptgiro_batch = [
        tx for tx in txs if tx.description.startswith("/TRTP/SEPA ACCEPTGIRO BATCH")
    ]
    assert len(acceptgiro_batch) == 10
    assert {tx.amount for tx in acceptgiro_batch} == {Money("1.00")}
    assert {tx.structured_reference for tx in acceptgiro_batch} == {"1234567812345678"}
    returns = [tx for tx in txs if tx.is_return]
    assert [(tx.amount, tx.return_reason, tx.original_end_to_end_id) for tx in returns] == [
        (Money("-1.00"), "MS03", "1234567X908303803"),
        (Money("-921.00"), "MS03", "1234567X908303804"),
    ]
    assert all(tx.is_reversal for tx in returns)
    # the first entry has only AddtlNtryInf: it becomes the description
    assert txs[0].description == "11.11.111.111 Naam Adres 7 2960 Dorp"
    assert statement.opening_balance == Money("1000.01")  # PRCD as opening balance
    assert statement.closing_balance == Money("100.01")


def test_statement_fields_of_own_sample() -> None:
    first, second = CAMT053.extract(ZUIDERVEEN)
    assert (first.account_iban, first.statement_id, first.currency) == (
        "NL88BNGH6091390996",
        "ZV-20240325",
        "EUR",
    )
    assert (first.opening_balance, first.closing_balance) == (Money("10000.00"), Money("10206.53"))
    assert second.opening_balance == first.closing_balance
    assert first.source_format == "camt053"
    assert dict(first.extra)["camt_version"] == "camt.053.001.02"
    assert dict(first.extra)["balance_check"] == "ok"
    rent = first.transactions[1]
    assert (rent.amount, rent.counterparty_name, rent.structured_reference) == (
        Money("-725.40"),
        "Woonstichting De Linde",
        "5012345678901234",
    )
    assert rent.counterparty_bic == "RABONL2U"
    assert rent.description.startswith("/TRTP/SEPA OVERBOEKING")  # AddtlNtryInf fallback


def test_batch_entry_becomes_one_transaction_per_txdtls() -> None:
    (first, _) = CAMT053.extract(ZUIDERVEEN)
    batch = first.transactions[2:5]
    assert [(tx.amount, tx.counterparty_name) for tx in batch] == [
        (Money("-150.00"), "K. de Vries"),
        (Money("-125.00"), "J. Bakker-Yilmaz"),
        (Money("-100.00"), "A. Öztürk"),
    ]
    assert {tx.bank_reference for tx in batch} == {"BNG20240325-0003"}
    assert [tx.dedupe_key for tx in batch] == [
        reference_dedupe_key("NL88BNGH6091390996", "BNG20240325-0003", str(index))
        for index in (1, 2, 3)
    ]


def test_return_reversal_and_timestamps() -> None:
    (first, _) = CAMT053.extract(ZUIDERVEEN)
    returned, reversed_ = first.transactions[5], first.transactions[6]
    assert returned.is_return and not returned.is_reversal
    assert (returned.return_reason, returned.original_end_to_end_id, returned.end_to_end_id) == (
        "AC04",
        "HHB-ENERGIE-2024-03-0017",
        "HHB-ENERGIE-2024-03-0017",
    )
    assert returned.counterparty_name == "Energiebedrijf Noordstroom B.V."  # Dbtr on a credit
    assert returned.booking_date == date(2024, 3, 25)  # from DtTm
    assert reversed_.is_reversal and not reversed_.is_return
    assert reversed_.amount == Money("-42.00")
    # the date as the bank wrote it, not shifted to UTC
    assert reversed_.value_date == date(2024, 3, 22)


def test_entry_without_details_and_chunked_remittance() -> None:
    (first, _) = CAMT053.extract(ZUIDERVEEN)
    costs, interest = first.transactions[7], first.transactions[8]
    assert (
        costs.description == "/TRTP/Kosten betalingsverkeer/REMI/Periode 01-03-2024 t/m 25-03-2024"
    )
    assert costs.bank_transaction_code == "370"
    assert interest.amount == Money("18.15")  # written as "18.150"
    assert interest.description.endswith("01-01-2024 tot en met 31-03-2024")


def test_identical_bookings_without_reference_stay_two() -> None:
    (first, _) = CAMT053.extract(ZUIDERVEEN)
    one, two = first.transactions[9], first.transactions[10]
    assert one.end_to_end_id == "" == two.end_to_end_id  # NOTPROVIDED is no reference
    args = ("NL88BNGH6091390996", date(2024, 3, 25), Money("25.00"), "NL78KNAB4800134099")
    assert one.dedupe_key == content_dedupe_key(*args, "Bijdrage schoolreis", 0)
    assert two.dedupe_key == content_dedupe_key(*args, "Bijdrage schoolreis", 1)


def test_version_8_prefix_othr_account_and_own_amounts() -> None:
    (statement,) = CAMT053.extract(PREFIXED)
    assert statement.account_iban == "6091390996"
    assert (statement.period_start, statement.period_end) == (date(2024, 4, 2), date(2024, 4, 2))
    credit, debit, foreign, returned = statement.transactions
    assert (credit.amount, debit.amount) == (Money("200.00"), Money("-50.00"))
    assert credit.counterparty_name == "Gemeente Zuiderveen Sociaal Domein"  # <Pty><Nm>
    assert credit.counterparty_bic == "TRIONL2U"  # BICFI
    assert debit.counterparty_name == "Stichting Schuldhulp Zuid"
    assert (foreign.amount, foreign.currency) == (Money("-60.00"), "EUR")  # TxAmt, not USD
    assert foreign.counterparty_iban == "021000021-771234"
    assert returned.return_reason == "MD07"
    assert returned.counterparty_iban == "NL50BUNQ5935360004"


def test_reference_repeated_by_the_bank_gets_an_occurrence_suffix() -> None:
    path = corpus_file("camt053/hhb__CAMT_RABO.xml")
    (statement,) = CAMT053.extract(path)
    repeated = [
        tx for tx in statement.transactions if tx.bank_reference == "reference collection 00001"
    ]
    assert [tx.dedupe_key for tx in repeated] == [
        reference_dedupe_key("NL44RABO0123456789", "reference collection 00001"),
        reference_dedupe_key("NL44RABO0123456789", "reference collection 00001", "#2"),
    ]


@pytest.mark.parametrize("relative", RECONCILED_CORPUS)
def test_dedupe_keys_are_unique_and_stable(relative: str) -> None:
    path = corpus_file(relative)
    importer = detect(path)
    first = importer.extract(path)
    keys = [tx.dedupe_key for statement in first for tx in statement.transactions]
    assert len(keys) == len(set(keys))
    assert all(key.startswith(("r:", "h:")) for key in keys)
    assert importer.extract(path) == first


def test_placeholder_references_are_not_dedupe_keys() -> None:
    path = corpus_file("camt052/iso20022__camt052.xml")
    (report,) = importer_by_name("camt052").extract(path)
    assert {tx.bank_reference for tx in report.transactions} == {""}  # NONREF
    assert all(tx.dedupe_key.startswith("h:") for tx in report.transactions)


def test_pending_entries_are_not_booked() -> None:
    (report,) = importer_by_name("camt052").extract(SAMPLES_DIR / "camt052_v02_intraday.xml")
    assert [tx.amount for tx in report.transactions] == [Money("1212.42"), Money("-100.00")]
    assert dict(report.extra)["skipped_entries"] == "1 PDNG"


def test_foreign_currency_is_kept() -> None:
    (notification,) = importer_by_name("camt054").extract(
        SAMPLES_DIR / "camt054_v04_notification.xml"
    )
    foreign = notification.transactions[1]
    assert (foreign.amount, foreign.currency) == (Money("125.00"), "USD")
    assert foreign.counterparty_name == "Family Support Fund"  # /NAME/ in AddtlNtryInf
    (yen,) = CAMT053.extract(SAMPLES_DIR / "camt053_v04_jpy.xml")
    assert (yen.opening_balance, yen.currency) == (Money("-2700"), "JPY")


@pytest.mark.parametrize("version", ["02", "03", "04", "05", "06", "07", "08"])
def test_every_supported_version_is_read(version: str) -> None:
    data = _zuiderveen().replace(b"camt.053.001.02", f"camt.053.001.{version}".encode())
    statements = _parse(data)
    assert dict(statements[0].extra)["camt_version"] == f"camt.053.001.{version}"
    assert sum(len(s.transactions) for s in statements) == 13


def test_other_encodings_are_decoded_as_declared() -> None:
    text = _zuiderveen().decode("utf-8").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    statements = _parse(text.encode("iso-8859-1"))
    assert statements[0].transactions[4].counterparty_name == "A. Öztürk"
    assert _parse(_zuiderveen().decode().encode("utf-16")) == _parse(_zuiderveen())


# -- rejections -----------------------------------------------------------------


INVALID_CORPUS = {
    "genkgo__camt053.v2.wrong.xml": r"the document holds no Stmt \(statement\)",
    "hhb__CAMT_DANGEROUS.xml": r"has a DOCTYPE declaration; DTDs and entities are refused",
    "hhb__Wrong_format_CAMT.053_v1.xml": (
        r"camt\.053\.001\.01 is not supported; versions 001\.02 to 001\.08 are"
    ),
    "hhb__camt053_AccountIdentification_Missing.xml": (
        r"Stmt 1: statement has no account identification"
    ),
    "hhb__camt053_Transactions_One_Missing_AmountAndCdtDbtInd.xml": (
        r"Stmt 1 Ntry 1: entry has no amount \(Amt\)"
    ),
    # Schema-invalid: Ntry/Amt is mandatory. Its only amount is a TxDtls amount in
    # EUR on a USD account; guessing the booking from it is refused on purpose.
    "hhb__camt053_Transactions_One_OnlyTxtAmntTag_Amount.xml": (
        r"Stmt 1 Ntry 1: entry has no amount \(Amt\)"
    ),
    "hhb__incorrectCamtType.xml": r"message type camt\.050 is not supported",
}


@pytest.mark.parametrize("name", sorted(INVALID_CORPUS))
def test_invalid_corpus_files_are_refused(name: str) -> None:
    path = corpus_file(f"invalid/{name}")
    importer = detect(path)
    assert importer.name == "camt053"
    with pytest.raises(ConnectorError, match=INVALID_CORPUS[name]) as caught:
        importer.extract(path)
    assert str(caught.value).startswith(f"camt053: {name}: ")


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        (
            "camt053/hhb__Duplicate_bank_transaction_1_CAMT.053_v1.xml",
            r"Stmt 1 Ntry 1: the TxDtls amounts add up to -234\.56 but the entry amount is "
            r"-123\.45",
        ),
        (
            "camt053/hhb__camt_50_transacties_28-7-2023.xml",
            r'Stmt 1 Ntry 2: amount "-148\.45" is negative; the direction belongs in CdtDbtInd',
        ),
        (
            "camt053/oca__test-camt053.zip",
            r"oca__test-camt053\.zip!test-camt053_02\.xml: Stmt 1 Ntry 2: "
            r"the TxDtls amounts add up to -564\.05 but the entry amount is -594\.05",
        ),
    ],
)
def test_inconsistent_corpus_files_are_refused_even_without_balance_check(
    relative: str, message: str
) -> None:
    path = corpus_file(relative)
    with pytest.raises(ConnectorError, match=message):
        CAMT053.extract(path)
    with pytest.raises(ConnectorError, match=message):
        parse_camt(path.read_bytes(), path.name, reconcile=False)


def test_billion_laughs_is_refused_unexpanded() -> None:
    path = SAMPLES_DIR / "camt053_billion_laughs.xml"
    with pytest.raises(ConnectorError, match="DOCTYPE declaration"):
        detect(path).extract(path)


def test_any_doctype_is_refused() -> None:
    data = _zuiderveen().replace(b"<!-- Fictional", b"<!DOCTYPE Document>\n<!-- Fictional", 1)
    assert "DOCTYPE declaration" in _rejection(data)


def test_truncated_file_is_refused_with_line() -> None:
    data = _zuiderveen()
    message = _rejection(data[: len(data) // 2])
    assert re.match(r"camt053: statement\.xml: line \d+: XML is not well-formed: ", message)


def test_wrong_encoding_is_refused() -> None:
    data = _zuiderveen().replace("Öztürk".encode(), "Öztürk".encode("latin-1"))
    assert "XML is not well-formed" in _rejection(data)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b"1194.78</Amt>", b"12,5O</Amt>", r'Stmt 1 Ntry 1: amount "12,5O" is not a number'),
        (b">18.150<", b">18.155<", r'Stmt 1 Ntry 7: amount "18\.155" has a fraction of a cent'),
        (b"1194.78</Amt>", b"-1194.78</Amt>", r'Stmt 1 Ntry 1: amount "-1194\.78" is negative'),
        (b"1194.78</Amt>", b"1E3</Amt>", r'Stmt 1 Ntry 1: amount "1E3" is not a number'),
        (b'<Amt Ccy="EUR">1194', b"<Amt>1194", r"Stmt 1 Ntry 1: amount has no currency"),
        (
            b"<CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>",
            b"<CdtDbtInd>CR</CdtDbtInd>\n<Sts>",
            r'Stmt 1 Ntry 1: credit/debit indicator "CR" is neither CRDT nor DBIT',
        ),
        (
            b"<Dt>2024-03-26</Dt>\n        </BookgDt>",
            b"<Dt>2024-02-30</Dt>\n</BookgDt>",
            r'Stmt 2 Ntry 1: booking date "2024-02-30" is not a valid date',
        ),
        (
            b'<Amt Ccy="EUR">150.00</Amt>',
            b'<Amt Ccy="EUR">151.00</Amt>',
            r"Stmt 1 Ntry 3: the TxDtls amounts add up to -376\.00 but the entry amount is "
            r"-375\.00",
        ),
        (
            b'<Amt Ccy="EUR">10206.53</Amt>',
            b'<Amt Ccy="EUR">10206.54</Amt>',
            r"Stmt 1: balances do not reconcile: opening 10000\.00 \+ entries 206\.53 = 10206\.53, "
            r"but closing balance \(CLBD\) is 10206\.54 \(difference 0\.01\)",
        ),
        (b"<IBAN>NL88BNGH6091390996</IBAN>", b"<Nm>x</Nm>", r"Stmt 1: statement has no account"),
        (b"camt.053.001.02", b"camt.053.001.09", r"camt\.053\.001\.09 is not supported"),
        (
            b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02",
            b"urn:example:statement",
            r"namespace urn:example:statement is not an ISO 20022 CAMT namespace",
        ),
    ],
)
def test_bad_values_are_refused_naming_the_place(old: bytes, new: bytes, message: str) -> None:
    data = _zuiderveen()
    assert old in data
    with pytest.raises(ConnectorError, match=message):
        _parse(data.replace(old, new, 1))


def test_batch_detail_without_amount_is_refused() -> None:
    amount = b'<TxAmt>\n                <Amt Ccy="EUR">125.00</Amt>\n              </TxAmt>'
    assert amount in _zuiderveen()
    data = _zuiderveen().replace(amount, b"")
    with pytest.raises(
        ConnectorError, match=r"Stmt 1 Ntry 3: batch entry with 3 TxDtls, but TxDtls 2"
    ):
        _parse(data)


def test_missing_booking_date_is_refused() -> None:
    data = _zuiderveen().replace(
        b"<BookgDt>\n          <Dt>2024-03-25</Dt>\n        </BookgDt>", b"", 1
    )
    with pytest.raises(ConnectorError, match=r"Stmt 1 Ntry 1: entry has no booking date"):
        _parse(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", r"XML is not well-formed"),
        (b"not xml at all", r"XML is not well-formed"),
        (b"<Document/>", r"root element has no namespace"),
        (
            b'<x:Foo xmlns:x="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>',
            r"root element is Foo",
        ),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
            b"<BkToCstmrAcctRpt/></Document>",
            r"camt\.053\.001\.02 needs a BkToCstmrStmt element; found BkToCstmrAcctRpt",
        ),
    ],
)
def test_not_a_camt_document_is_refused(data: bytes, message: str) -> None:
    assert re.search(message, _rejection(data))


def test_pain001_is_not_mistaken_for_camt() -> None:
    path = corpus_file("pain001/sepaking__pain.001.001.03.xml")
    assert not any(importer.identify(path) for importer in IMPORTERS)
    with pytest.raises(
        ConnectorError, match=r"pain\.001\.001\.03 is not a CAMT\.052/053/054 message"
    ):
        CAMT053.extract(path)


def test_message_type_must_match_the_chosen_format(tmp_path: Path) -> None:
    path = tmp_path / "notification.xml"
    path.write_bytes((SAMPLES_DIR / "camt054_v04_notification.xml").read_bytes())
    with pytest.raises(ConnectorError, match=r"not camt\.053; use format camt054"):
        CAMT053.extract(path)


def test_unreadable_path_becomes_a_connector_error(tmp_path: Path) -> None:
    with pytest.raises(ConnectorError, match=r"cannot read the file"):
        CAMT053.extract(tmp_path)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=20000), flips=st.lists(st.integers(0, 20000), max_size=3)
)
def test_damaged_files_give_statements_or_a_connector_error(cut: int, flips: list[int]) -> None:
    data = bytearray(_zuiderveen()[: max(cut, 1) * 2])
    for position in flips:
        if position < len(data):
            data[position] = (data[position] + 37) % 256
    try:
        statements = _parse(bytes(data))
    except ConnectorError as error:
        assert error.connector == "camt053" and error.message
    else:
        assert all(isinstance(statement, Statement) for statement in statements)


# -- ZIP archives, identification -------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_of_camt_files_is_read_member_by_member(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "afschriften.zip",
        {
            "dag1.xml": _zuiderveen(),
            "__MACOSX/._dag1.xml": b"junk",
            "buffer.xml": PREFIXED.read_bytes(),
        },
    )
    assert detect(path) is CAMT053
    statements = CAMT053.extract(path)
    assert statements == CAMT053.extract(ZUIDERVEEN) + CAMT053.extract(PREFIXED)


def test_zip_with_one_bad_member_is_refused_whole(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "afschriften.zip", {"goed.xml": _zuiderveen(), "kapot.xml": _zuiderveen()[:5000]}
    )
    with pytest.raises(
        ConnectorError,
        match=r"camt053: afschriften\.zip!kapot\.xml: line \d+: XML is not well-formed",
    ):
        CAMT053.extract(path)
    empty = _zip(tmp_path / "leeg.zip", {})
    with pytest.raises(ConnectorError, match=r"ZIP archive holds no files"):
        CAMT053.extract(empty)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (ZUIDERVEEN, "camt053"),
        (PREFIXED, "camt053"),
        (SAMPLES_DIR / "camt052_v02_intraday.xml", "camt052"),
        (SAMPLES_DIR / "camt054_v04_notification.xml", "camt054"),
    ],
)
def test_each_file_is_identified_by_exactly_one_importer(path: Path, name: str) -> None:
    assert [importer.name for importer in IMPORTERS if importer.identify(path)] == [name]


def test_identify_reads_only_the_head_and_never_raises(tmp_path: Path) -> None:
    late = tmp_path / "late.xml"
    late.write_bytes(b"<!--" + b" " * 5000 + b"-->" + _zuiderveen().split(b"-->", 1)[1])
    assert not CAMT053.identify(late)
    assert not CAMT053.identify(tmp_path / "missing.xml")
    assert not CAMT053.identify(tmp_path)
    broken_zip = tmp_path / "broken.zip"
    broken_zip.write_bytes(b"PK\x03\x04 not really a zip")
    assert not CAMT053.identify(broken_zip)


def test_sniffing_handles_utf16_and_other_camt_types() -> None:
    assert (
        sniff_message_type(_zuiderveen()[:4096].decode(errors="ignore").encode("utf-16")) == "053"
    )
    assert (
        sniff_message_type(b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.050.001.02">')
        == "050"
    )
    assert sniff_message_type(b"<OFX>") is None
    assert CamtImporter("053").name == "camt053"


def test_parse_camt_matches_extract() -> None:
    assert parse_camt(_zuiderveen(), ZUIDERVEEN.name) == CAMT053.extract(ZUIDERVEEN)


def test_balance_after_the_entries_is_still_checked() -> None:
    text = _zuiderveen().decode()
    start = text.rindex("<Bal>")
    end = text.index("</Bal>", start) + len("</Bal>")
    moved = text[start:end].replace("10387.58", "10387.59")
    text = text[:start] + text[end:]
    text = text.replace(
        "    </Stmt>\n  </BkToCstmrStmt>", f"{moved}\n    </Stmt>\n  </BkToCstmrStmt>"
    )
    with pytest.raises(ConnectorError, match=r"Stmt 2: .* closing balance \(CLBD\) is 10387\.59"):
        _parse(text.encode())
