"""Logging in: user name and password, with a rate limit per client and a lockout.

Password hashing is handed in (`PasswordHasher`), so this module needs no crypto
library; the web supplies argon2. Failed logins are kept in `login_attempt`, not
in the audit log; a lockout is audit-logged. `now` is always an argument.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from huishoudboekje.adapters.persistence import record_audit
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import (
    User,
    failed_attempts_since,
    find_user,
    get_user,
    record_login_attempt,
    update_user,
)


class PasswordHasher(Protocol):
    """What the service needs from a password hashing scheme."""

    def hash(self, password: str) -> str:
        """A new hash of `password` to store."""
        ...

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether `password` matches the stored `password_hash`."""
        ...


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    max_failures: int = 5  # failures in a row before the account locks
    lockout: timedelta = timedelta(minutes=15)
    client_window: timedelta = timedelta(minutes=10)
    client_max_failures: int = 20  # per client address within the window


class LoginOutcome(StrEnum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    RATE_LIMITED = "rate_limited"
    # the stored TOTP secret does not open: HHB_SECRET_KEY was changed (issue 20)
    SECOND_FACTOR_UNREADABLE = "second_factor_unreadable"


@dataclass(frozen=True, slots=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None


# A hash of a random password: verified against when the user does not exist, so
# that a wrong user name takes as long as a wrong password.
_DUMMY: dict[int, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = id(hasher)
    if key not in _DUMMY:
        _DUMMY[key] = hasher.hash(secrets.token_urlsafe(16))
    return _DUMMY[key]


def authenticate(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    *,
    username: str,
    password: str,
    client: str,
    now: datetime,
    policy: LoginPolicy | None = None,
) -> LoginResult:
    """Check a user name and password; records the attempt and commits.

    Too many failures from one client → RATE_LIMITED (nothing checked). An account
    locks for `policy.lockout` after `policy.max_failures` failures in a row; while
    locked even the right password is refused.
    """
    policy = policy or LoginPolicy()
    if client_is_rate_limited(uow, client, now, policy):
        return LoginResult(LoginOutcome.RATE_LIMITED)
    user = find_user(uow, username)
    if user is not None and user.locked_until is not None and user.locked_until > now:
        record_login_attempt(uow, client=client, username=username, success=False, at=now)
        uow.commit()
        return LoginResult(LoginOutcome.LOCKED, user)
    stored = user.password_hash if user is not None and user.active else None
    valid = hasher.verify(stored or _dummy_hash(hasher), password) and stored is not None
    if user is None:
        record_login_attempt(uow, client=client, username=username, success=False, at=now)
        uow.commit()
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)
    if valid:
        return count_success(uow, user, client, now)
    return count_failure(uow, user, client, now, policy)


def client_is_rate_limited(
    uow: UnitOfWork, client: str, now: datetime, policy: LoginPolicy
) -> bool:
    """Whether `client` failed too often lately to be let try again."""
    since = now - policy.client_window
    return failed_attempts_since(uow, client, since) >= policy.client_max_failures


def count_success(uow: UnitOfWork, user: User, client: str, now: datetime) -> LoginResult:
    """A right password or code: the attempt is recorded, the failures reset; commits."""
    record_login_attempt(uow, client=client, username=user.username, success=True, at=now)
    update_user(uow, user.id, failed_logins=0, clear_lock=True)
    uow.commit()
    return LoginResult(LoginOutcome.OK, get_user(uow, user.id))


def count_failure(
    uow: UnitOfWork, user: User, client: str, now: datetime, policy: LoginPolicy
) -> LoginResult:
    """A wrong password or code: recorded, counted, and the account locks after
    `policy.max_failures` in a row (audit-logged); commits."""
    record_login_attempt(uow, client=client, username=user.username, success=False, at=now)
    failures = user.failed_logins + 1
    if failures >= policy.max_failures:
        update_user(uow, user.id, failed_logins=0, locked_until=now + policy.lockout)
        record_audit(
            uow,
            actor="systeem",
            action="user.locked",
            object_type="user",
            object_id=user.username,
            after={"locked_until": (now + policy.lockout).isoformat(), "failures": failures},
            at=now,
        )
        uow.commit()
        return LoginResult(LoginOutcome.LOCKED, user)
    update_user(uow, user.id, failed_logins=failures)
    uow.commit()
    return LoginResult(LoginOutcome.BAD_CREDENTIALS)


def signed_in_user(uow: UnitOfWork, user_id: int) -> User | None:
    """The account behind a session, if it still exists, is active and has a password
    or a link to the gemeente's OpenID Connect provider (an account whose password
    was never set cannot be logged in to)."""
    user = get_user(uow, user_id)
    if user is None or not user.active:
        return None
    if user.password_hash is None and user.external_id is None:
        return None
    return user
