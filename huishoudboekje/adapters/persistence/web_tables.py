"""Tables of the web application: accounts, logins, invites, four-eyes and requests.

Kept apart from `tables.py` so the web's schema (migration 0003) is one module;
every class still derives from `HhbTable`, so Alembic sees one metadata.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, Index, Integer, String, Text
from sqlmodel import Field

from huishoudboekje.adapters.persistence.tables import CODE_LENGTH, NAME_LENGTH, HhbTable
from huishoudboekje.adapters.persistence.types import ExactAmount, UtcDateTime

HASH_LENGTH = 200


class UserRow(HhbTable, table=True):
    """A person who may log in: a household member or a staff member."""

    __tablename__ = "user_account"

    id: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    username: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False, unique=True))
    display_name: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    role: str = Field(sa_column=Column(String(30), nullable=False))  # 0011: was 20
    household: str | None = Field(
        default=None, sa_column=Column(String(CODE_LENGTH), nullable=True, index=True)
    )
    password_hash: str | None = Field(
        default=None, sa_column=Column(String(HASH_LENGTH), nullable=True)
    )
    active: bool = Field(sa_column=Column(Boolean, nullable=False))
    failed_logins: int = Field(sa_column=Column(Integer, nullable=False))
    locked_until: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime, nullable=True)
    )
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    # migration 0006: the team a staff member works in ("" for none or a household)
    team: str = Field(
        default="", sa_column=Column(String(NAME_LENGTH), nullable=False, server_default="")
    )
    # the TOTP second factor (migration 0008): the shared secret (base32) once
    # enrolled, and the last time step accepted, so that a code works only once
    # sealed with a key from HHB_SECRET_KEY (services/secret_box.py; migration 0014)
    totp_secret: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    totp_last_step: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    # "<issuer> <subject>" of the account at the gemeente's OpenID Connect provider
    external_id: str | None = Field(
        default=None, sa_column=Column(String(500), nullable=True, unique=True)
    )
    # migration 0016: the gemeente a staff member works for (`gemeente.id`); None for a
    # regional admin, who sees every gemeente of the installation (issue 22)
    gemeente_id: int | None = Field(
        default=1, sa_column=Column(Integer, nullable=True, server_default="1")
    )


class RecoveryCodeRow(HhbTable, table=True):
    """A one-time recovery code for the second factor; only its argon2 hash is stored."""

    __tablename__ = "recovery_code"

    id: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    user_id: int = Field(sa_column=Column(Integer, nullable=False, index=True))
    code_hash: str = Field(sa_column=Column(String(HASH_LENGTH), nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))


class LoginAttemptRow(HhbTable, table=True):
    """One login attempt, for the rate limit per client address."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_client_at", "client", "at"),)

    id: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    client: str = Field(sa_column=Column(String(100), nullable=False))
    username: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    success: bool = Field(sa_column=Column(Boolean, nullable=False))


class InviteRow(HhbTable, table=True):
    """A one-time link for a household member; only the token's hash is stored."""

    __tablename__ = "invite"

    token_hash: str = Field(sa_column=Column(String(HASH_LENGTH), primary_key=True))
    user_id: int = Field(sa_column=Column(Integer, nullable=False, index=True))
    created_by: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))


class ChangeRequestRow(HhbTable, table=True):
    """A change that waits for a second staff member (four-eyes)."""

    __tablename__ = "change_request"

    id: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    kind: str = Field(sa_column=Column(String(50), nullable=False))
    household: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False, index=True))
    summary: str = Field(sa_column=Column(Text, nullable=False))
    reasons: list[str] = Field(sa_column=Column(JSON, nullable=False))
    before: Any = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))
    after: Any = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))
    status: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    requested_by: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    requested_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    decided_by: str | None = Field(
        default=None, sa_column=Column(String(NAME_LENGTH), nullable=True)
    )
    decided_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


class HouseholdRequestRow(HhbTable, table=True):
    """A household asks for extra leefgeld or a one-off payment."""

    __tablename__ = "household_request"

    id: int | None = Field(
        default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True)
    )
    household: str = Field(sa_column=Column(String(CODE_LENGTH), nullable=False, index=True))
    kind: str = Field(sa_column=Column(String(30), nullable=False))
    amount: Decimal = Field(sa_column=Column(ExactAmount, nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    created_by: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    handled_by: str | None = Field(
        default=None, sa_column=Column(String(NAME_LENGTH), nullable=True)
    )
    handled_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    answer: str = Field(default="", sa_column=Column(Text, nullable=False))
    change_request: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))


class SignalNoteRow(HhbTable, table=True):
    """A staff member looked at an engine signal (by its stable key) and left a note."""

    __tablename__ = "signal_note"

    household: str = Field(sa_column=Column(String(CODE_LENGTH), primary_key=True))
    key: str = Field(sa_column=Column(String(200), primary_key=True))
    acknowledged_by: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    acknowledged_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    note: str = Field(sa_column=Column(Text, nullable=False))
