"""Intake and consent (issue 19.3): the household's consent with its history and the
signed document, and the gemeente's `consent_required`.

`consent_required` is false for every existing database (server default): an
install that upgrades keeps planning its households as before, and turns the
requirement on in its YAML (`gemeente: consent_required: true`) once every household
has a recorded consent (docs/config.md, "Consent").

Revision ID: 0012
Revises: 0014 (chain: ... → 0008 → 0015 → 0014 → 0012)
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from huishoudboekje.adapters.persistence.types import UtcDateTime

revision: str = "0012"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "household_consent",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("signed_by", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("document_kind", sa.String(length=10), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=True),
        sa.Column("document_name", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("document_size", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("document_removed_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=200), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_consent")),
    )
    op.create_index(op.f("ix_household_consent_household"), "household_consent", ["household"])
    with op.batch_alter_table("gemeente") as batch:
        batch.add_column(
            sa.Column("consent_required", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("gemeente") as batch:
        batch.drop_column("consent_required")
    op.drop_index(op.f("ix_household_consent_household"), table_name="household_consent")
    op.drop_table("household_consent")
