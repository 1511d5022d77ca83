"""The team dashboard's stored figures (issue 21.1, performance): the night folds the
journal into per-day movements per team (`report_movement`) and per-household
buffer and leefgeld inputs per month (`report_household`), with the journal
watermark they cover (`report_stamp`); and an index for the leefgeld releases of
a range of days (`journal_entry (kind, day)`).

Revision ID: 0015
Revises: 0008 (chain: ... 0009 → 0007 → 0008 → 0015)
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huishoudboekje.adapters.persistence.types

revision: str = "0015"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AMOUNT = huishoudboekje.adapters.persistence.types.ExactAmount


def upgrade() -> None:
    op.create_table(
        "report_movement",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("scope", sa.String(length=205), nullable=False),
        sa.Column("account_kind", sa.String(length=20), nullable=False),
        sa.Column("amount", _AMOUNT(), nullable=False),
        sa.Column("watermark", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "scope", "account_kind", name=op.f("pk_report_movement")),
    )
    op.create_table(
        "report_household",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("has_vat", sa.Boolean(), nullable=False),
        sa.Column("vat", _AMOUNT(), nullable=False),
        sa.Column("outflow", _AMOUNT(), nullable=False),
        sa.Column("releases", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("watermark", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "household", name=op.f("pk_report_household")),
    )
    op.create_table(
        "report_stamp",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("watermark", sa.Integer(), nullable=False),
        sa.Column("membership", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_report_stamp")),
    )
    op.create_index("ix_journal_entry_kind_day", "journal_entry", ["kind", "day"])


def downgrade() -> None:
    op.drop_index("ix_journal_entry_kind_day", table_name="journal_entry")
    op.drop_table("report_stamp")
    op.drop_table("report_household")
    op.drop_table("report_movement")
