"""Writing the plain-data form of domain records, and the normalized YAML file.

The plain-data form is what the YAML file holds (amounts as "725.40", fractions
as "5%"); the persistence adapter stores it and the audit log shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

import yaml

from huishoudboekje.adapters.config.values import domain_default
from huishoudboekje.domain.charge_windows import Pause, TemporaryAmount
from huishoudboekje.domain.consent import Consent
from huishoudboekje.domain.household import (
    FixedCharge,
    Gemeente,
    Household,
    IncomeStream,
    Letterhead,
    PooledAccount,
    PostalAddress,
    Reserve,
)
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.schedule import Schedule


def format_fraction(value: Decimal) -> str:
    """Decimal("0.05") → "5%"."""
    percent = (value * 100).normalize()
    return f"{percent:f}%"


def gemeente_to_data(gemeente: Gemeente, *, full: bool = False) -> dict[str, Any]:
    """The plain-data (YAML) form of the gemeente; `full` also writes default values."""
    data: dict[str, Any] = {}
    _optional(data, gemeente, "code", full)
    data["name"] = gemeente.name
    data["account_iban"] = gemeente.account_iban
    data["account_name"] = gemeente.account_name
    _optional(data, gemeente, "bic", full)
    _optional(data, gemeente, "extra_accounts", full, _accounts)
    _optional(data, gemeente, "max_days_early", full)
    _optional(data, gemeente, "extra_closing_days", full, list)
    _optional(data, gemeente, "max_learned_buffer", full, str)
    _optional(data, gemeente, "irregular_step_months", full)
    _optional(data, gemeente, "shortage", full, _enum)
    _optional(data, gemeente, "letterhead", full, _letterhead)
    _optional(data, gemeente, "retention_years", full)
    _optional(data, gemeente, "document_retention_months", full)
    _optional(data, gemeente, "viewer_shown_as", full)
    _optional(data, gemeente, "consent_required", full)
    return data


def _accounts(accounts: tuple[PooledAccount, ...]) -> list[dict[str, Any]]:
    return [{"iban": a.iban, "name": a.name, **({"bic": a.bic} if a.bic else {})} for a in accounts]


def _letterhead(letterhead: Letterhead) -> dict[str, Any]:
    return {
        "sender": letterhead.sender,
        "return_address": list(letterhead.return_address),
        "phone": letterhead.phone,
        "email": letterhead.email,
        "website": letterhead.website,
    }


def _address(address: PostalAddress | None) -> dict[str, Any] | None:
    if address is None:
        return None
    data = {"street": address.street, "postcode": address.postcode, "city": address.city}
    if address.attention:
        data["attention"] = address.attention
    return data


def consent_to_data(consent: Consent) -> dict[str, Any]:
    """The plain-data (YAML) form of a consent; `scope` is "all" or the rule ids (a
    list left out: all of that kind). The document itself is never in the file."""
    scope: str | dict[str, list[str]] = "all"
    if not consent.scope.is_all:
        scope = {}
        if consent.scope.incomes is not None:
            scope["incomes"] = list(consent.scope.incomes)
        if consent.scope.charges is not None:
            scope["charges"] = list(consent.scope.charges)
    return {
        "signed_on": consent.signed_on,
        "signed_by": consent.signed_by,
        "scope": scope,
        "document": consent.document.value,
    }


def household_to_data(household: Household, *, full: bool = False) -> dict[str, Any]:
    """The plain-data (YAML) form of a household; `full` also writes default values.

    Amounts become strings ("725.40"), fractions percentages ("5%"), dates stay
    `date` objects (see `jsonable` for a JSON-safe copy).
    """
    h = household
    data: dict[str, Any] = {"code": h.code, "name": h.name, "iban": h.iban}
    _optional(data, h, "bic", full)
    data["members"] = h.members
    data["start"] = h.start
    _optional(data, h, "end", full)
    _optional(data, h, "shortage", full, _enum)
    _optional(data, h, "team", full)
    _optional(data, h, "caseworker", full)
    _optional(data, h, "contact", full, _enum)
    _optional(data, h, "address", full, _address)
    if h.consent is not None and h.consent.withdrawn_on is None:  # a withdrawn one: not
        data["consent"] = consent_to_data(h.consent)
    lg = h.leefgeld
    leefgeld: dict[str, Any] = {
        "policy": lg.policy.value,
        "cadence": lg.cadence.value,
        "weekday": lg.weekday,
    }
    _optional(leefgeld, lg, "floor", full, _money)
    _optional(leefgeld, lg, "amount", full, _money)
    _optional(leefgeld, lg, "buildup_months", full)
    data["leefgeld"] = leefgeld
    buffer: dict[str, Any] = {
        "target": str(h.buffer.target),
        "advance_limit": str(h.buffer.advance_limit),
    }
    _optional(buffer, h.buffer, "repay_months", full)
    data["buffer"] = buffer
    if h.incomes or full:
        data["incomes"] = [_income_to_data(i, full) for i in h.incomes]
    if h.charges or full:
        data["charges"] = [_charge_to_data(c, full) for c in h.charges]
    if h.reserves or full:
        data["reserves"] = [_reserve_to_data(r, full) for r in h.reserves]
    return data


def _income_to_data(income: IncomeStream, full: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"id": income.id, "kind": income.kind.value}
    _optional(data, income, "payer_iban", full)
    _optional(data, income, "payer_name", full)
    _optional(data, income, "terms", full, list)
    data["amount"] = str(income.amount)
    _optional(data, income, "margin", full, format_fraction)
    _optional(data, income, "window_days", full)
    _optional(data, income, "irregular", full)
    _optional(data, income, "reference", full)
    _optional(data, income, "match", full, str)
    data["schedule"] = _schedule_to_data(income.schedule)
    return data


def _charge_to_data(charge: FixedCharge, full: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": charge.id,
        "kind": charge.kind.value,
        "payee_name": charge.payee_name,
        "payee_iban": charge.payee_iban,
    }
    _optional(data, charge, "payee_bic", full)
    data["amount"] = str(charge.amount)
    data["schedule"] = _schedule_to_data(charge.schedule)
    _optional(data, charge, "reference", full)
    _optional(data, charge, "priority", full)
    _optional(data, charge, "lead_days", full)
    _optional(data, charge, "valid_from", full)
    _optional(data, charge, "valid_until", full)
    _optional(data, charge, "reserve", full)
    _optional(data, charge, "pause", full, _windows)
    _optional(data, charge, "temporary", full, _windows)
    _optional(data, charge, "total", full, _money)
    return data


def _windows(windows: tuple[Pause | TemporaryAmount, ...]) -> list[dict[str, Any]]:
    """Pauses and temporary amounts as {from, until[, amount]}."""
    result = []
    for window in windows:
        item: dict[str, Any] = {"from": window.first, "until": window.last}
        if isinstance(window, TemporaryAmount):
            item["amount"] = str(window.amount)
        result.append(item)
    return result


def _reserve_to_data(reserve: Reserve, full: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"id": reserve.id}
    # A reserve saves either a fixed monthly amount or a share of the toeslagen; the
    # full form of a share says "no monthly amount" (null), since giving both is refused.
    if reserve.percent_of_toeslag is None or reserve.monthly:
        data["monthly"] = str(reserve.monthly)
    elif full:
        data["monthly"] = None
    _optional(data, reserve, "target", full, _money)
    _optional(data, reserve, "percent_of_toeslag", full, format_fraction)
    _optional(data, reserve, "description", full)
    _optional(data, reserve, "valid_until", full)
    return data


def _schedule_to_data(schedule: Schedule) -> dict[str, Any]:
    return {"start": schedule.start, "rrule": schedule.rrule}


def _enum(value: StrEnum) -> str:
    return value.value


def _money(value: Money | None) -> str | None:
    return None if value is None else str(value)


def _optional(
    data: dict[str, Any],
    record: Any,
    name: str,
    full: bool,
    show: Callable[[Any], Any] | None = None,
) -> None:
    """Write field `name` of a domain record, unless it has its default value."""
    value = getattr(record, name)
    if not full and value == domain_default(type(record), name):
        return
    data[name] = value if show is None or value is None else show(value)


def jsonable(value: object) -> Any:
    """A copy of plain data with dates as ISO strings (for JSON columns and the audit log)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Money | Decimal):
        return str(value)
    return value


