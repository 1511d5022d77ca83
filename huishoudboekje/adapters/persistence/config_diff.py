"""What applying a configuration file changes: the comparison, without reading or writing.

`diff_config` compares the stored gemeente and households with a parsed file
and returns a `ChangeSet` (amounts as before → after, rule by rule); the
`ChangeSet` also writes the plain-text report `hhb config apply` prints.
It reads and writes nothing; `services.configuration.apply_config` saves what it
finds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from huishoudboekje.adapters.config import Configuration, gemeente_to_data, household_to_data
from huishoudboekje.domain.household import Gemeente, Household

_RULE_SECTIONS = (("incomes", "income"), ("charges", "charge"), ("reserves", "reserve"))


class Status(StrEnum):
    """What applying a file does to a household, a rule or the gemeente."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REMOVED = "removed"
    NOT_IN_FILE = "not in file"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that changed, both values shown as text."""

    field: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.field}: {self.before} → {self.after}"


@dataclass(frozen=True, slots=True)
class RuleChange:
    """An income, charge or reserve that was added, removed or changed."""

    section: str  # "income", "charge" or "reserve"
    rule_id: str
    status: Status
    fields: tuple[FieldChange, ...] = ()

    def __str__(self) -> str:
        if self.status is not Status.UPDATED:
            return f"{self.section} {self.rule_id}: {self.status.value}"
        return f"{self.section} {self.rule_id}: " + "; ".join(str(f) for f in self.fields)


@dataclass(frozen=True, slots=True)
class HouseholdChange:
    """What applying the file does to one household."""

    code: str
    name: str
    status: Status
    fields: tuple[FieldChange, ...] = ()
    rules: tuple[RuleChange, ...] = ()
    notes: tuple[str, ...] = ()
    before: Household | None = None
    after: Household | None = None


@dataclass(frozen=True, slots=True)
class GemeenteChange:
    """What applying the file does to the gemeente's settings."""

    name: str
    status: Status
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Everything `apply_config` changed (or, for a dry run, would change)."""

    gemeente: GemeenteChange
    households: tuple[HouseholdChange, ...]
    dry_run: bool = False
    # issue 22: the other gemeenten of a regional file, in file order
    others: tuple[GemeenteChange, ...] = ()

    def with_status(self, status: Status) -> tuple[HouseholdChange, ...]:
        """The households with this status."""
        return tuple(h for h in self.households if h.status is status)

    @property
    def has_changes(self) -> bool:
        """True when something is (or would be) saved."""
        if any(g.status is not Status.UNCHANGED for g in (self.gemeente, *self.others)):
            return True
        return any(h.status in {Status.ADDED, Status.UPDATED} for h in self.households)

    def lines(self) -> list[str]:
        """A plain-text report, one line per change."""
        out: list[str] = []
        for gemeente in (self.gemeente, *self.others):
            out.append(f"Gemeente {gemeente.name}: {gemeente.status.value}")
            out.extend(f"    {f}" for f in gemeente.fields)
        for h in self.households:
            if h.status is Status.NOT_IN_FILE:
                out.append(f"{h.code} {h.name}: stored but not in this file; left as it is")
                continue
            summary = _rule_counts(h.after) if h.status is Status.ADDED else ""
            out.append(f"{h.code} {h.name}: {h.status.value}{summary}")
            out.extend(f"    {f}" for f in h.fields)
            out.extend(f"    {r}" for r in h.rules)
            out.extend(f"    {n}" for n in h.notes)
        counts = ", ".join(
            f"{len(self.with_status(s))} {s.value}"
            for s in (Status.ADDED, Status.UPDATED, Status.UNCHANGED, Status.NOT_IN_FILE)
        )
        out.append(f"Households: {counts}.")
        if self.dry_run:
            out.append("Dry run: nothing was saved.")
        elif not self.has_changes:
            out.append("Nothing to change.")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _rule_counts(household: Household | None) -> str:
    if household is None:
        return ""
    parts = [
        _plural(len(household.incomes), "income"),
        _plural(len(household.charges), "charge"),
        _plural(len(household.reserves), "reserve"),
    ]
    return f" ({', '.join(parts)})"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


# ------------------------------------------------------------------- comparing


def diff_config(
    current_gemeente: Gemeente | None,
    current_households: Iterable[Household],
    config: Configuration,
) -> ChangeSet:
    """Compare what is stored with a configuration (pure: reads and writes nothing)."""
    stored = {h.code: h for h in current_households}
    gemeente = gemeente_change(current_gemeente, config.gemeente)
    changes = [_household_change(stored.get(h.code), h) for h in config.households]
    in_file = {h.code for h in config.households}
    changes.extend(
        HouseholdChange(code, h.name, Status.NOT_IN_FILE, before=h, after=h)
        for code, h in sorted(stored.items())
        if code not in in_file
    )
    return ChangeSet(gemeente, tuple(changes))


def gemeente_change(before: Gemeente | None, after: Gemeente) -> GemeenteChange:
    """What saving `after` over the stored `before` changes in a gemeente's settings."""
    if before is None:
        return GemeenteChange(after.name, Status.ADDED)
    if before == after:
        return GemeenteChange(after.name, Status.UNCHANGED)
    fields = _field_changes(gemeente_to_data(before, full=True), gemeente_to_data(after, full=True))
    return GemeenteChange(after.name, Status.UPDATED, fields)


