"""The logged-in session: starting it, the staff idle timeout, and how fresh the
last login is (for approving four-eyes changes).

The session is Flask's signed cookie. Beside the subject it holds `auth_at` (when
this person last proved who they are: password and code, or a login at the
provider), `auth_method` ("password" or the name of a `LoginMethod`) and, for
staff, `seen` (the last request). Times are POSIX seconds from the app's clock
(`WebSettings.now`, which tests freeze and move). A staff session idle for longer
than `HHB_STAFF_IDLE_MINUTES` ends at the next request.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, g, session

from web import access
from web.identity import Identity

AUTH_AT = "auth_at"
AUTH_METHOD = "auth_method"
SEEN = "seen"
PASSWORD = "password"
ID_TOKEN = "id_token"  # a login at a provider: its ID token, to log out there too


def _stamp(moment: datetime) -> float:
    return moment.timestamp()


def start(identity: Identity, method: str, now: datetime, id_token: str | None = None) -> None:
    """A new session for `identity` (anything of a previous session is dropped);
    `id_token`: the provider's, for a login there."""
    session.clear()
    session.permanent = True
    session[access.SESSION_SUBJECT] = identity.subject
    session[AUTH_AT] = _stamp(now)
    session[AUTH_METHOD] = method
    session[SEEN] = _stamp(now)
    if id_token:
        session[ID_TOKEN] = id_token


def method() -> str:
    """How this session's person logged in."""
    return str(session.get(AUTH_METHOD, PASSWORD))


def authenticated_at() -> datetime | None:
    """When this session's person last proved who they are."""
    raw = session.get(AUTH_AT)
    return datetime.fromtimestamp(raw, UTC) if isinstance(raw, int | float) else None


def mark_authenticated(now: datetime) -> None:
    """The person just proved again who they are."""
    session[AUTH_AT] = _stamp(now)


def recently_authenticated() -> bool:
    """Whether the last login is at most `HHB_REAUTH_MINUTES` old."""
    settings = access.settings()
    at = authenticated_at()
    return at is not None and settings.now() - at <= settings.reauth_after


def end_idle_staff_sessions() -> None:
    """before_request (after `access.load_identity`): a staff session idle too long
    ends; otherwise this request counts as activity."""
    identity: Identity | None = g.get("identity")
    if identity is None or not identity.is_staff:
        return
    settings = access.settings()
    now = settings.now()
    seen = session.get(SEEN)
    idle = now.timestamp() - seen if isinstance(seen, int | float) else None
    if idle is None or idle > settings.staff_idle.total_seconds():
        session.clear()
        g.identity = None
        flash("U was een tijd niet actief. Log opnieuw in om verder te gaan.", "info")
        return
    session[SEEN] = _stamp(now)
