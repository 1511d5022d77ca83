"""Write an XML Auditfile Financieel 3.2 (XAF) as a stream.

The file is written as text, in order: the header, the company, the parties and the
general ledger are small; the transactions come from an iterator and are written
as they arrive (in chunks of a few thousand elements), so memory does not grow
with the year. Every text is cleaned of characters XML cannot carry, cut to the
schema's length and escaped; element names are the schema's own. Plain strings
rather than `lxml.etree.xmlfile`: a context manager per element cost ten times
the time of the rest of the export, and the file is validated against the schema
anyway (`check.validate_auditfile`) before anyone gets it.
The XSD wants the transactions' line count and totals before the lines, so the
caller passes them (SQL aggregates); `check.validate_auditfile` re-reads the file
and proves they match what was written.

Element order follows the schema (XmlAuditfileFinancieel3.2.xsd, beside this file).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import IO
from xml.sax.saxutils import escape

from huishoudboekje.domain.gl_accounts import GlAccount
from huishoudboekje.domain.money import Money

NS = "http://www.auditfiles.nl/XAF/3.2"
DESCRIPTION_LIMIT = 9999  # String9999
NAME_LIMIT = 50  # custSupName is String50
# characters XML 1.0 cannot carry (control characters a bank file may bring along)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def text(value: str, limit: int) -> str:
    """Free text (a description, a name) made fit for XML and cut to the schema's limit."""
    return _NOT_XML.sub(" ", value)[:limit]


def q(tag: str) -> str:
    """The qualified name of an XAF element."""
    return f"{{{NS}}}{tag}"


@dataclass(frozen=True, slots=True)
class XafHeader:
    fiscal_year: int
    start: date
    end: date
    created: date
    software: str
    version: str


@dataclass(frozen=True, slots=True)
class XafCompany:
    ident: str  # companyIdent (the pooled account's IBAN)
    name: str
    tax_ident: str = ""  # taxRegIdent: required by the schema, may be empty


@dataclass(frozen=True, slots=True)
class XafParty:
    """A customerSupplier: a household (code only, type O) or a payee (type S)."""

    id: str
    type: str
    name: str = ""
    iban: str = ""


@dataclass(frozen=True, slots=True)
class XafLine:
    account: str
    doc_ref: str
    day: date
    description: str
    amount: Money  # debit > 0, credit < 0
    party: str = ""


@dataclass(frozen=True, slots=True)
class XafTransaction:
    nr: str
    description: str
    period: int
    day: date
    lines: tuple[XafLine, ...]
    source: str = ""


@dataclass(frozen=True, slots=True)
class XafJournal:
    id: str
    description: str
    type: str  # B bank, M memoriaal, O opening
    transactions: Iterable[XafTransaction]


@dataclass(frozen=True, slots=True)
class XafTotals:
    lines: int
    debit: Money
    credit: Money


def amount_text(amount: Money) -> str:
    """An Amount2decimals: the absolute amount with two decimals (the side is amntTp)."""
    return str(abs(amount).amount)


def side(amount: Money) -> str:
    """Debitcredittype: D for a debit (or zero), C for a credit."""
    return "C" if amount.is_negative else "D"


class _Stream:
    """Text written in chunks to a binary target (UTF-8)."""

    CHUNK = 4096  # parts buffered before a write

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.parts: list[str] = []

    def raw(self, xml: str) -> None:
        self.parts.append(xml)
        if len(self.parts) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        self.target.write("".join(self.parts).encode("utf-8"))
        self.parts.clear()

    @contextmanager
    def element(self, tag: str) -> Iterator[None]:
        self.raw(f"<{tag}>")
        yield
        self.raw(f"</{tag}>")

    def leaf(self, tag: str, value: str) -> None:
        self.raw(f"<{tag}>{escape(value)}</{tag}>")

    def leaves(self, *pairs: tuple[str, str]) -> None:
        for tag, value in pairs:
            self.leaf(tag, value)


def write_auditfile(
    target: IO[bytes],
    header: XafHeader,
    company: XafCompany,
    parties: Iterable[XafParty],
    accounts: Iterable[GlAccount],
    opening: Iterable[tuple[GlAccount, Money]],
    totals: XafTotals,
    journals: Iterable[XafJournal],
) -> None:
    """Write the whole auditfile to `target`, streaming the journals' transactions."""
    out = _Stream(target)
    out.raw(f'<?xml version="1.0" encoding="UTF-8"?>\n<auditfile xmlns="{NS}">')
    _header(out, header)
    with out.element("company"):
        out.leaves(
            ("companyIdent", company.ident[:35]),
            ("companyName", text(company.name, 999)),
            ("taxRegistrationCountry", "NL"),
            ("taxRegIdent", company.tax_ident[:30]),
        )
        _parties(out, parties)
        _ledger(out, accounts)
        _periods(out, header)
        _opening(out, header, list(opening))
        with out.element("transactions"):
            out.leaves(
                ("linesCount", str(totals.lines)),
                ("totalDebit", amount_text(totals.debit)),
                ("totalCredit", amount_text(totals.credit)),
            )
            for journal in journals:
                _journal(out, journal)
    out.raw("</auditfile>\n")
    out.flush()


