"""Logging in and accepting an invite through the web, each in one unit of work of
its own (doors onto `user_accounts`, which holds the rules and commits)."""

from __future__ import annotations

from huishoudboekje.services.database import on_engine
from huishoudboekje.services.user_accounts import (
    accept_invite,
    authenticate,
    invite_user,
)

__all__ = ["accept_invitation", "check_login", "invited_user"]


# One login attempt (`user_accounts.authenticate`); the failure counters and the
# lockout it updates are committed.
check_login = on_engine(authenticate)


# The account an invite link is for (raises `AccountError` when it is not valid).
invited_user = on_engine(invite_user)


# Set the password through an invite link (`user_accounts.accept_invite`); raises
# `AccountError`, with nothing written, when it is refused.
accept_invitation = on_engine(accept_invite)
