"""Reading a configuration file: YAML with line numbers, then every check.

All problems are collected before anything is reported: pydantic checks each
field; cross-field checks (duplicate codes, end before start, reserve links)
run on the raw data so they report even when other fields are wrong.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from huishoudboekje.adapters.config.config_error import ConfigError, ConfigProblem, Loc, path_text
from huishoudboekje.adapters.config.schema import (
    ConfigModel,
    Configuration,
    GemeenteModel,
    HouseholdModel,
    model_at,
)
from huishoudboekje.adapters.config.values import optional_day, stored_data
from huishoudboekje.domain.household import Gemeente, Household, LeefgeldPolicyKind
from huishoudboekje.domain.limits import InputLimits, LimitSettingError, input_limits, over_limit


def load_config(path: str | Path) -> Configuration:
    """Read and check a YAML file; raises `ConfigError` listing every problem."""
    file = str(path)
    limits = _limits(file)
    try:
        with Path(path).open("rb") as stream:
            raw = stream.read(limits.config_bytes + 1)  # never more than the limit
        if len(raw) > limits.config_bytes:
            raise ConfigError([ConfigProblem(file, "", None, _too_large(limits))])
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([ConfigProblem(file, "", None, f"cannot read the file: {exc}")]) from None
    return parse_config(text, file=file)


def parse_config(text: str, file: str = "<config>") -> Configuration:
    """Check YAML text; raises `ConfigError` listing every problem (with path and line)."""
    limits = _limits(file)
    if len(text) > limits.config_bytes:
        raise ConfigError([ConfigProblem(file, "", None, _too_large(limits))])
    readable, data, lines, problems = _read_yaml(text, file, limits)
    if not readable:
        raise ConfigError(problems)
    model: ConfigModel | None = None
    try:
        model = ConfigModel.model_validate(data)
    except ValidationError as exc:
        problems.extend(_problem_from_error(err, file, lines) for err in exc.errors())
    problems.extend(
        ConfigProblem(file, path_text(loc), _line(lines, loc), message)
        for loc, message in _cross_checks(data)
    )
    if problems or model is None:
        raise ConfigError(sorted(problems, key=lambda p: p.line or 0))
    return model.to_configuration(file)


def household_from_data(data: Mapping[str, Any]) -> Household:
    """Build a `Household` from its plain-data form (as stored or exported).

    Stored data: the ranges of `domain.limits` do not apply (see `stored_data`)."""
    try:
        with stored_data():
            return HouseholdModel.model_validate(data).to_domain()
    except ValidationError as exc:
        code = data.get("code", "?")
        where = f"household {code}"
        raise ConfigError([_problem_from_error(e, where, {}) for e in exc.errors()]) from None


def gemeente_from_data(data: Mapping[str, Any]) -> Gemeente:
    """Build a `Gemeente` from its plain-data form (stored: the ranges do not apply)."""
    try:
        with stored_data():
            return GemeenteModel.model_validate(data).to_domain()
    except ValidationError as exc:
        raise ConfigError([_problem_from_error(e, "gemeente", {}) for e in exc.errors()]) from None


def _limits(file: str) -> InputLimits:
    try:
        return input_limits(os.environ)
    except LimitSettingError as exc:
        raise ConfigError([ConfigProblem(file, "", None, str(exc))]) from None


def _too_large(limits: InputLimits) -> str:
    return over_limit("config_bytes", limits.config_bytes, "the file is too large")


def _read_yaml(
    text: str, file: str, limits: InputLimits
) -> tuple[bool, object, dict[Loc, int], list[ConfigProblem]]:
    """(readable, data, line of each path, problems). Repeated keys are problems
    but the rest of the file is still checked; a syntax error ends the reading."""
    loader = _LineLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            message = over_limit(
                "config_depth", limits.config_depth, "lists and mappings are nested too deep"
            )
            return False, None, {}, [ConfigProblem(file, "", None, message)]
        if node is None:
            return False, None, {}, [ConfigProblem(file, "", None, "the file is empty")]
        too_much = _expanded_size_problem(node, limits)
        if too_much is not None:
            line = node.start_mark.line + 1
            return False, None, {}, [ConfigProblem(file, "", line, too_much)]
        lines: dict[Loc, int] = {}
        duplicates: list[tuple[Loc, int, str]] = []
        _walk(node, (), lines, duplicates, set())
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "unreadable"
        problem = ConfigProblem(file, "", line, f"this is not valid YAML: {reason}")
        return False, None, {}, [problem]
    except yaml.YAMLError as exc:
        return False, None, {}, [ConfigProblem(file, "", None, f"this is not valid YAML: {exc}")]
    finally:
        loader.dispose()
    problems = [ConfigProblem(file, path_text(loc), line, msg) for loc, line, msg in duplicates]
    return True, data, lines, problems


def _expanded_size_problem(root: yaml.Node, limits: InputLimits) -> str | None:
    """Why the document is too big once its aliases are expanded, or None.

    YAML anchors and aliases (and `<<` merge keys) are allowed: a configuration
    may share a leefgeld block between households. But every later step walks
    the expanded data, and nine levels of ten aliases each ("billion laughs")
    expand a few hundred bytes into a billion values. The expanded size is
    counted here on the node graph, each distinct node once (memoised), so the
    count itself costs no more than the file is long."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active or depth > limits.config_depth:
            return 1  # a cycle (reported elsewhere) / too deep (reported below)
        active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                total += size(key_node, depth + 1) + size(value_node, depth + 1)
                if total > limits.config_nodes:
                    break
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item, depth + 1)
                if total > limits.config_nodes:
                    break
        active.discard(key)
        sizes[key] = total
        return total

    if _depth(root, limits.config_depth) > limits.config_depth:
        return over_limit(
            "config_depth",
            limits.config_depth,
            f"lists and mappings are nested more than {limits.config_depth} deep",
        )
    if size(root, 0) > limits.config_nodes:
        return over_limit(
            "config_nodes",
            limits.config_nodes,
            "the file expands to too many values; YAML aliases repeat other parts too often",
        )
    return None