def _header(out: _Stream, header: XafHeader) -> None:
    with out.element("header"):
        out.leaves(
            ("fiscalYear", str(header.fiscal_year)),
            ("startDate", header.start.isoformat()),
            ("endDate", header.end.isoformat()),
            ("curCode", "EUR"),
            ("dateCreated", header.created.isoformat()),
            ("softwareDesc", header.software[:50]),
            ("softwareVersion", header.version[:20]),
        )


def _parties(out: _Stream, parties: Iterable[XafParty]) -> None:
    with out.element("customersSuppliers"):
        for party in parties:
            with out.element("customerSupplier"):
                out.leaf("custSupID", party.id[:35])
                if party.name:
                    out.leaf("custSupName", text(party.name, NAME_LIMIT))
                out.leaf("custSupTp", party.type)
                if party.iban:
                    with out.element("bankAccount"):
                        out.leaf("bankAccNr", party.iban[:35])


def _ledger(out: _Stream, accounts: Iterable[GlAccount]) -> None:
    with out.element("generalLedger"):
        for account in accounts:
            with out.element("ledgerAccount"):
                out.leaves(
                    ("accID", account.id),
                    ("accDesc", account.description),
                    ("accTp", "B"),  # every account of the pool is a balance-sheet account
                )


def month_periods(header: XafHeader) -> list[tuple[int, date, date]]:
    """(number, first day, last day) of each calendar month of the fiscal year."""
    periods = []
    for month in range(1, 13):
        first = date(header.fiscal_year, month, 1)
        following = date(header.fiscal_year + month // 12, month % 12 + 1, 1)
        periods.append((month, first, date.fromordinal(following.toordinal() - 1)))
    return periods


def _periods(out: _Stream, header: XafHeader) -> None:
    with out.element("periods"):
        for number, first, last in month_periods(header):
            with out.element("period"):
                out.leaves(
                    ("periodNumber", str(number)),
                    ("periodDesc", first.strftime("%Y-%m")),
                    ("startDatePeriod", first.isoformat()),
                    ("endDatePeriod", last.isoformat()),
                )


def _opening(out: _Stream, header: XafHeader, lines: list[tuple[GlAccount, Money]]) -> None:
    debit = sum((m for _a, m in lines if m.is_positive), Money(0))
    credit = sum((-m for _a, m in lines if m.is_negative), Money(0))
    with out.element("openingBalance"):
        out.leaves(
            ("opBalDate", header.start.isoformat()),
            ("opBalDesc", f"Beginbalans {header.fiscal_year}"),
            ("linesCount", str(len(lines))),
            ("totalDebit", amount_text(debit)),
            ("totalCredit", amount_text(credit)),
        )
        for number, (account, balance) in enumerate(lines, start=1):
            with out.element("obLine"):
                out.leaves(
                    ("nr", str(number)),
                    ("accID", account.id),
                    ("amnt", amount_text(balance)),
                    ("amntTp", side(balance)),
                )


def _journal(out: _Stream, journal: XafJournal) -> None:
    with out.element("journal"):
        out.leaves(("jrnID", journal.id), ("desc", journal.description), ("jrnTp", journal.type))
        for transaction in journal.transactions:
            _transaction(out, transaction)


def _transaction(out: _Stream, tx: XafTransaction) -> None:
    """One transaction as one string (the hot path: a year has millions of lines)."""
    debit = sum((line.amount for line in tx.lines if line.amount.is_positive), Money(0))
    source = f"<sourceID>{escape(tx.source[:35])}</sourceID>" if tx.source else ""
    parts = [
        f"<transaction><nr>{escape(tx.nr)}</nr>"
        f"<desc>{escape(text(tx.description, DESCRIPTION_LIMIT))}</desc>"
        f"<periodNumber>{tx.period}</periodNumber><trDt>{tx.day.isoformat()}</trDt>"
        f"<amnt>{amount_text(debit)}</amnt><amntTp>D</amntTp>{source}"
    ]
    for number, line in enumerate(tx.lines, start=1):
        party = f"<custSupID>{escape(line.party[:35])}</custSupID>" if line.party else ""
        parts.append(
            f"<trLine><nr>{number}</nr><accID>{escape(line.account)}</accID>"
            f"<docRef>{escape(text(line.doc_ref, 999))}</docRef>"
            f"<effDate>{line.day.isoformat()}</effDate>"
            f"<desc>{escape(text(line.description, DESCRIPTION_LIMIT))}</desc>"
            f"<amnt>{amount_text(line.amount)}</amnt><amntTp>{side(line.amount)}</amntTp>"
            f"{party}</trLine>"
        )
    parts.append("</transaction>")
    out.raw("".join(parts))
