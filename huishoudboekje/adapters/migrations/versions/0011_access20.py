"""The view log (inzage-log, issue 20.2): every read of a household's data by staff.
Append-only: on PostgreSQL a trigger refuses UPDATE and DELETE on it. And the
gemeente's choice of how the household sees who looked (`viewer_shown_as`), and room
for the longer role names ("functioneel_beheerder").

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from huishoudboekje.adapters.persistence.types import UtcDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = """
CREATE FUNCTION view_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'view_log is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER view_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON view_log
    FOR EACH STATEMENT EXECUTE FUNCTION view_log_append_only();
"""


def upgrade() -> None:
    op.create_table(
        "view_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("what", sa.String(length=300), nullable=False),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_view_log")),
    )
    op.create_index("ix_view_log_at", "view_log", ["at"])
    op.create_index("ix_view_log_household_at", "view_log", ["household", "at"])
    op.create_index("ix_view_log_actor_at", "view_log", ["actor", "at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY)
    with op.batch_alter_table("gemeente") as batch:
        batch.add_column(
            sa.Column(
                "viewer_shown_as", sa.String(length=10), nullable=False, server_default="role"
            )
        )
    with op.batch_alter_table("user_account") as batch:
        batch.alter_column("role", existing_type=sa.String(length=20), type_=sa.String(length=30))


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.alter_column("role", existing_type=sa.String(length=30), type_=sa.String(length=20))
    with op.batch_alter_table("gemeente") as batch:
        batch.drop_column("viewer_shown_as")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER view_log_append_only ON view_log")
        op.execute("DROP FUNCTION view_log_append_only()")
    op.drop_table("view_log")
