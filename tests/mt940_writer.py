"""A small MT940 writer for tests, independent of the parser.

It writes `BankTransaction`s the way Dutch banks do: in ING style (SWIFT
envelope, `:25:` IBAN + currency, `:61:` with `//bankref`, `:86:` as
`/EREF/…//CNTP/iban/bic/name/city//REMI/USTD//text/`) or in ABN AMRO style
(no envelope, `/TRTP/…/IBAN/…/BIC/…/NAME/…/REMI/…/EREF/…`). `:86:` is cut into
65-character lines, mid-word like the banks do, but never so that a line
starts with `:` or `-` (SWIFT forbids that for continuation lines).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import Money, total

LINE_LENGTH = 65
STYLES = ("ing", "abn")


@dataclass(frozen=True)
class Mt940Statement:
    """One statement: account, opening balance and the bookings, in order."""

    account: str
    opening: Money
    opening_date: date
    closing_date: date
    transactions: tuple[BankTransaction, ...]
    reference: str = "P240101000000001"
    number: str = "00001"

    @property
    def closing(self) -> Money:
        return self.opening + total(tx.amount for tx in self.transactions)


def write_mt940(statements: Sequence[Mt940Statement], style: str = "ing") -> bytes:
    """MT940 text for `statements`, one SWIFT message per statement in ING style."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style}")
    lines: list[str] = []
    for statement in statements:
        if style == "ing":
            lines += ["{1:F01INGBNL2AXXXX0000000000}", "{2:I940INGBNL2AXXXN}", "{4:"]
            account = f"{statement.account}EUR"
        else:
            lines += ["ABNANL2A", "940", "ABNANL2A"]
            account = statement.account
        lines += [
            f":20:{statement.reference}",
            f":25:{account}",
            f":28C:{statement.number}",
            f":60F:{_balance(statement.opening, statement.opening_date)}",
        ]
        for tx in statement.transactions:
            lines.append(f":61:{_statement_line(tx, style)}")
            details = _ing_details(tx) if style == "ing" else _abn_details(tx)
            lines += [":86:" + chunk if i == 0 else chunk for i, chunk in enumerate(_wrap(details))]
        lines.append(f":62F:{_balance(statement.closing, statement.closing_date)}")
        lines.append("-}" if style == "ing" else "-")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _amount(value: Money) -> str:
    return str(abs(value)).replace(".", ",")


def _balance(value: Money, day: date) -> str:
    mark = "D" if value.is_negative else "C"
    return f"{mark}{day:%y%m%d}EUR{_amount(value)}"


def _statement_line(tx: BankTransaction, style: str) -> str:
    credit = tx.amount.is_positive
    mark = "C" if credit else "D"
    if tx.is_reversal:  # RD puts a debit back (money in), RC takes a credit back
        mark = "R" + ("D" if credit else "C")
    customer = "EREF" if tx.end_to_end_id else "NONREF"
    reference = f"//{tx.bank_reference}" if tx.bank_reference else ""
    code = "NTRF" if style == "ing" else "N654"
    return (
        f"{tx.value_date:%y%m%d}{tx.booking_date:%m%d}{mark}{_amount(tx.amount)}"
        f"{code}{customer}{reference}"
    )


def _ing_details(tx: BankTransaction) -> str:
    parts = []
    if tx.is_return:
        parts.append(f"/RTRN/{tx.return_reason}/")
    if tx.end_to_end_id:
        parts.append(f"/EREF/{tx.end_to_end_id}/")
    if tx.counterparty_iban or tx.counterparty_bic or tx.counterparty_name:
        parts.append(f"/CNTP/{tx.counterparty_iban}/{tx.counterparty_bic}/{tx.counterparty_name}//")
    if tx.structured_reference:
        parts.append(f"/REMI/STRD/CUR/{tx.structured_reference}/")
    else:
        parts.append(f"/REMI/USTD//{tx.description}/")
    return "".join(parts)


def _abn_details(tx: BankTransaction) -> str:
    parts = ["/TRTP/SEPA OVERBOEKING"]
    if tx.is_return:
        parts.append(f"/RTRN/{tx.return_reason}")
    if tx.counterparty_iban:
        parts.append(f"/IBAN/{tx.counterparty_iban}")
    if tx.counterparty_bic:
        parts.append(f"/BIC/{tx.counterparty_bic}")
    parts.append(f"/NAME/{tx.counterparty_name}")
    parts.append(f"/REMI/{tx.description}")
    parts.append(f"/EREF/{tx.end_to_end_id or 'NOTPROVIDED'}")
    return "".join(parts)


def _wrap(text: str) -> list[str]:
    """Cut at 65 characters (the first line also holds `:86:`), never before `:` or `-`."""
    chunks = []
    width = LINE_LENGTH - 4
    while text:
        cut = min(width, len(text))
        while cut < len(text) and cut > 1 and text[cut] in ":-":
            cut -= 1
        chunks.append(text[:cut])
        text = text[cut:]
        width = LINE_LENGTH
    return chunks
