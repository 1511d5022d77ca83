"""A small CAMT.053 writer for tests (001.02 and 001.08), independent of the parser.

It writes `BankTransaction`s the way banks do: one `Ntry` per booking, a batch
entry with one `TxDtls` per transaction, remittance cut into 140-character
`Ustrd` chunks, parties nested in `<Pty>` from 001.08 on. Output validates
against the official XSDs (see tests/test_connectors_camt_roundtrip.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lxml import etree

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import ZERO, Money

VERSIONS = ("001.02", "001.08")
USTRD_LENGTH = 140


@dataclass(frozen=True)
class CamtStatement:
    """One `Stmt`: each item of `entries` is one booking (several transactions → a batch)."""

    account: str
    opening: Money
    entries: tuple[tuple[BankTransaction, ...], ...]
    statement_id: str = "STMT-1"
    currency: str = "EUR"
    account_is_iban: bool = True

    @property
    def closing(self) -> Money:
        return self.opening + sum((tx.amount for entry in self.entries for tx in entry), ZERO)


def write_camt053(
    statements: Sequence[CamtStatement],
    version: str = "001.02",
    *,
    prefix: str | None = None,
    timestamps: bool = False,
) -> bytes:
    """CAMT.053 XML for `statements`; `timestamps` writes dates as DtTm instead of Dt."""
    if version not in VERSIONS:
        raise ValueError(f"unsupported version {version}")
    writer = _Writer(f"urn:iso:std:iso:20022:tech:xsd:camt.053.{version}", version, timestamps)
    document = writer.element(None, "Document", nsmap={prefix: writer.namespace})
    message = writer.element(document, "BkToCstmrStmt")
    header = writer.element(message, "GrpHdr")
    writer.text(header, "MsgId", "TEST-MSG-1")
    writer.text(header, "CreDtTm", "2024-04-30T18:00:00+02:00")
    for statement in statements:
        writer.statement(message, statement)
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class _Writer:
    def __init__(self, namespace: str, version: str, timestamps: bool) -> None:
        self.namespace = namespace
        self.v8 = version == "001.08"
        self.timestamps = timestamps

    def element(
        self,
        parent: etree._Element | None,
        tag: str,
        nsmap: dict[str | None, str] | None = None,
        **attributes: str,
    ) -> etree._Element:
        name = f"{{{self.namespace}}}{tag}"
        if parent is None:
            return etree.Element(name, attributes, nsmap=nsmap)
        return etree.SubElement(parent, name, attributes)

    def text(self, parent: etree._Element, path: str, value: str, **attributes: str) -> None:
        *steps, last = path.split("/")
        for step in steps:
            parent = self.element(parent, step)
        self.element(parent, last, **attributes).text = value

    def amount(self, parent: etree._Element, tag: str, amount: Money, currency: str) -> None:
        self.text(parent, tag, str(abs(amount)), Ccy=currency)
        self.text(parent, "CdtDbtInd", "DBIT" if amount.is_negative else "CRDT")

    def day(self, parent: etree._Element, tag: str, day: date) -> None:
        holder = self.element(parent, tag)
        if self.timestamps:
            self.text(holder, "DtTm", f"{day.isoformat()}T23:30:00+01:00")
        else:
            self.text(holder, "Dt", day.isoformat())

    def statement(self, message: etree._Element, statement: CamtStatement) -> None:
        node = self.element(message, "Stmt")
        self.text(node, "Id", statement.statement_id)
        self.text(node, "CreDtTm", "2024-04-30T18:00:00+02:00")
        account = self.element(node, "Acct")
        if statement.account_is_iban:
            self.text(account, "Id/IBAN", statement.account)
        else:
            self.text(account, "Id/Othr/Id", statement.account)
        self.text(account, "Ccy", statement.currency)
        days = [tx.booking_date for entry in statement.entries for tx in entry]
        first, last = (min(days), max(days)) if days else (date(2024, 4, 1), date(2024, 4, 1))
        self.balance(node, "OPBD", statement.opening, statement.currency, first)
        self.balance(node, "CLBD", statement.closing, statement.currency, last)
        for entry in statement.entries:
            self.entry(node, entry, statement.currency)

    def balance(
        self, parent: etree._Element, code: str, amount: Money, currency: str, day: date
    ) -> None:
        node = self.element(parent, "Bal")
        self.text(node, "Tp/CdOrPrtry/Cd", code)
        self.amount(node, "Amt", amount, currency)
        self.text(self.element(node, "Dt"), "Dt", day.isoformat())

    def entry(
        self, parent: etree._Element, txs: tuple[BankTransaction, ...], currency: str
    ) -> None:
        first = txs[0]
        node = self.element(parent, "Ntry")
        self.amount(node, "Amt", sum((tx.amount for tx in txs), ZERO), currency)
        if first.is_reversal:
            self.text(node, "RvslInd", "true")
        if self.v8:
            self.text(node, "Sts/Cd", "BOOK")
        else:
            self.text(node, "Sts", "BOOK")
        self.day(node, "BookgDt", first.booking_date)
        self.day(node, "ValDt", first.value_date)
        if len(txs) == 1 and first.bank_reference:
            self.text(node, "AcctSvcrRef", first.bank_reference)
        self.bank_code(node, first.bank_transaction_code)
        details = self.element(node, "NtryDtls")
        for tx in txs:
            self.details(details, tx, currency, in_batch=len(txs) > 1)

    def bank_code(self, parent: etree._Element, code: str) -> None:
        node = self.element(parent, "BkTxCd")
        parts = code.split("-")
        if len(parts) == 3:
            domain = self.element(node, "Domn")
            self.text(domain, "Cd", parts[0])
            family = self.element(domain, "Fmly")
            self.text(family, "Cd", parts[1])
            self.text(family, "SubFmlyCd", parts[2])
        else:
            self.text(node, "Prtry/Cd", code)

    def details(
        self, parent: etree._Element, tx: BankTransaction, currency: str, *, in_batch: bool
    ) -> None:
        node = self.element(parent, "TxDtls")
        refs = self.element(node, "Refs")
        if in_batch and tx.bank_reference:
            self.text(refs, "AcctSvcrRef", tx.bank_reference)
        self.text(refs, "EndToEndId", tx.end_to_end_id or "NOTPROVIDED")
        if self.v8:
            self.amount(node, "Amt", tx.amount, currency)
        else:
            self.text(node, "AmtDtls/TxAmt/Amt", str(abs(tx.amount)), Ccy=currency)
        self.party(node, tx)
        self.remittance(node, tx)
        if tx.is_return:
            self.text(node, "RtrInf/Rsn/Cd", tx.return_reason)

    def party(self, parent: etree._Element, tx: BankTransaction) -> None:
        side = "Cdtr" if tx.amount.is_negative else "Dbtr"
        if tx.counterparty_name or tx.counterparty_iban:
            parties = self.element(parent, "RltdPties")
            if tx.counterparty_name:
                party = self.element(parties, side)
                self.text(party, "Pty/Nm" if self.v8 else "Nm", tx.counterparty_name)
            if tx.counterparty_iban:
                self.text(parties, f"{side}Acct/Id/IBAN", tx.counterparty_iban)
        if tx.counterparty_bic:
            bic = "BICFI" if self.v8 else "BIC"
            self.text(parent, f"RltdAgts/{side}Agt/FinInstnId/{bic}", tx.counterparty_bic)

    def remittance(self, parent: etree._Element, tx: BankTransaction) -> None:
        if not (tx.description or tx.structured_reference):
            return
        node = self.element(parent, "RmtInf")
        text = tx.description
        while text:
            # cut like a bank does, mid-word if need be
            self.text(node, "Ustrd", text[:USTRD_LENGTH])
            text = text[USTRD_LENGTH:]
        if tx.structured_reference:
            reference = self.element(self.element(node, "Strd"), "CdtrRefInf")
            self.text(reference, "Tp/CdOrPrtry/Cd", "SCOR")
            self.text(reference, "Ref", tx.structured_reference)