def _depth(root: yaml.Node, limit: int) -> int:
    """How deep the node graph nests (stops counting just past `limit`; no recursion)."""
    deepest = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    seen: set[tuple[int, int]] = set()
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > limit or (id(node), depth) in seen:
            continue
        seen.add((id(node), depth))
        if isinstance(node, yaml.MappingNode):
            stack.extend((value, depth + 1) for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
    return deepest


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that leaves an impossible date (2026-02-30) as text, so the field
    check reports it with its path instead of the whole file failing."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date or datetime; the text itself when it names no real day."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return str(node.value)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)


def _walk(
    node: yaml.Node,
    loc: Loc,
    lines: dict[Loc, int],
    duplicates: list[tuple[Loc, int, str]],
    active: set[int],
) -> None:
    """Record the line of every mapping key and list item; find repeated keys."""
    lines.setdefault(loc, node.start_mark.line + 1)
    if id(node) in active:  # a YAML alias pointing back at itself
        return
    active.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            key = str(key_node.value)
            key_line = key_node.start_mark.line + 1
            if key in first_seen:
                message = f'"{key}" is given twice (first on line {first_seen[key]})'
                duplicates.append(((*loc, key), key_line, message))
                continue
            first_seen[key] = key_line
            lines[(*loc, key)] = key_line
            _walk(value_node, (*loc, key), lines, duplicates, active)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*loc, index), lines, duplicates, active)
    active.discard(id(node))


def _line(lines: Mapping[Loc, int], loc: Sequence[str | int]) -> int | None:
    key = tuple(loc)
    while True:
        if key in lines:
            return lines[key]
        if not key:
            return None
        key = key[:-1]


def _problem_from_error(err: ErrorDetails, file: str, lines: Mapping[Loc, int]) -> ConfigProblem:
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "hhb":
        message = err["msg"]
    elif kind == "missing":
        message = "this field is required but missing"
    elif kind == "extra_forbidden":
        model = model_at(loc[:-1])
        fields = model.model_fields.items() if model is not None else ()
        allowed = ", ".join(info.alias or name for name, info in fields)
        message = f'unknown field "{loc[-1]}"' + (f"; allowed fields: {allowed}" if allowed else "")
    elif kind in {"model_type", "dict_type", "model_attributes_type"}:
        message = 'expected a mapping (lines of "field: value")'
    elif kind in {"list_type", "tuple_type"}:
        message = 'expected a list (lines starting with "- ")'
    else:
        message = err["msg"]
    return ConfigProblem(file, path_text(loc), _line(lines, loc), message)


# ------------------------------------------------------------- cross-field checks


def _cross_checks(data: object) -> list[tuple[Loc, str]]:
    """Checks that span several fields, done on the raw data so they run even when
    other fields are wrong (the operator sees every problem in one go)."""
    found: list[tuple[Loc, str]] = []
    if not isinstance(data, dict):
        return found
    if "gemeenten" in data:
        return _region_checks(data, found)
    if data.get("gemeente") is None:
        found.append(
            (
                ("gemeente",),
                "this field is required but missing (or give a list gemeenten: for "
                "several gemeenten)",
            )
        )
    households = data.get("households")
    if not isinstance(households, list):
        return found
    _duplicates(households, ("households",), "code", "household code", found)
    _household_list_checks(households, ("households",), _pooled(data.get("gemeente")), found)
    return found


