"""SWIFT MT940 importer (ING, Rabobank, ABN AMRO, Triodos, Knab, bunq, ASN, BNG, Van Lanschot).

`parse_mt940(data, filename)` is the pure parser: strict decoding and the cut
into statements (`connectors.mt940_lex`), balances and statement lines read
through the `mt940` package (`connectors.mt940_statement`,
`connectors.mt940_line`), the `:86:` details (`connectors.mt940_details`).
Every statement must reconcile (opening + lines = closing). Whatever goes
wrong, the caller sees one `ConnectorError` and no statement at all. See
docs/connectors.md, section MT940.
"""

from __future__ import annotations

import re

from connectors.base import BytesImporter, guarded
from connectors.mt940_lex import Mt940Rejection, decode, split_statements
from connectors.mt940_statement import DedupeKeys, build_statement
from huishoudboekje.domain.banking import Statement

NAME = "mt940"
SNIFF_BYTES = 4096
_TAG_LINE_RE = re.compile(rb"(?m)^:(20|25|28C?|60[FM]|61|62[FM]):")


def parse_mt940(data: bytes, filename: str, *, reconcile: bool = True) -> list[Statement]:
    """Parse MT940 bytes into statements or raise `ConnectorError` naming `filename`.

    `reconcile=False` skips the opening + lines = closing check; only for
    diagnostics and tests, never for booking.
    """

    def run() -> list[Statement]:
        statements = split_statements(decode(data))
        keys = DedupeKeys()
        return [
            build_statement(raw, index, keys, reconcile=reconcile)
            for index, raw in enumerate(statements, start=1)
        ]

    return guarded(
        NAME, filename, run, Mt940Rejection, ((RecursionError, "file too deeply nested"),)
    )


def looks_like_mt940(head: bytes) -> bool:
    """Cheap sniff of the first bytes: :20:, :25: and an opening balance at line starts."""
    text = head.replace(b"\r", b"")
    found = {match.group(1) for match in _TAG_LINE_RE.finditer(text)}
    return b"20" in found and b"25" in found and bool(found & {b"60F", b"60M"})


def _parse_unchecked(data: bytes, filename: str) -> list[Statement]:
    return parse_mt940(data, filename, reconcile=False)


IMPORTERS = (BytesImporter(NAME, looks_like_mt940, parse_mt940, SNIFF_BYTES, _parse_unchecked),)
