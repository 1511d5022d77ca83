"""Gemeente: `retention_years` and `document_retention_months`, how long a household's
personal data is kept after its participation ends (issue 20, `domain/retention.py`).

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("gemeente") as batch:
        batch.add_column(
            sa.Column("retention_years", sa.Integer(), nullable=False, server_default="7")
        )
        batch.add_column(
            sa.Column(
                "document_retention_months", sa.Integer(), nullable=False, server_default="12"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("gemeente") as batch:
        batch.drop_column("document_retention_months")
        batch.drop_column("retention_years")
