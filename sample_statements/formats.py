"""Statement writers for the demo: CAMT.053 (the test writer), ING MT940 and ING CSV.

The CAMT.053 comes from `tests/camt_writer.py` (one writer for tests and demo);
only the header fields a bank sets per file (message id, creation time, balance
dates on a day without entries) are filled in here. MT940 and the ING CSV are
small enough to write by hand; they exist to show that the same day in three
formats is imported once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lxml import etree

from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import ZERO, Money
from tests.camt_writer import CamtStatement, write_camt053

CREDIT_CODE = "PMNT-RCDT-ESCT"  # SEPA credit transfer received
DEBIT_CODE = "PMNT-ICDT-ESCT"  # SEPA credit transfer sent
RETURN_CODE = "PMNT-ICDT-RRTN"  # a sent credit transfer that came back


@dataclass(frozen=True, slots=True)
class DayStatement:
    """One bank day on the pooled account: opening balance and the day's bookings."""

    account: str
    day: date
    opening: Money
    transactions: tuple[BankTransaction, ...]

    @property
    def closing(self) -> Money:
        """The balance at the end of the day: opening plus every transaction."""
        return self.opening + sum((tx.amount for tx in self.transactions), ZERO)


def camt053(statement: DayStatement, message_id: str) -> bytes:
    """One CAMT.053.001.02 file for one bank day, each transaction its own entry."""
    camt = CamtStatement(
        account=statement.account,
        opening=statement.opening,
        entries=tuple((tx,) for tx in statement.transactions),
        statement_id=f"{message_id}-1",
    )
    document = etree.fromstring(write_camt053([camt], "001.02"))
    namespace = {"c": document.nsmap[None]}
    created = f"{statement.day.isoformat()}T21:00:00+01:00"
    for node in document.iterfind(".//c:MsgId", namespace):
        node.text = message_id
    for node in document.iterfind(".//c:CreDtTm", namespace):
        node.text = created
    for node in document.iterfind(".//c:Bal/c:Dt/c:Dt", namespace):
        node.text = statement.day.isoformat()
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ------------------------------------------------------------------ MT940 (ING)

MT940_LINE = 65


def _mt_amount(amount: Money) -> str:
    return str(abs(amount)).replace(".", ",")


def _mt_balance(tag: str, day: date, amount: Money) -> str:
    sign = "D" if amount.is_negative else "C"
    return f":{tag}:{sign}{day:%y%m%d}EUR{_mt_amount(amount)}"


def _mt_info(tx: BankTransaction) -> list[str]:
    text = ""
    if tx.is_return:
        text += f"/RTRN/{tx.return_reason}/"
    text += f"/EREF/{tx.end_to_end_id or 'NOTPROVIDED'}/"
    text += f"/CNTP/{tx.counterparty_iban}/{tx.counterparty_bic}/{tx.counterparty_name}///"
    text += f"REMI/USTD//{tx.description}/"
    lines = [text[i : i + MT940_LINE] for i in range(0, len(text), MT940_LINE)]
    return [":86:" + lines[0], *lines[1:6]]


def _mt_transaction(tx: BankTransaction) -> list[str]:
    sign = "D" if tx.amount.is_negative else "C"
    if tx.is_return:
        sign = "R" + sign
    kind = "RTI" if tx.is_return else "TRF"
    head = f":61:{tx.value_date:%y%m%d}{tx.booking_date:%m%d}{sign}{_mt_amount(tx.amount)}"
    return [f"{head}N{kind}EREF//{tx.bank_reference}", "/TRCD/00100/", *_mt_info(tx)]


def mt940(days: Sequence[DayStatement]) -> bytes:
    """An ING MT940 file with one message per bank day (days without bookings left out)."""
    messages = []
    for number, statement in enumerate(days, start=1):
        if not statement.transactions:
            continue
        lines = [
            "{1:F01INGBNL2ABXXX0000000000}",
            "{2:I940INGBNL2AXXXN}",
            "{4:",
            f":20:VB{statement.day:%y%m%d}",
            f":25:{statement.account}EUR",
            f":28C:{number:05d}",
            _mt_balance("60F", statement.day, statement.opening),
        ]
        for tx in statement.transactions:
            lines += _mt_transaction(tx)
        lines += [
            _mt_balance("62F", statement.day, statement.closing),
            _mt_balance("64", statement.day, statement.closing),
            "-}",
        ]
        messages.append("\r\n".join(lines) + "\r\n")
    return "".join(messages).encode("ascii")


# ------------------------------------------------------------------ ING CSV

ING_HEADER = (
    "Datum",
    "Naam / Omschrijving",
    "Rekening",
    "Tegenrekening",
    "Code",
    "Af Bij",
    "Bedrag (EUR)",
    "Mutatiesoort",
    "Mededelingen",
    "Saldo na mutatie",
    "Tag",
)


def _csv_amount(amount: Money) -> str:
    text = str(abs(amount)).replace(".", ",")
    return "-" + text if amount.is_negative else text


def _csv_row(account: str, tx: BankTransaction, balance: Money) -> tuple[str, ...]:
    notes = (
        f"Naam: {tx.counterparty_name} Omschrijving: {tx.description} "
        f"IBAN: {tx.counterparty_iban} Kenmerk: {tx.end_to_end_id} "
        f"Valutadatum: {tx.value_date:%d-%m-%Y}"
    )
    return (
        f"{tx.booking_date:%Y%m%d}",
        tx.counterparty_name,
        account,
        tx.counterparty_iban,
        "OV",
        "Af" if tx.amount.is_negative else "Bij",
        _csv_amount(abs(tx.amount)),  # unsigned: "Af Bij" gives the direction
        "Overschrijving",
        notes,
        _csv_amount(balance),
        "",
    )


def ing_csv(days: Sequence[DayStatement]) -> bytes:
    """An ING current-account CSV export (semicolon, decimal comma, newest line first)."""
    rows = []
    for statement in days:
        balance = statement.opening
        for tx in statement.transactions:
            balance += tx.amount
            rows.append(_csv_row(statement.account, tx, balance))
    lines = [ING_HEADER, *reversed(rows)]
    text = "".join(";".join(f'"{field}"' for field in line) + "\r\n" for line in lines)
    return text.encode("utf-8")
