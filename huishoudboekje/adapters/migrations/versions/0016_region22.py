"""Several gemeenten in one installation (issue 22): `gemeente.code`,
`household.gemeente_id`, `user_account.gemeente_id` and the `pooled_account` table.

An existing one-gemeente database moves over as gemeente 1: its households and
staff belong to it, its code is made from its name, and its pooled account is the
first row of `pooled_account`.

Revision ID: 0016
Revises: 0013 (chain: ... → 0012 → 0013 → 0016)
Create Date: 2026-12-05
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def code_from_name(name: str) -> str:
    """'Den Haag' → 'den-haag' (ASCII, lower case, at most 40 characters)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40] or "gemeente"


def upgrade() -> None:
    with op.batch_alter_table("gemeente") as batch:
        batch.add_column(sa.Column("code", sa.String(length=40), server_default="", nullable=False))
        batch.create_index(batch.f("ix_gemeente_code"), ["code"])
    with op.batch_alter_table("household") as batch:
        batch.add_column(sa.Column("gemeente_id", sa.Integer(), server_default="1", nullable=False))
        batch.create_index(batch.f("ix_household_gemeente_id"), ["gemeente_id"])
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("gemeente_id", sa.Integer(), server_default="1", nullable=True))
    op.create_table(
        "pooled_account",
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("bic", sa.String(length=11), nullable=False),
        sa.PrimaryKeyConstraint("iban", name=op.f("pk_pooled_account")),
    )
    op.create_index(op.f("ix_pooled_account_gemeente_id"), "pooled_account", ["gemeente_id"])
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name, account_iban, account_name, bic FROM gemeente"))
    for gemeente_id, name, iban, account_name, bic in rows.fetchall():
        bind.execute(
            sa.text("UPDATE gemeente SET code = :code WHERE id = :id"),
            {"code": code_from_name(name), "id": gemeente_id},
        )
        bind.execute(
            sa.text(
                "INSERT INTO pooled_account (iban, gemeente_id, name, bic) "
                "VALUES (:iban, :id, :name, :bic)"
            ),
            {"iban": iban, "id": gemeente_id, "name": account_name, "bic": bic},
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_pooled_account_gemeente_id"), table_name="pooled_account")
    op.drop_table("pooled_account")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("gemeente_id")
    with op.batch_alter_table("household") as batch:
        batch.drop_index(batch.f("ix_household_gemeente_id"))
        batch.drop_column("gemeente_id")
    with op.batch_alter_table("gemeente") as batch:
        batch.drop_index(batch.f("ix_gemeente_code"))
        batch.drop_column("code")
