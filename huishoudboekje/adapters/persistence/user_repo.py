"""Accounts of people who log in, their login attempts and invite links."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as select_columns
from sqlmodel import col, func, select

from huishoudboekje.adapters.persistence.crud import existing, record_of, row_id, saved, where_equal
from huishoudboekje.adapters.persistence.tables import table_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.web_tables import (
    InviteRow,
    LoginAttemptRow,
    RecoveryCodeRow,
    UserRow,
)


@dataclass(frozen=True, slots=True)
class User:
    """A stored account. `password_hash` is None until an invite is accepted, and for
    an account that logs in at the gemeente's OpenID Connect provider (`external_id`).
    `totp_secret` is None until the second factor is enrolled."""

    id: int
    username: str
    display_name: str
    role: str
    household: str | None
    password_hash: str | None
    active: bool
    failed_logins: int
    locked_until: datetime | None
    team: str = ""  # the team a staff member works in (issue 19/20); "" for none
    totp_secret: str | None = None
    totp_last_step: int | None = None
    external_id: str | None = None

    @property
    def has_totp(self) -> bool:
        """Whether a second factor is enrolled."""
        return self.totp_secret is not None


def _user(row: UserRow) -> User:
    return record_of(User, row, id=row_id(row))


# Looked up on every request (the identity of the session) and every login: plain
# columns in the order of `User`, statements built once with bind parameters.
_USERS = table_of(UserRow)
_SELECT_USER = select_columns(*(_USERS.c[f.name] for f in fields(User)))
_USER_BY_ID = _SELECT_USER.where(_USERS.c.id == bindparam("user_id"))
_USER_BY_NAME = _SELECT_USER.where(func.lower(_USERS.c.username) == bindparam("username"))
_USER_BY_EXTERNAL_ID = _SELECT_USER.where(_USERS.c.external_id == bindparam("external_id"))


def _user_of(row: Any) -> User | None:
    return None if row is None else User(*row)


def find_user(uow: UnitOfWork, username: str) -> User | None:
    """The account with this user name (case-insensitive), or None."""
    params = {"username": username.strip().lower()}
    return _user_of(uow.read(_USER_BY_NAME, params).first())


def get_user(uow: UnitOfWork, user_id: int) -> User | None:
    """The account with this id, or None."""
    return _user_of(uow.read(_USER_BY_ID, {"user_id": user_id}).first())


def find_external_user(uow: UnitOfWork, external_id: str) -> User | None:
    """The account linked to this "<issuer> <subject>" of an OpenID Connect provider."""
    return _user_of(uow.read(_USER_BY_EXTERNAL_ID, {"external_id": external_id}).first())


def list_users(uow: UnitOfWork, household: str | None = None) -> tuple[User, ...]:
    """Every account (or those of one household), by user name."""
    statement = where_equal(
        select(UserRow).order_by(col(UserRow.username)), UserRow, household=household
    )
    return tuple(_user(row) for row in uow.session.exec(statement))


def insert_user(
    uow: UnitOfWork,
    *,
    username: str,
    display_name: str,
    role: str,
    household: str | None,
    password_hash: str | None,
    at: datetime,
    team: str = "",
    external_id: str | None = None,
) -> User:
    """Add an account (not committed)."""
    row = UserRow(
        team=team.strip(),
        username=username.strip(),
        display_name=display_name.strip(),
        role=role,
        household=household,
        password_hash=password_hash,
        active=True,
        failed_logins=0,
        locked_until=None,
        created_at=at,
        external_id=external_id,
    )
    return _user(saved(uow, row))


def update_user(
    uow: UnitOfWork,
    user_id: int,
    *,
    password_hash: str | None = None,
    failed_logins: int | None = None,
    locked_until: datetime | None = None,
    clear_lock: bool = False,
    active: bool | None = None,
    team: str | None = None,
    display_name: str | None = None,
    role: str | None = None,
) -> User:
    """Change the given fields of an account (not committed)."""
    row = existing(uow, UserRow, user_id, "user with id")
    if team is not None:
        row.team = team.strip()
    if password_hash is not None:
        row.password_hash = password_hash
    if failed_logins is not None:
        row.failed_logins = failed_logins
    if locked_until is not None or clear_lock:
        row.locked_until = locked_until
    if active is not None:
        row.active = active
    if display_name is not None:
        row.display_name = display_name
    if role is not None:
        row.role = role
    return _user(saved(uow, row))


def set_totp(uow: UnitOfWork, user_id: int, *, secret: str | None, last_step: int | None) -> User:
    """Store (or with None remove) the second factor's secret and its last accepted
    time step (not committed)."""
    row = existing(uow, UserRow, user_id, "user with id")
    row.totp_secret = secret
    row.totp_last_step = last_step
    return _user(saved(uow, row))


def replace_recovery_codes(
    uow: UnitOfWork, user_id: int, code_hashes: tuple[str, ...], at: datetime
) -> None:
    """Drop an account's recovery codes and store these hashes (not committed)."""
    statement = select(RecoveryCodeRow).where(col(RecoveryCodeRow.user_id) == user_id)
    for row in uow.session.exec(statement):
        uow.session.delete(row)
    for code_hash in code_hashes:
        uow.session.add(RecoveryCodeRow(user_id=user_id, code_hash=code_hash, created_at=at))
    uow.session.flush()


