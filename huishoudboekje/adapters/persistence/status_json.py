"""A status report as versioned JSON, and back: the document the read model stores.

Generic over frozen dataclasses: every init field is written under its own name
and read back by its type hint, so a field added to `StatusReport` (or to anything
inside it) needs no line here. Amounts are exact decimal strings ("12.30"), never
floats; dates are ISO strings; enums their value; tuples and frozensets lists
(a frozenset sorted, so equal reports give equal documents).

Reading is forgiving in one direction only: a key missing from an older document
takes the field's default (a new field with a default needs no new version); a
document of another `VERSION` is refused (`StatusDocumentError`) and the caller
computes the report afresh.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, Union

from huishoudboekje.domain.money import Money
from huishoudboekje.domain.status_report import StatusReport

VERSION = 1  # bump when a field changes meaning or type (not when one is added)


class StatusDocumentError(ValueError):
    """A stored document this code cannot read (another version, or damaged)."""


def encode(value: Any) -> Any:
    """`value` as JSON-ready data (see the module docstring)."""
    kind = type(value)
    writer = _WRITERS.get(kind)
    if writer is None:
        writer = _WRITERS[kind] = _writer(kind)
    return writer(value)


Writer = Callable[[Any], Any]


def _writer(kind: type) -> Writer:
    """How to write values of class `kind` (found once per class, then kept)."""
    if kind is float:
        raise TypeError("cannot store a float in a status document (amounts are exact)")
    if issubclass(kind, Enum):
        return lambda value: value.value
    if kind is type(None) or issubclass(kind, bool | int | str):
        return _same
    if issubclass(kind, Money | Decimal):
        return str
    if issubclass(kind, date):  # datetime included
        return lambda value: value.isoformat()
    if issubclass(kind, tuple | list):
        return lambda value: [encode(item) for item in value]
    if issubclass(kind, frozenset | set):
        return _write_set
    if issubclass(kind, dict):
        return lambda value: [[encode(k), encode(v)] for k, v in value.items()]
    if dataclasses.is_dataclass(kind):
        names = tuple(f.name for f in _init_fields(kind))
        return lambda value: {name: encode(getattr(value, name)) for name in names}
    raise TypeError(f"cannot store a {kind.__name__} in a status document")


def _write_set(value: frozenset[Any] | set[Any]) -> list[Any]:
    items = [encode(item) for item in value]
    if all(isinstance(item, str) for item in items):
        return sorted(items)
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))


_WRITERS: dict[type, Writer] = {}


def decode(hint: Any, data: Any) -> Any:
    """The value of type `hint` that `encode` turned into `data`."""
    return _reader(hint)(data)


Reader = Callable[[Any], Any]


@cache
def _reader(hint: Any) -> Reader:
    """A function reading values of type `hint`, built once per type."""
    origin = typing.get_origin(hint)
    if origin is Union or origin is types.UnionType:
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(options) != 1:
            raise TypeError(f"cannot read a value of type {hint}")
        inner = _reader(options[0])
        return lambda data: None if data is None else inner(data)
    if hint is Any:
        return _same
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _reader(args[0])
            return lambda data: tuple([item(x) for x in data])
        readers = [_reader(arg) for arg in args]
        return lambda data: tuple(r(x) for r, x in zip(readers, data, strict=True))
    if origin is frozenset:
        item = _reader(typing.get_args(hint)[0])
        return lambda data: frozenset([item(x) for x in data])
    if origin is list:
        item = _reader(typing.get_args(hint)[0])
        return lambda data: [item(x) for x in data]
    if origin is dict:
        key, val = (_reader(arg) for arg in typing.get_args(hint))
        return lambda data: {key(k): val(v) for k, v in data}
    if not isinstance(hint, type):
        raise TypeError(f"cannot read a value of type {hint}")
    if issubclass(hint, Money):
        return _money
    if issubclass(hint, Enum | bool | int | str | Decimal):
        return hint
    if issubclass(hint, datetime):
        return datetime.fromisoformat
    if issubclass(hint, date):
        return date.fromisoformat
    if dataclasses.is_dataclass(hint):
        return _dataclass_reader(hint)
    raise TypeError(f"cannot read a value of type {hint}")


def _same(data: Any) -> Any:
    return data


def _money(text: str) -> Money:
    """An amount as `encode` wrote it ("12.30"): exactly two decimals, so the
    constructor's parsing and rounding check are skipped (the range check stays);
    anything else goes through the constructor, which refuses it."""
    amount = Decimal(text)
    if amount.as_tuple().exponent == -2:
        return Money._exact(amount)  # an exact amount in cents, as `+` makes them
    return Money(text)


def _dataclass_reader(cls: type) -> Reader:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in _init_fields(cls)]
    readers: dict[str, Reader] = {}

    def read(data: dict[str, Any]) -> Any:
        if not readers:  # filled on first use: a type may contain itself
            readers.update({name: _reader(hints[name]) for name in names})
        return cls(**{name: readers[name](data[name]) for name in names if name in data})

    return read


@cache
def _init_fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.init)


# Parts of the plan that are the report's own parts again (the state after tonight,
# tonight's signals, the forecast points): stored once, as a reference.
_SAME = (("state", ("state",)), ("signals", ("signals",)), ("forecast", ("outlook", "points")))
_REF = "$same"


def report_to_json(report: StatusReport) -> str:
    """The stored document of `report` (compact JSON text)."""
    body = encode(report)
    for name, path in _SAME:
        parent = body["plan"]
        for key in path[:-1]:
            parent = parent.get(key) or {}
        if path[-1] in parent and parent[path[-1]] == body[name]:
            parent[path[-1]] = {_REF: name}
    document = {"version": VERSION, "report": body}
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def report_from_json(text: str | bytes | dict[str, Any]) -> StatusReport:
    """The report `report_to_json` stored; `StatusDocumentError` for another version."""
    try:
        document = text if isinstance(text, dict) else json.loads(text)
        version = document.get("version")
        if version != VERSION:
            raise StatusDocumentError(f"status document version {version!r}, not {VERSION}")
        body = document["report"]
        for _name, path in _SAME:
            parent = body["plan"]
            for key in path[:-1]:
                parent = parent.get(key) or {}
            value = parent.get(path[-1])
            if isinstance(value, dict) and set(value) == {_REF}:
                parent[path[-1]] = body[value[_REF]]
        report = decode(StatusReport, body)
    except StatusDocumentError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        raise StatusDocumentError(f"status document unreadable: {exc}") from exc
    assert isinstance(report, StatusReport)
    return report
