"""SQLModel table classes: the only place in the code base that defines tables.

Every table derives from `HhbTable`, whose `metadata` (with a fixed naming
convention for constraints, so Alembic migrations name things identically on
SQLite and PostgreSQL) is what `migrations/env.py` compares against.

Extension point: a new table is a new `HhbTable` subclass here plus a new file in
`huishoudboekje/adapters/migrations/versions/` (``alembic revision --autogenerate``, see
`migrations/env.py`); never edit `0001_initial.py` once released.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
    inspect,
)
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from huishoudboekje.adapters.persistence.types import ExactAmount, UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CODE_LENGTH = 40  # household codes, rule ids
IBAN_LENGTH = 34
NAME_LENGTH = 200
ENTRY_ID_LENGTH = 200


class HhbTable(
    SQLModel,
    registry=registry(metadata=MetaData(naming_convention=NAMING_CONVENTION)),
):
    """Base of every table; `HhbTable.metadata` is the schema Alembic migrates."""


def table_of(model: type[HhbTable]) -> Table:
    """The Core table behind a table class: selecting its columns gives plain rows,
    without the ORM building and tracking an object per row."""
    return cast(Table, inspect(model).local_table)


class GemeenteRow(HhbTable, table=True):
    """A gemeente's own settings: one row per gemeente (id 1 in a one-gemeente
    installation; a regional installation has one per gemeente, issue 22)."""

    __tablename__ = "gemeente"

    id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    # migration 0016: the short code staff, files and the CLI name a gemeente by
    code: str = Field(
        default="",
        sa_column=Column(String(CODE_LENGTH), nullable=False, server_default="", index=True),
    )
    name: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    account_iban: str = Field(sa_column=Column(String(IBAN_LENGTH), nullable=False))
    account_name: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    bic: str = Field(sa_column=Column(String(11), nullable=False))
    max_days_early: int = Field(sa_column=Column(Integer, nullable=False))
    extra_closing_days: list[str] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    # what the charges phase does when money is short (migration 0004)
    shortage: str = Field(
        default="strict",
        sa_column=Column(String(20), nullable=False, server_default="strict"),
    )
    # limits on what is learned from irregular incomes (migration 0005), YAML form;
    # the default is the domain's MAX_LEARNED_BUFFER (migration 0018: was 3600.00)
    max_learned_buffer: str = Field(
        default="7200.00",
        sa_column=Column(String(20), nullable=False, server_default="7200.00"),
    )
    irregular_step_months: int = Field(
        default=3, sa_column=Column(Integer, nullable=False, server_default="3")
    )
    # migration 0006: the letterhead of letters by post (YAML form)
    letterhead: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    # migration 0010: retention of personal data after participation ends (issue 20)
    retention_years: int = Field(
        default=7, sa_column=Column(Integer, nullable=False, server_default="7")
    )
    document_retention_months: int = Field(
        default=12, sa_column=Column(Integer, nullable=False, server_default="12")
    )
    # migration 0011: how a household sees who looked at its data ("role" or "name")
    viewer_shown_as: str = Field(
        default="role", sa_column=Column(String(10), nullable=False, server_default="role")
    )
    # migration 0012: the night plans only households with a consent (issue 19.3)
    consent_required: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )


class HouseholdRow(HhbTable, table=True):
    """A household. The identifying fields are columns; its rules (leefgeld and
    buffer policy, incomes, charges, reserves) are one JSON document in `rules`,
    in the same plain-data form as the YAML file (`config.household_to_data`)."""

    __tablename__ = "household"

    code: str = Field(sa_column=Column(String(CODE_LENGTH), primary_key=True))
    name: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    iban: str = Field(sa_column=Column(String(IBAN_LENGTH), nullable=False, index=True))
    bic: str = Field(sa_column=Column(String(11), nullable=False))
    members: int = Field(sa_column=Column(Integer, nullable=False))
    start_date: date = Field(sa_column=Column(Date, nullable=False))
    end_date: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    rules: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    # migration 0006: the caseload, as columns so staff lists filter on them in SQL
    team: str = Field(
        default="",
        sa_column=Column(String(NAME_LENGTH), nullable=False, server_default="", index=True),
    )
    caseworker: str = Field(
        default="",
        sa_column=Column(String(NAME_LENGTH), nullable=False, server_default="", index=True),
    )
    # migration 0016: the gemeente the household belongs to (`gemeente.id`, issue 22)
    gemeente_id: int = Field(
        default=1,
        sa_column=Column(Integer, nullable=False, server_default="1", index=True),
    )


class PooledAccountRow(HhbTable, table=True):
    """A pooled account (the "expansievat" account at the bank) of a gemeente.
    Statements are routed to their gemeente by this IBAN; each pooled account gets
    its own pain.001 files (migration 0016, issue 22)."""

    __tablename__ = "pooled_account"

    iban: str = Field(sa_column=Column(String(IBAN_LENGTH), primary_key=True))
    gemeente_id: int = Field(sa_column=Column(Integer, nullable=False, index=True))
    name: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    bic: str = Field(sa_column=Column(String(11), nullable=False))


class JournalEntryRow(HhbTable, table=True):
    """A journal entry; `seq` keeps the order in which entries were booked."""

    __tablename__ = "journal_entry"
    # the dashboard's leefgeld releases: one kind over a range of days
    __table_args__ = (Index("ix_journal_entry_kind_day", "kind", "day"),)

    seq: int | None = Field(
        default=None,
        sa_column=Column(Integer, primary_key=True, autoincrement=True),
    )
    entry_id: str = Field(sa_column=Column(String(ENTRY_ID_LENGTH), nullable=False, unique=True))
    day: date = Field(sa_column=Column(Date, nullable=False, index=True))
    description: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False))
    reversal_of: str | None = Field(
        default=None, sa_column=Column(String(ENTRY_ID_LENGTH), nullable=True)
    )
    meta: list[list[str]] = Field(sa_column=Column(JSON, nullable=False))
    recorded_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class PostingRow(HhbTable, table=True):
    """One leg of a journal entry. `amount` is exact (never float): debit > 0."""

    __tablename__ = "posting"
    __table_args__ = (Index("ix_posting_account", "account_kind", "household", "sub"),)

    id: int | None = Field(
        default=None,
        sa_column=Column(Integer, primary_key=True, autoincrement=True),
    )
    entry_seq: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("journal_entry.seq", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    position: int = Field(sa_column=Column(Integer, nullable=False))
    account_kind: str = Field(sa_column=Column(String(20), nullable=False))
    household: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False, index=True))
    sub: str = Field(sa_column=Column(String(100), nullable=False))
    amount: Decimal = Field(sa_column=Column(ExactAmount, nullable=False))


class AuditLogRow(HhbTable, table=True):
    """Who changed what and when; before/after are plain-data JSON snapshots."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)

    id: int | None = Field(
        default=None,
        sa_column=Column(Integer, primary_key=True, autoincrement=True),
    )
    at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False, index=True))
    actor: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    action: str = Field(sa_column=Column(String(100), nullable=False))
    object_type: str = Field(sa_column=Column(String(50), nullable=False))
    object_id: str = Field(sa_column=Column(String(ENTRY_ID_LENGTH), nullable=False))
    before: Any = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))
    after: Any = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))
    approved_by: str | None = Field(
        default=None, sa_column=Column(String(NAME_LENGTH), nullable=True)
    )


class EngineStateRow(HhbTable, table=True):
    """Small per-household (or, with household "", gemeente-wide) engine state.

    A key/value store for state the engine carries from one night to the next.
    Anything larger or queried often deserves its own table (see module docstring).
    """

    __tablename__ = "engine_state"

    household: str = Field(sa_column=Column(String(CODE_LENGTH), primary_key=True))
    key: str = Field(sa_column=Column(String(100), primary_key=True))
    value: Any = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
