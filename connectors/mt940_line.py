"""One MT940 statement line (`:61:` with its `:86:`) → a `BankTransaction`.

`:61:` is matched and built by the `mt940` package's own tag class (its
pattern, two-digit years, the entry date across a year end); the ASN variant
is the fallback. Amounts come out of it as `Decimal` built from the text,
never a float; the sign is taken from the debit/credit mark here, so that a
reversal (`RC`, `RD`) is signed right whatever the package's options.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from mt940 import models as mt_models
from mt940 import tags as mt_tags
from mt940.options import Options

from connectors.mt940_details import Details, clean, looks_like_iban, parse_details, reference
from connectors.mt940_lex import Field, Mt940Rejection
from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import Money

OPTIONS = Options(reversal_sign=True)
_LINE_TAG = mt_tags.Statement()
_LINE_TAG_ASN = mt_tags.StatementASNB()  # ASN: counter IBAN (up to 34) as customer reference
_AMOUNT_RE = re.compile(r"\d{1,15}(?:,\d{0,2})?", re.ASCII)  # 0-9 only
_TRCD_RE = re.compile(r"/TRCD/([0-9A-Z]*)/?")
_LEGACY_ACCOUNT_RE = re.compile(r"P?[0-9][0-9.]{5,14}")


def check_amount(text: str, where: str) -> None:
    """Refuse an amount that is not MT940's `1234,56` (at most two decimals)."""
    if not _AMOUNT_RE.fullmatch(text or ""):
        raise Mt940Rejection(f"amount {text!r} is not a number like 1234,56", where)


def decimal_of(amount: object) -> object:
    """The `.amount` of an `mt940.models.Amount` (checked to be a Decimal by `money`)."""
    return getattr(amount, "amount", None)


def money(value: object, where: str) -> Money:
    """`Money` from the package's value; anything but a `Decimal` is refused."""
    if not isinstance(value, Decimal):  # the package must never hand us a float
        raise Mt940Rejection(f"amount {value!r} did not come out as a Decimal", where)
    return Money(value)


def _statement_line(item: Field, where: str) -> tuple[dict[str, Any], str]:
    """Match `:61:` with the package's pattern (ASN's variant as fallback); the /TRCD/ code."""
    text = item.text
    trcd = ""
    joined = "".join(line.strip() for line in item.lines)
    found = _TRCD_RE.search(joined)
    if found:  # ING: `//bankref/TRCD/00100/`, old exports hard-wrap it over lines
        trcd = found.group(1)
        text = joined[: found.start()] + joined[found.end() :]
    for tag in (_LINE_TAG, _LINE_TAG_ASN):
        match = tag.re.match(text)
        if match is not None:
            return match.groupdict(), trcd
    raise Mt940Rejection(f"statement line {item.lines[0][:60]!r} is not valid :61: syntax", where)


def transaction(
    item: Field, details_lines: list[str], currency: str, where: str
) -> BankTransaction:
    """One `:61:` field and its `:86:` lines as a transaction (no dedupe key yet)."""
    groups, trcd = _statement_line(item, where)
    check_amount(groups["amount"], where)
    mark = groups["status"]
    if mark not in ("C", "D", "RC", "RD"):
        raise Mt940Rejection(f"debit/credit mark {mark!r} is not C, D, RC or RD", where)
    try:
        built = _LINE_TAG(mt_models.Transactions(options=OPTIONS), {**groups, "currency": currency})
    except ValueError as error:
        raise Mt940Rejection(f"invalid date in statement line: {error}", where) from None
    magnitude = abs(money(decimal_of(built["amount"]), where))
    # C and RD (reversal of a debit) bring money in; D and RC take it out.
    amount = magnitude if mark in ("C", "RD") else -magnitude
    value_date = plain_date(built["date"])
    entry = built.get("entry_date")
    booking_date = value_date if entry is None else plain_date(entry)
    details = parse_details(details_lines) if details_lines else Details()
    _fill_from_line(details, groups)
    code = clean(groups.get("id") or "")
    return BankTransaction(
        booking_date=booking_date,
        value_date=value_date,
        amount=amount,
        currency=currency,
        counterparty_name=details.counterparty_name,
        counterparty_iban=details.counterparty_iban,
        counterparty_bic=details.counterparty_bic,
        description=details.description,
        structured_reference=details.structured_reference,
        end_to_end_id=details.end_to_end_id,
        bank_reference=reference(groups.get("bank_reference") or ""),
        bank_transaction_code=f"{code}/{trcd}" if trcd else code,
        is_reversal=mark.startswith("R"),
        is_return=bool(details.return_reason),
        return_reason=details.return_reason,
        original_end_to_end_id=details.end_to_end_id if details.return_reason else "",
    )


def plain_date(value: object) -> date:
    """A plain `date` from the package's `Date` subclass (so equality and JSON stay simple)."""
    if not isinstance(value, date):
        raise TypeError(f"the mt940 package returned {value!r} for a date")
    return date(value.year, value.month, value.day)


def _fill_from_line(details: Details, groups: dict[str, Any]) -> None:
    """What `:61:` itself says about the counterparty (ASN, Rabobank, pre-SEPA formats)."""
    customer = clean(groups.get("customer_reference") or "")
    extra = clean(groups.get("extra_details") or "")
    if not details.counterparty_iban and looks_like_iban(customer):
        details.counterparty_iban = customer
    if not extra:
        return
    if looks_like_iban(extra):
        if not details.counterparty_iban:
            details.counterparty_iban = extra
    elif not _LEGACY_ACCOUNT_RE.fullmatch(extra) and not details.counterparty_name:
        details.counterparty_name = extra
