"""Logging in and accepting an invite through the web, each in one unit of work of
its own (doors onto `user_accounts`, which holds the rules and commits)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import User
from huishoudboekje.services.user_accounts import (
    LoginResult,
    PasswordHasher,
    accept_invite,
    authenticate,
    invite_user,
)

__all__ = ["accept_invitation", "check_login", "invited_user"]


def check_login(engine: Engine, hasher: PasswordHasher, **attempt: Any) -> LoginResult:
    """One login attempt (the keywords of `authenticate`); the failure counters and
    lockout it updates are committed."""
    with UnitOfWork(engine) as uow:
        return authenticate(uow, hasher, **attempt)


def invited_user(engine: Engine, token: str, now: datetime) -> User:
    """The account an invite link is for (raises `AccountError` when it is not valid)."""
    with UnitOfWork(engine) as uow:
        return invite_user(uow, token, now)


def accept_invitation(engine: Engine, hasher: PasswordHasher, **acceptance: Any) -> User:
    """Set the password through an invite link (the keywords of `accept_invite`);
    raises `AccountError`, with nothing written, when it is refused."""
    with UnitOfWork(engine) as uow:
        return accept_invite(uow, hasher, **acceptance)
