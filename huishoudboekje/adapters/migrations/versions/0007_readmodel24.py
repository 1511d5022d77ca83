"""The read model of household statuses (issue 24): `household_status` (one stored
status report per household, with the caseload's filter and sort columns) and
`household_search` (the words a household is found by).

Empty after the upgrade: pages compute a status until the next night (or a change
to the household) stores it; the search words are filled here from the stored
households.

Revision ID: 0007
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _amount() -> sa.types.TypeEngine[Any]:
    if op.get_bind().dialect.name == "sqlite":
        return sa.BigInteger()
    return sa.Numeric(14, 2)


def upgrade() -> None:
    op.create_table(
        "household_status",
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("caseworker", sa.String(length=200), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("buffer_days", sa.Integer(), nullable=True),
        sa.Column("buffer_rank", sa.Integer(), nullable=False),
        sa.Column("urgency_rank", sa.Integer(), nullable=False),
        sa.Column("signal_count", sa.Integer(), nullable=False),
        sa.Column("signals", sa.Text(), nullable=False),
        sa.Column("leefgeld_rate", _amount(), nullable=False),
        sa.Column("vat", _amount(), nullable=False),
        sa.Column("ended", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("household", name=op.f("pk_household_status")),
    )
    op.create_index(
        "ix_household_status_urgency",
        "household_status",
        ["urgency_rank", "buffer_rank", "household"],
    )
    op.create_index("ix_household_status_buffer", "household_status", ["buffer_rank", "household"])
    op.create_index("ix_household_status_name", "household_status", ["name", "household"])
    op.create_index("ix_household_status_caseworker", "household_status", ["caseworker"])
    op.create_index("ix_household_status_team", "household_status", ["team"])
    op.create_table(
        "household_search",
        sa.Column("token", sa.String(length=200), nullable=False),
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("token", "household", name=op.f("pk_household_search")),
    )
    op.create_index(
        op.f("ix_household_search_household"), "household_search", ["household"], unique=False
    )
    _fill_search()


def _fill_search() -> None:
    # every household gets its search words and a stale status row (computed by the
    # next night); the same values as `status_repo.household_saved`, kept here as they
    # were at this revision (a migration never imports code that may change after it)
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT code, name, caseworker, team FROM household")).all()
    search = sa.table("household_search", sa.column("token"), sa.column("household"))
    words = [
        {"token": token, "household": code}
        for code, name, _caseworker, _team in rows
        for token in sorted(_tokens(code, name))
    ]
    if words:
        op.bulk_insert(search, words)
    columns = [*("household", "name", "caseworker", "team", "day", "version", "document")]
    columns += ["buffer_days", "buffer_rank", "urgency_rank", "signal_count", "signals"]
    columns += ["leefgeld_rate", "vat", "ended"]
    status = sa.table("household_status", *(sa.column(c) for c in columns))
    placeholders = [
        {
            "household": code,
            "name": name,
            "caseworker": caseworker,
            "team": team,
            "day": date(1970, 1, 1),
            "version": 0,
            "document": "",
            "buffer_days": None,
            "buffer_rank": 2_000_000_000,
            "urgency_rank": 3,
            "signal_count": 0,
            "signals": "[]",
            "leefgeld_rate": 0,
            "vat": 0,
            "ended": False,
        }
        for code, name, caseworker, team in rows
    ]
    if placeholders:
        op.bulk_insert(status, placeholders)


def _tokens(code: str, name: str) -> set[str]:
    import re

    words = {code.lower(), name.lower().strip()}
    words |= {w for w in re.split(r"[^\w]+", f"{code} {name}".lower()) if w}
    return {w[:200] for w in words if w}


def downgrade() -> None:
    op.drop_index(op.f("ix_household_search_household"), table_name="household_search")
    op.drop_table("household_search")
    for name in (
        "ix_household_status_team",
        "ix_household_status_caseworker",
        "ix_household_status_name",
        "ix_household_status_buffer",
    ):
        op.drop_index(name, table_name="household_status")
    op.drop_index("ix_household_status_urgency", table_name="household_status")
    op.drop_table("household_status")
