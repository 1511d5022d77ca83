"""Nightly run: imported files, statements, bank transactions, payment instructions and
files, signals, night runs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huishoudboekje.adapters.persistence.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "imported_file",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("night", sa.Date(), nullable=True),
        sa.Column("transactions", sa.Integer(), nullable=False),
        sa.Column("new_transactions", sa.Integer(), nullable=False),
        sa.Column(
            "imported_at",
            huishoudboekje.adapters.persistence.types.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_file")),
    )
    with op.batch_alter_table("imported_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_imported_file_sha256"), ["sha256"], unique=False)

    op.create_table(
        "night_run",
        sa.Column("night", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column(
            "started_at",
            huishoudboekje.adapters.persistence.types.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "finished_at",
            huishoudboekje.adapters.persistence.types.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("stages", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("night", name=op.f("pk_night_run")),
    )
    op.create_table(
        "payment_file",
        sa.Column("msg_id", sa.String(length=35), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("version", sa.String(length=30), nullable=False),
        sa.Column("execution_dates", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("number_of_transactions", sa.Integer(), nullable=False),
        sa.Column(
            "control_sum",
            huishoudboekje.adapters.persistence.types.ExactAmount(precision=14, scale=2),
            nullable=False,
        ),
        sa.Column("night", sa.Date(), nullable=False),
        sa.Column(
            "created_at",
            huishoudboekje.adapters.persistence.types.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("written", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("msg_id", name=op.f("pk_payment_file")),
    )
    op.create_table(
        "payment_instruction",
        sa.Column("end_to_end_id", sa.String(length=35), nullable=False),
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("charge_id", sa.String(length=40), nullable=False),
        sa.Column("payee_name", sa.String(length=200), nullable=False),
        sa.Column("payee_iban", sa.String(length=34), nullable=False),
        sa.Column("payee_bic", sa.String(length=11), nullable=False),
        sa.Column(
            "amount",
            huishoudboekje.adapters.persistence.types.ExactAmount(precision=14, scale=2),
            nullable=False,
        ),
        sa.Column("execution_date", sa.Date(), nullable=False),
        sa.Column("remittance", sa.Text(), nullable=False),
        sa.Column("structured_reference", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("instructed_on", sa.Date(), nullable=False),
        sa.Column("payment_file", sa.String(length=35), nullable=True),
        sa.Column("return_reason", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("end_to_end_id", name=op.f("pk_payment_instruction")),
    )
    with op.batch_alter_table("payment_instruction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_instruction_execution_date"), ["execution_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_payment_instruction_household"), ["household"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_payment_instruction_status"), ["status"], unique=False)

    op.create_table(
        "signal",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("household", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("first_seen", sa.Date(), nullable=False),
        sa.Column("last_seen", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=200), nullable=True),
        sa.Column(
            "acknowledged_at",
            huishoudboekje.adapters.persistence.types.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("acknowledged_note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_signal")),
    )
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signal_household"), ["household"], unique=False)
        batch_op.create_index(batch_op.f("ix_signal_status"), ["status"], unique=False)

    op.create_table(
        "bank_statement",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("account_iban", sa.String(length=34), nullable=False),
        sa.Column("statement_id", sa.String(length=200), nullable=False),
        sa.Column("source_format", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column(
            "opening",
            huishoudboekje.adapters.persistence.types.ExactAmount(precision=14, scale=2),
            nullable=True,
        ),
        sa.Column(
            "closing",
            huishoudboekje.adapters.persistence.types.ExactAmount(precision=14, scale=2),
            nullable=True,
        ),
        sa.Column("transactions", sa.Integer(), nullable=False),
        sa.Column("new_transactions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["imported_file.id"], name=op.f("fk_bank_statement_file_id_imported_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_statement")),
    )
    with op.batch_alter_table("bank_statement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bank_statement_file_id"), ["file_id"], unique=False)

    op.create_table(
        "bank_transaction",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dedupe_key", sa.String(length=80), nullable=False),
        sa.Column("fingerprint", sa.String(length=80), nullable=False),
        sa.Column("source_format", sa.String(length=40), nullable=False),
        sa.Column("statement_row_id", sa.Integer(), nullable=False),
        sa.Column("account_iban", sa.String(length=34), nullable=False),
        sa.Column("booking_date", sa.Date(), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=False),
        sa.Column(
            "amount",
            huishoudboekje.adapters.persistence.types.ExactAmount(precision=14, scale=2),
            nullable=False,
        ),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("counterparty_name", sa.String(length=200), nullable=False),
        sa.Column("counterparty_iban", sa.String(length=34), nullable=False),
        sa.Column("counterparty_bic", sa.String(length=11), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("structured_reference", sa.String(length=200), nullable=False),
        sa.Column("end_to_end_id", sa.String(length=200), nullable=False),
        sa.Column("bank_reference", sa.String(length=200), nullable=False),
        sa.Column("bank_transaction_code", sa.String(length=200), nullable=False),
        sa.Column("is_reversal", sa.Boolean(), nullable=False),
        sa.Column("is_return", sa.Boolean(), nullable=False),
        sa.Column("return_reason", sa.String(length=200), nullable=False),
        sa.Column("original_end_to_end_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("household", sa.String(length=40), nullable=True),
        sa.Column("income_id", sa.String(length=40), nullable=True),
        sa.Column("match_reasons", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("journal_entry_id", sa.String(length=200), nullable=True),
        sa.Column("night", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["statement_row_id"],
            ["bank_statement.id"],
            name=op.f("fk_bank_transaction_statement_row_id_bank_statement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_transaction")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_bank_transaction_dedupe_key")),
    )
    with op.batch_alter_table("bank_transaction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bank_transaction_end_to_end_id"), ["end_to_end_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_bank_transaction_fingerprint"), ["fingerprint"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_bank_transaction_household"), ["household"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_bank_transaction_statement_row_id"), ["statement_row_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_bank_transaction_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bank_transaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_transaction_status"))
        batch_op.drop_index(batch_op.f("ix_bank_transaction_statement_row_id"))
        batch_op.drop_index(batch_op.f("ix_bank_transaction_household"))
        batch_op.drop_index(batch_op.f("ix_bank_transaction_fingerprint"))
        batch_op.drop_index(batch_op.f("ix_bank_transaction_end_to_end_id"))

    op.drop_table("bank_transaction")
    with op.batch_alter_table("bank_statement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_statement_file_id"))

    op.drop_table("bank_statement")
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signal_status"))
        batch_op.drop_index(batch_op.f("ix_signal_household"))

    op.drop_table("signal")
    with op.batch_alter_table("payment_instruction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_instruction_status"))
        batch_op.drop_index(batch_op.f("ix_payment_instruction_household"))
        batch_op.drop_index(batch_op.f("ix_payment_instruction_execution_date"))

    op.drop_table("payment_instruction")
    op.drop_table("payment_file")
    op.drop_table("night_run")
    with op.batch_alter_table("imported_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imported_file_sha256"))

    op.drop_table("imported_file")
