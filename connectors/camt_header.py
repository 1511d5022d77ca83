"""The head of one CAMT statement: own account, period and opening/closing balances.

Acct and Bal stand before the first Ntry, so `parse_header` can read them while
the file still streams; `connectors.camt_statement` reads them again at the end
of the statement for the balance check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lxml import etree

from connectors.camt_values import (
    CamtRejection,
    Names,
    clean,
    parse_amount,
    parse_currency,
    parse_date_choice,
    parse_date_text,
    parse_direction,
)
from huishoudboekje.domain.money import Money

OPENING_CODES = ("OPBD", "PRCD")  # opening booked, else previous closing booked
CLOSING_CODE = "CLBD"


@dataclass(frozen=True, slots=True)
class Balance:
    """One balance of the statement (OPBD, PRCD or CLBD)."""

    code: str
    amount: Money  # signed: DBIT is negative
    currency: str
    on: date | None


@dataclass(frozen=True, slots=True)
class Header:
    """What a statement says before its entries: account, period, balances."""

    account: str
    account_currency: str
    statement_id: str
    period_start: date | None
    period_end: date | None
    opening: Balance | None
    closing: Balance | None
    sequence_number: str


def parse_header(statement: etree._Element, names: Names, where: str) -> Header:
    """Read account, period and balances; reject a statement without own-account id."""
    account = statement.find(names["Acct"])
    number = ""
    currency = ""
    if account is not None:
        number = clean(account.findtext(names["Id/IBAN"])) or clean(
            account.findtext(names["Id/Othr/Id"])
        )
        currency = clean(account.findtext(names["Ccy"]))
    if not number:
        raise CamtRejection(
            "statement has no account identification (Acct/Id/IBAN or Acct/Id/Othr/Id)", where
        )
    start, end = _period(statement, names, where)
    balances = _balances(statement, names, where)
    opening = next((balances[code] for code in OPENING_CODES if code in balances), None)
    return Header(
        account=number.replace(" ", "").upper(),
        account_currency=currency,
        statement_id=clean(statement.findtext(names["Id"])),
        period_start=start,
        period_end=end,
        opening=opening,
        closing=balances.get(CLOSING_CODE),
        sequence_number=clean(statement.findtext(names["ElctrncSeqNb"])),
    )


def _period(statement: etree._Element, names: Names, where: str) -> tuple[date | None, date | None]:
    period = statement.find(names["FrToDt"])
    if period is None:
        return None, None
    start = period.findtext(names["FrDtTm"])
    end = period.findtext(names["ToDtTm"])
    return (
        parse_date_text(start, "period start", where) if start else None,
        parse_date_text(end, "period end", where) if end else None,
    )


def _balances(statement: etree._Element, names: Names, where: str) -> dict[str, Balance]:
    """The first opening (OPBD/PRCD) and closing (CLBD) balance; other types are ignored."""
    found: dict[str, Balance] = {}
    for element in statement.iterfind(names["Bal"]):
        code = clean(element.findtext(names["Tp/CdOrPrtry/Cd"])) or clean(
            element.findtext(names["Tp/CdOrPrtry/Prtry"])
        )
        if code not in (*OPENING_CODES, CLOSING_CODE) or code in found:
            continue
        here = f"{where} Bal {code}"
        amount_element = element.find(names["Amt"])
        if amount_element is None:
            raise CamtRejection("balance has no amount (Amt)", here)
        amount = parse_amount(amount_element.text, here)
        direction = parse_direction(element.findtext(names["CdtDbtInd"]), here)
        found[code] = Balance(
            code=code,
            amount=amount if direction > 0 else -amount,
            currency=parse_currency(amount_element.get("Ccy"), here),
            on=parse_date_choice(element.find(names["Dt"]), names, "balance date", here),
        )
    return found
