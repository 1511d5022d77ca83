"""Login accounts as an operator manages them from `hhb users`.

Thin doors onto `user_accounts` (which holds the rules: names, roles, password
strength, audit) that open their own unit of work, so the command line needs no
database handle beyond the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.repository import household_codes
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import find_user, list_users
from huishoudboekje.services.database import on_engine
from huishoudboekje.services.second_factor import (
    readable_secret,
    reset_second_factor,
    seal_plain_secrets,
    set_known_totp,
    unreadable_secrets,
)
from huishoudboekje.services.secret_box import SecretBox
from huishoudboekje.services.user_accounts import (
    PasswordHasher,
    Role,
    create_user,
    set_password,
)

__all__ = [
    "DemoAccount",
    "add_account",
    "add_demo_accounts",
    "change_password",
    "enrol_demo_totp",
    "list_accounts",
    "reset_totp",
    "seal_second_factors",
    "unreadable_second_factors",
]

# (username, name, role, household or None, password); staff accounts of the demo all
# work in DEMO_TEAM
DemoAccount = tuple[str, str, Role, str | None, str]
DEMO_TEAM = "Team Noord"


# Add an account (`user_accounts.create_user`) and commit; raises `AccountError`
# when the account is refused.
add_account = on_engine(create_user)


# Give an account a new password, which also unlocks it (`user_accounts.set_password`).
change_password = on_engine(set_password)


# Remove an account's second factor (`second_factor.reset_second_factor`).
reset_totp = on_engine(reset_second_factor)


def enrol_demo_totp(
    engine: Engine, secrets: Mapping[str, str], now: datetime, box: SecretBox | None = None
) -> None:
    """Give the demo's staff logins their known TOTP secret, unless they have one that
    opens (with `box`; without one, any secret they have is kept)."""
    with UnitOfWork(engine) as uow:
        for username, secret in secrets.items():
            user = find_user(uow, username)
            if user is None:
                continue
            if user.has_totp and (box is None or readable_secret(user, box) is not None):
                continue
            set_known_totp(uow, actor="demo", username=username, secret=secret, now=now, box=box)


# Seal every TOTP secret still stored plain, with the web's key
# (`second_factor.seal_plain_secrets`); returns how many.
seal_second_factors = on_engine(seal_plain_secrets)


# The accounts whose TOTP secret does not open with this key
# (`second_factor.unreadable_secrets`).
unreadable_second_factors = on_engine(unreadable_secrets)


# Every login account.
list_accounts = on_engine(list_users)


def add_demo_accounts(
    engine: Engine, hasher: PasswordHasher, accounts: Sequence[DemoAccount], now: datetime
) -> str | None:
    """Create those of `accounts` that do not exist yet, in order.

    Stops at the first account whose household is not stored and returns that
    household's code (the accounts before it stay created); None when all exist.
    """
    with UnitOfWork(engine) as uow:
        codes = set(household_codes(uow))
        for username, name, role, household, password in accounts:
            if household is not None and household not in codes:
                return household
            if find_user(uow, username) is None:
                create_user(
                    uow,
                    hasher,
                    actor="demo",
                    username=username,
                    display_name=name,
                    role=role,
                    household=household,
                    password=password,
                    now=now,
                    team="" if role is Role.HOUSEHOLD else DEMO_TEAM,
                )
    return None
