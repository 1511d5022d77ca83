"""EPC (SEPA) character set, field lengths and the Dutch betalingskenmerk.

SEPA payment files may only carry the Latin subset of the EPC implementation
guidelines: `a-z A-Z 0-9 / - ? : ( ) . , ' +` and the space. `epc_text` turns
any text into that set: accents are taken off through Unicode decomposition
(é → e, ü → u), a few letters and signs get a spelled-out form (ß → ss,
æ → ae, € → EUR, & → +, typographic quotes and dashes → ' and -), whitespace
and control characters become one space, and every other character becomes a
full stop, so nothing that a bank could refuse ever reaches a file.

A betalingskenmerk (Currence/Betaalvereniging "NL-betalingskenmerk", issuer
CUR) of 16 digits is a check digit followed by 15 digits. The check digit is a
weighted modulus 11: weights 2, 4, 8, 5, 10, 9, 7, 3, 6, 1 (repeating) from the
rightmost digit leftwards, C = 11 - (sum mod 11), where 10 becomes 1 and 11
becomes 0. `5000056789012345` is the published example.
"""

from __future__ import annotations

import re
import unicodedata

EPC_PATTERN = re.compile(r"[a-zA-Z0-9/\-?:().,'+ ]*")
_EPC_ALLOWED = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ "
)
# spelled-out forms that decomposition does not produce
_SPECIAL = {
    "ß": "ss",
    "ẞ": "SS",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "TH",
    "ı": "i",
    "€": "EUR",
    "&": "+",
    "‘": "'",
    "’": "'",
    "‚": "'",
    "`": "'",
    "´": "'",
    '"': "'",
    "“": "'",
    "”": "'",
    "„": "'",
    "«": "'",
    "»": "'",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "−": "-",
    "_": "-",
}
REPLACEMENT = "."

MAX_NAME = 70
MAX_REMITTANCE = 140
MAX_ID = 35

_KENMERK_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)


def epc_text(value: str, max_length: int) -> str:
    """`value` in the EPC character set, whitespace folded, cut to `max_length` characters."""
    pieces: list[str] = []
    for char in unicodedata.normalize("NFC", value):
        pieces.append(_epc_char(char))
    text = " ".join("".join(pieces).split())
    return text[:max_length].rstrip()


def _epc_char(char: str) -> str:
    if char in _EPC_ALLOWED:
        return char
    special = _SPECIAL.get(char)
    if special is not None:
        return special
    if char.isspace() or unicodedata.category(char).startswith("C"):
        return " "
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if base and all(c in _EPC_ALLOWED for c in base):
        return base
    return REPLACEMENT


def is_epc_text(value: str) -> bool:
    """True when every character of `value` is in the EPC character set."""
    return EPC_PATTERN.fullmatch(value) is not None


def is_epc_id(value: str) -> bool:
    """An EPC identifier: 1 to 35 EPC characters, no leading or trailing '/', no '//'.

    Identifiers (MsgId, PmtInfId, EndToEndId) are never transliterated: a changed
    id could not be traced back, so an invalid one is refused instead.
    """
    return (
        0 < len(value) <= MAX_ID
        and is_epc_text(value)
        and value == value.strip()
        and not value.startswith("/")
        and not value.endswith("/")
        and "//" not in value
    )


def betalingskenmerk_check_digit(digits: str) -> int:
    """The modulus 11 check digit over `digits` (the kenmerk without its first digit)."""
    weighted = sum(
        int(digit) * _KENMERK_WEIGHTS[position % len(_KENMERK_WEIGHTS)]
        for position, digit in enumerate(reversed(digits))
    )
    check = 11 - weighted % 11
    return {10: 1, 11: 0}.get(check, check)


def is_betalingskenmerk(value: str) -> bool:
    """True for a 16-digit Dutch betalingskenmerk with a correct check digit."""
    if len(value) != 16 or not value.isascii() or not value.isdigit():
        return False
    return int(value[0]) == betalingskenmerk_check_digit(value[1:])
