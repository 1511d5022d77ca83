"""Hand-over with a note and the household's answer to a proposed change (issue 19.4,
19.7): `household_handover` and `household_proposal`.

Revision ID: 0013
Revises: 0012 (chain: ... → 0008 → 0015 → 0014 → 0012 → 0013)
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huishoudboekje.adapters.persistence.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UTC = huishoudboekje.adapters.persistence.types.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "household_handover",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("from_user", sa.String(length=200), nullable=False),
        sa.Column("to_user", sa.String(length=200), nullable=False),
        sa.Column("from_team", sa.String(length=200), nullable=False),
        sa.Column("to_team", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("at", _UTC(), nullable=False),
        sa.Column("read_at", _UTC(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_handover")),
    )
    op.create_index(op.f("ix_household_handover_household"), "household_handover", ["household"])
    op.create_index(op.f("ix_household_handover_to_user"), "household_handover", ["to_user"])
    op.create_table(
        "household_proposal",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("from_day", sa.Date(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("proposed_by", sa.String(length=200), nullable=False),
        sa.Column("proposed_at", _UTC(), nullable=False),
        sa.Column("needs_approval", sa.Boolean(), nullable=False),
        sa.Column("change_request", sa.Integer(), nullable=True),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("answer", sa.String(length=20), nullable=True),
        sa.Column("answer_via", sa.String(length=30), nullable=True),
        sa.Column("answer_message", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.String(length=200), nullable=True),
        sa.Column("answered_at", _UTC(), nullable=True),
        sa.Column("applied_at", _UTC(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_proposal")),
    )
    op.create_index(op.f("ix_household_proposal_household"), "household_proposal", ["household"])
    op.create_index(op.f("ix_household_proposal_status"), "household_proposal", ["status"])


def downgrade() -> None:
    op.drop_table("household_proposal")
    op.drop_table("household_handover")
