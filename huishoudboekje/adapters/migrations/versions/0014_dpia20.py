"""TOTP secrets encrypted at rest (issue 20, CISO finding): `user_account.totp_secret`
grows from 64 to 255 characters for the sealed form (``v1:`` + base64 of nonce,
ciphertext and tag, 83 characters for a 160-bit secret; see
`services/secret_box.py`).

No data step: a migration runs without HHB_SECRET_KEY (from `hhb config apply` and
the other commands too), so it cannot encrypt. Secrets stored plain before keep
working; the web seals them at start-up, where the key is, and a login seals one
at its first good code.

Revision ID: 0014
Revises: 0015 (chain: ... → 0007 → 0008 → 0015 → 0014)
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.alter_column(
            "totp_secret",
            existing_type=sa.String(length=64),
            type_=sa.String(length=255),
            existing_nullable=True,
        )


def downgrade() -> None:
    # a sealed secret does not fit back: those accounts enrol again
    op.execute(sa.text("UPDATE user_account SET totp_secret = NULL WHERE length(totp_secret) > 64"))
    with op.batch_alter_table("user_account") as batch:
        batch.alter_column(
            "totp_secret",
            existing_type=sa.String(length=255),
            type_=sa.String(length=64),
            existing_nullable=True,
        )
