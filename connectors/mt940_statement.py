"""One MT940 statement (`:20:` … `:62F:`) → a reconciled `Statement`.

The values of `:60F:`/`:62F:` and `:61:` are matched and built by the `mt940`
package's own tag classes (its patterns, two-digit years, entry dates across a
year end); amounts come out of it as `Decimal` built from the text, never a
float. The sign is taken from the debit/credit mark here, so that a reversal
(`RC`, `RD`) is signed right whatever the package's options.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from mt940 import models as mt_models
from mt940 import tags as mt_tags
from mt940.options import Options

from connectors.mt940_details import Details, clean, looks_like_iban, parse_details, reference
from connectors.mt940_lex import Field, Mt940Rejection, RawStatement
from huishoudboekje.banking import (
    BankTransaction,
    Statement,
    content_dedupe_key,
    reference_dedupe_key,
)
from huishoudboekje.money import Money, total

_OPTIONS = Options(reversal_sign=True)
_LINE_TAG = mt_tags.Statement()
_LINE_TAG_ASN = mt_tags.StatementASNB()  # ASN: counter IBAN (up to 34) as customer reference
_BALANCE_TAG = mt_tags.FinalOpeningBalance()
_AMOUNT_RE = re.compile(r"\d{1,15}(?:,\d{0,2})?")
_CURRENCY_RE = re.compile(r"[A-Z]{3}")
_TRCD_RE = re.compile(r"/TRCD/([0-9A-Z]*)/?")
_LEGACY_ACCOUNT_RE = re.compile(r"P?[0-9][0-9.]{5,14}")
_ACCOUNT_CURRENCY_RE = re.compile(r"(.*?[0-9.])\s*([A-Z]{3})")
_OPENING = ("60F", "60M", "60")
_CLOSING = ("62F", "62M", "62")
_IGNORED = frozenset({"13", "13D", "21", "34F", "64", "65", "90C", "90D", "NS"})


@dataclass
class _Line:
    """A `:61:` statement line with its `:86:` lines, before it becomes a transaction."""

    number: int
    where: str
    item: Field
    details: list[str] = field(default_factory=list)


@dataclass
class _Parts:
    reference: str = ""
    number: str = ""
    account: str = ""
    opening: tuple[Money, str, date] | None = None
    closing: tuple[Money, str, date] | None = None
    lines: list[_Line] = field(default_factory=list)
    info: list[str] = field(default_factory=list)


class DedupeKeys:
    """Dedupe keys for one file; each key is unique within the file.

    A bank reference gives `reference_dedupe_key`, a repeat of it gets an
    occurrence suffix; without one the content hash counts identical bookings
    per account and day, so two identical real payments stay two.
    """

    def __init__(self) -> None:
        self._references: Counter[str] = Counter()
        self._content: Counter[tuple[str, date, str, str, str]] = Counter()

    def key(self, account: str, tx: BankTransaction) -> str:
        """The dedupe key for `tx` on `account`."""
        if tx.bank_reference:
            seen = self._references[tx.bank_reference]
            self._references[tx.bank_reference] += 1
            return reference_dedupe_key(account, tx.bank_reference, f"#{seen + 1}" if seen else "")
        group = (
            account,
            tx.booking_date,
            str(tx.amount),
            tx.counterparty_iban,
            clean(tx.description).casefold(),
        )
        occurrence = self._content[group]
        self._content[group] += 1
        return content_dedupe_key(
            account,
            tx.booking_date,
            tx.amount,
            tx.counterparty_iban,
            tx.description,
            occurrence,
        )


def build_statement(
    raw: RawStatement, index: int, keys: DedupeKeys, *, reconcile: bool = True
) -> Statement:
    """Turn the fields of one statement into a `Statement`; raise `Mt940Rejection` if bad."""
    parts = _collect(raw, index)
    label = _label(parts, index, raw.line)
    if not parts.account:
        raise Mt940Rejection("no account identification (:25:)", label)
    if parts.opening is None:
        raise Mt940Rejection("no opening balance (:60F:/:60M:)", label)
    if parts.closing is None:
        raise Mt940Rejection("no closing balance (:62F:/:62M:); the file looks truncated", label)
    opening, currency, start = parts.opening
    closing, closing_currency, end = parts.closing
    if closing_currency != currency:
        raise Mt940Rejection(
            f"opening balance is in {currency} but closing balance in {closing_currency}", label
        )
    account = _account(parts.account)
    transactions = []
    for position, line in enumerate(parts.lines, start=1):
        where = f"{label}, :61: #{position} (line {line.item.line})"
        tx = _transaction(line.item, line.details, currency, where)
        transactions.append(tx)
    transactions = [_with_key(tx, account, keys) for tx in transactions]
    if reconcile:
        _reconcile(opening, transactions, closing, label)
    return Statement(
        account_iban=account,
        statement_id=" ".join(part for part in (parts.reference, parts.number) if part),
        transactions=tuple(transactions),
        period_start=start,
        period_end=end,
        opening_balance=opening,
        closing_balance=closing,
        currency=currency,
        source_format="mt940",
        extra=tuple(("information", text) for text in parts.info),
    )


def _label(parts: _Parts, index: int, line: int) -> str:
    name = f" {parts.reference}" if parts.reference else ""
    return f"statement {index}{name} (line {line})"


def _collect(raw: RawStatement, index: int) -> _Parts:
    """Sort the fields into header, balances, statement lines and their details."""
    parts = _Parts()
    previous = ""
    for item in raw.fields:
        tag = item.tag
        where = f"statement {index}, :{tag}: (line {item.line})"
        if tag == "20":
            parts.reference = clean(item.text)
        elif tag == "25":
            parts.account = clean(item.text)
        elif tag in ("28", "28C"):
            parts.number = "".join(line.strip() for line in item.lines)
        elif tag in _OPENING:
            if parts.opening is not None or parts.lines:
                raise Mt940Rejection("opening balance out of place", where)
            parts.opening = _balance(item, where)
        elif tag == "61":
            if parts.opening is None or parts.closing is not None:
                raise Mt940Rejection(":61: outside the opening and closing balance", where)
            parts.lines.append(_Line(len(parts.lines) + 1, where, item))
        elif tag == "86":
            if previous in ("61", "86") and parts.lines and parts.closing is None:
                parts.lines[-1].details.extend(item.lines)
            else:  # information about the whole statement (ING /SUM/, Van Lanschot totals)
                parts.info.append(clean(item.text))
        elif tag in _CLOSING:
            if parts.closing is not None:
                raise Mt940Rejection("second closing balance in one statement", where)
            parts.closing = _balance(item, where)
        elif tag not in _IGNORED:
            raise Mt940Rejection(f"unknown field :{tag}:", where)
        previous = tag
    return parts


def _balance(item: Field, where: str) -> tuple[Money, str, date]:
    if len(item.lines) > 1:
        raise Mt940Rejection(f"unexpected text after the balance: {item.lines[1][:40]!r}", where)
    match = _BALANCE_TAG.re.match(item.lines[0].strip())
    if match is None or match.end() != len(item.lines[0].strip()):
        raise Mt940Rejection(f"balance {item.lines[0][:40]!r} is not [C|D]YYMMDDCCCamount", where)
    groups: dict[str, Any] = match.groupdict()
    if not _CURRENCY_RE.fullmatch(groups["currency"]):
        raise Mt940Rejection(f"currency {groups['currency']!r} is not a currency code", where)
    _check_amount(groups["amount"], where)
    try:
        built = _BALANCE_TAG(mt_models.Transactions(options=_OPTIONS), groups)
    except ValueError as error:
        raise Mt940Rejection(f"invalid balance date: {error}", where) from None
    balance = built[_BALANCE_TAG.slug]
    if not isinstance(balance, mt_models.Balance) or not isinstance(balance.date, date):
        raise Mt940Rejection("the mt940 package returned no balance", where)
    amount = _money(_decimal(balance.amount), where)
    return amount, groups["currency"], _plain_date(balance.date)


def _check_amount(text: str, where: str) -> None:
    if not _AMOUNT_RE.fullmatch(text or ""):
        raise Mt940Rejection(f"amount {text!r} is not a number like 1234,56", where)


def _decimal(amount: object) -> object:
    return getattr(amount, "amount", None)


def _money(value: object, where: str) -> Money:
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


def _transaction(
    item: Field, details_lines: list[str], currency: str, where: str
) -> BankTransaction:
    groups, trcd = _statement_line(item, where)
    _check_amount(groups["amount"], where)
    mark = groups["status"]
    if mark not in ("C", "D", "RC", "RD"):
        raise Mt940Rejection(f"debit/credit mark {mark!r} is not C, D, RC or RD", where)
    try:
        built = _LINE_TAG(
            mt_models.Transactions(options=_OPTIONS), {**groups, "currency": currency}
        )
    except ValueError as error:
        raise Mt940Rejection(f"invalid date in statement line: {error}", where) from None
    magnitude = abs(_money(_decimal(built["amount"]), where))
    # C and RD (reversal of a debit) bring money in; D and RC take it out.
    amount = magnitude if mark in ("C", "RD") else -magnitude
    value_date = _plain_date(built["date"])
    entry = built.get("entry_date")
    booking_date = value_date if entry is None else _plain_date(entry)
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


def _plain_date(value: object) -> date:
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


def _account(text: str) -> str:
    """The account from `:25:`: `NL…INGB…EUR`, `INGBNL2A/NL…`, `NL… EUR`, `TRIODOSBANK/039…`."""
    value = text.split("/")[-1].strip() if "/" in text else text.strip()
    compact = value.replace(" ", "")
    with_currency = _ACCOUNT_CURRENCY_RE.fullmatch(compact)
    if with_currency and (looks_like_iban(with_currency.group(1)) or not looks_like_iban(compact)):
        return with_currency.group(1)
    return compact


def _with_key(tx: BankTransaction, account: str, keys: DedupeKeys) -> BankTransaction:
    return replace(tx, dedupe_key=keys.key(account, tx))


def _reconcile(
    opening: Money, transactions: list[BankTransaction], closing: Money, label: str
) -> None:
    summed = total(tx.amount for tx in transactions)
    if opening + summed != closing:
        raise Mt940Rejection(
            f"balances do not reconcile: opening {opening} + transactions {summed} = "
            f"{opening + summed}, but closing balance is {closing} "
            f"(difference {closing - opening - summed})",
            label,
        )