@dataclass(frozen=True, slots=True)
class RecoveryCode:
    id: int
    code_hash: str


def unused_recovery_codes(uow: UnitOfWork, user_id: int) -> tuple[RecoveryCode, ...]:
    """The account's recovery codes not used yet."""
    statement = (
        select(RecoveryCodeRow)
        .where(col(RecoveryCodeRow.user_id) == user_id)
        .where(col(RecoveryCodeRow.used_at).is_(None))
        .order_by(col(RecoveryCodeRow.id))
    )
    return tuple(RecoveryCode(row_id(row), row.code_hash) for row in uow.session.exec(statement))


def mark_recovery_code_used(uow: UnitOfWork, code_id: int, at: datetime) -> None:
    """A recovery code works once (not committed)."""
    row = existing(uow, RecoveryCodeRow, code_id, "recovery code")
    row.used_at = at
    saved(uow, row)


def record_login_attempt(
    uow: UnitOfWork, *, client: str, username: str, success: bool, at: datetime
) -> None:
    """Remember one login attempt (not committed)."""
    saved(
        uow, LoginAttemptRow(client=client[:100], username=username[:200], success=success, at=at)
    )


def failed_attempts_since(uow: UnitOfWork, client: str, since: datetime) -> int:
    """How many failed login attempts came from `client` since `since`."""
    statement = (
        select(func.count())
        .select_from(LoginAttemptRow)
        .where(col(LoginAttemptRow.client) == client[:100])
        .where(col(LoginAttemptRow.at) >= since)
        .where(col(LoginAttemptRow.success).is_(False))
    )
    return int(uow.session.exec(statement).one())


@dataclass(frozen=True, slots=True)
class Invite:
    """A one-time link that lets a new account set its password."""

    token_hash: str
    user_id: int
    created_by: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


def insert_invite(
    uow: UnitOfWork,
    *,
    token_hash: str,
    user_id: int,
    created_by: str,
    at: datetime,
    expires_at: datetime,
) -> None:
    """Store an invite (only the token's hash; not committed)."""
    saved(
        uow,
        InviteRow(
            token_hash=token_hash,
            user_id=user_id,
            created_by=created_by,
            created_at=at,
            expires_at=expires_at,
        ),
    )


def find_invite(uow: UnitOfWork, token_hash: str) -> Invite | None:
    """The invite with this token hash, or None."""
    row = uow.session.get(InviteRow, token_hash)
    return None if row is None else record_of(Invite, row)


def mark_invite_used(uow: UnitOfWork, token_hash: str, at: datetime) -> None:
    """An invite can be used once (not committed)."""
    row = uow.session.get(InviteRow, token_hash)
    if row is not None:
        row.used_at = at
        saved(uow, row)