def _region_checks(data: dict[str, Any], found: list[tuple[Loc, str]]) -> list[tuple[Loc, str]]:
    """The checks of a file with a list `gemeenten` (issue 22): codes and pooled
    accounts used once, household codes unique in the whole installation."""
    if "gemeente" in data:
        found.append(
            (
                ("gemeente",),
                "give either gemeente: (one gemeente) or gemeenten: (a list), not both",
            )
        )
    if "households" in data:
        found.append(
            (
                ("households",),
                "with gemeenten:, each household goes under its own gemeente "
                "(gemeenten: - code: ... households: ...)",
            )
        )
    gemeenten = data.get("gemeenten")
    if not isinstance(gemeenten, list):
        return found  # the field check reports it
    if not gemeenten:
        found.append((("gemeenten",), "the list is empty; give at least one gemeente"))
    _duplicates(gemeenten, ("gemeenten",), "code", "gemeente code", found)
    accounts: dict[str, Loc] = {}
    codes: dict[str, Loc] = {}
    for index, gemeente in enumerate(gemeenten):
        if not isinstance(gemeente, dict):
            continue
        for loc, iban in _account_ibans(gemeente, ("gemeenten", index)):
            if iban in accounts:
                message = (
                    f"pooled account {iban} is used twice (also at {path_text(accounts[iban])}); "
                    "statements are routed to their gemeente by this account"
                )
                found.append((loc, message))
            else:
                accounts[iban] = loc
    for index, gemeente in enumerate(gemeenten):
        households = gemeente.get("households") if isinstance(gemeente, dict) else None
        if not isinstance(households, list):
            continue
        loc = ("gemeenten", index, "households")
        for place, household in enumerate(households):
            code = household.get("code") if isinstance(household, dict) else None
            if not isinstance(code, str):
                continue
            if code.strip() in codes:
                message = (
                    f'household code "{code.strip()}" is used twice (also at '
                    f"{path_text(codes[code.strip()])}); a household code must be unique "
                    "in the whole installation, across all gemeenten"
                )
                found.append(((*loc, place, "code"), message))
            else:
                codes[code.strip()] = (*loc, place)
        _household_list_checks(households, loc, set(accounts), found)
    return found


def _account_ibans(gemeente: dict[str, Any], loc: Loc) -> list[tuple[Loc, str]]:
    """Each pooled account IBAN of a raw gemeente with its location (compact form)."""
    found: list[tuple[Loc, str]] = []
    if _compact(gemeente.get("account_iban")):
        found.append(((*loc, "account_iban"), _compact(gemeente.get("account_iban"))))
    extra = gemeente.get("extra_accounts")
    for index, account in enumerate(extra if isinstance(extra, list) else []):
        if isinstance(account, dict) and _compact(account.get("iban")):
            found.append(((*loc, "extra_accounts", index, "iban"), _compact(account.get("iban"))))
    return found


def _pooled(gemeente: object) -> set[str]:
    """The pooled account IBANs of a raw one-gemeente `gemeente` mapping."""
    if not isinstance(gemeente, dict):
        return set()
    return {iban for _, iban in _account_ibans(gemeente, ())}


def _household_list_checks(
    households: list[Any], loc: Loc, pooled: set[str], found: list[tuple[Loc, str]]
) -> None:
    for index, household in enumerate(households):
        if isinstance(household, dict):
            _household_checks(household, (*loc, index), found)
            if _compact(household.get("iban")) in pooled:
                message = (
                    "is the gemeente's pooled account (account_iban); "
                    "a household needs its own account"
                )
                found.append(((*loc, index, "iban"), message))


def _compact(iban: object) -> str:
    """An IBAN as text without spaces, upper case; "" for anything that is not text."""
    return "".join(iban.split()).upper() if isinstance(iban, str) else ""


def _household_checks(household: dict[str, Any], loc: Loc, found: list[tuple[Loc, str]]) -> None:
    _period(household, "start", "end", loc, found)
    _consent_scope(household, loc, found)
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
            if isinstance(item.get("id"), str):  # a list or mapping here is reported by field
                reserve_ids.add(item["id"])
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
            if isinstance(link, str) and link not in reserve_ids:
                message = f'reserve "{link}" is not one of this household\'s reserves'
                found.append(((*loc, "charges", index, "reserve"), message))
    leefgeld = household.get("leefgeld")
    if isinstance(leefgeld, dict):
        fixed = leefgeld.get("policy") == LeefgeldPolicyKind.FIXED.value
        if fixed and leefgeld.get("amount") is None:
            found.append(((*loc, "leefgeld", "amount"), "policy fixed needs an amount"))
        if not fixed and leefgeld.get("amount") is not None:
            found.append(((*loc, "leefgeld", "amount"), "amount is only used with policy fixed"))


def _consent_scope(household: dict[str, Any], loc: Loc, found: list[tuple[Loc, str]]) -> None:
    """A consent's scope names only incomes and charges this household has."""
    consent = household.get("consent")
    scope = consent.get("scope") if isinstance(consent, dict) else None
    if not isinstance(scope, dict):
        return
    for section, label in (("incomes", "income"), ("charges", "charge")):
        rules = household.get(section)
        known = (
            {r.get("id") for r in rules if isinstance(r, dict)}
            if isinstance(rules, list)
            else set()
        )
        ids = scope.get(section)
        for index, rule_id in enumerate(ids if isinstance(ids, list) else []):
            if isinstance(rule_id, str) and rule_id not in known:
                message = f'{label} "{rule_id}" is not one of this household\'s {section}'
                found.append(((*loc, "consent", "scope", section, index), message))


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
