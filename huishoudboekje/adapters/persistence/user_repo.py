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
from huishoudboekje.adapters.persistence.web_tables import InviteRow, LoginAttemptRow, UserRow


@dataclass(frozen=True, slots=True)
class User:
    """A stored account. `password_hash` is None until an invite is accepted."""

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


def _user(row: UserRow) -> User:
    return record_of(User, row, id=row_id(row))


# Looked up on every request (the identity of the session) and every login: plain
# columns in the order of `User`, statements built once with bind parameters.
_USERS = table_of(UserRow)
_SELECT_USER = select_columns(*(_USERS.c[f.name] for f in fields(User)))
_USER_BY_ID = _SELECT_USER.where(_USERS.c.id == bindparam("user_id"))
_USER_BY_NAME = _SELECT_USER.where(func.lower(_USERS.c.username) == bindparam("username"))


def _user_of(row: Any) -> User | None:
    return None if row is None else User(*row)


def find_user(uow: UnitOfWork, username: str) -> User | None:
    """The account with this user name (case-insensitive), or None."""
    params = {"username": username.strip().lower()}
    return _user_of(uow.read(_USER_BY_NAME, params).first())


def get_user(uow: UnitOfWork, user_id: int) -> User | None:
    """The account with this id, or None."""
    return _user_of(uow.read(_USER_BY_ID, {"user_id": user_id}).first())


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
    return _user(saved(uow, row))


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
