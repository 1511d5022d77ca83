"""MT940 text → statements → tagged fields, with line numbers for error messages.

The `mt940` package parses the values of single fields (see `connectors.mt940_statement`);
this module does what it leaves vague: decoding strictly, cutting a file into
statements, dropping SWIFT envelopes and bank preambles, and knowing on which
line each field starts. Everything here raises `Mt940Rejection` on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from connectors.base import Rejection, decode_utf8_or_cp1252

# A SWIFT envelope: `{1:F01INGBNL2ABXXX0000000000}{2:I940INGBNL2AXXXN}{3:}{4:`.
_ENVELOPE_RE = re.compile(r"\{[1-3]:[^{}]*\}|\{4:")
# A message trailer: `-}`, `-}{5:}`, `{5:...}`, `-`, or Van Lanschot's `-XXX`.
_TRAILER_RE = re.compile(r"[-\xad]\}(\{5:[^{}]*\})?|\{5:[^{}]*\}|-XXX")
_TAG_RE = re.compile(r":(\d{2}[A-Z]?|NS):(.*)\Z")
# Lines banks put before a statement: `0000 01INGBNL2AXXXX00001`, `940 00`, `:940:`,
# a BIC (`ABNANL2A`), `BUNQNL2A/940/BUNQNL2A`.
_PREAMBLE_RE = re.compile(
    r"\d{4} \d{2}[A-Z0-9]{4,30}|940(?: \d{2})?|:940:"
    r"|[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?:/940/[A-Z0-9]{8,11})?"
)
_MAX_LINE = 1000
# A statement line glued to the end of the previous field (seen in a BNG export).
_GLUED_LINE_RE = re.compile(r".:61:\d{6}")


class Mt940Rejection(Rejection):
    """Raised inside the MT940 parser; `connectors.mt940` turns it into a `ConnectorError`."""


@dataclass
class Field:
    """One tag with its value lines (the first one after `:tag:`) and its first line number."""

    tag: str
    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        """The value with its lines joined by newlines."""
        return "\n".join(self.lines)


@dataclass
class RawStatement:
    """The fields from one `:20:` up to the next `:20:` or message end."""

    line: int
    fields: list[Field] = field(default_factory=list)


def decode(data: bytes) -> str:
    """MT940 bytes as text: UTF-8 (BOM allowed), else Windows-1252; anything else is refused."""
    if b"\x00" in data:
        raise Mt940Rejection(
            "the file contains NUL bytes; it is not an MT940 text file (UTF-16 or binary?)"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return decode_utf8_or_cp1252(data)
    except UnicodeDecodeError as error:
        raise Mt940Rejection(
            f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{data[error.start]:02x}"
            f" at offset {error.start})"
        ) from None


def split_statements(text: str) -> list[RawStatement]:
    """Cut MT940 text into statements of tagged fields; refuse text that is not MT940."""
    statements: list[RawStatement] = []
    current: RawStatement | None = None
    dash = False  # a lone "-" ends a message, unless the bank hard-wrapped a value there
    for number, raw in enumerate(text.replace("\x1a", "").splitlines(), start=1):
        line = raw  # trailing spaces kept: a bank may wrap :86: right after a space
        if len(line) > _MAX_LINE:
            raise Mt940Rejection(f"line is longer than {_MAX_LINE} characters", f"line {number}")
        if line.startswith("{"):
            line = _ENVELOPE_RE.sub("", line).strip()
            current = None  # a new message starts: no field continues across it
        if not line.strip():
            continue
        if _TRAILER_RE.fullmatch(line.strip()):
            current = None
            continue
        if line.strip() == "-":
            dash = True
            continue
        glued = _GLUED_LINE_RE.search(line)
        if glued:
            raise Mt940Rejection(
                "a :61: statement line starts in the middle of the line"
                f" (column {glued.start() + 2}); the bank glued it to the previous field,"
                " and that booking would be lost",
                f"line {number}",
            )
        tagged = _TAG_RE.match(line)
        if tagged is None and dash and _PREAMBLE_RE.fullmatch(line.strip()):
            current = None
        elif tagged is None and dash and current is not None and current.fields:
            current.fields[-1].lines.append("-")
        dash = False
        if tagged is None:
            if current is None or not current.fields:
                if _PREAMBLE_RE.fullmatch(line.strip()):
                    continue
                raise Mt940Rejection(
                    f"unexpected text {line.strip()[:40]!r} outside a statement"
                    " (expected a :20: field)",
                    f"line {number}",
                )
            current.fields[-1].lines.append(line)
            continue
        tag, value = tagged.groups()
        if tag == "20":
            current = RawStatement(number)
            statements.append(current)
        elif current is None:
            raise Mt940Rejection(
                f"field :{tag}: outside a statement (expected :20: first)", f"line {number}"
            )
        current.fields.append(Field(tag, number, [value]))
    if not statements:
        raise Mt940Rejection("no MT940 statement found (no :20: field)")
    return statements
