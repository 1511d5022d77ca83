"""Who is logged in, and how they proved it.

Views only see an `Identity` (in `g.identity`, set by `access.load_identity`) and
never how it was established. An `IdentityProvider` turns credentials into an
identity and a session subject back into one. `LocalPasswordProvider` checks
user names and argon2 password hashes in our own database (with rate limit and
lockout, see `huishoudboekje.services.user_accounts`); for staff it also says
that a second factor must follow (`SecondStep`, see `web.mfa_views`).

A `LoginMethod` is a way to log in at someone else's identity provider by
redirect: `start` sends the browser there, `finish` handles the callback and
returns the same `AuthResult`. `web.oidc.OidcLogin` is one for any OpenID
Connect provider; what the verified claims mean is its `ClaimsMapper`. Staff log
in at the gemeente's provider with `staff_account` as mapper. A household login
through a DigiD broker (an OIDC broker) would be a second `OidcLogin` with a
mapper from the broker's pseudonym to a household account: same views
(`/inloggen/via/<name>`), same session. Household subjects are always `local:<id>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from argon2 import DEFAULT_MEMORY_COST, DEFAULT_PARALLELISM, DEFAULT_TIME_COST
from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from werkzeug.wrappers import Response

from huishoudboekje.services.database import Engine, UnitOfWork
from huishoudboekje.services.login_actions import check_login
from huishoudboekje.services.second_factor import needs_second_factor
from huishoudboekje.services.user_accounts import (
    LoginOutcome,
    LoginPolicy,
    Role,
    User,
    signed_in_user,
)


@dataclass(frozen=True, slots=True)
class Identity:
    """The person behind a request."""

    subject: str  # stable id kept in the session
    username: str
    display_name: str
    role: Role
    household: str | None  # only for Role.HOUSEHOLD

    @property
    def is_staff(self) -> bool:
        """Whether this person works for the gemeente."""
        return self.role.is_staff

    @property
    def may_approve(self) -> bool:
        """Whether this person may approve a four-eyes change."""
        return self.role.may_approve


class SecondStep(StrEnum):
    """What must follow a right password before the session starts."""

    NONE = "none"  # nothing: a household's password is enough
    CODE = "code"  # a TOTP code or a recovery code
    ENROL = "enrol"  # set up the second factor first (staff without one yet)


@dataclass(frozen=True, slots=True)
class AuthResult:
    identity: Identity | None
    outcome: LoginOutcome
    second_step: SecondStep = SecondStep.NONE
    user_id: int | None = None
    # the provider's ID token (a login at another provider), kept in the session as
    # the `id_token_hint` of logging out there too
    id_token: str | None = None


class LoginMethod(Protocol):
    """A login at another identity provider, by redirect (OpenID Connect)."""

    name: str  # in the URL: /inloggen/via/<name>
    label: str  # the button on the login page

    def start(self, redirect_uri: str, *, fresh: bool) -> Response:
        """Send the browser to the provider (`fresh`: ask it to log in again now)."""
        ...

    def finish(self, client: str, now: datetime, *, fresh_since: datetime | None) -> AuthResult:
        """Handle the provider's callback: the identity it vouches for. With
        `fresh_since`, only a login at the provider after that moment counts."""
        ...

    def logout_url(self, return_to: str, id_token: str | None) -> str | None:
        """Where to send the browser to end the session at the provider too, coming
        back to `return_to`; None when the provider offers no such logout."""
        ...


class IdentityProvider(Protocol):
    """Turns credentials into an identity; turns a session subject back into one."""

    def authenticate(
        self, credentials: Mapping[str, str], client: str, now: datetime
    ) -> AuthResult:
        """The identity the `credentials` prove (or none), and how the attempt went."""
        ...

    def load(self, subject: str, uow: UnitOfWork) -> Identity | None:
        """The identity for a session subject, read in the request's `uow`."""
        ...


class Argon2Hasher:
    """argon2id password hashes (argon2-cffi defaults unless `params` say otherwise;
    tests use cheap parameters, production never should)."""

    def __init__(
        self,
        time_cost: int = DEFAULT_TIME_COST,
        memory_cost: int = DEFAULT_MEMORY_COST,
        parallelism: int = DEFAULT_PARALLELISM,
    ) -> None:
        self._hasher = _Argon2(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism
        )

    def hash(self, password: str) -> str:
        """A new argon2id hash of `password`."""
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether `password` matches `password_hash` (False for a broken hash)."""
        try:
            return bool(self._hasher.verify(password_hash, password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def identity_of(user: User) -> Identity:
    """The identity of a stored account."""
    return Identity(
        subject=f"local:{user.id}",
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        household=user.household,
    )


class LocalPasswordProvider:
    """User name + password against our own `user_account` table."""

    def __init__(self, engine: Engine, hasher: Argon2Hasher, policy: LoginPolicy) -> None:
        self.engine = engine
        self.hasher = hasher
        self.policy = policy

    def authenticate(
        self, credentials: Mapping[str, str], client: str, now: datetime
    ) -> AuthResult:
        """Check `username` and `password` from `credentials`."""
        result = check_login(
            self.engine,
            self.hasher,
            username=credentials.get("username", ""),
            password=credentials.get("password", ""),
            client=client,
            now=now,
            policy=self.policy,
        )
        if result.outcome is not LoginOutcome.OK or result.user is None:
            return AuthResult(None, result.outcome)
        user = result.user
        step = SecondStep.NONE
        if needs_second_factor(user):
            step = SecondStep.CODE if user.has_totp else SecondStep.ENROL
        return AuthResult(identity_of(user), result.outcome, step, user.id)

    def load(self, subject: str, uow: UnitOfWork) -> Identity | None:
        """The identity for a session subject, if the account still exists and is active."""
        prefix, _, raw_id = subject.partition(":")
        if prefix != "local" or not raw_id.isdigit():
            return None
        user = signed_in_user(uow, int(raw_id))
        return None if user is None else identity_of(user)
