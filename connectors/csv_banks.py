"""Dutch bank CSV exports, each declared as a `CsvLayout` (no parsing code here).

The column layouts follow the banks' own export descriptions and the public
sample files in ../shared/corpus/csv; docs/connectors.md ("Bankexports (CSV)")
lists what each layout reads. To add a bank: declare a layout, add an importer
to `IMPORTERS`, a fictional sample under tests/samples and its golden file.
"""

from __future__ import annotations

from connectors.base import StatementImporter
from connectors.csv_importer import CsvImporter
from connectors.csv_layout import (
    DECIMAL_COMMA,
    DECIMAL_POINT,
    Columns,
    CsvLayout,
    col,
    opt,
    pattern,
)

DMY = r"\d{2}-\d{2}-\d{4}"
IBAN = r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}"

# ING "Mededelingen": "Naam: … Omschrijving: … IBAN: … Kenmerk: … Valutadatum: dd-mm-jjjj"
_ING_KEYS = r"(?= (?:Naam|Omschrijving|IBAN|Kenmerk|Machtiging ID|Incassant ID|Valutadatum):|$)"

ING_CURRENT = CsvLayout(
    name="ING betaalrekening",
    header_signature=("Datum", "Naam / Omschrijving", "Rekening", "Af Bij", "Bedrag (EUR)"),
    delimiters=(",", ";"),
    date_formats=("%Y%m%d", "%d-%m-%Y"),
    amount_styles=(DECIMAL_COMMA, DECIMAL_POINT),
    debit_words=("Af",),
    credit_words=("Bij",),
    row_order="newest_first",
    columns=Columns(
        account=col("Rekening"),
        booking_date=col("Datum"),
        amount=col("Bedrag (EUR)"),
        sign=col("Af Bij"),
        counterparty_name=col("Naam / Omschrijving"),
        counterparty_iban=col("Tegenrekening"),
        bank_transaction_code=opt("Code"),
        description=(opt("Mededelingen"),),
        balance_after=opt("Saldo na mutatie", "Saldo na trn"),
    ),
    patterns=(
        pattern("value_date", opt("Mededelingen"), r"Valutadatum: (\d{2}-\d{2}-\d{4})"),
        pattern("counterparty_iban", opt("Mededelingen"), rf"IBAN: ({IBAN})"),
        pattern("end_to_end_id", opt("Mededelingen"), rf"Kenmerk: (.+?){_ING_KEYS}"),
    ),
)

# The same export downloaded with the English ING app or website.
_ING_KEYS_EN = r"(?= (?:Name|Description|IBAN|Reference|Mandate ID|Creditor ID|Value date):|$)"

ING_CURRENT_EN = CsvLayout(
    name="ING current account (English)",
    header_signature=("Date", "Name / Description", "Account", "Debit/credit", "Amount (EUR)"),
    delimiters=(",", ";"),
    date_formats=("%Y%m%d", "%d-%m-%Y"),
    amount_styles=(DECIMAL_COMMA, DECIMAL_POINT),
    debit_words=("Debit",),
    credit_words=("Credit",),
    row_order="newest_first",
    columns=Columns(
        account=col("Account"),
        booking_date=col("Date"),
        amount=col("Amount (EUR)"),
        sign=col("Debit/credit"),
        counterparty_name=col("Name / Description"),
        counterparty_iban=col("Counterparty"),
        bank_transaction_code=opt("Code"),
        description=(opt("Notifications"),),
        balance_after=opt("Resulting balance"),
    ),
    patterns=(
        pattern("value_date", opt("Notifications"), r"Value date: (\d{2}-\d{2}-\d{4})"),
        pattern("counterparty_iban", opt("Notifications"), rf"IBAN: ({IBAN})"),
        pattern("end_to_end_id", opt("Notifications"), rf"Reference: (.+?){_ING_KEYS_EN}"),
    ),
)

