"""Checks that span several fields of a configuration file, done on the raw data.

They run even when other fields are wrong, so the operator sees every problem
in one go: duplicate household codes and rule ids, an end before its start, a
charge linked to a reserve the household lacks, a reserve with both or neither
of monthly and percent_of_toeslag, a leefgeld amount without policy fixed.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from huishoudboekje.adapters.config.errors import Loc, path_text
from huishoudboekje.adapters.config.values import optional_day
from huishoudboekje.domain.household import LeefgeldPolicyKind


def cross_checks(data: object) -> list[tuple[Loc, str]]:
    """Checks that span several fields, done on the raw data so they run even when
    other fields are wrong (the operator sees every problem in one go)."""
    found: list[tuple[Loc, str]] = []
    if not isinstance(data, dict):
        return found
    households = data.get("households")
    if not isinstance(households, list):
        return found
    _duplicates(households, ("households",), "code", "household code", found)
    for index, household in enumerate(households):
        if isinstance(household, dict):
            _household_checks(household, ("households", index), found)
    return found


def _household_checks(household: dict[str, Any], loc: Loc, found: list[tuple[Loc, str]]) -> None:
    _period(household, "start", "end", loc, found)
    sections = {"incomes": "income id", "charges": "charge id", "reserves": "reserve id"}
    for section, label in sections.items():
        items = household.get(section)
        if isinstance(items, list):
            _duplicates(items, (*loc, section), "id", label, found)
    reserves = household.get("reserves")
    reserve_ids = set()
    if isinstance(reserves, list):
        for index, item in enumerate(reserves):
            if not isinstance(item, dict):
                continue
            reserve_ids.add(item.get("id"))
            has_monthly = item.get("monthly") is not None
            has_percent = item.get("percent_of_toeslag") is not None
            if has_monthly == has_percent:
                found.append(
                    (
                        (*loc, "reserves", index),
                        "give either monthly or percent_of_toeslag (exactly one of them)",
                    )
                )
    charges = household.get("charges")
    if isinstance(charges, list):
        for index, item in enumerate(charges):
            if not isinstance(item, dict):
                continue
            _period(item, "valid_from", "valid_until", (*loc, "charges", index), found)
            link = item.get("reserve")
            if link is not None and link not in reserve_ids:
                message = f'reserve "{link}" is not one of this household\'s reserves'
                found.append(((*loc, "charges", index, "reserve"), message))
    leefgeld = household.get("leefgeld")
    if isinstance(leefgeld, dict):
        fixed = leefgeld.get("policy") == LeefgeldPolicyKind.FIXED.value
        if fixed and leefgeld.get("amount") is None:
            found.append(((*loc, "leefgeld", "amount"), "policy fixed needs an amount"))
        if not fixed and leefgeld.get("amount") is not None:
            found.append(((*loc, "leefgeld", "amount"), "amount is only used with policy fixed"))


def _duplicates(
    items: list[Any], loc: Loc, key: str, label: str, found: list[tuple[Loc, str]]
) -> None:
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        value = item.get(key) if isinstance(item, dict) else None
        if not isinstance(value, str):
            continue
        value = value.strip()
        if value in first:
            message = f'{label} "{value}" is used twice (also at {path_text((*loc, first[value]))})'
            found.append(((*loc, index, key), message))
        else:
            first[value] = index


def _period(
    item: dict[str, Any], start_key: str, end_key: str, loc: Loc, found: list[tuple[Loc, str]]
) -> None:
    try:
        start = optional_day(item.get(start_key))
        end = optional_day(item.get(end_key))
    except PydanticCustomError:
        return  # the field check reports the bad date itself
    if start is not None and end is not None and end < start:
        message = f"{end_key} {end.isoformat()} is before {start_key} {start.isoformat()}"
        found.append(((*loc, end_key), message))
