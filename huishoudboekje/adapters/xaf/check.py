"""Validate a written XAF file against the XAF 3.2 schema, as a stream.

libxml2 validates while `iterparse` reads (the `schema` argument), and every
finished transaction is dropped from memory, so a year of 10,000 households is
checked in flat memory. While reading, the lines and their debit and credit totals
are added up, and each transaction must balance: the caller compares these with
the ledger's own totals, so the file is proven to say what the journal says.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path

from lxml import etree

from huishoudboekje.adapters.xaf.writer import NS, q
from huishoudboekje.domain.money import ZERO, Money

SCHEMA_FILE = "XmlAuditfileFinancieel3.2.xsd"
WATCHED = tuple(
    q(tag) for tag in ("trLine", "transaction", "linesCount", "totalDebit", "totalCredit")
)


class AuditfileInvalidError(ValueError):
    """The written file does not satisfy the XAF 3.2 schema, or a transaction does not
    balance (a bug: the writer should never produce one)."""


@dataclass(frozen=True, slots=True)
class FileTotals:
    """What the transactions in a file add up to."""

    transactions: int
    lines: int
    debit: Money
    credit: Money
    stated_lines: int
    stated_debit: Money
    stated_credit: Money


@functools.cache
def xaf_schema() -> etree.XMLSchema:
    """The XAF 3.2 schema shipped with the package (see README.md beside it)."""
    source = resources.files(__package__).joinpath(SCHEMA_FILE)
    with resources.as_file(source) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def validate_auditfile(path: Path) -> FileTotals:
    """Validate `path` against the schema while adding up its transactions."""
    lines = transactions = 0
    debit = credit = ZERO
    stated: dict[str, str] = {}
    balance = ZERO
    try:
        with path.open("rb") as source:  # closed however the reading ends
            events = etree.iterparse(
                source,
                events=("end",),
                tag=WATCHED,  # libxml2 validates every element; Python sees only these
                schema=xaf_schema(),
                huge_tree=True,
                no_network=True,
            )
            for _event, element in events:
                tag = element.tag
                if tag == q("trLine"):
                    amount = Money(Decimal(element.findtext(q("amnt"))))
                    signed = -amount if element.findtext(q("amntTp")) == "C" else amount
                    balance += signed
                    lines += 1
                    if signed.is_negative:
                        credit += amount
                    else:
                        debit += amount
                elif tag == q("transaction"):
                    if balance != ZERO:
                        raise AuditfileInvalidError(
                            f"boeking {element.findtext(q('nr'))} is niet in evenwicht"
                        )
                    transactions += 1
                    _drop(element)
                elif tag in {q("linesCount"), q("totalDebit"), q("totalCredit")}:
                    parent = element.getparent()
                    if parent is not None and parent.tag == q("transactions"):
                        stated[tag] = element.text or ""
    except etree.XMLSyntaxError as exc:
        raise AuditfileInvalidError(f"voldoet niet aan XAF 3.2: {exc}") from exc
    return FileTotals(
        transactions,
        lines,
        debit,
        credit,
        int(stated.get(q("linesCount"), "0")),
        Money(Decimal(stated.get(q("totalDebit"), "0"))),
        Money(Decimal(stated.get(q("totalCredit"), "0"))),
    )


def _drop(element: etree._Element) -> None:
    """Free a finished transaction and whatever came before it in its journal
    (iterparse keeps every element it built)."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


__all__ = ["NS", "AuditfileInvalidError", "FileTotals", "validate_auditfile", "xaf_schema"]
