"""Column types that behave the same on SQLite and PostgreSQL.

`ExactAmount` holds euro amounts: NUMERIC(14,2) on PostgreSQL (so SQL reports can
sum them) and whole cents in an INTEGER on SQLite (SQLite has no exact decimal
type; SQLAlchemy would go through float). Python always sees a `Decimal` with
two decimals. `UtcDateTime` stores moments in UTC and always returns them
timezone-aware, which SQLite would otherwise forget.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect, Numeric
from sqlalchemy.types import TypeDecorator, TypeEngine

CENT = Decimal("0.01")


class ExactAmount(TypeDecorator[Decimal]):
    """A euro amount: NUMERIC(14,2) on PostgreSQL, integer cents on SQLite. Never float."""

    impl = Numeric(14, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(14, 2, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float) or not isinstance(value, Decimal):
            raise TypeError(f"ExactAmount takes a Decimal, not {type(value).__name__}")
        exact = value.quantize(CENT)
        if exact != value:
            raise ValueError(f"{value} has more than two decimals")
        if dialect.name == "sqlite":
            return int(exact.scaleb(2))
        return exact

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-2).quantize(CENT)
        if not isinstance(value, Decimal):  # pragma: no cover - drivers return Decimal
            raise TypeError(f"database returned {type(value).__name__} for an amount")
        return value.quantize(CENT)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in time, stored as UTC, read back timezone-aware (UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UtcDateTime needs a timezone-aware datetime")
        moment = value.astimezone(UTC)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):  # pragma: no cover - drivers return datetime
            raise TypeError(f"database returned {type(value).__name__} for a moment")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
