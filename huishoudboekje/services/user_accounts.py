"""Account services: create users, set passwords, invite links; logging in itself
lives in `services.logins` (its names are importable from here too).

The web and `hhb users` call these. Password hashing is handed in (`PasswordHasher`),
so this module needs no crypto library; the web supplies argon2. Clock values
(`now`) are arguments, as everywhere in the service layer. Every change is
audit-logged.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from huishoudboekje.adapters.persistence import load_household, record_audit
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import (
    User,
    find_invite,
    find_user,
    get_user,
    insert_invite,
    insert_user,
    mark_invite_used,
    update_user,
)
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.logins import (
    LoginOutcome,
    LoginPolicy,
    LoginResult,
    PasswordHasher,
    authenticate,
    signed_in_user,
)

__all__ = [
    "INVITE_TTL",
    "MIN_PASSWORD_LENGTH",
    "ROLE_NAMES_NL",
    "AccountError",
    "LoginOutcome",
    "LoginPolicy",
    "LoginResult",
    "PasswordHasher",
    "Role",
    "User",
    "accept_invite",
    "authenticate",
    "check_password",
    "create_invite",
    "create_user",
    "invite_user",
    "set_password",
    "signed_in_user",
]

MIN_PASSWORD_LENGTH = 10


class Role(StrEnum):
    HOUSEHOLD = "household"
    MEDEWERKER = "medewerker"
    APPROVER = "approver"  # teamleider: may approve four-eyes changes
    ADMIN = "admin"
    # issue 20: manages configuration (gemeente settings, users), sees no household data
    FUNCTIONEEL_BEHEERDER = "functioneel_beheerder"
    # issue 20: the functionaris gegevensbescherming reads the view log, nothing else
    PRIVACY_OFFICER = "privacy_officer"

    @property
    def is_staff(self) -> bool:
        """Every role but a household's works for the gemeente."""
        return self is not Role.HOUSEHOLD

    @property
    def sees_household_data(self) -> bool:
        """Medewerker, teamleider and beheerder work with households' data; the
        functioneel beheerder and the privacy officer do not (need to know)."""
        return self in {Role.MEDEWERKER, Role.APPROVER, Role.ADMIN}

    @property
    def sees_every_team(self) -> bool:
        """The beheerder (admin) sees every team's households."""
        return self is Role.ADMIN

    @property
    def may_approve(self) -> bool:
        """Teamleider and beheerder approve four-eyes changes."""
        return self in {Role.APPROVER, Role.ADMIN}


ROLE_NAMES_NL = {
    Role.HOUSEHOLD: "huishouden",
    Role.MEDEWERKER: "medewerker",
    Role.APPROVER: "teamleider",
    Role.ADMIN: "beheerder",
    Role.FUNCTIONEEL_BEHEERDER: "functioneel beheerder",
    Role.PRIVACY_OFFICER: "functionaris gegevensbescherming",
}


class AccountError(UserError, ValueError):
    """A request about accounts that cannot be done; the message is Dutch, for people."""


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
    team: str = "",
) -> User:
    """Add an account and commit. A household account needs an existing household;
    a staff account has none, and may have a team. Without a password the account
    waits for an invite."""
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
    team = team.strip()
    if team and role is Role.HOUSEHOLD:
        raise AccountError("Alleen medewerkers horen bij een team.")
    if len(team) > 100:
        raise AccountError("Geef een teamnaam van hoogstens 100 tekens.")
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
        team=team,
    )
    after = {"role": user.role, "household": user.household, "name": user.display_name}
    if user.team:
        after["team"] = user.team
    record_audit(
        uow,
        actor=actor,
        action="user.create",
        object_type="user",
        object_id=user.username,
        after=after,
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
