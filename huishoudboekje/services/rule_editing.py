"""Checking a household edited by staff with exactly the rules of the YAML configuration.

A staff form yields plain data in the configuration's form (strings for amounts,
``"2026-01-01"`` for dates). `check_household` runs it through `parse_config`
(the same pydantic models and cross-field checks as `hhb config apply`) and
returns the `Household` or `FieldProblem`s keyed by the path inside the household
(``charges[0].amount``), so a form can show each message beside its field.
Nothing is saved here.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from huishoudboekje.adapters.config import (
    ConfigError,
    gemeente_to_data,
    household_to_data,
    jsonable,
)
from huishoudboekje.adapters.config import parse_config as _parse_config
from huishoudboekje.domain.dutch_text import day_nl
from huishoudboekje.domain.household import FixedCharge, Gemeente, Household, IncomeStream, Reserve
from huishoudboekje.domain.schedule import Schedule
from huishoudboekje.services.errors import UserError

_PLACEHOLDER_GEMEENTE = {
    "name": "Controle",
    "account_iban": "NL91ABNA0417164300",
    "account_name": "Controle",
}
Rule = FixedCharge | IncomeStream | Reserve
_PREFIX = re.compile(r"^households\[0\]\.?")
_DUTCH_AMOUNT = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d{1,2})?$|^-?\d+(,\d{1,2})?$")


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One problem, at a path inside the household ("" for the household as a whole)."""

    path: str
    message: str


class HouseholdInvalidError(UserError, ValueError):
    """The edited household breaks a configuration rule; `problems` says where."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in self.problems))

    def by_field(self) -> dict[str, str]:
        """Messages by path (the first per path)."""
        out: dict[str, str] = {}
        for problem in self.problems:
            out.setdefault(problem.path, problem.message)
        return out


def normalize_amount(text: str) -> str:
    """Accept how people type amounts: "725,40", "€ 1.234,56" → "725.40", "1234.56".
    Anything else is returned stripped, for the configuration rules to judge."""
    value = text.strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    if "," in value and _DUTCH_AMOUNT.match(value):
        return value.replace(".", "").replace(",", ".")
    return value


def check_household(data: Mapping[str, Any], gemeente: Gemeente | None = None) -> Household:
    """The household described by `data`, checked like a configuration file.

    Raises `HouseholdInvalidError` listing every problem.
    """
    document = {
        "gemeente": jsonable(gemeente_to_data(gemeente)) if gemeente else _PLACEHOLDER_GEMEENTE,
        "households": [jsonable(dict(data))],
    }
    try:
        config = _parse_config(json.dumps(document), file="formulier")
    except ConfigError as exc:
        problems = [
            FieldProblem(_PREFIX.sub("", p.path), p.message)
            for p in exc.problems
            if not p.path.startswith("gemeente")
        ]
        raise HouseholdInvalidError(problems or [FieldProblem("", str(exc))]) from None
    return config.households[0]


def household_data(household: Household) -> dict[str, Any]:
    """A household's full plain data, JSON-safe, ready to edit."""
    data: dict[str, Any] = jsonable(household_to_data(household, full=True))
    return data


def with_rule(
    data: Mapping[str, Any], section: str, rule: Mapping[str, Any], replaces: str | None
) -> dict[str, Any]:
    """A copy of household `data` with `rule` put in `section` (incomes, charges or
    reserves): in place of the rule with id `replaces`, or appended when None."""
    if section not in {"incomes", "charges", "reserves"}:
        raise ValueError(f"unknown section {section!r}")
    rules = [dict(r) for r in data.get(section, [])]
    if replaces is None:
        rules.append(dict(rule))
    else:
        rules = [dict(rule) if r.get("id") == replaces else r for r in rules]
    out = dict(data)
    out[section] = rules
    return out


def rule_index(data: Mapping[str, Any], section: str, rule_id: str | None) -> int:
    """Where a rule is (or will be) in its section: the index used in problem paths."""
    rules = list(data.get(section, []))
    for index, rule in enumerate(rules):
        if rule.get("id") == rule_id:
            return index
    return len(rules)


def rule_end(rule: Rule) -> date | None:
    """The last day a rule applies: `valid_until` of a reserve; the end of an income's
    schedule (its ``UNTIL``, or the last date of a ``COUNT``); for a charge the
    earlier of both (None: no end)."""
    if isinstance(rule, IncomeStream):
        return rule.schedule.end
    if isinstance(rule, FixedCharge):
        ends = [day for day in (rule.valid_until, rule.schedule.end) if day is not None]
        return min(ends) if ends else None
    return rule.valid_until


