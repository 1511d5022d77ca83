"""The generated parts of the DPIA text in docs/privacy.md (issue 20.7).

`hhb privacy dpia-tables` writes them between their markers; a test fails when the
document is out of date. Two parts come from here: the data categories with where
each is stored and how long it is kept (from the schema's classification in
`adapters/persistence/data_categories.py` and the retention defaults of
`domain.household.Gemeente`); the role × data matrix comes from the web's route
table (`web/access_matrix.py`) and is put together by the command line.
"""

from __future__ import annotations

import dataclasses

from huishoudboekje.adapters.persistence.data_categories import (
    CATEGORIES,
    TABLES,
    Category,
    Kept,
    columns_of,
)
from huishoudboekje.adapters.persistence.tables import HhbTable
from huishoudboekje.domain.household import SETTLEMENT_DAYS, Gemeente

__all__ = [
    "DATA_CATEGORIES",
    "begin_marker",
    "data_categories_markdown",
    "end_marker",
    "replace_between_markers",
    "retention_default",
    "schema_columns",
    "unclassified_columns",
]

DATA_CATEGORIES = "data-categories"


def begin_marker(name: str) -> str:
    """The line that opens a generated part of docs/privacy.md."""
    return f"<!-- BEGIN GENERATED {name}: hhb privacy dpia-tables --write docs/privacy.md -->"


def end_marker(name: str) -> str:
    """The line that closes a generated part."""
    return f"<!-- END GENERATED {name} -->"


def replace_between_markers(document: str, name: str, body: str) -> str:
    """`document` with the text between the markers of part `name` replaced by `body`.
    Raises ValueError when the markers are missing or out of order."""
    begin, end = begin_marker(name), end_marker(name)
    start, stop = document.find(begin), document.find(end)
    if start < 0 or stop < start:
        raise ValueError(f"the markers of {name!r} are missing or out of order")
    head = document[: start + len(begin)]
    return f"{head}\n{body.strip()}\n{document[stop:]}"


def retention_default(name: str) -> int:
    """The default of a retention setting of the gemeente (`retention_years`, ...)."""
    fields = {f.name: f for f in dataclasses.fields(Gemeente)}
    value = fields[name].default
    assert isinstance(value, int), name
    return value


def _kept(kept: Kept) -> str:
    years = retention_default("retention_years")
    months = retention_default("document_retention_months")
    settle = SETTLEMENT_DAYS.days
    return {
        Kept.FINANCIAL: "anonymised by `hhb privacy purge` from 1 January after "
        f"`retention_years` (default {years}) whole fiscal years after the year of the "
        f"settlement (end + {settle} days); amounts, dates, kinds and codes stay",
        Kept.ACCOUNTS: "a household's accounts are deactivated and renamed, password "
        "removed, invites and login attempts deleted by the purge; staff accounts until "
        "the beheerder deactivates them; staff login attempts are kept",
        Kept.AUDIT: "kept for accountability; the purge replaces the before/after of "
        "events about the household and the household's user names",
        Kept.VIEW_LOG: "kept as it is (household codes and staff names, no contents); no "
        "automatic deletion: the gemeente sets a period in its archive policy",
        Kept.DOCUMENTS: f"`document_retention_months` (default {months}) after the end "
        "of participation: the purge removes the signed form, the consent record stays",
    }[kept]


def data_categories_markdown() -> str:
    """The DPIA table: category, what it holds, where it is stored, how long."""
    lines = [
        "| category | what | stored in (database `table.column`) | also | kept |",
        "|---|---|---|---|---|",
    ]
    for category in Category:
        info = CATEGORIES[category]
        where = ", ".join(f"`{c}`" for c in columns_of(category)) or "not in the database"
        also = info.elsewhere or "—"
        row = (info.title, info.holds, where, also, _kept(info.kept))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def schema_columns() -> dict[str, set[str]]:
    """Every table of the schema with its columns."""
    return {
        name: {column.name for column in table.columns}
        for name, table in HhbTable.metadata.tables.items()
    }


def unclassified_columns() -> list[str]:
    """`table.column`s in the schema but not in the classification, and the other way
    round (stale ones, marked with a leading '-'). Empty when all is classified."""
    problems: list[str] = []
    schema = schema_columns()
    for table in sorted(set(schema) | set(TABLES)):
        use = TABLES.get(table)
        known = set(use.personal) | set(use.not_personal) if use else set()
        present = schema.get(table, set())
        problems += [f"{table}.{c}" for c in sorted(present - known)]
        problems += [f"-{table}.{c}" for c in sorted(known - present)]
        if use and set(use.personal) & set(use.not_personal):
            problems.append(f"{table}: a column is both personal and not")
    return problems
