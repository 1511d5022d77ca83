"""The read model's document (issue 24): a status report as versioned JSON and back,
equal in every field, amounts as exact strings; generic, so a field added to the
report (or to anything in it) needs no new code here.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huishoudboekje.adapters.persistence.status_json import (
    VERSION,
    StatusDocumentError,
    decode,
    encode,
    report_from_json,
    report_to_json,
)
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.simulation import ActualIncome, simulate
from huishoudboekje.domain.status_report import status_report
from tests.realistic_gemeente import generate

FIRST = date(2026, 3, 1)


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), index=st.integers(0, 5), days=st.integers(0, 45))
def test_a_realistic_report_reads_back_equal_in_every_field(
    seed: int, index: int, days: int
) -> None:
    """Households of the realistic gemeente, some weeks of nights with their incomes,
    the status on a day: the document reads back as the same report."""
    gemeente = generate(6, seed=seed, first=FIRST, last=FIRST + timedelta(days=45))
    household = gemeente.households[index]
    last = FIRST + timedelta(days=days)
    incomes = [
        ActualIncome(day, stream, amount)
        for day, stream, amount in gemeente.expected_incomes(household.code, FIRST, last)
    ]
    run = simulate(household, incomes, FIRST, last)
    state = run.days[-1].plan.state if run.days else None
    assert state is not None
    report = status_report(household, state, last + timedelta(days=1))
    text = report_to_json(report)
    back = report_from_json(text)
    assert back == report
    for name in (f.name for f in dataclasses.fields(report)):
        assert getattr(back, name) == getattr(report, name), name
    assert report_to_json(back) == text  # and writes the same document again
    assert json.loads(text)["version"] == VERSION


class Colour(StrEnum):
    RED = "rood"
    BLUE = "blauw"


@dataclass(frozen=True, slots=True)
class Inner:
    day: date
    amount: Money
    colour: Colour = Colour.RED


@dataclass(frozen=True, slots=True)
class Outer:
    """Every kind of field a report holds: the codec knows them by their type hints."""

    name: str
    count: int
    flag: bool
    rate: Decimal
    amount: Money
    maybe: Money | None
    days: tuple[date, ...]
    pairs: tuple[tuple[str, Money], ...]
    keys: frozenset[str]
    inner: Inner
    inners: tuple[Inner, ...]
    optional_inner: Inner | None = None
    by_name: dict[str, Money] = field(default_factory=dict)


money = st.integers(-(10**9), 10**9).map(Money.cents)
days = st.dates(date(2000, 1, 1), date(2100, 12, 31))
inner = st.builds(Inner, day=days, amount=money, colour=st.sampled_from(list(Colour)))
outer = st.builds(
    Outer,
    name=st.text(max_size=20),
    count=st.integers(-(2**40), 2**40),
    flag=st.booleans(),
    rate=st.decimals(
        allow_nan=False, allow_infinity=False, places=4, max_value=10**6, min_value=-(10**6)
    ),
    amount=money,
    maybe=st.none() | money,
    days=st.lists(days, max_size=4).map(tuple),
    pairs=st.lists(st.tuples(st.text(max_size=5), money), max_size=3).map(tuple),
    keys=st.frozensets(st.text(max_size=5), max_size=4),
    inner=inner,
    inners=st.lists(inner, max_size=3).map(tuple),
    optional_inner=st.none() | inner,
    by_name=st.dictionaries(st.text(max_size=5), money, max_size=3),
)


@settings(max_examples=60)
@given(value=outer)
def test_any_field_of_these_types_reads_back_equal(value: Outer) -> None:
    data = json.loads(json.dumps(encode(value)))
    assert decode(Outer, data) == value
    amounts = [data["amount"], data["inner"]["amount"]]
    assert all(isinstance(a, str) for a in amounts)  # exact strings, never floats
    assert Decimal(data["amount"]) == value.amount.amount


@dataclass(frozen=True, slots=True)
class Older:
    day: date
    amount: Money


def test_a_document_without_a_new_field_reads_with_the_fields_default() -> None:
    older = encode(Older(date(2026, 3, 4), Money("12.30")))
    assert decode(Inner, older) == Inner(date(2026, 3, 4), Money("12.30"), Colour.RED)


def test_another_version_or_a_damaged_document_is_refused() -> None:
    with pytest.raises(StatusDocumentError, match="version"):
        report_from_json('{"version": 999, "report": {}}')
    with pytest.raises(StatusDocumentError):
        report_from_json(json.dumps({"version": VERSION, "report": {"today": "gisteren"}}))
    with pytest.raises(StatusDocumentError):
        report_from_json("niet eens json")


def test_a_float_cannot_be_stored() -> None:
    with pytest.raises(TypeError, match="float"):
        encode(1.5)
