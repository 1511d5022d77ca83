"""Access control: the identity of each request and decorators that demand a role.

Not logged in → redirect to the login page. Logged in with the wrong role → 403.
Household pages never take a household code from the URL: they show the
household of the logged-in identity, so one household cannot ask for another's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, current_app, g, redirect, request, session, url_for

from huishoudboekje.services.database import Engine, UnitOfWork, unit_of_work
from huishoudboekje.services.user_accounts import Role
from web.identity import Identity, IdentityProvider
from web.settings import WebSettings

F = TypeVar("F", bound=Callable[..., Any])
SESSION_SUBJECT = "subject"


def settings() -> WebSettings:
    """The app's settings (read once in create_app)."""
    return cast(WebSettings, current_app.extensions["hhb_settings"])


def engine() -> Engine:
    """The app's database engine."""
    return cast(Engine, current_app.extensions["hhb_engine"])


def provider() -> IdentityProvider:
    """The configured identity provider."""
    return cast(IdentityProvider, current_app.extensions["hhb_identity_provider"])


def reads() -> UnitOfWork:
    """The request's unit of work for reading, opened on first use and closed when
    the request ends (`close_reads`).

    The web's one exception to "only services open a unit of work", kept because
    it is measurably cheaper: the identity lookup and a page's reads share it, one
    connection and one transaction per request instead of one each (on PostgreSQL
    that saves a pre-ping, BEGIN and ROLLBACK round trip). It never writes: nothing
    is ever committed through it. Every write, and every read a page makes apart
    from these, goes through a service that opens its own unit of work on
    `engine()`.
    """
    shared: UnitOfWork | None = g.get("hhb_reads")
    if shared is None:
        shared = unit_of_work(engine()).__enter__()
        g.hhb_reads = shared
    return shared


def close_reads(_error: BaseException | None = None) -> None:
    """teardown_request: close the request's reading unit of work, if it was opened."""
    shared: UnitOfWork | None = g.pop("hhb_reads", None)
    if shared is not None:
        shared.__exit__(None, None, None)


def load_identity() -> None:
    """before_request: put the logged-in identity (or None) in `g.identity`."""
    subject = session.get(SESSION_SUBJECT)
    identity = provider().load(subject, reads()) if isinstance(subject, str) else None
    if subject is not None and identity is None:
        session.clear()
    g.identity = identity


def current() -> Identity:
    """The logged-in identity (only inside views protected by a decorator below)."""
    identity = g.get("identity")
    if identity is None:
        abort(401)
    return cast(Identity, identity)


def requires(*roles: Role) -> Callable[[F], F]:
    """Only for logged-in users with one of `roles`."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            identity: Identity | None = g.get("identity")
            if identity is None:
                return redirect(url_for("auth.login", next=request.path))
            if identity.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


STAFF = (Role.MEDEWERKER, Role.APPROVER, Role.ADMIN)
household_only = requires(Role.HOUSEHOLD)
staff_only = requires(*STAFF)
approvers_only = requires(Role.APPROVER, Role.ADMIN)
admin_only = requires(Role.ADMIN)
