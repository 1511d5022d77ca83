"""The few row operations every repository repeats: read as a record, fetch, filter, save.

Repositories hand back frozen records, never table rows (a row would stay tied
to its session). These helpers keep that conversion and the add-and-flush
rhythm in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

from sqlmodel import SQLModel, col
from sqlmodel.sql.expression import SelectOfScalar

from huishoudboekje.adapters.persistence.uow import UnitOfWork

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Record = TypeVar("Record", bound="DataclassInstance")
Row = TypeVar("Row", bound=SQLModel)


def record_of(kind: type[Record], row: object, **overrides: Any) -> Record:
    """A `kind` record from the row's same-named attributes, `overrides` taking precedence."""
    values = {f.name: getattr(row, f.name) for f in fields(kind) if f.name not in overrides}
    return kind(**values, **overrides)


def values_of(record: DataclassInstance, **overrides: Any) -> dict[str, Any]:
    """The record's fields by name, `overrides` taking precedence: the columns of a new row."""
    return {f.name: getattr(record, f.name) for f in fields(record)} | overrides


def row_id(row: Any) -> int:
    """The row's autoincrement id; 0 only for a row not flushed yet."""
    return row.id if row.id is not None else 0


def existing(uow: UnitOfWork, table: type[Row], key: Any, what: str) -> Row:
    """The row with primary key `key`; `LookupError("no <what> <key>")` when there is none."""
    row = uow.session.get(table, key)
    if row is None:
        raise LookupError(f"no {what} {key}")
    return row


def saved(uow: UnitOfWork, row: Row) -> Row:
    """Add the row to the unit of work and flush it (ids assigned; not committed)."""
    uow.session.add(row)
    uow.session.flush()
    return row


def upsert(
    uow: UnitOfWork,
    table: type[Row],
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    created: Mapping[str, Any] | None = None,
) -> Row:
    """Insert the row with primary key `key`, or update the existing one with `values`.

    `created` holds columns set only on insert (such as `created_at`).
    """
    row = uow.session.get(table, tuple(key.values()) if len(key) > 1 else next(iter(key.values())))
    if row is None:
        row = table(**key, **(created or {}), **values)
    else:
        row.sqlmodel_update(dict(values))
    return saved(uow, row)


def where_equal(
    statement: SelectOfScalar[Row], table: type[Row], **equals: object
) -> SelectOfScalar[Row]:
    """`statement` narrowed to rows whose columns equal the given values; None means any."""
    for name, value in equals.items():
        if value is not None:
            statement = statement.where(col(getattr(table, name)) == value)
    return statement
