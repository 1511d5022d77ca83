"""The night's work table for workers (issue 22.2): `night_batch`.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huishoudboekje.adapters.persistence.types

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UTC = huishoudboekje.adapters.persistence.types.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "night_batch",
        sa.Column("night", sa.Date(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("batch", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("real_day", sa.Date(), nullable=False),
        sa.Column("households", sa.JSON(), nullable=False),
        sa.Column("account", sa.String(length=34), nullable=False),
        sa.Column("execution_date", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("claimed_at", _UTC(), nullable=True),
        sa.Column("done_at", _UTC(), nullable=True),
        sa.Column("result", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("night", "stage", "batch", name=op.f("pk_night_batch")),
    )


def downgrade() -> None:
    op.drop_table("night_batch")
