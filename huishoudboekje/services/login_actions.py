"""Logging in and accepting an invite through the web, each in one unit of work of
its own (doors onto `user_accounts`, `second_factor` and `staff_sso`, which hold
the rules and commit)."""

from __future__ import annotations

from huishoudboekje.services.database import on_engine
from huishoudboekje.services.second_factor import check_second_factor, enrol_totp
from huishoudboekje.services.staff_sso import sso_staff_login
from huishoudboekje.services.user_accounts import (
    accept_invite,
    authenticate,
    invite_user,
    signed_in_user,
)

__all__ = [
    "accept_invitation",
    "check_code",
    "check_login",
    "confirm_totp",
    "invited_user",
    "login_account",
    "sso_account",
]


# One login attempt (`user_accounts.authenticate`); the failure counters and the
# lockout it updates are committed.
check_login = on_engine(authenticate)


# The second step after the password: a TOTP code or a recovery code
# (`second_factor.check_second_factor`); counts towards the same lockout.
check_code = on_engine(check_second_factor)


# Enrol a TOTP secret with its first code; returns the recovery codes, shown once
# (`second_factor.enrol_totp`); raises `AccountError` with nothing stored.
confirm_totp = on_engine(enrol_totp)


# The account a half-finished login is for, if it may still log in.
login_account = on_engine(signed_in_user)


# The local account of a staff member the gemeente's provider vouched for
# (`staff_sso.sso_staff_login`); raises `AccountError` when it is refused.
sso_account = on_engine(sso_staff_login)


# The account an invite link is for (raises `AccountError` when it is not valid).
invited_user = on_engine(invite_user)


# Set the password through an invite link (`user_accounts.accept_invite`); raises
# `AccountError`, with nothing written, when it is refused.
accept_invitation = on_engine(accept_invite)
