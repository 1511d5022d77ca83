"""Staff login (issue 20.5): the TOTP second factor (`totp_secret`, and the last
accepted time step so a code works once), the link to an account at the
gemeente's OpenID Connect provider (`external_id`, issuer and subject), and the
one-time recovery codes (argon2 hashes only).

Revision ID: 0008
Revises: 0007 (chain: 0006 → 0010 → 0011 → 0009 → 0007 → 0008)
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huishoudboekje.adapters.persistence.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UTC = huishoudboekje.adapters.persistence.types.UtcDateTime


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("external_id", sa.String(length=500), nullable=True))
        batch.create_unique_constraint(op.f("uq_user_account_external_id"), ["external_id"])
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("used_at", _UTC(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
    )
    op.create_index(op.f("ix_recovery_code_user_id"), "recovery_code", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_recovery_code_user_id"), table_name="recovery_code")
    op.drop_table("recovery_code")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_constraint(op.f("uq_user_account_external_id"), type_="unique")
        batch.drop_column("external_id")
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_secret")
