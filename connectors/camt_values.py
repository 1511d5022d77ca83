"""Small value readers shared by the CAMT modules: names, text, amounts, dates, codes.

Everything here raises `CamtRejection` (message + location) on bad input;
`connectors.camt` turns that into the one `ConnectorError` the outside sees.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from lxml import etree

from connectors.base import Rejection
from huishoudboekje.domain.money import CENT, ZERO, Money

# Bank placeholders that mean "no reference given"; kept as "" so that they
# neither become a dedupe key nor match one payment to another.
PLACEHOLDER_REFERENCES = frozenset({"NOTPROVIDED", "NONREF"})

_AMOUNT_RE = re.compile(r"\+?(?:\d+(?:\.\d*)?|\.\d+)\Z", re.ASCII)  # 0-9 only
_CURRENCY_RE = re.compile(r"[A-Z]{3}\Z")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}(?:Z|[+-]\d{2}:\d{2})?\Z", re.ASCII)
_DATETIME_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?\Z", re.ASCII
)
_MAX_AMOUNT_CHARS = 30


class CamtRejection(Rejection):
    """Raised inside the CAMT parser; `connectors.camt` turns it into a `ConnectorError`."""


class Names:
    """Clark names for one CAMT namespace: `names.Amt` is `{ns}Amt`, `names["A/B"]` a path.

    The element names the entry parser reads are attributes (set from the
    annotations below) because attribute access is the cheapest lookup on the hot
    path, about ten per TxDtls.
    """

    AcctSvcrRef: str
    AddtlNtryInf: str
    AddtlTxInf: str
    Amt: str
    AmtDtls: str
    BIC: str
    BICFI: str
    BkTxCd: str
    BookgDt: str
    Cd: str
    CdtDbtInd: str
    Cdtr: str
    CdtrAcct: str
    CdtrAgt: str
    CdtrRefInf: str
    Dbtr: str
    DbtrAcct: str
    DbtrAgt: str
    Domn: str
    Dt: str
    DtTm: str
    EndToEndId: str
    FinInstnId: str
    Fmly: str
    IBAN: str
    Id: str
    Nm: str
    NtryDtls: str
    Othr: str
    Prtry: str
    Pty: str
    Ref: str
    Refs: str
    RltdAgts: str
    RltdPties: str
    RmtInf: str
    Rsn: str
    RtrInf: str
    RvslInd: str
    Strd: str
    Sts: str
    SubFmlyCd: str
    TxAmt: str
    TxDtls: str
    Ustrd: str
    ValDt: str

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self._prefix = "{" + namespace + "}"
        self._paths: dict[str, str] = {}
        for tag in Names.__annotations__:
            setattr(self, tag, self._prefix + tag)

    def __getitem__(self, path: str) -> str:
        found = self._paths.get(path)
        if found is None:
            found = "/".join(self._prefix + step for step in path.split("/"))
            self._paths[path] = found
        return found


Children = dict[str, etree._Element]


def children(element: etree._Element | None) -> Children:
    """The first child element of each tag: one pass instead of one `find` per field."""
    found: Children = {}
    if element is not None:
        for child in element:
            found.setdefault(child.tag, child)
    return found


def descend(element: etree._Element | None, *tags: str) -> etree._Element | None:
    """Follow first children by tag (`descend(tx, n.Refs, n.EndToEndId)`), or None."""
    for tag in tags:
        if element is None:
            return None
        for child in element:
            if child.tag == tag:
                element = child
                break
        else:
            return None
    return element


def text_at(element: etree._Element | None, *tags: str) -> str | None:
    """The text of `descend(element, *tags)`, or None when there is no such element."""
    found = descend(element, *tags)
    return None if found is None else (found.text or "")


def clean(text: str | None) -> str:
    """Text with runs of whitespace (pretty-printing, line breaks) folded to one space."""
    if not text:
        return ""
    return " ".join(text.split())


def shared(text: str) -> str:
    """`text` as one shared object: names, IBANs and codes repeat across thousands of rows."""
    return sys.intern(text)


def clean_reference(text: str | None) -> str:
    """A reference, or "" for empty values and bank placeholders such as NOTPROVIDED."""
    value = clean(text)
    return "" if value.upper() in PLACEHOLDER_REFERENCES else value


def element_text(element: etree._Element | None) -> str:
    """All text inside `element` (also nested, as in 001.08 `<Sts><Cd>BOOK</Cd></Sts>`)."""
    if element is None:
        return ""
    return clean("".join(text for text in element.itertext() if isinstance(text, str)))


def parse_amount(text: str | None, where: str) -> Money:
    """A non-negative CAMT amount; the sign lives in CdtDbtInd.

    Trailing zeros are fine ("18.150"); a real fraction of a cent ("18.155"), a
    negative value or anything that is not a plain decimal number is rejected.
    """
    raw = (text or "").strip()
    if not raw:
        raise CamtRejection("amount is empty", where)
    if raw.startswith("-") and _AMOUNT_RE.match(raw[1:]):
        raise CamtRejection(
            f'amount "{raw}" is negative; the direction belongs in CdtDbtInd', where
        )
    if len(raw) > _MAX_AMOUNT_CHARS or not _AMOUNT_RE.match(raw):
        raise CamtRejection(f'amount "{raw}" is not a number', where)
    try:
        value = Decimal(raw)
        cents = value.quantize(CENT)
    except InvalidOperation:
        raise CamtRejection(f'amount "{raw}" is out of range', where) from None
    if cents != value:
        raise CamtRejection(f'amount "{raw}" has a fraction of a cent', where)
    try:
        return Money(cents)
    except ValueError:  # beyond what Money holds (10^15)
        raise CamtRejection(f'amount "{raw}" is out of range', where) from None


def checked_sum(amounts: Iterable[Money], where: str) -> Money:
    """The sum of `amounts`, or a rejection when it leaves the range of `Money`."""
    try:
        return sum(amounts, ZERO)
    except ValueError:
        raise CamtRejection("the amounts add up beyond the range of an amount", where) from None


def parse_currency(code: str | None, where: str) -> str:
    """An ISO 4217 code from a `Ccy` attribute or element."""
    value = (code or "").strip()
    if not value:
        raise CamtRejection("amount has no currency (Ccy)", where)
    if not _CURRENCY_RE.match(value):
        raise CamtRejection(f'currency "{value}" is not an ISO 4217 code', where)
    return sys.intern(value)


def parse_direction(text: str | None, where: str) -> int:
    """+1 for CRDT, -1 for DBIT."""
    value = (text or "").strip()
    if value == "CRDT":
        return 1
    if value == "DBIT":
        return -1
    if not value:
        raise CamtRejection("credit/debit indicator (CdtDbtInd) is missing", where)
    raise CamtRejection(f'credit/debit indicator "{value}" is neither CRDT nor DBIT', where)


def parse_bool(text: str | None) -> bool:
    """XML Schema boolean: "true" or "1"."""
    return (text or "").strip() in ("true", "1")


def parse_date_text(text: str, what: str, where: str) -> date:
    """The calendar date of an ISODate or ISODateTime, as written (no time-zone shift)."""
    value = text.strip()
    found = _date(value)
    if found is None:
        raise CamtRejection(f'{what} "{value}" is not a valid date', where)
    return found


@lru_cache(maxsize=4096)
def _date(value: str) -> date | None:
    # Cached: a statement has few distinct dates, and equal dates then share one object.
    try:
        if _DATE_RE.match(value):
            return date.fromisoformat(value[:10])
        if _DATETIME_RE.match(value):
            return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    return None


def parse_date_choice(
    element: etree._Element | None, names: Names, what: str, where: str
) -> date | None:
    """A `DateAndDateTimeChoice` (BookgDt, ValDt, Bal/Dt): its `Dt` or `DtTm`, or None."""
    if element is None:
        return None
    for child in element:
        if child.tag == names.Dt or child.tag == names.DtTm:
            return parse_date_text(child.text or "", what, where)
    raise CamtRejection(f"{what} has neither Dt nor DtTm", where)


def domain_code(code: etree._Element | None, names: Names) -> str:
    """`PMNT-RCDT-ESCT` from a BkTxCd's ISO domain code, or ""."""
    domain = descend(code, names.Domn)
    if domain is None:
        return ""
    family = descend(domain, names.Fmly)
    parts = (
        clean(text_at(domain, names.Cd)),
        clean(text_at(family, names.Cd)),
        clean(text_at(family, names.SubFmlyCd)),
    )
    return shared("-".join(part for part in parts if part))


def proprietary_code(code: etree._Element | None, names: Names) -> str:
    """The bank's own code from BkTxCd/Prtry/Cd, or ""."""
    return shared(clean(text_at(code, names.Prtry, names.Cd)))


_TAG_RE = re.compile(
    r"/(TRTP|RTYP|IBAN|BIC|NAME|REMI|EREF|MARF|CSID|PREF|NRTX|RTRN|PIND|SVCL|ORDP|BENM|"
    r"CNTP|ULTC|ULTD|PURP|ISDT|ADDR|ID)/"
)


def structured_info_tags(text: str) -> dict[str, str]:
    """The `/TAG/value` fields Dutch banks put in AddtlNtryInf (`/NAME/…/IBAN/…/REMI/…`)."""
    if not text.startswith("/"):
        return {}
    parts = _TAG_RE.split(text)
    tags: dict[str, str] = {}
    # parts: [prefix, tag, value, tag, value, ...]
    for index in range(1, len(parts) - 1, 2):
        tags.setdefault(parts[index], parts[index + 1].strip())
    return tags
