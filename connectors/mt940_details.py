"""The `:86:` information-to-account-owner field of MT940, as far as it can be read reliably.

Structured SEPA-era banks (ING, Rabobank, ABN AMRO, Triodos, bunq, Knab, Van
Lanschot) write `/KEY/value` subfields: `/EREF/`, `/IBAN/`, `/BIC/`, `/NAME/`,
`/REMI/` (ING: `/REMI/USTD//text/` or `/REMI/STRD/CUR/kenmerk/`), `/CNTP/iban/bic/
name/city/` (ING, Triodos), `/RTRN/reason/`, `/MARF/`, `/CSID/`. Older and
free-text styles keep their whole text as the description; only what is cheap
and unambiguous is taken from them (Knab `REK: … /NAAM: …`, a leading IBAN,
a `BETALINGSKENM.` number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Keys that start a subfield. Only these count, so a slash in free text is text.
_KEYS = (
    "ADDR|BENM|BIC|BUSP|CNTP|CSID|EREF|IBAN|ISDT|KREF|MARF|NAME|ORDP|PREF|PURP|REMI"
    "|RTRN|RTYP|SUM|SVCL|TRCD|TRTP|ULTB|ULTC|ULTD"
)
_SUBFIELD_RE = re.compile(rf"/({_KEYS})/")
_IBAN_RE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
_KNAB_RE = re.compile(r"REK: *([A-Z0-9]+) */NAAM: *(.*)")
_KNAB_NAME_RE = re.compile(r"^NAAM: *(.+)$", re.MULTILINE)
_KENMERK_RE = re.compile(r"BETALINGSKENM\.? +(\d[\d ]{5,20}\d)")
_PLACEHOLDERS = frozenset({"NOTPROVIDED", "NONREF", "NOT PROVIDED"})


@dataclass
class Details:
    """What one `:86:` field says about its transaction."""

    description: str = ""
    counterparty_name: str = ""
    counterparty_iban: str = ""
    counterparty_bic: str = ""
    end_to_end_id: str = ""
    structured_reference: str = ""
    return_reason: str = ""
    mandate_id: str = ""
    creditor_id: str = ""
    structured: bool = False


def looks_like_iban(text: str) -> bool:
    """`text` has the shape of an IBAN (used where the field's position says it is one)."""
    return bool(_IBAN_RE.fullmatch(text))


def is_iban(text: str) -> bool:
    """`text` has the shape of an IBAN and passes the ISO 13616 mod-97 check."""
    if not _IBAN_RE.fullmatch(text):
        return False
    moved = text[4:] + text[:4]
    digits = "".join(str(int(char, 36)) for char in moved)
    return int(digits) % 97 == 1


def clean(text: str) -> str:
    """Text with runs of whitespace folded to one space."""
    return " ".join(text.split())


def reference(text: str) -> str:
    """A reference, or "" for bank placeholders such as NOTPROVIDED."""
    value = clean(text)
    return "" if value.upper() in _PLACEHOLDERS else value


def parse_details(lines: list[str]) -> Details:
    """Read the lines of one `:86:` field (several `:86:` fields already concatenated)."""
    joined = "".join(lines)
    if _SUBFIELD_RE.match(joined.lstrip()):
        # Structured banks wrap at a fixed width, often mid-word: join without spaces.
        return _structured(joined.strip())
    return _free_text(lines)


def subfields(text: str) -> dict[str, str]:
    """The `/KEY/value` subfields of a structured `:86:` (first occurrence of each key)."""
    found: dict[str, str] = {}
    # ING's `/REMI/USTD//` is a fixed prefix: a key right after it is the text itself.
    matches = [
        match
        for match in _SUBFIELD_RE.finditer(text)
        if not text.endswith("/REMI/USTD/", 0, match.start() + 1)
    ]
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = text[match.end() : end]
        # ING and Triodos close every value with its own slash (`/EREF/x//CNTP/…`).
        if value.endswith("/"):
            value = value[:-1]
        found.setdefault(match.group(1), value)
    return found


def _structured(text: str) -> Details:
    fields = subfields(text)
    details = Details(structured=True)
    _counterparty(details, fields)
    details.end_to_end_id = reference(fields.get("EREF", ""))
    details.return_reason = clean(fields.get("RTRN", "").split("/")[0])
    details.mandate_id = reference(fields.get("MARF", ""))
    details.creditor_id = clean(fields.get("CSID", ""))
    if "REMI" in fields:
        _remittance(details, fields["REMI"])
    else:
        details.description = clean(text)
    return details


def _counterparty(details: Details, fields: dict[str, str]) -> None:
    if "CNTP" in fields:  # ING, Triodos: /CNTP/account/bic/name/city/
        parts = [*fields["CNTP"].split("/"), "", "", ""]
        details.counterparty_iban = clean(parts[0]).replace(" ", "")
        details.counterparty_bic = clean(parts[1])
        details.counterparty_name = clean(parts[2])
    if fields.get("IBAN"):
        details.counterparty_iban = clean(fields["IBAN"]).replace(" ", "")
    if fields.get("BIC"):
        details.counterparty_bic = clean(fields["BIC"])
    if fields.get("NAME"):
        details.counterparty_name = clean(fields["NAME"])


def _remittance(details: Details, remi: str) -> None:
    """`USTD//text` (ING), `STRD/CUR/kenmerk` (ING acceptgiro) or plain text (others)."""
    if remi.startswith("USTD//"):
        details.description = clean(remi[6:])
    elif remi.startswith("STRD/"):
        parts = remi.split("/")
        details.structured_reference = clean(parts[-1] if len(parts) > 2 else "")
    else:
        details.description = clean(remi)


def _free_text(lines: list[str]) -> Details:
    """Unstructured `:86:` (ABN AMRO legacy, Rabobank pre-SEPA, Knab, ASN, BNG)."""
    text = "\n".join(line.strip() for line in lines)
    details = Details(description=clean(text))
    knab = _KNAB_RE.search(text)
    if knab:
        account, name = knab.groups()
        if looks_like_iban(account):
            details.counterparty_iban = account
        details.counterparty_name = clean(name)
    else:
        name = _KNAB_NAME_RE.search(text)
        if name:
            details.counterparty_name = clean(name.group(1))
    first = text.split(maxsplit=1)[0] if text.split() else ""
    if not details.counterparty_iban and is_iban(first):
        details.counterparty_iban = first
    kenmerk = _KENMERK_RE.search(text)
    if kenmerk:
        details.structured_reference = kenmerk.group(1).replace(" ", "")
    return details
