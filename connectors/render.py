"""The normalized JSON rendering of parsed statements (`hhb parse --json`, golden files)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from huishoudboekje.domain.banking import BankTransaction, Statement


def _transaction(tx: BankTransaction) -> dict[str, Any]:
    return {
        "booking_date": tx.booking_date.isoformat(),
        "value_date": tx.value_date.isoformat(),
        "amount": str(tx.amount),
        "currency": tx.currency,
        "counterparty_name": tx.counterparty_name,
        "counterparty_iban": tx.counterparty_iban,
        "counterparty_bic": tx.counterparty_bic,
        "description": tx.description,
        "structured_reference": tx.structured_reference,
        "end_to_end_id": tx.end_to_end_id,
        "bank_reference": tx.bank_reference,
        "bank_transaction_code": tx.bank_transaction_code,
        "is_reversal": tx.is_reversal,
        "is_return": tx.is_return,
        "return_reason": tx.return_reason,
        "original_end_to_end_id": tx.original_end_to_end_id,
        "dedupe_key": tx.dedupe_key,
    }


def statement_dict(statement: Statement) -> dict[str, Any]:
    return {
        "account_iban": statement.account_iban,
        "id": statement.statement_id,
        "period_start": statement.period_start.isoformat() if statement.period_start else None,
        "period_end": statement.period_end.isoformat() if statement.period_end else None,
        "opening": None if statement.opening_balance is None else str(statement.opening_balance),
        "closing": None if statement.closing_balance is None else str(statement.closing_balance),
        "currency": statement.currency,
        "transactions": [_transaction(tx) for tx in statement.transactions],
    }


def parse_result(format_name: str, statements: Sequence[Statement]) -> dict[str, Any]:
    return {"format": format_name, "statements": [statement_dict(s) for s in statements]}


def to_json(format_name: str, statements: Sequence[Statement]) -> str:
    """Stable, diff-friendly JSON (sorted keys are not used: field order is meaningful)."""
    return json.dumps(parse_result(format_name, statements), indent=2, ensure_ascii=False) + "\n"
