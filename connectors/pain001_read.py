"""Reading a pain.001 credit transfer file back (our own files, or a bank's examples).

`read_pain001(data, file)` accepts pain.001.001.03 and .09. The XML is parsed
safely (no DOCTYPE, no entities, no network), validated against the XSD, and
then checked for what the XSD cannot say: `NbOfTxs` and `CtrlSum` agree with
the transactions (group and `PmtInf` level; `CtrlSum` is optional), payment
method TRF, amounts in EUR, above zero, with at most two decimals, one debtor
account for the whole file, and every `EndToEndId` unique in the file (it is
how a return or a statement debit is traced back, so `NOTPROVIDED` on every
payment is refused). Any problem is one `ConnectorError` naming the file and
the place; nothing is returned from a refused file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lxml import etree

from connectors.base import Rejection, guarded
from connectors.pain001_schema import CONNECTOR, schema_errors, version_of
from connectors.xml_safety import DOCTYPE_REFUSAL, PROLOG_BYTES, doctype_in_prolog, safe_parser
from huishoudboekje.domain.limits import AMOUNT_TEXT
from huishoudboekje.domain.money import Money, total
from huishoudboekje.domain.payments import Debtor


@dataclass(frozen=True, slots=True)
class ParsedPayment:
    """One `CdtTrfTxInf` as read from a file."""

    end_to_end_id: str
    execution_date: date
    amount: Money
    creditor_name: str
    creditor_iban: str
    creditor_bic: str
    remittance: str  # the Ustrd lines, joined with a space
    structured_reference: str  # Strd/CdtrRefInf/Ref


@dataclass(frozen=True, slots=True)
class ParsedPain001:
    """A whole pain.001 message."""

    msg_id: str
    version: str
    created_at: str  # CreDtTm as written
    debtor: Debtor
    payments: tuple[ParsedPayment, ...]

    @property
    def number_of_transactions(self) -> int:
        """How many payments the file holds."""
        return len(self.payments)

    @property
    def control_sum(self) -> Money:
        """The payments' amounts added up."""
        return total(p.amount for p in self.payments)


class _Rejection(Rejection):
    """A problem in a pain.001 file, with where it is."""


def read_pain001(data: bytes, file: str = "<bytes>") -> ParsedPain001:
    """Parse and check a pain.001 file held in memory; ConnectorError on bad input."""
    return guarded(CONNECTOR, file, lambda: _read(data), _Rejection)


def _read(data: bytes) -> ParsedPain001:
    root = _parse(data)
    qname = etree.QName(root)
    if qname.localname != "Document":
        raise _Rejection(f"root element is {qname.localname}, not a pain.001 Document")
    version = version_of(qname.namespace)
    if version is None:
        raise _Rejection(
            f"namespace {qname.namespace or '(none)'} is not pain.001.001.03 or pain.001.001.09"
        )
    errors = schema_errors(root, version)
    if errors:
        path, reason = errors[0]
        raise _Rejection(f"does not validate against {version}.xsd: {reason}", path)
    return _Reader(root, version).message()


def _parse(data: bytes) -> etree._Element:
    if doctype_in_prolog(data[:PROLOG_BYTES]):
        raise _Rejection(DOCTYPE_REFUSAL)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as error:
        raise _Rejection(f"XML is not well-formed: {error.msg}", f"line {error.lineno}") from None
    tree = root.getroottree()
    if getattr(tree.docinfo, "doctype", "") or tree.docinfo.internalDTD is not None:
        raise _Rejection(DOCTYPE_REFUSAL)
    return root


