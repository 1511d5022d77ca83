"""Gemeente: the database default of `max_learned_buffer` is € 7.200, the domain's
default (`household.MAX_LEARNED_BUFFER`, raised from € 3.600 in issue 17), instead of
€ 3.600. Stored values are left as they are: a gemeente that has one chose it, or got
it from `config apply`, which always writes the value.

Revision ID: 0018
Revises: 0016 (chain: ... → 0013 → 0016 → 0018)
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _default(value: str) -> None:
    with op.batch_alter_table("gemeente") as batch:
        batch.alter_column(
            "max_learned_buffer",
            existing_type=sa.String(length=20),
            existing_nullable=False,
            server_default=value,
        )


def upgrade() -> None:
    _default("7200.00")


def downgrade() -> None:
    _default("3600.00")
