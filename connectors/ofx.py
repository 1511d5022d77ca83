"""OFX importer: OFX 1.x (SGML) and 2.x (XML) bank and credit-card statements via `ofxparse`.

`parse_ofx(data, filename)` is the pure parser. The bytes are screened first:
a DOCTYPE or ENTITY declaration is refused outright (OFX never needs one, and
refusing is the only way to be sure nothing is resolved or expanded), the text
is decoded strictly and handed to `ofxparse` as ASCII with character
references, and the time-zone suffix of dates is dropped so that a booking
keeps the calendar day the bank wrote. Every account becomes one `Statement`;
FITID is the bank reference. See docs/connectors.md, section OFX.
"""

from __future__ import annotations

import io
import re
import warnings
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bs4 import XMLParsedAsHTMLWarning
from ofxparse import OfxParser, OfxParserException

from connectors.base import BytesImporter, Rejection, guarded
from connectors.dedupe import Occurrences, repeat_suffix
from huishoudboekje.domain.banking import BankTransaction, Statement, reference_dedupe_key
from huishoudboekje.domain.money import Money

NAME = "ofx"
SNIFF_BYTES = 4096
MAX_BYTES = 20 * 1024 * 1024  # ofxparse builds a whole tree; OFX exports are small
_SNIFF_RE = re.compile(rb"(?i)OFXHEADER\s*[:=]|<\?OFX\b|<OFX>")
_DECLARATION_RE = re.compile(r"(?i)<!\s*(DOCTYPE|ENTITY)")
_XML_ENCODING_RE = re.compile(r"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.-]+)["']""")
_SGML_CHARSET_RE = re.compile(r"(?im)^\s*CHARSET\s*:\s*(\S+)")
_TIMEZONE_RE = re.compile(r"(?i)(<DT[A-Z]+>\s*[0-9.]+)\s*\[[^\]<]*\]")
_CURRENCY_RE = re.compile(r"[A-Za-z]{3}")
_END_RE = re.compile(r"(?i)</OFX>\s*\Z")
_HEADER_LINE_RE = re.compile(r"[A-Za-z]+\s*:\s*[^:<>]*")
_SAFE_HEADER = "OFXHEADER:100\r\nDATA:OFXSGML\r\nENCODING:USASCII\r\nCHARSET:1252\r\n\r\n"
_DATE_FIELD_RE = re.compile(r"(?i)<(DT[A-Z]+)>\s*([^<\s]*)")
_DATE_VALUE_RE = re.compile(r"(\d{8})(?:\d{4}(?:\d{2}(?:\.\d{1,6})?)?)?")


class OfxRejection(Rejection):
    """Raised inside the OFX parser; turned into one `ConnectorError`."""


def parse_ofx(data: bytes, filename: str) -> list[Statement]:
    """Parse OFX bytes into one statement per account, or raise `ConnectorError`."""
    return guarded(
        NAME,
        filename,
        lambda: _parse(data),
        OfxRejection,
        ((OfxParserException, "not a valid OFX file"),),
    )


def looks_like_ofx(head: bytes) -> bool:
    """Cheap sniff: an OFX 1.x header line, an OFX 2.x `<?OFX …?>` or an `<OFX>` root."""
    return bool(_SNIFF_RE.search(head))


def screen(data: bytes) -> str:
    """Refuse what must never reach a parser; return the text ready for `ofxparse`."""
    if len(data) > MAX_BYTES:
        raise OfxRejection(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if b"\x00" in data:
        raise OfxRejection("the file contains NUL bytes; it is not OFX text (UTF-16 or binary?)")
    text = _decode(data)
    declaration = _DECLARATION_RE.search(text)
    if declaration:
        raise OfxRejection(
            f"the file has a {declaration.group(1).upper()} declaration; OFX needs none and "
            "entity declarations are refused (no external entities, no entity expansion)"
        )
    if not looks_like_ofx(text[:SNIFF_BYTES].encode("ascii", "replace")):
        raise OfxRejection("no OFX header or <OFX> element found")
    if not _END_RE.search(text):
        # ofxparse reads a cut-off file without complaint; that would book half a statement.
        raise OfxRejection("the file does not end with </OFX>; it looks truncated")
    text = _TIMEZONE_RE.sub(r"\1", text)
    _check_dates(text)
    return _normalize_header(text)


def _normalize_header(text: str) -> str:
    """Check an OFX 1.x `KEY:VALUE` header and replace it by one ofxparse reads safely.

    The body goes to ofxparse as ASCII with character references, so the
    declared ENCODING/CHARSET have done their work (in `_decode`) already.
    """
    start = text.find("<")
    header = text[:start] if start > 0 else ""
    if not header.strip():
        return text
    for number, line in enumerate(header.splitlines(), start=1):
        if line.strip() and not _HEADER_LINE_RE.fullmatch(line.strip()):
            raise OfxRejection(
                f"OFX header line {line.strip()[:40]!r} is not KEY:VALUE", f"line {number}"
            )
    return _SAFE_HEADER + text[start:]


def _check_dates(text: str) -> None:
    """Every DT… value is YYYYMMDD[HHMM[SS[.fff]]] and a real day (ofxparse's errors are vague)."""
    for match in _DATE_FIELD_RE.finditer(text):
        tag, value = match.groups()
        shape = _DATE_VALUE_RE.fullmatch(value)
        try:
            if shape is None:
                raise ValueError
            day = shape.group(1)
            date(int(day[:4]), int(day[4:6]), int(day[6:8]))
        except ValueError:
            line = text.count("\n", 0, match.start()) + 1
            raise OfxRejection(
                f"{tag.upper()} {value[:30]!r} is not a date like 20240131", f"line {line}"
            ) from None


def _decode(data: bytes) -> str:
    """UTF-8 (BOM allowed) unless the file declares Windows-1252/Latin-1; strict either way."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    head = data[:SNIFF_BYTES].decode("ascii", "replace")
    declared = _XML_ENCODING_RE.match(head)
    charset = _SGML_CHARSET_RE.search(head)
    encodings = ["utf-8", "cp1252"]
    if (declared and declared.group(1).lower() in ("windows-1252", "cp1252", "iso-8859-1")) or (
        charset and charset.group(1) in ("1252", "8859-1")
    ):
        encodings.reverse()
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise OfxRejection("the file is neither UTF-8 nor Windows-1252 text")


def _parse(data: bytes) -> list[Statement]:
    text = screen(data)
    # ofxparse reads ASCII unless an OFX 1.x header says otherwise; character
    # references carry everything else through its HTML parser unchanged.
    ascii_bytes = text.encode("ascii", "xmlcharrefreplace")
    with warnings.catch_warnings():
        # bs4 warns that OFX 2.x is XML read with an HTML parser (the point: no
        # entity resolution) and ofxparse still calls bs4's deprecated findAll.
        warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
        warnings.filterwarnings(
            "ignore", message="Call to deprecated method", category=DeprecationWarning
        )
        try:
            ofx = OfxParser.parse(io.BytesIO(ascii_bytes), fail_fast=False)
        except OfxParserException as error:
            raise OfxRejection(f"not a valid OFX file: {error}") from None
        except Exception as error:  # ofxparse trips over malformed input in many ways
            raise OfxRejection(
                f"not a valid OFX file (ofxparse: {type(error).__name__}: {error})"
            ) from None
    accounts = list(getattr(ofx, "accounts", []))
    if not accounts:
        raise OfxRejection("the file holds no bank or credit-card statement (STMTRS/CCSTMTRS)")
    used = Occurrences[str]()
    return [_statement(account, index, used) for index, account in enumerate(accounts, start=1)]


def _statement(account: Any, index: int, used: Occurrences[str]) -> Statement:
    where = f"statement {index}"
    statement = getattr(account, "statement", None)
    if statement is None or not hasattr(statement, "transactions"):
        raise OfxRejection("investment statements are not supported", where)
    account_id = "".join(str(account.account_id or "").split())
    if not account_id:
        raise OfxRejection("no account number (BANKACCTFROM/ACCTID)", where)
    where = f"statement {index} ({account_id})"
    currency = str(account.curdef or "")
    if not _CURRENCY_RE.fullmatch(currency):
        raise OfxRejection("no currency (CURDEF)", where)
    currency = currency.upper()
    for problem in statement.discarded_entries:
        fitid = problem["content"].find("fitid")
        name = f" FITID {fitid.get_text().strip()}" if fitid is not None else ""
        raise OfxRejection(f"transaction{name}: {problem['error']}", where)
    if statement.warnings:
        raise OfxRejection(" ".join(str(statement.warnings[0]).split()), where)
    transactions = tuple(
        _transaction(tx, account_id, currency, f"{where}, STMTTRN #{number}", used)
        for number, tx in enumerate(statement.transactions, start=1)
    )
    start = _day(getattr(statement, "start_date", None))
    end = _day(getattr(statement, "end_date", None))
    balance = getattr(statement, "balance", None)
    return Statement(
        account_iban=account_id,
        statement_id=f"{start or ''}..{end or ''}" if start or end else "",
        transactions=transactions,
        period_start=start,
        period_end=end,
        opening_balance=None,
        closing_balance=None if balance is None else _money(balance, f"{where}, LEDGERBAL"),
        currency=currency,
        source_format=NAME,
    )


def _transaction(
    tx: Any, account_id: str, currency: str, where: str, used: Occurrences[str]
) -> BankTransaction:
    posted = _day(tx.date)
    if posted is None:
        raise OfxRejection("no posting date (DTPOSTED)", where)
    fitid = " ".join(str(tx.id or "").split())
    if not fitid:
        raise OfxRejection("no FITID", where)
    seen = used.count(fitid)
    payee = " ".join(str(tx.payee or "").split())
    memo = " ".join(str(tx.memo or "").split())
    return BankTransaction(
        booking_date=posted,
        value_date=_day(getattr(tx, "user_date", None)) or posted,
        amount=_money(tx.amount, where),
        currency=currency,
        counterparty_name=payee,
        description=memo,
        bank_reference=fitid,
        bank_transaction_code=str(tx.type or "").upper(),
        dedupe_key=reference_dedupe_key(account_id, fitid, repeat_suffix(seen)),
    )


def _money(value: object, where: str) -> Money:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise OfxRejection(f"amount {value!r} is not an exact number", where)
    try:
        return Money(value)
    except ValueError as error:
        raise OfxRejection(f"amount {value}: {error}", where) from None


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


IMPORTERS = (BytesImporter(NAME, looks_like_ofx, parse_ofx, SNIFF_BYTES),)