class _Reader:
    """Walks a schema-valid document; namespaced lookups relative to its version."""

    def __init__(self, root: etree._Element, version: str) -> None:
        self.root = root
        self.version = version
        self.ns = {"p": etree.QName(root).namespace or ""}

    def find(self, element: etree._Element, path: str) -> etree._Element | None:
        """The element at `path` ("A/B", unprefixed) below `element`, or None."""
        return element.find(self._qualify(path), self.ns)

    def text(self, element: etree._Element, path: str) -> str:
        """The stripped text at `path` below `element`; "" when absent."""
        found = self.find(element, path)
        return (found.text or "").strip() if found is not None else ""

    def _qualify(self, path: str) -> str:
        return "/".join(f"p:{tag}" for tag in path.split("/"))

    def message(self) -> ParsedPain001:
        """The whole document as a `ParsedPain001`."""
        initiation = self.find(self.root, "CstmrCdtTrfInitn")
        assert initiation is not None  # the XSD requires it
        header = self.find(initiation, "GrpHdr")
        assert header is not None
        debtor: Debtor | None = None
        payments: list[ParsedPayment] = []
        blocks = initiation.findall(self._qualify("PmtInf"), self.ns)
        for number, block in enumerate(blocks, start=1):
            where = f"PmtInf[{number}]"
            block_debtor, block_payments = self._payment_information(block, where)
            if debtor is not None and block_debtor.iban != debtor.iban:
                raise _Rejection(
                    f"debtor account {block_debtor.iban} differs from {debtor.iban}; "
                    "one file pays from one account",
                    where,
                )
            debtor = debtor or block_debtor
            payments.extend(block_payments)
        assert debtor is not None  # the XSD requires at least one PmtInf
        _check_totals(self, header, payments, "GrpHdr")
        _check_unique(payments)
        return ParsedPain001(
            msg_id=self.text(header, "MsgId"),
            version=self.version,
            created_at=self.text(header, "CreDtTm"),
            debtor=debtor,
            payments=tuple(payments),
        )

    def _payment_information(
        self, block: etree._Element, where: str
    ) -> tuple[Debtor, list[ParsedPayment]]:
        method = self.text(block, "PmtMtd")
        if method != "TRF":
            raise _Rejection(f"payment method {method} is not a credit transfer (TRF)", where)
        day = self._execution_date(block, where)
        iban = self.text(block, "DbtrAcct/Id/IBAN")
        if not iban:
            raise _Rejection("the debtor account has no IBAN", f"{where}/DbtrAcct")
        debtor = Debtor(
            name=self.text(block, "Dbtr/Nm"), iban=iban, bic=self._bic(block, "DbtrAgt")
        )
        transactions = block.findall(self._qualify("CdtTrfTxInf"), self.ns)
        payments = [
            self._payment(tx, day, f"{where}/CdtTrfTxInf[{n}]")
            for n, tx in enumerate(transactions, start=1)
        ]
        _check_totals(self, block, payments, where)
        return debtor, payments

    def _execution_date(self, block: etree._Element, where: str) -> date:
        text = self.text(block, "ReqdExctnDt")
        if not text:  # .09: ReqdExctnDt/Dt or ReqdExctnDt/DtTm
            text = self.text(block, "ReqdExctnDt/Dt") or self.text(block, "ReqdExctnDt/DtTm")
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise _Rejection(f"execution date {text!r} is not a date", where) from None

    def _bic(self, element: etree._Element, agent: str) -> str:
        tag = "BIC" if self.version.endswith(".03") else "BICFI"
        return self.text(element, f"{agent}/FinInstnId/{tag}")

    def _payment(self, tx: etree._Element, day: date, where: str) -> ParsedPayment:
        e2e = self.text(tx, "PmtId/EndToEndId")
        amount_element = self.find(tx, "Amt/InstdAmt")
        if amount_element is None:
            raise _Rejection("no instructed amount (InstdAmt)", e2e or where)
        currency = amount_element.get("Ccy")
        if currency != "EUR":
            raise _Rejection(f"currency {currency} is not EUR", e2e or where)
        amount = _amount(amount_element.text, e2e or where)
        iban = self.text(tx, "CdtrAcct/Id/IBAN")
        if not iban:
            raise _Rejection("the creditor account has no IBAN", e2e or where)
        lines = [
            (line.text or "").strip() for line in tx.findall(self._qualify("RmtInf/Ustrd"), self.ns)
        ]
        return ParsedPayment(
            end_to_end_id=e2e,
            execution_date=day,
            amount=amount,
            creditor_name=self.text(tx, "Cdtr/Nm"),
            creditor_iban=iban,
            creditor_bic=self._bic(tx, "CdtrAgt"),
            remittance=" ".join(line for line in lines if line),
            structured_reference=self.text(tx, "RmtInf/Strd/CdtrRefInf/Ref"),
        )


def _amount(text: str | None, where: str) -> Money:
    if not AMOUNT_TEXT.fullmatch((text or "").strip()):  # 0-9 only, no "1e3"
        raise _Rejection(f"amount {text!r} is not an amount in cents", where)
    try:
        amount = Money((text or "").strip())
    except ValueError:
        raise _Rejection(f"amount {text!r} is not an amount in cents", where) from None
    if not amount.is_positive:
        raise _Rejection(f"amount {amount} is not above zero", where)
    return amount


def _check_totals(
    reader: _Reader, element: etree._Element, payments: list[ParsedPayment], where: str
) -> None:
    count = reader.text(element, "NbOfTxs")
    if not count.isdigit() or int(count) != len(payments):
        raise _Rejection(f"NbOfTxs says {count}, the file holds {len(payments)}", where)
    actual = _sum(payments, where)  # also without CtrlSum: the total must fit in Money
    stated = reader.text(element, "CtrlSum")
    if stated:
        try:
            matches = Money(stated) == actual
        except ValueError:
            matches = False
        if not matches:
            raise _Rejection(f"CtrlSum says {stated}, the amounts add up to {actual}", where)


def _sum(payments: list[ParsedPayment], where: str) -> Money:
    try:
        return total(p.amount for p in payments)
    except ValueError:  # beyond what Money holds (10^15)
        raise _Rejection("the amounts add up beyond the range of an amount", where) from None


def _check_unique(payments: list[ParsedPayment]) -> None:
    seen: set[str] = set()
    for payment in payments:
        if payment.end_to_end_id in seen:
            raise _Rejection(
                "EndToEndId occurs more than once; every payment needs its own id "
                "so that returns can be traced back",
                payment.end_to_end_id,
            )
        seen.add(payment.end_to_end_id)
