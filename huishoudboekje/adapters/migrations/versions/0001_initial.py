"""Initial schema: gemeente, households, journal, audit log, engine state.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huishoudboekje.adapters.persistence.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gemeente",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("account_iban", sa.String(length=34), nullable=False),
        sa.Column("account_name", sa.String(length=200), nullable=False),
        sa.Column("bic", sa.String(length=11), nullable=False),
        sa.Column("max_days_early", sa.Integer(), nullable=False),
        sa.Column("extra_closing_days", sa.JSON(), nullable=False),
        sa.Column(
            "updated_at", huishoudboekje.adapters.persistence.types.UtcDateTime(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gemeente")),
    )
    op.create_table(
        "household",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("bic", sa.String(length=11), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column(
            "created_at", huishoudboekje.adapters.persistence.types.UtcDateTime(), nullable=False
        ),
        sa.Column(
            "updated_at", huishoudboekje.adapters.persistence.types.UtcDateTime(), nullable=False
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_household")),
    )
    op.create_index(op.f("ix_household_iban"), "household", ["iban"], unique=False)
    op.create_table(
        "journal_entry",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.String(length=200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("reversal_of", sa.String(length=200), nullable=True),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column(
            "recorded_at", huishoudboekje.adapters.persistence.types.UtcDateTime(), nullable=False
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_journal_entry")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_journal_entry_entry_id")),
    )
    op.create_index(op.f("ix_journal_entry_day"), "journal_entry", ["day"], unique=False)
    op.create_table(
        "posting",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_seq", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("account_kind", sa.String(length=20), nullable=False),
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("sub", sa.String(length=100), nullable=False),
        sa.Column(
            "amount", huishoudboekje.adapters.persistence.types.ExactAmount(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["entry_seq"],
            ["journal_entry.seq"],
            name=op.f("fk_posting_entry_seq_journal_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posting")),
    )
    op.create_index(
        "ix_posting_account", "posting", ["account_kind", "household", "sub"], unique=False
    )
    op.create_index(op.f("ix_posting_entry_seq"), "posting", ["entry_seq"], unique=False)
    op.create_index(op.f("ix_posting_household"), "posting", ["household"], unique=False)
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", huishoudboekje.adapters.persistence.types.UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("object_type", sa.String(length=50), nullable=False),
        sa.Column("object_id", sa.String(length=200), nullable=False),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_index("ix_audit_log_object", "audit_log", ["object_type", "object_id"], unique=False)
    op.create_table(
        "engine_state",
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column(
            "updated_at", huishoudboekje.adapters.persistence.types.UtcDateTime(), nullable=False
        ),
        sa.PrimaryKeyConstraint("household", "key", name=op.f("pk_engine_state")),
    )


def downgrade() -> None:
    op.drop_table("engine_state")
    op.drop_index("ix_audit_log_object", table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_posting_household"), table_name="posting")
    op.drop_index(op.f("ix_posting_entry_seq"), table_name="posting")
    op.drop_index("ix_posting_account", table_name="posting")
    op.drop_table("posting")
    op.drop_index(op.f("ix_journal_entry_day"), table_name="journal_entry")
    op.drop_table("journal_entry")
    op.drop_index(op.f("ix_household_iban"), table_name="household")
    op.drop_table("household")
    op.drop_table("gemeente")
