"""Checking a pain.001 batch before it is written: EPC text, IBAN/BIC, amounts, XSD.

`check_debtor` and `check_payments` turn the gemeente's account and the
instructions into EPC-clean values (names 70, `Ustrd` 140 characters; a wrong
betalingskenmerk falls back to unstructured remittance); `verify` re-reads the
serialized message against the XSD. Every problem is a `ConnectorError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

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
from connectors.pain001_schema import CONNECTOR, schema_errors
from connectors.xml_safety import safe_parser
from huishoudboekje.domain.money import Money, total
from huishoudboekje.domain.payments import Debtor, PaymentInstruction


@dataclass(frozen=True, slots=True)
class CheckedPayment:
    """An instruction after checking and EPC cleaning, ready to be written."""

    end_to_end_id: str
    amount: Money
    execution_date: date
    name: str
    iban: str
    bic: str
    structured_reference: str
    remittance: str


def compact(value: str) -> str:
    """An IBAN or BIC without spaces, in upper case."""
    return "".join(value.split()).upper()


def _check_iban(value: str, msg_id: str, where: str, role: str) -> str:
    try:
        return str(IBAN(compact(value)).compact)
    except Exception as error:  # schwifty raises several exception types
        raise ConnectorError(
            CONNECTOR, msg_id, f"invalid {role} IBAN {value!r}: {error}", where
        ) from None


def _check_bic(value: str, msg_id: str, where: str, role: str) -> str:
    if not value.strip():
        return ""
    try:
        return str(BIC(compact(value)).compact)
    except Exception as error:
        raise ConnectorError(
            CONNECTOR, msg_id, f"invalid {role} BIC {value!r}: {error}", where
        ) from None


def check_debtor(debtor: Debtor, msg_id: str) -> tuple[str, str, str]:
    """The debtor's EPC name, checked IBAN and BIC ("" when none)."""
    name = epc_text(debtor.name, MAX_NAME)
    if not name:
        raise ConnectorError(CONNECTOR, msg_id, "the debtor has no name", "Dbtr")
    iban = _check_iban(debtor.iban, msg_id, "Dbtr", "debtor")
    bic = _check_bic(debtor.bic, msg_id, "Dbtr", "debtor")
    return name, iban, bic


def check_payments(
    instructions: Sequence[PaymentInstruction], msg_id: str, max_amount: Money
) -> list[CheckedPayment]:
    """Every instruction checked and EPC-cleaned, by execution date and EndToEndId.

    `max_amount` is the most one credit transfer may carry (the EPC maximum).
    """
    seen: set[str] = set()
    payments = []
    for instruction in instructions:
        payment = _check_payment(instruction, msg_id, max_amount)
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


def _check_payment(
    instruction: PaymentInstruction, msg_id: str, max_amount: Money
) -> CheckedPayment:
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
    if amount > max_amount:
        raise ConnectorError(CONNECTOR, msg_id, f"amount {amount} exceeds {max_amount}", e2e)
    name = epc_text(instruction.payee_name, MAX_NAME)
    if not name:
        raise ConnectorError(CONNECTOR, msg_id, "the payee has no name", e2e)
    reference = "".join(instruction.structured_reference.split())
    structured = reference if is_betalingskenmerk(reference) else ""
    unstructured = "" if structured else f"{reference} {instruction.remittance}"
    return CheckedPayment(
        end_to_end_id=e2e,
        amount=amount,
        execution_date=instruction.execution_date,
        name=name,
        iban=_check_iban(instruction.payee_iban, msg_id, e2e, "payee"),
        bic=_check_bic(instruction.payee_bic, msg_id, e2e, "payee"),
        structured_reference=structured,
        remittance=epc_text(unstructured, MAX_REMITTANCE),
    )


def verify(xml: bytes, version: str, msg_id: str) -> None:
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
