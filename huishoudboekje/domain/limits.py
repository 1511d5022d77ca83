"""The ranges every configuration value must stay inside: one source of truth.

`hhb config check`/`apply` (the YAML), the staff forms (checked by the same
configuration rules) and the readers of bank files and web forms (amounts) all
ask this module, so a value that one door refuses no other door lets in.

A value outside its range is not a preference: `max_days_early: 100000000` makes
every household fail every night, `lead_days: 1000000000` overflows the date
arithmetic, `members: 99999999999999999999` does not fit the database. Each
`*_problem` function returns the operator's message (English, like the rest of
the configuration check) or None when the value is fine.

To give a new whole-number field its own range, add one line to `WHOLE_RANGES`;
a whole-number field that is not listed gets `DEFAULT_WHOLE_RANGE`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Final

FIRST_DAY: Final = date(2000, 1, 1)
LAST_DAY: Final = date(2100, 12, 31)
# Every amount in a configuration, a form or a bank file line is below this.
AMOUNT_CEILING: Final = Decimal("1000000")
# An amount as the configuration writes it: ASCII digits, a dot, at most two decimals.
# (`\d` would also match Arabic-Indic and other digits, which Decimal happily reads.)
AMOUNT_TEXT: Final = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?", re.ASCII)


@dataclass(frozen=True, slots=True)
class WholeRange:
    """The lowest and highest allowed value of a whole-number field (both included)."""

    low: int
    high: int

    def problem(self, value: int) -> str | None:
        """Why `value` is outside this range, or None."""
        if value < self.low:
            return f"must be {self.low} or more"
        if value > self.high:
            return f"must be at most {self.high} (allowed: {self.low} to {self.high})"
        return None


WHOLE_RANGES: Final[Mapping[str, WholeRange]] = MappingProxyType(
    {
        "max_days_early": WholeRange(0, 10),  # pay at most this many days before due
        "lead_days": WholeRange(0, 30),  # a charge's own extra lead time
        "window_days": WholeRange(0, 31),  # an income may be this many days late
        "members": WholeRange(1, 20),  # people in the household
        "priority": WholeRange(0, 999),  # lower pays first; defaults are 10 to 90
        "buildup_months": WholeRange(1, 60),  # opbouwfase
        "repay_months": WholeRange(1, 60),  # advance repayment
        "irregular_step_months": WholeRange(1, 12),  # irregular income: months between steps
        "retention_years": WholeRange(7, 30),  # financial records (fiscal minimum: 7)
        "document_retention_months": WholeRange(1, 120),  # consent forms, letters
    }
)
# Any whole-number field not listed above: generous, but far from overflowing anything.
DEFAULT_WHOLE_RANGE: Final = WholeRange(0, 10_000)


def whole_range(field: str) -> WholeRange:
    """The range of the whole-number field called `field`."""
    return WHOLE_RANGES.get(field, DEFAULT_WHOLE_RANGE)


def whole_problem(field: str, value: int) -> str | None:
    """Why `value` is not allowed for the whole-number field `field`, or None."""
    return whole_range(field).problem(value)


def day_problem(day: date) -> str | None:
    """Why `day` is outside the years the engine plans for, or None."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return (
        f"{day.isoformat()} is outside the allowed dates "
        f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})"
    )


def amount_problem(amount: Decimal) -> str | None:
    """Why an amount (in euro) is too large, or None. The sign is the caller's business."""
    if abs(amount) < AMOUNT_CEILING:
        return None
    return "must be below 1000000.00 (one million euro)"


def non_ascii_digit(text: str) -> str | None:
    """The first digit in `text` that is not 0-9 (Arabic-Indic, full-width, ...), or None."""
    for char in text:
        if char.isdigit() and not ("0" <= char <= "9"):
            return char
    return None


def digits_problem(text: str) -> str | None:
    """Why `text` cannot be an amount because of its digits, or None."""
    char = non_ascii_digit(text)
    if char is None:
        return None
    return f"uses the digit {_describe(char)}; write amounts with the digits 0-9 only"


