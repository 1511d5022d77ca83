"""Logging in at another identity provider (`LoginMethod`, e.g. the gemeente's
OpenID Connect provider for staff).

    /inloggen/via/<name>          to the provider (`?opnieuw=1`: log in again there,
                                  before approving a four-eyes change)
    /inloggen/via/<name>/terug    the provider's callback: the session starts
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from authlib.integrations.base_client.errors import OAuthError
from flask import abort, flash, redirect, request, session, url_for
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from huishoudboekje.services.user_accounts import AccountError
from web import access, sessions
from web.auth_views import bp, home_of, login_methods, login_page, safe_next
from web.identity import LoginMethod
from web.oidc import ProviderError

log = logging.getLogger(__name__)
FRESH = "sso_fresh"  # {"since": POSIX seconds, "next": path} while logging in again
FAILED = "Inloggen bij de gemeente lukte niet. Probeer het opnieuw of bel de servicedesk."


def _method(name: str) -> LoginMethod:
    method = login_methods().get(name)
    if method is None:
        abort(404)
    return method


@bp.get("/inloggen/via/<name>")
def sso_start(name: str) -> Response:
    """To the provider's login page."""
    method = _method(name)
    identity = access.current() if request.args.get("opnieuw") else None
    if identity is not None and sessions.method() == name:
        target = safe_next(request.args.get("next")) or url_for("staff.approvals")
        session[FRESH] = {"since": access.settings().now().timestamp(), "next": target}
    else:
        session.pop(FRESH, None)
        session["sso_next"] = safe_next(request.args.get("next")) or ""
    callback = url_for("auth.sso_callback", name=name, _external=True)
    return method.start(callback, fresh=FRESH in session)


@bp.get("/inloggen/via/<name>/terug")
def sso_callback(name: str) -> Response | tuple[str, int]:
    """The provider sends the browser back here with a code."""
    method = _method(name)
    now = access.settings().now()
    fresh = session.pop(FRESH, None)
    since = None
    if isinstance(fresh, dict):
        since = datetime.fromtimestamp(float(fresh["since"]), UTC)
    try:
        result = method.finish(request.remote_addr or "onbekend", now, fresh_since=since)
    except AccountError as exc:
        return login_page(str(exc), status=403)
    except (ProviderError, OAuthError, JoseError, OSError, KeyError, ValueError) as exc:
        log.warning("login via %s failed: %s", name, exc)
        message = str(exc) if isinstance(exc, ProviderError) else FAILED
        return login_page(message, status=401)
    identity = result.identity
    if identity is None:
        return login_page(FAILED, status=401)
    if isinstance(fresh, dict):
        current = access.current()
        if current.subject != identity.subject:
            abort(403)
        sessions.mark_authenticated(now)
        if result.id_token:
            session[sessions.ID_TOKEN] = result.id_token
        flash("U bent opnieuw ingelogd. U kunt nu goedkeuren.", "ok")
        return redirect(safe_next(str(fresh.get("next"))) or url_for("staff.approvals"))
    target = safe_next(str(session.get("sso_next") or ""))
    sessions.start(identity, name, now, id_token=result.id_token)
    return redirect(target or home_of(identity))