def _household_change(before: Household | None, after: Household) -> HouseholdChange:
    if before is None:
        return HouseholdChange(after.code, after.name, Status.ADDED, after=after)
    same_place = before.gemeente_id == after.gemeente_id  # compare=False, like the consent
    if before == after and before.consent == after.consent and same_place:
        return HouseholdChange(after.code, after.name, Status.UNCHANGED, before=before, after=after)
    old = household_to_data(before, full=True)
    new = household_to_data(after, full=True)
    sections = [key for key, _ in _RULE_SECTIONS]
    fields = _field_changes(
        {k: v for k, v in old.items() if k not in sections},
        {k: v for k, v in new.items() if k not in sections},
    )
    if before.gemeente_id != after.gemeente_id:  # issue 22: moved to another gemeente
        moved = FieldChange("gemeente", str(before.gemeente_id), str(after.gemeente_id))
        fields = (*fields, moved)
    rules: list[RuleChange] = []
    notes: list[str] = []
    for key, label in _RULE_SECTIONS:
        rules.extend(_rule_changes(label, old[key], new[key]))
        old_ids = [r["id"] for r in old[key]]
        new_ids = [r["id"] for r in new[key]]
        if old_ids != new_ids and sorted(old_ids) == sorted(new_ids):
            notes.append(f"order of {key} changed")
    return HouseholdChange(
        after.code,
        after.name,
        Status.UPDATED,
        tuple(fields),
        tuple(rules),
        tuple(notes),
        before=before,
        after=after,
    )


def _rule_changes(
    label: str, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[RuleChange]:
    old_by_id = {r["id"]: r for r in old}
    new_by_id = {r["id"]: r for r in new}
    changes: list[RuleChange] = []
    for rule_id, rule in new_by_id.items():
        previous = old_by_id.get(rule_id)
        if previous is None:
            changes.append(RuleChange(label, rule_id, Status.ADDED))
        elif previous != rule:
            fields = _field_changes(previous, rule)
            changes.append(RuleChange(label, rule_id, Status.UPDATED, tuple(fields)))
    changes.extend(
        RuleChange(label, rule_id, Status.REMOVED)
        for rule_id in old_by_id
        if rule_id not in new_by_id
    )
    return changes


def _field_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    before = _flatten(old)
    after = _flatten(new)
    keys = list(after) + [k for k in before if k not in after]
    return tuple(
        FieldChange(key, before.get(key, "(none)"), after.get(key, "(none)"))
        for key in keys
        if before.get(key) != after.get(key)
    )


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = _show(value)
    return flat


def _show(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)