ING_SAVINGS = CsvLayout(
    name="ING spaarrekening",
    header_signature=("Datum", "Omschrijving", "Rekening", "Rekening naam", "Af Bij", "Bedrag"),
    delimiters=(";", ","),
    date_formats=("%Y-%m-%d", "%Y%m%d"),
    amount_styles=(DECIMAL_COMMA, DECIMAL_POINT),
    debit_words=("Af",),
    credit_words=("Bij",),
    row_order="newest_first",
    columns=Columns(
        account=col("Rekening"),
        booking_date=col("Datum"),
        amount=col("Bedrag"),
        sign=col("Af Bij"),
        currency=opt("Valuta"),
        counterparty_iban=opt("Tegenrekening"),
        bank_transaction_code=opt("Mutatiesoort"),
        description=(col("Omschrijving"), opt("Mededelingen")),
        balance_after=opt("Saldo na mutatie"),
    ),
)

RABOBANK = CsvLayout(
    name="Rabobank",
    header_signature=("IBAN/BBAN", "Munt", "Volgnr", "Datum", "Bedrag", "Saldo na trn"),
    delimiters=(",", ";"),
    date_formats=("%Y-%m-%d", "%Y%m%d"),
    amount_styles=(DECIMAL_COMMA,),
    row_order="oldest_first",
    columns=Columns(
        account=col("IBAN/BBAN"),
        currency=col("Munt"),
        bank_reference=col("Volgnr"),
        booking_date=col("Datum"),
        value_date=opt("Rentedatum"),
        amount=col("Bedrag"),
        balance_after=col("Saldo na trn"),
        counterparty_iban=opt("Tegenrekening IBAN/BBAN"),
        counterparty_name=opt("Naam tegenpartij"),
        counterparty_bic=opt("BIC tegenpartij"),
        bank_transaction_code=opt("Code"),
        end_to_end_id=opt("Transactiereferentie", "End to End ID"),
        structured_reference=opt("Betalingskenmerk"),
        description=(opt("Omschrijving-1"), opt("Omschrijving-2"), opt("Omschrijving-3")),
        return_reason=opt("Reden retour"),
    ),
)

# The headerless export Rabobank offered until 2018 (field list of the bank's
# "formaatbeschrijving CSV kommagescheiden"): C/D and an unsigned amount.
RABOBANK_BEFORE_2018 = CsvLayout(
    name="Rabobank (before 2018)",
    column_counts=(19,),
    row_shape=((0, rf"{IBAN}|\d{{9,10}}"), (1, r"[A-Z]{3}"), (2, r"\d{8}"), (3, r"[CD]")),
    delimiters=(",",),
    date_formats=("%Y%m%d",),
    amount_styles=(DECIMAL_POINT, DECIMAL_COMMA),
    debit_words=("D",),
    credit_words=("C",),
    row_order="oldest_first",
    columns=Columns(
        account=col(0),
        currency=col(1),
        value_date=col(2),
        sign=col(3),
        amount=col(4),
        counterparty_iban=col(5),
        counterparty_name=col(6),
        booking_date=col(7),
        bank_transaction_code=col(8),
        description=(col(10), col(11), col(12), col(13), col(14), col(15)),
        end_to_end_id=col(16),
    ),
)

# ABN AMRO puts IBAN, BIC, name, description and reference in one text column,
# either as fixed-width "IBAN: … BIC: … Naam: …" or as "/IBAN/…/NAME/…/EREF/…".
_ABN_KEYS = r"(?=\s{2,}|\s*(?:Machtiging|Omschrijving|IBAN|BIC|Kenmerk|Voor|Incassant):|$)"
_ABN_TEXT = col(7)

ABN_AMRO = CsvLayout(
    name="ABN AMRO TXT (TAB)",
    column_counts=(8,),
    row_shape=((0, rf"\d{{7,10}}|{IBAN}"), (1, r"[A-Z]{3}"), (2, r"\d{8}"), (5, r"\d{8}")),
    delimiters=("\t",),
    quotechar=None,
    comment_prefix="#",
    date_formats=("%Y%m%d",),
    amount_styles=(DECIMAL_COMMA,),
    row_order="oldest_first",
    balance_gaps="split",
    columns=Columns(
        account=col(0),
        currency=col(1),
        booking_date=col(2),
        balance_before=col(3),
        balance_after=col(4),
        value_date=col(5),
        amount=col(6),
        description=(_ABN_TEXT,),
    ),
    patterns=(
        pattern("counterparty_iban", _ABN_TEXT, rf"(?:IBAN: |/IBAN/)({IBAN})"),
        pattern(
            "counterparty_bic", _ABN_TEXT, r"(?:BIC: |/BIC/)([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b"
        ),
        pattern("counterparty_name", _ABN_TEXT, rf"Naam: (.+?){_ABN_KEYS}|/NAME/([^/]*)"),
        pattern("end_to_end_id", _ABN_TEXT, rf"/EREF/([^/]*)|Kenmerk: (.+?){_ABN_KEYS}"),
    ),
)

