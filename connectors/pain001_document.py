"""The pain.001 document itself: `GrpHdr`, one `PmtInf` per execution date, one
`CdtTrfTxInf` per payment, in version 001.03 or 001.09 (see `connectors.pain001`).
"""

from __future__ import annotations

from datetime import date, datetime

from lxml import etree

from connectors.pain001_check import CheckedPayment
from connectors.pain001_schema import PAIN_VERSIONS, namespace
from huishoudboekje.domain.money import total


class _Builder:
    """Namespaced element factory for one version."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.ns = namespace(version)

    def sub(self, parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
        """A namespaced child `tag` of `parent`, holding `text` when given."""
        element = etree.SubElement(parent, f"{{{self.ns}}}{tag}")
        if text is not None:
            element.text = text
        return element

    def path(self, parent: etree._Element, tags: str, text: str | None = None) -> etree._Element:
        """Nested elements `A/B/C` under `parent`; `text` goes into the last one."""
        element = parent
        for tag in tags.split("/"):
            element = self.sub(element, tag)
        if text is not None:
            element.text = text
        return element

    def bic(self, agent: etree._Element, bic: str) -> None:
        """The agent's `FinInstnId`, with the BIC under the version's element name."""
        institution = self.sub(agent, "FinInstnId")
        if bic:
            self.sub(institution, "BIC" if self.version == PAIN_VERSIONS[0] else "BICFI", bic)


def document(
    msg_id: str,
    version: str,
    created_at: datetime,
    debtor: tuple[str, str, str],
    payments: list[CheckedPayment],
) -> etree._Element:
    """The whole `Document`: the group header and one `PmtInf` per execution date."""
    b = _Builder(version)
    # a default namespace, as banks expect; lxml-stubs do not allow the None key
    root = etree.Element(f"{{{b.ns}}}Document", nsmap={None: b.ns})  # type: ignore[dict-item]
    initiation = b.sub(root, "CstmrCdtTrfInitn")
    header = b.sub(initiation, "GrpHdr")
    b.sub(header, "MsgId", msg_id)
    b.sub(header, "CreDtTm", created_at.replace(microsecond=0).isoformat())
    b.sub(header, "NbOfTxs", str(len(payments)))
    b.sub(header, "CtrlSum", str(total(p.amount for p in payments)))
    b.path(header, "InitgPty/Nm", debtor[0])
    dates = sorted({p.execution_date for p in payments})
    for number, day in enumerate(dates, start=1):
        group = [p for p in payments if p.execution_date == day]
        _payment_information(b, initiation, f"{msg_id}-{number}", day, debtor, group)
    return root


def _payment_information(
    b: _Builder,
    parent: etree._Element,
    information_id: str,
    day: date,
    debtor: tuple[str, str, str],
    payments: list[CheckedPayment],
) -> None:
    name, iban, bic = debtor
    info = b.sub(parent, "PmtInf")
    b.sub(info, "PmtInfId", information_id)
    b.sub(info, "PmtMtd", "TRF")
    b.sub(info, "BtchBookg", "false")
    b.sub(info, "NbOfTxs", str(len(payments)))
    b.sub(info, "CtrlSum", str(total(p.amount for p in payments)))
    b.path(info, "PmtTpInf/SvcLvl/Cd", "SEPA")
    if b.version == PAIN_VERSIONS[0]:
        b.sub(info, "ReqdExctnDt", day.isoformat())
    else:
        b.path(info, "ReqdExctnDt/Dt", day.isoformat())
    b.path(info, "Dbtr/Nm", name)
    account = b.sub(info, "DbtrAcct")
    b.path(account, "Id/IBAN", iban)
    b.sub(account, "Ccy", "EUR")
    agent = b.sub(info, "DbtrAgt")
    b.bic(agent, bic)
    if not bic:
        b.path(agent[0], "Othr/Id", "NOTPROVIDED")
    b.sub(info, "ChrgBr", "SLEV")
    for payment in payments:
        _transaction(b, info, payment)


def _transaction(b: _Builder, parent: etree._Element, payment: CheckedPayment) -> None:
    tx = b.sub(parent, "CdtTrfTxInf")
    b.path(tx, "PmtId/EndToEndId", payment.end_to_end_id)
    b.path(tx, "Amt/InstdAmt", str(payment.amount)).set("Ccy", "EUR")
    if payment.bic:
        b.bic(b.sub(tx, "CdtrAgt"), payment.bic)
    b.path(tx, "Cdtr/Nm", payment.name)
    b.path(tx, "CdtrAcct/Id/IBAN", payment.iban)
    if payment.structured_reference:
        reference = b.path(tx, "RmtInf/Strd/CdtrRefInf")
        kind = b.sub(reference, "Tp")
        b.path(kind, "CdOrPrtry/Cd", "SCOR")
        b.sub(kind, "Issr", "CUR")
        b.sub(reference, "Ref", payment.structured_reference)
    elif payment.remittance:
        b.path(tx, "RmtInf/Ustrd", payment.remittance)
