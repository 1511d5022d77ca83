"""Rows of a CSV export → one `Statement` per account (per balance segment).

Rows are grouped by account in order of first appearance, put in chronological
order (`CsvLayout.row_order`), their running balances checked, and every
transaction gets its dedupe key: the bank's reference where the layout has one,
else a content hash with an occurrence index per identical booking and day.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from connectors.csv_layout import CsvLayout, CsvRejection
from connectors.csv_row import Row
from connectors.dedupe import Occurrences, repeat_suffix
from huishoudboekje.domain.banking import (
    BankTransaction,
    Statement,
    content_dedupe_key,
    reference_dedupe_key,
)
from huishoudboekje.domain.money import Money


def build_statements(
    rows: Sequence[Row], layout: CsvLayout, source_format: str, reconcile: bool = True
) -> list[Statement]:
    """One statement per account (and per continuous balance segment). Raises `CsvRejection`.

    `reconcile=False` skips the running-balance checks and leaves the statement
    balances empty; only for diagnostics and tests, never for booking.
    """
    groups: dict[str, list[Row]] = {}
    for row in rows:
        if layout.one_account and groups and row.account not in groups:
            first = next(iter(groups.values()))[0]
            raise CsvRejection(
                f"account {row.account} differs from {first.account} on line {first.line}; "
                "this export holds one account",
                f"line {row.line}",
            )
        groups.setdefault(row.account, []).append(row)
    statements: list[Statement] = []
    for account, group in groups.items():
        _check_currency(group)
        balances = reconcile and _has_balances(group)
        ordered = _chronological(group, layout, balances)
        segments = _balance_segments(ordered, layout) if balances else [ordered]
        keys = _dedupe_keys(account, ordered)
        for segment in segments:
            statements.append(
                _statement(account, segment, keys, balances, source_format, layout.name)
            )
    return statements


def _check_currency(group: list[Row]) -> None:
    first = group[0]
    for row in group:
        if row.currency != first.currency:
            raise CsvRejection(
                f"currency {row.currency} differs from {first.currency} on line {first.line} "
                f"for account {row.account}",
                f"line {row.line}",
            )


def _has_balances(group: list[Row]) -> bool:
    """Whether this file gives balances (an optional balance column may be absent)."""
    return any(row.balance_before is not None or row.balance_after is not None for row in group)


def _chronological(group: list[Row], layout: CsvLayout, balances: bool) -> list[Row]:
    if layout.row_order == "oldest_first":
        return list(group)
    if layout.row_order == "newest_first":
        return list(reversed(group))
    first, last = group[0].booking_date, group[-1].booking_date
    if first != last:
        return list(group) if first < last else list(reversed(group))
    if balances and len(group) > 1 and not _chain_holds(group):
        return list(reversed(group))  # same day throughout: the balances tell the order
    return list(group)


def _before_after(row: Row) -> tuple[Money, Money]:
    """The balance before and after `row`, one derived from the other when only one is given."""
    if row.balance_before is not None and row.balance_after is not None:
        if row.balance_before + row.amount != row.balance_after:
            raise CsvRejection(
                f"balance {row.balance_before} + amount {row.amount} is "
                f"{row.balance_before + row.amount}, but the line says {row.balance_after}",
                f"line {row.line}",
            )
        return row.balance_before, row.balance_after
    if row.balance_after is not None:
        return row.balance_after - row.amount, row.balance_after
    if row.balance_before is not None:
        return row.balance_before, row.balance_before + row.amount
    raise CsvRejection("the balance is empty", f"line {row.line}")


def _chain_holds(rows: Sequence[Row]) -> bool:
    try:
        pairs = [_before_after(row) for row in rows]
    except CsvRejection:
        return True  # let the real check report it
    return all(prev[1] == this[0] for prev, this in pairwise(pairs))


def _balance_segments(rows: list[Row], layout: CsvLayout) -> list[list[Row]]:
    """Check every running balance; a break rejects the file, or starts a new segment."""
    segments: list[list[Row]] = [[]]
    previous: tuple[Row, Money] | None = None
    for row in rows:
        before, after = _before_after(row)
        if previous is not None and previous[1] != before:
            prev_row, prev_after = previous
            if layout.balance_gaps == "reject":
                raise CsvRejection(
                    f"running balance does not add up: balance {prev_after} after line "
                    f"{prev_row.line} plus amount {row.amount} is {prev_after + row.amount}, "
                    f"but the file says {after}",
                    f"line {row.line}",
                )
            segments.append([])
        segments[-1].append(row)
        previous = (row, after)
    return segments


def _dedupe_keys(account: str, rows: list[Row]) -> dict[int, str]:
    """Dedupe key per line number."""
    keys: dict[int, str] = {}
    seen_references = Occurrences[str]()
    seen_content = Occurrences[tuple[object, ...]]()
    for row in rows:
        reference = row.texts["bank_reference"]
        if reference:
            count = seen_references.count(reference)
            # scoped by booking date: a bank that numbers per day still gives distinct keys
            suffix = row.booking_date.isoformat() + repeat_suffix(count)
            keys[row.line] = reference_dedupe_key(account, reference, suffix)
            continue
        identity = (
            row.booking_date,
            row.amount,
            row.texts["counterparty_iban"],
            " ".join(row.description.split()).casefold(),
        )
        occurrence = seen_content.count(identity)
        keys[row.line] = content_dedupe_key(
            account,
            row.booking_date,
            row.amount,
            row.texts["counterparty_iban"],
            row.description,
            occurrence,
        )
    return keys


def _statement(
    account: str,
    rows: list[Row],
    keys: dict[int, str],
    balances: bool,
    source_format: str,
    layout_name: str,
) -> Statement:
    start = min(row.booking_date for row in rows)
    end = max(row.booking_date for row in rows)
    opening = closing = None
    if balances:
        opening = _before_after(rows[0])[0]
        closing = _before_after(rows[-1])[1]
    return Statement(
        account_iban=account,
        statement_id=f"{start.isoformat()}/{end.isoformat()}",
        transactions=tuple(_transaction(row, keys[row.line]) for row in rows),
        period_start=start,
        period_end=end,
        opening_balance=opening,
        closing_balance=closing,
        currency=rows[0].currency,
        source_format=source_format,
        extra=(("layout", layout_name),),
    )


def _transaction(row: Row, dedupe_key: str) -> BankTransaction:
    texts = row.texts
    return BankTransaction(
        booking_date=row.booking_date,
        value_date=row.value_date,
        amount=row.amount,
        currency=row.currency,
        counterparty_name=texts["counterparty_name"],
        counterparty_iban=texts["counterparty_iban"],
        counterparty_bic=texts["counterparty_bic"],
        description=row.description,
        structured_reference=texts["structured_reference"],
        end_to_end_id=texts["end_to_end_id"],
        bank_reference=texts["bank_reference"],
        bank_transaction_code=texts["bank_transaction_code"],
        is_return=bool(texts["return_reason"]),
        return_reason=texts["return_reason"],
        # a return carries the end-to-end id of the payment it returns (as CAMT's RtrInf)
        original_end_to_end_id=texts["end_to_end_id"] if texts["return_reason"] else "",
        dedupe_key=dedupe_key,
    )
