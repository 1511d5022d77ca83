"""One MT940 statement (`:20:` … `:62F:`) → a reconciled `Statement`.

Sorts the fields of one statement (header, balances, `:61:` lines with their
`:86:`), reads the balances with the `mt940` package's balance tag, turns each
line into a transaction (`connectors.mt940_line`), gives dedupe keys and
checks opening + lines = closing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from mt940 import models as mt_models
from mt940 import tags as mt_tags

from connectors.dedupe import Occurrences, repeat_suffix
from connectors.mt940_details import clean, looks_like_iban
from connectors.mt940_lex import Field, Mt940Rejection, RawStatement
from connectors.mt940_line import OPTIONS, check_amount, decimal_of, money, plain_date, transaction
from huishoudboekje.domain.banking import (
    BankTransaction,
    Statement,
    content_dedupe_key,
    reference_dedupe_key,
)
from huishoudboekje.domain.money import Money, total

_BALANCE_TAG = mt_tags.FinalOpeningBalance()
_CURRENCY_RE = re.compile(r"[A-Z]{3}")
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
        self._references = Occurrences[str]()
        self._content = Occurrences[tuple[str, date, str, str, str]]()

    def key(self, account: str, tx: BankTransaction) -> str:
        """The dedupe key for `tx` on `account`."""
        if tx.bank_reference:
            seen = self._references.count(tx.bank_reference)
            return reference_dedupe_key(account, tx.bank_reference, repeat_suffix(seen))
        group = (
            account,
            tx.booking_date,
            str(tx.amount),
            tx.counterparty_iban,
            clean(tx.description).casefold(),
        )
        occurrence = self._content.count(group)
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
        tx = transaction(line.item, line.details, currency, where)
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
    check_amount(groups["amount"], where)
    try:
        built = _BALANCE_TAG(mt_models.Transactions(options=OPTIONS), groups)
    except ValueError as error:
        raise Mt940Rejection(f"invalid balance date: {error}", where) from None
    balance = built[_BALANCE_TAG.slug]
    if not isinstance(balance, mt_models.Balance) or not isinstance(balance.date, date):
        raise Mt940Rejection("the mt940 package returned no balance", where)
    amount = money(decimal_of(balance.amount), where)
    return amount, groups["currency"], plain_date(balance.date)


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
    try:
        summed = total(tx.amount for tx in transactions)
        reconciles = opening + summed == closing
    except ValueError as error:  # a damaged amount can push a sum beyond any real amount
        raise Mt940Rejection(f"balances cannot be checked: {error}", label) from None
    if not reconciles:
        raise Mt940Rejection(
            f"balances do not reconcile: opening {opening} + transactions {summed} = "
            f"{opening + summed}, but closing balance is {closing} "
            f"(difference {closing - opening - summed})",
            label,
        )
