"""Account services: log in (with rate limit and lockout), create users, invite links.

The web and `hhb users` call these. Password hashing is handed in (`PasswordHasher`),
so this module needs no crypto library; the web supplies argon2. Clock values
(`now`) are arguments, as everywhere in the service layer. Every change is
audit-logged; failed logins are kept in `login_attempt`, not in the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from huishoudboekje.adapters.persistence import load_household, record_audit
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import (
    User,
    failed_attempts_since,
    find_invite,
    find_user,
    get_user,
    insert_invite,
    insert_user,
    mark_invite_used,
    record_login_attempt,
    update_user,
)
from huishoudboekje.services.errors import UserError

MIN_PASSWORD_LENGTH = 10


class Role(StrEnum):
    HOUSEHOLD = "household"
    MEDEWERKER = "medewerker"
    APPROVER = "approver"  # teamleider: may approve four-eyes changes
    ADMIN = "admin"

    @property
    def is_staff(self) -> bool:
        return self is not Role.HOUSEHOLD

    @property
    def may_approve(self) -> bool:
        return self in {Role.APPROVER, Role.ADMIN}


ROLE_NAMES_NL = {
    Role.HOUSEHOLD: "huishouden",
    Role.MEDEWERKER: "medewerker",
    Role.APPROVER: "teamleider",
    Role.ADMIN: "beheerder",
}


class PasswordHasher(Protocol):
    """What the service needs from a password hashing scheme."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...


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


@dataclass(frozen=True, slots=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None


class AccountError(UserError, ValueError):
    """A request about accounts that cannot be done; the message is Dutch, for people."""


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
    if failed_attempts_since(uow, client, now - policy.client_window) >= policy.client_max_failures:
        return LoginResult(LoginOutcome.RATE_LIMITED)
    user = find_user(uow, username)
    if user is not None and user.locked_until is not None and user.locked_until > now:
        record_login_attempt(uow, client=client, username=username, success=False, at=now)
        uow.commit()
        return LoginResult(LoginOutcome.LOCKED, user)
    stored = user.password_hash if user is not None and user.active else None
    valid = hasher.verify(stored or _dummy_hash(hasher), password) and stored is not None
    record_login_attempt(uow, client=client, username=username, success=valid, at=now)
    if user is None:
        uow.commit()
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)
    if valid:
        update_user(uow, user.id, failed_logins=0, clear_lock=True)
        uow.commit()
        return LoginResult(LoginOutcome.OK, get_user(uow, user.id))
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


def check_password(password: str) -> None:
    """Raise `AccountError` when a new password is too weak."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens.")


def create_user(
    uow: UnitOfWork,
    hasher: PasswordHasher | None,
    *,
    actor: str,
    username: str,
    display_name: str,
    role: Role,
    household: str | None,
    password: str | None,
    now: datetime,
) -> User:
    """Add an account and commit. A household account needs an existing household;
    a staff account has none. Without a password the account waits for an invite."""
    username = username.strip()
    if not username or len(username) > 100 or any(c.isspace() for c in username):
        raise AccountError("Geef een gebruikersnaam zonder spaties (hoogstens 100 tekens).")
    if find_user(uow, username) is not None:
        raise AccountError(f"De gebruikersnaam {username!r} bestaat al.")
    if role is Role.HOUSEHOLD:
        if not household or load_household(uow, household) is None:
            raise AccountError(f"Huishouden {household!r} bestaat niet.")
    elif household:
        raise AccountError("Een medewerker hoort niet bij één huishouden.")
    password_hash = None
    if password is not None:
        check_password(password)
        if hasher is None:
            raise AccountError("no password hasher given")
        password_hash = hasher.hash(password)
    user = insert_user(
        uow,
        username=username,
        display_name=display_name or username,
        role=role.value,
        household=household if role is Role.HOUSEHOLD else None,
        password_hash=password_hash,
        at=now,
    )
    record_audit(
        uow,
        actor=actor,
        action="user.create",
        object_type="user",
        object_id=user.username,
        after={"role": user.role, "household": user.household, "name": user.display_name},
        at=now,
    )
    uow.commit()
    return user


def set_password(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    *,
    actor: str,
    username: str,
    password: str,
    now: datetime,
) -> User:
    """Give an account a new password (also unlocks it) and commit."""
    check_password(password)
    user = find_user(uow, username)
    if user is None:
        raise AccountError(f"De gebruiker {username!r} bestaat niet.")
    updated = update_user(
        uow, user.id, password_hash=hasher.hash(password), failed_logins=0, clear_lock=True
    )
    record_audit(
        uow,
        actor=actor,
        action="user.password",
        object_type="user",
        object_id=user.username,
        at=now,
    )
    uow.commit()
    return updated


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


INVITE_TTL = timedelta(days=7)


def create_invite(
    uow: UnitOfWork,
    *,
    actor: str,
    household: str,
    username: str,
    display_name: str,
    now: datetime,
    ttl: timedelta = INVITE_TTL,
) -> str:
    """A one-time invite token for a household member (the account is created
    without a password if it does not exist yet). Only the token's hash is stored."""
    user = find_user(uow, username)
    if user is None:
        user = create_user(
            uow,
            None,
            actor=actor,
            username=username,
            display_name=display_name,
            role=Role.HOUSEHOLD,
            household=household,
            password=None,
            now=now,
        )
    elif user.role != Role.HOUSEHOLD.value or user.household != household:
        raise AccountError(f"De gebruikersnaam {username!r} hoort niet bij dit huishouden.")
    token = secrets.token_urlsafe(32)
    insert_invite(
        uow,
        token_hash=_token_hash(token),
        user_id=user.id,
        created_by=actor,
        at=now,
        expires_at=now + ttl,
    )
    record_audit(
        uow,
        actor=actor,
        action="invite.create",
        object_type="user",
        object_id=user.username,
        after={"household": household, "expires_at": (now + ttl).isoformat()},
        at=now,
    )
    uow.commit()
    return token


def invite_user(uow: UnitOfWork, token: str, now: datetime) -> User:
    """The account an unused, unexpired invite is for; `AccountError` otherwise."""
    invite = find_invite(uow, _token_hash(token))
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        raise AccountError("Deze link werkt niet (meer). Vraag uw medewerker om een nieuwe link.")
    user = get_user(uow, invite.user_id)
    if user is None:
        raise AccountError("Deze link werkt niet (meer). Vraag uw medewerker om een nieuwe link.")
    return user


def accept_invite(
    uow: UnitOfWork, hasher: PasswordHasher, *, token: str, password: str, now: datetime
) -> User:
    """Set the password through an invite link (once) and commit."""
    user = invite_user(uow, token, now)
    check_password(password)
    updated = update_user(
        uow, user.id, password_hash=hasher.hash(password), failed_logins=0, clear_lock=True
    )
    mark_invite_used(uow, _token_hash(token), now)
    record_audit(
        uow,
        actor=user.username,
        action="invite.accept",
        object_type="user",
        object_id=user.username,
        at=now,
    )
    uow.commit()
    return updated
