"""The caseload and letters by post (issues 19, 20, 21): a household's `team` and
`caseworker` (columns, so staff lists filter on them in SQL; its contact preference
and postal address live in the `rules` JSON with its other settings), a staff
member's `team`, and the gemeente's `letterhead`.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME_LENGTH = 200


def upgrade() -> None:
    with op.batch_alter_table("household") as batch:
        batch.add_column(
            sa.Column("team", sa.String(length=NAME_LENGTH), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column(
                "caseworker", sa.String(length=NAME_LENGTH), nullable=False, server_default=""
            )
        )
        batch.create_index("ix_household_team", ["team"])
        batch.create_index("ix_household_caseworker", ["caseworker"])
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("team", sa.String(length=NAME_LENGTH), nullable=False, server_default="")
        )
    with op.batch_alter_table("gemeente") as batch:
        batch.add_column(sa.Column("letterhead", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("gemeente") as batch:
        batch.drop_column("letterhead")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("team")
    with op.batch_alter_table("household") as batch:
        batch.drop_index("ix_household_caseworker")
        batch.drop_index("ix_household_team")
        batch.drop_column("caseworker")
        batch.drop_column("team")
