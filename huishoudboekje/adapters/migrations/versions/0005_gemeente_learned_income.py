"""Gemeente: `max_learned_buffer` and `irregular_step_months`, the limits on what the
planner learns from irregular incomes (issue 17.4). Stored in their YAML form, like
the other gemeente settings.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("gemeente") as batch:
        batch.add_column(
            sa.Column(
                "max_learned_buffer", sa.String(length=20), nullable=False, server_default="3600.00"
            )
        )
        batch.add_column(
            sa.Column("irregular_step_months", sa.Integer(), nullable=False, server_default="3")
        )


def downgrade() -> None:
    with op.batch_alter_table("gemeente") as batch:
        batch.drop_column("irregular_step_months")
        batch.drop_column("max_learned_buffer")
