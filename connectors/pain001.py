"""SEPA credit transfer files (pain.001) for the gemeente's pooled account.

`build_pain001` turns a batch of `PaymentInstruction`s into one XSD-valid
pain.001 message (`pain.001.001.03`, the default every Dutch bank accepts, or
`pain.001.001.09`); `write_pain001` stores it atomically and idempotently;
`read_pain001` (in `pain001_read`) parses a file back.

Why lxml and not sepaxml's builder: sepaxml draws a random `MsgId` and random
`PmtInfId`s and stamps `CreDtTm` with the wall clock, so the same batch would
never give the same file (we need a deterministic, idempotent night); it has
no structured remittance (`CdtrRefInf` with SCOR/CUR for a betalingskenmerk);
it cleans text with `unidecode`, which still lets through characters outside
the EPC set (`&`, `@`, `_`, ...); and it creates one `PmtInf` per payment or
one per batch, not one per execution date. So the document is built here with
lxml, and sepaxml contributes what it is good at: the official XSDs it ships,
against which every message is validated (`xmlschema`) before it is returned
or written.

What a message holds:

- `GrpHdr`: `MsgId` (deterministic, see `message_id`), `CreDtTm` from the
  caller's `created_at`, `NbOfTxs`, `CtrlSum`, `InitgPty/Nm` = the debtor.
- One `PmtInf` per execution date (ascending), `PmtInfId` = MsgId + "-" + n,
  `PmtMtd` TRF, `BtchBookg` false (every payment is its own debit line on the
  bank statement, so each EndToEndId, and each return, can be traced back),
  `SvcLvl` SEPA, `ReqdExctnDt` (in .09: `ReqdExctnDt/Dt`), the debtor (name,
  IBAN, BIC; without a BIC `FinInstnId/Othr/Id` is NOTPROVIDED), `ChrgBr` SLEV.
- One `CdtTrfTxInf` per instruction, sorted by EndToEndId within its date, so
  the order of the input does not change the file: `EndToEndId` = the
  instruction's id, `InstdAmt` in EUR, the creditor's BIC (when known), name
  and IBAN, and the remittance: structured (`Strd/CdtrRefInf`, type SCOR,
  issuer CUR, `Ref` = the 16 digits) when the instruction carries a
  betalingskenmerk whose modulus 11 check digit is right; otherwise the
  reference (a wrong kenmerk falls back here, digits first) and the
  remittance text go unstructured into one `Ustrd` of at most 140 characters.
  EPC allows either structured or unstructured remittance, not both, so the
  free text is dropped when the kenmerk is structured.

Every text field is put into the EPC character set and cut to its EPC length
(`connectors.epc`: names 70, `Ustrd` 140); identifiers are checked, never
altered. IBANs and BICs are checked with schwifty. Any problem raises
`ConnectorError("pain001", <MsgId>, message, where=<EndToEndId or XPath>)`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from lxml import etree
from schwifty import BIC, IBAN

from connectors.base import ConnectorError
from connectors.epc import (
    MAX_NAME,
    MAX_REMITTANCE,
    epc_text,
    is_betalingskenmerk,
    is_epc_id,
    is_epc_text,
)
from connectors.pain001_read import ParsedPain001, ParsedPayment, read_pain001
from connectors.pain001_schema import (
    CONNECTOR,
    PAIN_VERSIONS,
    namespace,
    schema_errors,
)
from connectors.xml_safety import safe_parser
from huishoudboekje.domain.money import Money, total
from huishoudboekje.domain.payments import Debtor, PaymentInstruction

__all__ = [
    "PAIN_VERSIONS",
    "Pain001Message",
    "ParsedPain001",
    "ParsedPayment",
    "build_pain001",
    "message_id",
    "read_pain001",
    "write_pain001",
]

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
MAX_AMOUNT = Money("999999999.99")  # EPC maximum for one credit transfer
_FILENAME_ID = re.compile(r"[A-Za-z0-9-]{1,35}")


@dataclass(frozen=True, slots=True)
class Pain001Message:
    """One XSD-valid pain.001 document and its key figures."""

    msg_id: str
    version: str
    xml: bytes
    number_of_transactions: int
    control_sum: Money
    execution_dates: tuple[date, ...]


@dataclass(frozen=True, slots=True)
class _Payment:
    """An instruction after checking and EPC cleaning, ready to be written."""

    end_to_end_id: str
    amount: Money
    execution_date: date
    name: str
    iban: str
    bic: str
    structured_reference: str
    remittance: str


def message_id(instructions: Sequence[PaymentInstruction], debtor: Debtor, version: str) -> str:
    """`HHB-<earliest execution date>-<16 hex>`: the same batch always gets the same MsgId.

    The hash covers the debtor IBAN, the version and the sorted (EndToEndId,
    amount, execution date) triples, so any change to the batch gives a new id.
    """
    triples = sorted(
        (i.end_to_end_id, str(i.amount), i.execution_date.isoformat()) for i in instructions
    )
    payload = json.dumps([_compact(debtor.iban), version, triples], separators=(",", ":"))
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16].upper()
    earliest = min(i.execution_date for i in instructions)
    return f"HHB-{earliest:%Y%m%d}-{digest}"


def build_pain001(
    instructions: Sequence[PaymentInstruction],
    debtor: Debtor,
    *,
    created_at: datetime,
    version: str = PAIN_VERSIONS[0],
) -> Pain001Message:
    """One message; one PmtInf per execution date; validated against the XSD.

    Raises ConnectorError("pain001", <msg_id>, message, where=<EndToEndId or XPath>)
    on invalid IBAN/BIC, non-positive amount, empty batch, or XSD failure.
    A naive `created_at` or an unknown `version` is a programming error (ValueError).
    """
    if version not in PAIN_VERSIONS:
        raise ValueError(f"unsupported pain.001 version {version!r}; use one of {PAIN_VERSIONS}")
    if created_at.tzinfo is None or created_at.utcoffset() is None:
        raise ValueError("created_at must be timezone-aware")
    if not instructions:
        raise ConnectorError(CONNECTOR, "(lege batch)", "the batch holds no payment instructions")
    msg_id = message_id(instructions, debtor, version)
    debtor_name, debtor_iban, debtor_bic = _check_debtor(debtor, msg_id)
    payments = _check_payments(instructions, msg_id)
    root = _document(msg_id, version, created_at, (debtor_name, debtor_iban, debtor_bic), payments)
    xml = XML_DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)
    _verify(xml, version, msg_id)
    dates = tuple(sorted({p.execution_date for p in payments}))
    return Pain001Message(
        msg_id=msg_id,
        version=version,
        xml=xml,
        number_of_transactions=len(payments),
        control_sum=total(p.amount for p in payments),
        execution_dates=dates,
    )


def write_pain001(message: Pain001Message, directory: Path) -> Path:
    """Atomic write (tmp file + fsync + os.replace) of `pain001-<msg_id>.xml` in `directory`.

    If that file already exists with identical bytes, return its path (idempotent re-run);
    with different bytes, raise ConnectorError. The bytes are read back and checked
    (well-formed, XSD-valid, totals, MsgId) first: a file that does not validate is
    never written. A missing directory is created; an OS error (disk full, no
    permission) becomes a ConnectorError too.
    """
    if not _FILENAME_ID.fullmatch(message.msg_id):
        raise ConnectorError(CONNECTOR, message.msg_id, "MsgId cannot be used in a file name")
    parsed = read_pain001(message.xml, f"pain001-{message.msg_id}.xml")
    if parsed.msg_id != message.msg_id or parsed.version != message.version:
        raise ConnectorError(
            CONNECTOR, message.msg_id, "the XML does not carry this message's MsgId and version"
        )
    target = directory / f"pain001-{message.msg_id}.xml"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if target.exists():
            if target.read_bytes() == message.xml:
                return target
            raise ConnectorError(
                CONNECTOR,
                message.msg_id,
                f"{target.name} already exists with different content; not overwritten",
            )
        _atomic_write(target, message.xml)
    except OSError as error:
        raise ConnectorError(
            CONNECTOR, message.msg_id, f"cannot write {target}: {error.strerror or error}"
        ) from error
    return target


def _atomic_write(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


# -- checking ---------------------------------------------------------------------


def _compact(value: str) -> str:
    return "".join(value.split()).upper()


def _check_iban(value: str, msg_id: str, where: str, role: str) -> str:
    try:
        return str(IBAN(_compact(value)).compact)
    except Exception as error:  # schwifty raises several exception types
        raise ConnectorError(
            CONNECTOR, msg_id, f"invalid {role} IBAN {value!r}: {error}", where
        ) from None


def _check_bic(value: str, msg_id: str, where: str, role: str) -> str:
    if not value.strip():
        return ""
    try:
        return str(BIC(_compact(value)).compact)
    except Exception as error:
        raise ConnectorError(
            CONNECTOR, msg_id, f"invalid {role} BIC {value!r}: {error}", where
        ) from None


def _check_debtor(debtor: Debtor, msg_id: str) -> tuple[str, str, str]:
    name = epc_text(debtor.name, MAX_NAME)
    if not name:
        raise ConnectorError(CONNECTOR, msg_id, "the debtor has no name", "Dbtr")
    iban = _check_iban(debtor.iban, msg_id, "Dbtr", "debtor")
    bic = _check_bic(debtor.bic, msg_id, "Dbtr", "debtor")
    return name, iban, bic


def _check_payments(instructions: Sequence[PaymentInstruction], msg_id: str) -> list[_Payment]:
    seen: set[str] = set()
    payments = []
    for instruction in instructions:
        payment = _check_payment(instruction, msg_id)
        if payment.end_to_end_id in seen:
            raise ConnectorError(
                CONNECTOR, msg_id, "EndToEndId occurs twice in the batch", payment.end_to_end_id
            )
        seen.add(payment.end_to_end_id)
        payments.append(payment)
    try:
        total(p.amount for p in payments)
    except ValueError:  # beyond what Money holds (10^15); CtrlSum could not be written
        raise ConnectorError(
            CONNECTOR, msg_id, "the batch adds up beyond the range of an amount"
        ) from None
    return sorted(payments, key=lambda p: (p.execution_date, p.end_to_end_id))


def _check_payment(instruction: PaymentInstruction, msg_id: str) -> _Payment:
    e2e = instruction.end_to_end_id
    if not is_epc_id(e2e):
        raise ConnectorError(
            CONNECTOR,
            msg_id,
            "EndToEndId must be 1 to 35 EPC characters (a-z A-Z 0-9 / - ? : ( ) . , ' + space), "
            "without a leading or trailing '/' or '//'",
            repr(e2e),
        )
    amount = instruction.amount
    if not isinstance(amount, Money) or not amount.is_positive:
        raise ConnectorError(CONNECTOR, msg_id, f"amount must be positive, got {amount}", e2e)
    if amount > MAX_AMOUNT:
        raise ConnectorError(CONNECTOR, msg_id, f"amount {amount} exceeds {MAX_AMOUNT}", e2e)
    name = epc_text(instruction.payee_name, MAX_NAME)
    if not name:
        raise ConnectorError(CONNECTOR, msg_id, "the payee has no name", e2e)
    reference = "".join(instruction.structured_reference.split())
    structured = reference if is_betalingskenmerk(reference) else ""
    unstructured = "" if structured else f"{reference} {instruction.remittance}"
    return _Payment(
        end_to_end_id=e2e,
        amount=amount,
        execution_date=instruction.execution_date,
        name=name,
        iban=_check_iban(instruction.payee_iban, msg_id, e2e, "payee"),
        bic=_check_bic(instruction.payee_bic, msg_id, e2e, "payee"),
        structured_reference=structured,
        remittance=epc_text(unstructured, MAX_REMITTANCE),
    )


def _verify(xml: bytes, version: str, msg_id: str) -> None:
    """Re-read the serialized bytes: XSD-valid and nothing outside the EPC set."""
    root = etree.fromstring(xml, safe_parser())
    errors = schema_errors(root, version)
    if errors:
        path, reason = errors[0]
        raise ConnectorError(
            CONNECTOR,
            msg_id,
            f"the message does not validate against {version}.xsd: {reason}",
            path,
        )
    for element in root.iter():
        if element.text and element.text.strip() and not is_epc_text(element.text):
            path = root.getroottree().getpath(element)
            raise ConnectorError(CONNECTOR, msg_id, "text outside the EPC character set", path)


# -- the document -----------------------------------------------------------------


class _Builder:
    """Namespaced element factory for one version."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.ns = namespace(version)

    def sub(self, parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
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
        institution = self.sub(agent, "FinInstnId")
        if bic:
            self.sub(institution, "BIC" if self.version == PAIN_VERSIONS[0] else "BICFI", bic)


def _document(
    msg_id: str,
    version: str,
    created_at: datetime,
    debtor: tuple[str, str, str],
    payments: list[_Payment],
) -> etree._Element:
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
    payments: list[_Payment],
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


def _transaction(b: _Builder, parent: etree._Element, payment: _Payment) -> None:
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
