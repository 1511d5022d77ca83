"""Declarative description of a bank's CSV export: a `CsvLayout` per bank.

A layout says how the file is shaped (header or not, delimiter, quoting, lines
to skip), how values are written (date formats, decimal comma or point, how the
sign is given) and which column feeds which `BankTransaction` field. One generic
reader (`connectors/csv_reader.py`) turns any layout into statements; adding a
bank is adding a layout, never a parsing loop.

This module also holds the small value parsers (amount, date, sign word) so a
layout's promises and their enforcement live side by side.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Literal

from connectors.base import Rejection
from huishoudboekje.domain.money import Money

ColumnRef = str | int  # a header name (matched case-insensitively) or a 0-based index
RowOrder = Literal["oldest_first", "newest_first", "detect"]
BalanceGaps = Literal["reject", "split"]

IBAN_RE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}")


class CsvRejection(Rejection):
    """A problem in the file; the reader turns it into one `ConnectorError`."""


@dataclass(frozen=True, slots=True, eq=False)  # identity hash: resolved once per file
class Col:
    """Where a field comes from: the first of `refs` the file has.

    `refs` are header names for a layout with a header, 0-based indexes for a
    headerless one. An `optional` column may be absent from the file (older
    export versions); a required one that is absent rejects the file.
    """

    refs: tuple[ColumnRef, ...]
    optional: bool = False


def col(*refs: ColumnRef) -> Col:
    """A required column (any of the given header names or indexes)."""
    return Col(refs)


def opt(*refs: ColumnRef) -> Col:
    """A column that older or other variants of the export may lack."""
    return Col(refs, optional=True)


@dataclass(frozen=True, slots=True)
class Columns:
    """Which column feeds which `BankTransaction` / `Statement` field."""

    account: Col
    booking_date: Col
    amount: Col
    value_date: Col | None = None
    currency: Col | None = None
    sign: Col | None = None  # "Af"/"Bij", "D"/"C", "Debet"/"Credit"; else the amount is signed
    counterparty_name: Col | None = None
    counterparty_iban: Col | None = None
    counterparty_bic: Col | None = None
    description: tuple[Col, ...] = ()  # joined with a space, in this order
    structured_reference: Col | None = None  # betalingskenmerk
    end_to_end_id: Col | None = None
    bank_reference: Col | None = None  # unique per account: becomes the dedupe key
    bank_transaction_code: Col | None = None
    return_reason: Col | None = None  # non-empty marks the booking as a returned payment
    balance_before: Col | None = None  # balance before this booking
    balance_after: Col | None = None  # balance after this booking ("saldo na mutatie")


TEXT_FIELDS = (
    "counterparty_name",
    "counterparty_iban",
    "counterparty_bic",
    "structured_reference",
    "end_to_end_id",
    "bank_reference",
    "bank_transaction_code",
    "return_reason",
)


@dataclass(frozen=True, slots=True)
class Pattern:
    """Fill `target` from free text when its own column is absent or empty.

    Banks such as ABN AMRO and ING put IBAN, name, value date or end-to-end id
    inside one description column; `regex` is searched in the raw text of
    `source` and its first non-empty group is the value.
    """

    target: str  # one of TEXT_FIELDS or "value_date"
    source: Col
    regex: re.Pattern[str]


def pattern(target: str, source: Col, regex: str) -> Pattern:
    """A `Pattern` with its regex compiled."""
    return Pattern(target, source, re.compile(regex))


@dataclass(frozen=True, slots=True)
class AmountStyle:
    """How a number is written: decimal separator and thousands separator."""

    decimal: str
    thousands: str

    def regex(self) -> re.Pattern[str]:
        """Strict grammar: optional sign, digits (grouped or not), at most two decimals."""
        return _amount_regex(self.decimal, self.thousands)


@cache
def _amount_regex(decimal: str, thousands: str) -> re.Pattern[str]:
    t, d = re.escape(thousands), re.escape(decimal)
    # re.ASCII: only 0-9 (Decimal would read Arabic-Indic and other digits too)
    return re.compile(rf"([+-]?)(\d{{1,3}}(?:{t}\d{{3}})+|\d+)(?:{d}(\d{{1,2}}))?", re.ASCII)


DECIMAL_COMMA = AmountStyle(decimal=",", thousands=".")  # 1.234,56
DECIMAL_POINT = AmountStyle(decimal=".", thousands=",")  # 1,234.56


@dataclass(frozen=True)
class CsvLayout:
    """One bank export layout. See docs/connectors.md, "Bankexports (CSV)"."""

    name: str
    columns: Columns
    date_formats: tuple[str, ...]
    # A layout with a header names the header fields that identify it; a
    # headerless layout gives its column count(s) and the shape of a data row.
    header_signature: tuple[str, ...] = ()
    column_counts: tuple[int, ...] = ()
    row_shape: tuple[tuple[int, str], ...] = ()
    delimiters: tuple[str, ...] = (",",)
    quotechar: str | None = '"'
    amount_styles: tuple[AmountStyle, ...] = (DECIMAL_COMMA,)
    debit_words: tuple[str, ...] = ()
    credit_words: tuple[str, ...] = ()
    row_order: RowOrder = "oldest_first"
    skip_lines: tuple[str, ...] = ()  # regexes for lines before the header ("KNAB EXPORT")
    comment_prefix: str = ""
    text_quote: str = ""  # extra quote stripped around text values (de Volksbank's '...')
    patterns: tuple[Pattern, ...] = ()
    one_account: bool = False  # the export holds one account; another account rejects it
    balance_gaps: BalanceGaps = "reject"
    null_reference: str = r"0*"  # a reference matching this is no reference
    default_currency: str = "EUR"

    @property
    def has_header(self) -> bool:
        """Whether the export starts with a header line (else columns are indexes)."""
        return bool(self.header_signature)

    def date_hint(self) -> str:
        """The accepted date formats, written the way a user reads them."""
        readable = {"%d": "dd", "%m": "mm", "%Y": "yyyy"}
        hints = []
        for fmt in self.date_formats:
            for code, text in readable.items():
                fmt = fmt.replace(code, text)
            hints.append(fmt)
        return " or ".join(hints)


def parse_amount(raw: str, styles: tuple[AmountStyle, ...]) -> Money:
    """An exact amount from its text, or ValueError. Never goes through float.

    With several styles allowed, a text both read differently (impossible with
    at most two decimals, but checked) is refused as ambiguous.
    """
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    values: set[str] = set()
    for style in styles:
        match = style.regex().fullmatch(text)
        if match:
            sign, whole, cents = match.groups()
            values.add(f"{sign}{whole.replace(style.thousands, '')}.{cents or '0'}")
    if not values:
        raise ValueError(f'"{raw}" is not an amount')
    amounts = {Money(value) for value in values}
    if len(amounts) > 1:
        raise ValueError(f'"{raw}" is ambiguous')
    return amounts.pop()


_FAST_DATES: dict[str, tuple[re.Pattern[str], tuple[int, int, int]]] = {
    "%Y%m%d": (re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII), (1, 2, 3)),
    "%Y-%m-%d": (re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII), (1, 2, 3)),
    "%d-%m-%Y": (re.compile(r"(\d{2})-(\d{2})-(\d{4})", re.ASCII), (3, 2, 1)),
}


def parse_date(raw: str, formats: tuple[str, ...]) -> date:
    """A date in one of `formats` (strptime codes), or ValueError."""
    text = raw.strip()
    for fmt in formats:
        fast = _FAST_DATES.get(fmt)
        if fast is not None:  # the common formats without strptime (10x faster)
            match = fast[0].fullmatch(text)
            if match is None:
                continue
            try:
                return date(*(int(match.group(index)) for index in fast[1]))
            except ValueError:
                continue
        try:
            parsed = time.strptime(text, fmt)
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        except ValueError:
            continue
    raise ValueError(f'"{raw}" is not a date')


def sign_of(word: str, layout: CsvLayout) -> int:
    """-1 for a debit word, +1 for a credit word (case-insensitive), else ValueError."""
    folded = word.strip().casefold()
    if folded in (w.casefold() for w in layout.debit_words):
        return -1
    if folded in (w.casefold() for w in layout.credit_words):
        return 1
    expected = "/".join((*layout.debit_words, *layout.credit_words))
    raise ValueError(f'"{word}" is not a debit/credit indication ({expected})')


def normalize_account(raw: str) -> str:
    """An IBAN without spaces in upper case; any other account number as written."""
    compact = raw.replace(" ", "").upper()
    return compact if IBAN_RE.fullmatch(compact) else raw.strip()