def end_rule(data: Mapping[str, Any], section: str, rule_id: str, last: date) -> dict[str, Any]:
    """A copy of household `data` in which the rule `rule_id` of `section` ends on
    `last` (inclusive): charges and reserves get ``valid_until``; an income's
    schedule gets ``UNTIL`` in its rule, so no date after `last` is expected."""
    rules = {r.get("id"): r for r in data.get(section, [])}
    if rule_id not in rules:
        raise KeyError(f"{section} has no rule {rule_id!r}")
    rule = copy.deepcopy(dict(rules[rule_id]))
    if section == "incomes":
        schedule = rule["schedule"]
        start = date.fromisoformat(str(schedule["start"]))
        schedule["rrule"] = Schedule(start, str(schedule["rrule"])).ending_on(last).rrule
    elif section in {"charges", "reserves"}:
        rule["valid_until"] = last.isoformat()
    else:
        raise ValueError(f"unknown section {section!r}")
    return with_rule(data, section, rule, rule_id)


def find_rule(household: Household, section: str, rule_id: str) -> Rule | None:
    """The rule `rule_id` in `section` (charges, incomes or reserves), or None."""
    sections: dict[str, Sequence[Rule]] = {
        "charges": household.charges,
        "incomes": household.incomes,
        "reserves": household.reserves,
    }
    return next((rule for rule in sections.get(section, ()) if rule.id == rule_id), None)


def _day_year(day: date) -> str:
    return f"{day_nl(day)} {day.year}"


def end_problem(rule: Rule, last: date, today: date) -> str:
    """Why `rule` cannot end on `last` (empty: it can). An ended rule is not revived
    by a later end date, and a rule cannot end before its first day."""
    current = rule_end(rule)
    if current is not None and current < today:
        return (
            f"Deze regel is al afgelopen op {_day_year(current)}. Een nieuwe einddatum zou "
            "hem weer laten beginnen; maak daarvoor een nieuwe regel."
        )
    if isinstance(rule, FixedCharge) and rule.valid_from is not None and last < rule.valid_from:
        return f"Deze vaste last begint pas op {_day_year(rule.valid_from)}. Kies die dag of later."
    if isinstance(rule, IncomeStream):
        first = rule.schedule.next_on_or_after(rule.schedule.start)
        if first is not None and last < first:
            return (
                f"Dit inkomen komt pas voor het eerst op {_day_year(first)}. Kies die dag of later."
            )
    return ""


WINDOW_KINDS = ("pause", "temporary")


def with_window(
    data: Mapping[str, Any],
    charge_id: str,
    kind: str,
    first: date,
    last: date,
    amount: str | None = None,
) -> dict[str, Any]:
    """A copy of household `data` in which charge `charge_id` gets one more window:
    a pause (`kind` "pause") or a temporary `amount` ("temporary"), from `first` up
    to and including `last`. Overlaps are judged by the configuration's rules."""
    if kind not in WINDOW_KINDS:
        raise ValueError(f"unknown window {kind!r}")
    charge = _charge_copy(data, charge_id)
    window: dict[str, Any] = {"from": first.isoformat(), "until": last.isoformat()}
    if kind == "temporary":
        window["amount"] = amount
    charge[kind] = sorted([*charge.get(kind, []), window], key=lambda w: str(w["from"]))
    return with_rule(data, "charges", charge, charge_id)


def without_window(
    data: Mapping[str, Any], charge_id: str, kind: str, first: date
) -> dict[str, Any] | None:
    """A copy of `data` without the window of `kind` starting on `first` of charge
    `charge_id` (None when there is no such window)."""
    if kind not in WINDOW_KINDS:
        return None
    charge = _charge_copy(data, charge_id)
    windows = list(charge.get(kind, []))
    kept = [w for w in windows if str(w.get("from")) != first.isoformat()]
    if len(kept) == len(windows):
        return None
    charge[kind] = kept
    return with_rule(data, "charges", charge, charge_id)


def with_total(data: Mapping[str, Any], charge_id: str, total: str | None) -> dict[str, Any]:
    """A copy of `data` in which charge `charge_id` stops once `total` is paid (None:
    no total, it runs on)."""
    charge = _charge_copy(data, charge_id)
    charge["total"] = total
    return with_rule(data, "charges", charge, charge_id)


def _charge_copy(data: Mapping[str, Any], charge_id: str) -> dict[str, Any]:
    charges = {c.get("id"): c for c in data.get("charges", [])}
    if charge_id not in charges:
        raise KeyError(f"charges has no rule {charge_id!r}")
    return copy.deepcopy(dict(charges[charge_id]))