# Characters that change the direction text is shown in: a name holding U+202E shows
# "Jansen" while it stores something else (the "Trojan Source" trick).
_BIDI_CONTROLS: Final = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_LINE_SEPARATORS: Final = frozenset("\u2028\u2029\u0085")


def hidden_character(text: str) -> str | None:
    """The first control, text-direction or line-separator character in `text`, or None."""
    for char in text:
        if (
            char in _BIDI_CONTROLS
            or char in _LINE_SEPARATORS
            or unicodedata.category(char) in ("Cc", "Cs")
        ):
            return char
    return None


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored as a name or text, or None."""
    char = hidden_character(text)
    if char is None:
        return None
    return (
        f"contains the invisible character {_describe(char)}; "
        "control and text-direction characters are not allowed"
    )


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    return f"{code} ({name.lower()})" if name else code


# ------------------------------------------------------------- limits on input files

MB: Final = 1024 * 1024


@dataclass(frozen=True, slots=True)
class InputLimits:
    """How much any one input may cost to read, before it is refused.

    Each field has a default that real bank files and configurations stay far
    below, and an environment variable (`LIMIT_VARIABLES`) that changes it; the
    refusal names the variable, so an operator with a genuinely larger file knows
    what to raise. See docs/security.md.
    """

    zip_member_bytes: int = 200 * MB  # one file inside a ZIP, unpacked
    zip_total_bytes: int = 200 * MB  # all files inside a ZIP together, unpacked
    zip_members: int = 1000  # files inside one ZIP
    zip_ratio: int = 200  # unpacked size / packed size of one member (a "zip bomb")
    xml_gap_bytes: int = 2 * MB  # XML between two entries / transaction details
    config_bytes: int = 20 * MB  # a configuration file (YAML)
    config_nodes: int = 1_000_000  # values in a configuration, with aliases expanded
    config_depth: int = 40  # mappings and lists inside each other in a configuration


LIMIT_VARIABLES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "zip_member_bytes": "HHB_LIMIT_ZIP_MEMBER_MB",
        "zip_total_bytes": "HHB_LIMIT_ZIP_TOTAL_MB",
        "zip_members": "HHB_LIMIT_ZIP_MEMBERS",
        "zip_ratio": "HHB_LIMIT_ZIP_RATIO",
        "xml_gap_bytes": "HHB_LIMIT_XML_GAP_MB",
        "config_bytes": "HHB_LIMIT_CONFIG_MB",
        "config_nodes": "HHB_LIMIT_CONFIG_NODES",
        "config_depth": "HHB_LIMIT_CONFIG_DEPTH",
    }
)
_IN_MB: Final = frozenset({"zip_member_bytes", "zip_total_bytes", "config_bytes", "xml_gap_bytes"})


class LimitSettingError(ValueError):
    """An HHB_LIMIT_* variable that is not a positive whole number."""


def input_limits(environment: Mapping[str, str]) -> InputLimits:
    """The limits, with each default replaced by its HHB_LIMIT_* variable when set.

    Pure: the caller passes the environment (usually `os.environ`)."""
    values: dict[str, int] = {}
    for field, variable in LIMIT_VARIABLES.items():
        raw = environment.get(variable, "").strip()
        if not raw:
            continue
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or len(raw) > 12:
            raise LimitSettingError(f"{variable}={raw!r}: expected a whole number of 1 or more")
        values[field] = int(raw) * (MB if field in _IN_MB else 1)
    return InputLimits(**values)


def over_limit(field: str, limit: int, what: str) -> str:
    """The refusal when an input passes the limit `field`: what, the limit and how to raise it."""
    shown = f"{limit // MB} MB" if field in _IN_MB else f"{limit:,}".replace(",", ".")
    return f"{what} (limit {shown}; raise it with {LIMIT_VARIABLES[field]})"