# ---------------------------------------------------------------- writing YAML


class _Flow(dict[str, Any]):
    """A mapping written on one line: {start: 2026-01-01, rrule: ...}."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as people write them by hand.
        super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        # "725.40" rather than '725.40': the form the documentation shows.
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


class _FlowList(list[Any]):
    """A short list written on one line: [salaris, loon]."""


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_FlowList, _represent_flow_list)

HEADER = (
    "# Huishoudboekje configuration: the gemeente and its households.\n"
    "# Format: docs/config.md. Amounts are quoted strings in euro.\n"
)


def dump_config(gemeente: Gemeente, households: Sequence[Household]) -> str:
    """The normalized YAML form: households sorted by code, default values left out."""
    gemeente_data = _gemeente_part(gemeente)
    document: dict[str, Any] = {"gemeente": gemeente_data}
    document["households"] = _household_parts(households)
    return _dump(document)


def dump_region(gemeenten: Sequence[Gemeente], households: Sequence[Household]) -> str:
    """The normalized YAML form with a list `gemeenten` (issue 22), each with its
    households (those whose `gemeente_id` is its place, 1 = the first) sorted by code."""
    document: dict[str, Any] = {"gemeenten": []}
    for place, gemeente in enumerate(gemeenten, start=1):
        data = _gemeente_part(gemeente)
        data = {"code": gemeente.effective_code, **{k: v for k, v in data.items() if k != "code"}}
        data["households"] = _household_parts([h for h in households if h.gemeente_id == place])
        document["gemeenten"].append(data)
    return _dump(document)


def _gemeente_part(gemeente: Gemeente) -> dict[str, Any]:
    data = gemeente_to_data(gemeente)
    if "extra_closing_days" in data:
        data["extra_closing_days"] = _FlowList(data["extra_closing_days"])
    return data


def _household_parts(households: Sequence[Household]) -> list[dict[str, Any]]:
    return [_flow_parts(household_to_data(h)) for h in sorted(households, key=lambda h: h.code)]


def _dump(document: dict[str, Any]) -> str:
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return HEADER + body


def _flow_parts(data: dict[str, Any]) -> dict[str, Any]:
    data["leefgeld"] = _Flow(data["leefgeld"])
    data["buffer"] = _Flow(data["buffer"])
    for section in ("incomes", "charges"):
        for item in data.get(section, []):
            item["schedule"] = _Flow(item["schedule"])
            if "terms" in item:
                item["terms"] = _FlowList(item["terms"])
            for windows in ("pause", "temporary"):
                if windows in item:
                    item[windows] = [_Flow(window) for window in item[windows]]
    return data
