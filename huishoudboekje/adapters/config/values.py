"""Checks for single field values: amounts, percentages, dates, IBANs, codes, kinds.

Each check is a pydantic `PlainValidator`: it gets the raw YAML value and either
returns the domain value or raises a `PydanticCustomError` whose message is
shown to the operator as is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import PlainValidator
from pydantic_core import PydanticCustomError
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from huishoudboekje.domain.consent import ConsentScope
from huishoudboekje.domain.household import (
    WEEKDAYS,
    Cadence,
    ChargeKind,
    Contact,
    IncomeKind,
    LeefgeldPolicyKind,
    Shortage,
    TermRule,
)
from huishoudboekje.domain.limits import (
    AMOUNT_TEXT,
    amount_problem,
    day_problem,
    digits_problem,
    text_problem,
)
from huishoudboekje.domain.money import Money

Loc = tuple[str | int, ...]

# Names end up in SEPA payment files, where 70 characters is the limit.
MAX_NAME = 70
MAX_TEXT = 140
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_FRACTION_PATTERN = re.compile(r"[0-9]+(\.[0-9]+)?", re.ASCII)


# Data the database already holds was checked when it was saved. Loading it again must
# not fail because a range was tightened later (issue 18): the household is loaded as it
# was accepted, and `hhb config export` + `hhb config check` shows what is now out of
# range. Formats (an IBAN, a date, an amount in 0-9) are checked either way.
_STORED: ContextVar[bool] = ContextVar("hhb_config_stored", default=False)


@contextlib.contextmanager
def stored_data() -> Iterator[None]:
    """Within this block, values are read as stored data: the ranges do not apply."""
    token = _STORED.set(True)
    try:
        yield
    finally:
        _STORED.reset(token)


def ranges_apply() -> bool:
    """Whether the ranges of `domain.limits` apply (new input, not stored data)."""
    return not _STORED.get()


def fail(message: str) -> PydanticCustomError:
    """An error whose message is shown to the operator exactly as written."""
    # The message goes in as context so braces in user input are never formatted.
    return PydanticCustomError("hhb", "{message}", {"message": message})


# ------------------------------------------------------------- field value checks


def _number_hint(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if math.isfinite(value) else "725.40"
    return f"{value}.00"


def _amount(value: object) -> Money:
    if isinstance(value, bool) or value is None:
        raise fail('expected an amount as a quoted string like "725.40"')
    if isinstance(value, int | float):
        raise fail(f'use a quoted string like "{_number_hint(value)}", not a number')
    if not isinstance(value, str):
        raise fail('expected an amount as a quoted string like "725.40"')
    text = value.strip()
    if text.startswith("-"):
        raise fail(f'"{value}": an amount here cannot be negative')
    digits = digits_problem(text)
    if digits is not None:
        raise fail(f'"{value}" {digits}')
    if not AMOUNT_TEXT.fullmatch(text):
        raise fail(
            f'"{value}" is not an amount; write euros with a dot and at most two decimals, '
            'like "725.40" (no thousands separator, no € sign)'
        )
    money = Money(text)
    too_large = amount_problem(money.amount) if ranges_apply() else None
    if too_large is not None:
        raise fail(f'"{value}" {too_large}')
    return money


def _positive_amount(value: object) -> Money:
    amount = _amount(value)
    if not amount.is_positive:
        raise fail("must be more than 0.00")
    return amount


def _optional_amount(value: object) -> Money | None:
    return None if value is None else _amount(value)


def _fraction(value: object) -> Decimal:
    """ "5%" or "0.05" (a quoted string) → Decimal("0.05")."""
    hint = 'use a quoted string like "5%" or "0.05", not a number'
    if isinstance(value, bool) or not isinstance(value, str):
        raise fail(hint if isinstance(value, int | float) else f"expected a percentage; {hint}")
    text = value.strip()
    percent = text.endswith("%")
    digits = text[:-1].strip() if percent else text
    if not _FRACTION_PATTERN.fullmatch(digits):
        raise fail(f'"{value}" is not a percentage; write it like "5%" or "0.05"')
    try:
        number = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        raise fail(f'"{value}" is not a percentage') from None
    fraction = number / 100 if percent else number
    if fraction > 1:
        raise fail(f'"{value}" is more than 100%')
    return fraction.normalize() if fraction else Decimal(0)


def _optional_fraction(value: object) -> Decimal | None:
    return None if value is None else _fraction(value)


def _day(value: object) -> date:
    day = _any_day(value)
    outside = day_problem(day) if ranges_apply() else None
    if outside is not None:
        raise fail(outside)
    return day


def _any_day(value: object) -> date:
    if isinstance(value, datetime):
        raise fail("give a date without a time, like 2026-01-01")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if text.isascii():
                return date.fromisoformat(text)
        except ValueError:
            pass
        raise fail(f'"{value}" is not a valid date; write it like 2026-01-01')
    raise fail(f"expected a date like 2026-01-01, got {value!r}")


def optional_day(value: object) -> date | None:
    """A date, or None for `null`."""
    return None if value is None else _day(value)


def _text(value: object, *, lines: bool = False) -> str:
    """Text without control or text-direction characters (`lines`: newlines allowed)."""
    if isinstance(value, str):
        text = value.strip()
        hidden = None
        if ranges_apply():
            hidden = text_problem(text.replace("\r\n", "").replace("\n", "") if lines else text)
        if hidden is not None:
            raise fail(hidden)
        return text
    if isinstance(value, bool):
        raise fail("YAML reads yes/no/true/false/on/off as a yes-or-no; put the text in quotes")
    if isinstance(value, int | float | date):
        raise fail(f'expected text; put it in quotes, like "{value}"')
    if value is None:
        raise fail("expected text, but the value is empty")
    raise fail("expected text")


def _limited(limit: int, *, required: bool, lines: bool = False) -> Callable[[object], str]:
    def check(value: object) -> str:
        text = _text(value, lines=lines)
        if required and not text:
            raise fail("must not be empty")
        if len(text) > limit:
            raise fail(f"is {len(text)} characters long; at most {limit} are allowed")
        return text

    return check


def _identifier(value: object) -> str:
    text = _text(value)
    if not _ID_PATTERN.fullmatch(text):
        raise fail(
            f'"{text}" is not a valid code; use letters, digits, "-", "_" or "." '
            "(starting with a letter or digit, at most 40 characters)"
        )
    return text


def _optional_identifier(value: object) -> str:
    """A code, or "" when left out (issue 22: a gemeente's code is then made from its name)."""
    return "" if value is None or value == "" else _identifier(value)


def _iban(value: object) -> str:
    text = _text(value)
    try:
        return str(IBAN(text).compact)
    except SchwiftyException as exc:
        reason = str(exc)
        raise fail(f'IBAN "{text}" is not valid ({reason[:1].lower()}{reason[1:]})') from None


def _optional_iban(value: object) -> str:
    if value is None or value == "":
        return ""
    return _iban(value)


def _bic(value: object) -> str:
    text = _text(value)
    if not text:
        return ""
    try:
        return str(BIC(text).compact)
    except SchwiftyException as exc:
        reason = str(exc)
        raise fail(f'BIC "{text}" is not valid ({reason[:1].lower()}{reason[1:]})') from None


def _whole(minimum: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(f"expected a whole number, got {value!r}")
        if value < minimum:
            raise fail(f"must be {minimum} or more")
        return value

    return check


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise fail(f"expected true or false, got {value!r}")
    return value


def _optional_whole(value: object) -> int | None:
    return None if value is None else _whole(0)(value)


def _choice(what: str, allowed: Sequence[str]) -> Callable[[object], str]:
    def check(value: object) -> str:
        text = value.strip() if isinstance(value, str) else value
        if text not in allowed:
            raise fail(f'unknown {what} "{value}"; allowed values: {", ".join(allowed)}')
        return str(text)

    return check


def _terms(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise fail("expected a list of words, like [salaris, loon]")
    terms = tuple(_limited(MAX_TEXT, required=True)(item) for item in value)
    return terms


Amount = Annotated[Money, PlainValidator(_amount)]
PositiveAmount = Annotated[Money, PlainValidator(_positive_amount)]
OptionalAmount = Annotated[Money | None, PlainValidator(_optional_amount)]
OptionalPositiveAmount = Annotated[
    Money | None, PlainValidator(lambda value: None if value is None else _positive_amount(value))
]
Fraction = Annotated[Decimal, PlainValidator(_fraction)]
OptionalFraction = Annotated[Decimal | None, PlainValidator(_optional_fraction)]
Day = Annotated[date, PlainValidator(_day)]
OptionalDay = Annotated[date | None, PlainValidator(optional_day)]
Name = Annotated[str, PlainValidator(_limited(MAX_NAME, required=True))]
OptionalName = Annotated[str, PlainValidator(_limited(MAX_NAME, required=False))]
Text = Annotated[str, PlainValidator(_limited(MAX_TEXT, required=False))]
Identifier = Annotated[str, PlainValidator(_identifier)]
# issue 22: a gemeente's code; "" (left out): made from its name
OptionalIdentifier = Annotated[
    str, PlainValidator(lambda v: "" if v is None or v == "" else _identifier(v))
]
Iban = Annotated[str, PlainValidator(_iban)]
OptionalIban = Annotated[str, PlainValidator(_optional_iban)]
Bic = Annotated[str, PlainValidator(_bic)]
Count = Annotated[int, PlainValidator(_whole(0))]
Flag = Annotated[bool, PlainValidator(_flag)]
AtLeastOne = Annotated[int, PlainValidator(_whole(1))]
OptionalCount = Annotated[int | None, PlainValidator(_optional_whole)]
Terms = Annotated[tuple[str, ...], PlainValidator(_terms)]
IncomeKindName = Annotated[str, PlainValidator(_choice("kind", [k.value for k in IncomeKind]))]
ChargeKindName = Annotated[str, PlainValidator(_choice("kind", [k.value for k in ChargeKind]))]
PolicyName = Annotated[
    str, PlainValidator(_choice("policy", [k.value for k in LeefgeldPolicyKind]))
]
TermRuleName = Annotated[str, PlainValidator(_choice("match", [k.value for k in TermRule]))]
CadenceName = Annotated[str, PlainValidator(_choice("cadence", [k.value for k in Cadence]))]
WeekdayName = Annotated[str, PlainValidator(_choice("weekday", WEEKDAYS))]
# An rrule may be "DTSTART:…" and "RRULE:…" on two lines.
Rule = Annotated[str, PlainValidator(_limited(500, required=True, lines=True))]
ViewerShownAs = Annotated[str, PlainValidator(_choice("viewer_shown_as", ["role", "name"]))]
ContactName = Annotated[str, PlainValidator(_choice("contact", [k.value for k in Contact]))]
_SCOPE_PROBLEM = 'give "all" or a mapping with the ids of incomes and charges'


def _consent_scope(value: object) -> ConsentScope:
    """`consent.scope`: "all", or {incomes: [ids], charges: [ids]} (a list left out: all)."""
    if isinstance(value, str) and value.strip() == "all":
        return ConsentScope()
    if not isinstance(value, dict) or not set(value) <= {"incomes", "charges"}:
        raise fail(_SCOPE_PROBLEM)
    lists: dict[str, tuple[str, ...] | None] = {}
    for key in ("incomes", "charges"):
        ids = value.get(key)
        if ids is not None and not isinstance(ids, list):
            raise fail(_SCOPE_PROBLEM)
        lists[key] = None if ids is None else tuple(_identifier(i) for i in ids)
    return ConsentScope(lists["incomes"], lists["charges"])


# typed Any for pydantic (a dataclass type would bring its English messages); a ConsentScope
ConsentScopeValue = Annotated[Any, PlainValidator(_consent_scope)]
ConsentDocumentName = Annotated[str, PlainValidator(_choice("document", ["paper", "upload"]))]
_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")


def _postcode(value: object) -> str:
    """A Dutch postcode, written as PostNL prints it: "3512 PN"."""
    text = _text(value, lines=False)
    found = _POSTCODE.match(text)
    if found is None:
        raise fail(f'"{text}" is not a Dutch postcode; write it as 1234 AB')
    return f"{found.group(1)} {found.group(2).upper()}"


Postcode = Annotated[str, PlainValidator(_postcode)]
_shortage = _choice("shortage", [k.value for k in Shortage])
ShortageName = Annotated[str, PlainValidator(_shortage)]
OptionalShortageName = Annotated[
    str | None, PlainValidator(lambda value: None if value is None else _shortage(value))
]


def domain_default(record: type[Any], name: str) -> Any:
    """The default value of field `name` of a domain dataclass (one source of truth)."""
    for item in dataclasses.fields(record):
        if item.name != name:
            continue
        if item.default is not dataclasses.MISSING:
            return item.default
        if item.default_factory is not dataclasses.MISSING:
            return item.default_factory()
    raise KeyError(f"{record.__name__}.{name} has no default")
