"""Exit and hand-over (issue 19.6): the exit of a household and the checklist items
staff ticked.

Revision ID: 0009
Revises: 0011 (the head of main when merged; the lead re-chains it as needed)
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huishoudboekje.adapters.persistence.types

revision: str = "0009"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UTC = huishoudboekje.adapters.persistence.types.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "household_exit",
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("started_by", sa.String(length=200), nullable=False),
        sa.Column("started_at", _UTC(), nullable=False),
        sa.PrimaryKeyConstraint("household", name=op.f("pk_household_exit")),
    )
    op.create_table(
        "household_exit_check",
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("item", sa.String(length=100), nullable=False),
        sa.Column("done_by", sa.String(length=200), nullable=False),
        sa.Column("done_at", _UTC(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("household", "item", name=op.f("pk_household_exit_check")),
    )


def downgrade() -> None:
    op.drop_table("household_exit_check")
    op.drop_table("household_exit")
