"""Gemeente: `shortage`, what the charges phase does when money is short
(strict priority with reservation, or pay what fits).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("gemeente") as batch:
        batch.add_column(
            sa.Column("shortage", sa.String(length=20), nullable=False, server_default="strict")
        )


def downgrade() -> None:
    with op.batch_alter_table("gemeente") as batch:
        batch.drop_column("shortage")