VOLKSBANK = CsvLayout(
    name="de Volksbank (SNS, ASN Bank, RegioBank)",
    column_counts=(19,),
    row_shape=((0, DMY), (1, IBAN), (11, DMY), (12, DMY)),
    delimiters=(",",),
    quotechar="'",
    date_formats=("%d-%m-%Y",),
    amount_styles=(DECIMAL_POINT,),
    row_order="oldest_first",
    one_account=True,
    columns=Columns(
        booking_date=col(0),
        account=col(1),
        counterparty_iban=col(2),
        counterparty_name=col(3),
        currency=col(7),
        balance_before=col(8),
        amount=col(10),
        value_date=col(12),
        bank_transaction_code=col(14),
        bank_reference=col(15),
        structured_reference=col(16),
        description=(col(17),),
    ),
)

TRIODOS = CsvLayout(
    name="Triodos",
    column_counts=(8, 9),
    row_shape=((0, DMY), (1, IBAN), (3, r"(?i:debet|credit)")),
    delimiters=(",",),
    date_formats=("%d-%m-%Y",),
    amount_styles=(DECIMAL_COMMA,),
    debit_words=("Debet",),
    credit_words=("Credit",),
    row_order="detect",
    columns=Columns(
        booking_date=col(0),
        account=col(1),
        amount=col(2),
        sign=col(3),
        counterparty_name=col(4),
        counterparty_iban=col(5),
        bank_transaction_code=col(6),
        description=(col(7),),
        balance_after=opt(8),
    ),
)

BUNQ = CsvLayout(
    name="bunq",
    header_signature=("Date", "Interest Date", "Amount", "Account", "Counterparty", "Name"),
    delimiters=(";", ","),
    date_formats=("%Y-%m-%d",),
    amount_styles=(DECIMAL_COMMA, DECIMAL_POINT),
    row_order="detect",
    columns=Columns(
        booking_date=col("Date"),
        value_date=opt("Interest Date"),
        amount=col("Amount"),
        account=col("Account"),
        counterparty_iban=opt("Counterparty"),
        counterparty_name=opt("Name"),
        description=(opt("Description"),),
    ),
)

KNAB = CsvLayout(
    name="Knab",
    header_signature=("Rekeningnummer", "Transactiedatum", "CreditDebet", "Bedrag"),
    skip_lines=(r"KNAB EXPORT",),
    delimiters=(";",),
    date_formats=("%d-%m-%Y",),
    amount_styles=(DECIMAL_COMMA,),
    debit_words=("D",),
    credit_words=("C",),
    row_order="newest_first",
    columns=Columns(
        account=col("Rekeningnummer"),
        booking_date=col("Boekdatum", "Transactiedatum"),
        value_date=opt("Valutadatum"),
        currency=opt("Valutacode"),
        amount=col("Bedrag"),
        sign=col("CreditDebet"),
        counterparty_iban=opt("Tegenrekeningnummer"),
        counterparty_name=opt("Tegenrekeninghouder"),
        bank_transaction_code=opt("Betaalwijze"),
        description=(opt("Omschrijving"),),
        bank_reference=opt("Referentie"),
    ),
)

IMPORTERS: tuple[StatementImporter, ...] = (
    CsvImporter("csv-ing", (ING_CURRENT, ING_CURRENT_EN, ING_SAVINGS)),
    CsvImporter("csv-rabobank", (RABOBANK, RABOBANK_BEFORE_2018)),
    CsvImporter("csv-knab", (KNAB,)),
    CsvImporter("csv-bunq", (BUNQ,)),
    CsvImporter("csv-abnamro", (ABN_AMRO,)),
    CsvImporter("csv-volksbank", (VOLKSBANK,)),
    CsvImporter("csv-triodos", (TRIODOS,)),
)
