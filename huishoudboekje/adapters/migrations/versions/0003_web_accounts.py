"""Web: user accounts, login attempts, invites, four-eyes change requests,
household requests and signal notes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huishoudboekje.adapters.persistence.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UTC = huishoudboekje.adapters.persistence.types.UtcDateTime
_AMOUNT = huishoudboekje.adapters.persistence.types.ExactAmount


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("household", sa.String(length=40), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", _UTC(), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    op.create_index(op.f("ix_user_account_household"), "user_account", ["household"])
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("at", _UTC(), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    op.create_index("ix_login_attempt_client_at", "login_attempt", ["client", "at"])
    op.create_table(
        "invite",
        sa.Column("token_hash", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("expires_at", _UTC(), nullable=False),
        sa.Column("used_at", _UTC(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_invite")),
    )
    op.create_index(op.f("ix_invite_user_id"), "invite", ["user_id"])
    op.create_table(
        "change_request",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("requested_at", _UTC(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", _UTC(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_request")),
    )
    op.create_index(op.f("ix_change_request_household"), "change_request", ["household"])
    op.create_index(op.f("ix_change_request_status"), "change_request", ["status"])
    op.create_table(
        "household_request",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("amount", _AMOUNT(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("handled_by", sa.String(length=200), nullable=True),
        sa.Column("handled_at", _UTC(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("change_request", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_request")),
    )
    op.create_index(op.f("ix_household_request_household"), "household_request", ["household"])
    op.create_index(op.f("ix_household_request_status"), "household_request", ["status"])
    op.create_table(
        "signal_note",
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=200), nullable=False),
        sa.Column("acknowledged_at", _UTC(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("household", "key", name=op.f("pk_signal_note")),
    )


def downgrade() -> None:
    op.drop_table("signal_note")
    op.drop_index(op.f("ix_household_request_status"), table_name="household_request")
    op.drop_index(op.f("ix_household_request_household"), table_name="household_request")
    op.drop_table("household_request")
    op.drop_index(op.f("ix_change_request_status"), table_name="change_request")
    op.drop_index(op.f("ix_change_request_household"), table_name="change_request")
    op.drop_table("change_request")
    op.drop_index(op.f("ix_invite_user_id"), table_name="invite")
    op.drop_table("invite")
    op.drop_index("ix_login_attempt_client_at", table_name="login_attempt")
    op.drop_table("login_attempt")
    op.drop_index(op.f("ix_user_account_household"), table_name="user_account")
    op.drop_table("user_account")
