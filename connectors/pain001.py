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
The checks live in `connectors.pain001_check`, the XML in
`connectors.pain001_document`.
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

from connectors.base import ConnectorError
from connectors.pain001_check import check_debtor, check_payments, compact, verify
from connectors.pain001_document import document
from connectors.pain001_read import ParsedPain001, ParsedPayment, read_pain001
from connectors.pain001_schema import CONNECTOR, PAIN_VERSIONS
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


def message_id(instructions: Sequence[PaymentInstruction], debtor: Debtor, version: str) -> str:
    """`HHB-<earliest execution date>-<16 hex>`: the same batch always gets the same MsgId.

    The hash covers the debtor IBAN, the version and the sorted (EndToEndId,
    amount, execution date) triples, so any change to the batch gives a new id.
    """
    triples = sorted(
        (i.end_to_end_id, str(i.amount), i.execution_date.isoformat()) for i in instructions
    )
    payload = json.dumps([compact(debtor.iban), version, triples], separators=(",", ":"))
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
    debtor_name, debtor_iban, debtor_bic = check_debtor(debtor, msg_id)
    payments = check_payments(instructions, msg_id, MAX_AMOUNT)
    root = document(msg_id, version, created_at, (debtor_name, debtor_iban, debtor_bic), payments)
    xml = XML_DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)
    verify(xml, version, msg_id)
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
