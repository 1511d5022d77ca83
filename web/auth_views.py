"""Blueprint `auth`: log in, log out, set a password through an invite link.

The second factor of staff (`web.mfa_views`) and logins at another identity
provider (`web.sso_views`) add their routes to this blueprint.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlparse

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from huishoudboekje.services.login_actions import accept_invitation, invited_user
from huishoudboekje.services.user_accounts import AccountError, LoginOutcome, Role
from web import access, sessions
from web.identity import Argon2Hasher, Identity, LoginMethod, SecondStep
from web.login_steps import await_second_factor
from web.security import error_page

bp = Blueprint("auth", __name__)

LOGIN_MESSAGES = {
    LoginOutcome.BAD_CREDENTIALS: "Gebruikersnaam of wachtwoord klopt niet.",
    LoginOutcome.LOCKED: (
        "Er is te vaak een verkeerd wachtwoord gebruikt. Uw account is 15 minuten "
        "geblokkeerd. Probeer het daarna opnieuw, of bel uw medewerker."
    ),
}


def home_of(identity: Identity) -> str:
    """Where a user lands after logging in."""
    if identity.role is Role.FUNCTIONEEL_BEHEERDER:
        return url_for("privacy.settings_page")
    if identity.role is Role.PRIVACY_OFFICER:
        return url_for("privacy.view_log_page")
    return url_for("staff.caseload") if identity.is_staff else url_for("household.today")


def login_methods() -> Mapping[str, LoginMethod]:
    """The logins at other identity providers (by name), for the login page's buttons."""
    methods: Mapping[str, LoginMethod] = current_app.extensions["hhb_login_methods"]
    return methods


def login_page(error: str | None = None, username: str = "", status: int = 200) -> tuple[str, int]:
    """The login form (with a button per other login method)."""
    page = render_template(
        "auth/login.html", error=error, username=username, methods=login_methods().values()
    )
    return page, status


def safe_next(target: str | None) -> str | None:
    """Only a local path may be a redirect target (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    parsed = urlparse(target)
    return None if parsed.scheme or parsed.netloc else target


@bp.get("/")
def index() -> Response:
    """The start page: to the right home, or to the login page."""
    identity: Identity | None = g.get("identity")
    if identity is None:
        return redirect(url_for("auth.login"))
    return redirect(home_of(identity))


@bp.route("/inloggen", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    """The login form."""
    if request.method == "GET":
        return login_page()
    username = request.form.get("username", "").strip()
    result = access.provider().authenticate(
        {"username": username, "password": request.form.get("password", "")},
        client=request.remote_addr or "onbekend",
        now=access.settings().now(),
    )
    if result.outcome is LoginOutcome.RATE_LIMITED:
        return error_page(429)
    if result.identity is None:
        message = LOGIN_MESSAGES.get(result.outcome, LOGIN_MESSAGES[LoginOutcome.BAD_CREDENTIALS])
        return login_page(message, username, 401)
    target = safe_next(request.args.get("next"))
    if result.second_step is not SecondStep.NONE:  # fail closed: no id, no login
        if result.user_id is None:
            return login_page(LOGIN_MESSAGES[LoginOutcome.BAD_CREDENTIALS], username, 401)
        return await_second_factor(result.user_id, result.second_step, target)
    sessions.start(result.identity, sessions.PASSWORD, access.settings().now())
    return redirect(target or home_of(result.identity))


@bp.post("/uitloggen")
def logout() -> Response:
    """End the session; after a login at the gemeente's provider, end the session
    there too (RP-Initiated Logout), which sends the browser back to the login page."""
    method = login_methods().get(sessions.method())
    id_token = session.get(sessions.ID_TOKEN)
    session.clear()
    login = url_for("auth.login")
    if method is None:
        return redirect(login)
    there = method.logout_url(
        url_for("auth.login", _external=True), id_token if isinstance(id_token, str) else None
    )
    return redirect(there or login)


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
def invite(token: str) -> Response | str | tuple[str, int]:
    """A household member sets a password through a one-time link."""
    now = access.settings().now()
    try:
        user = invited_user(access.engine(), token, now)
    except AccountError as exc:
        return error_page(404, str(exc))
    if request.method == "GET":
        return render_template("auth/invite.html", user=user, error=None)
    password = request.form.get("password", "")
    if password != request.form.get("password_again", ""):
        return render_template(
            "auth/invite.html", user=user, error="De twee wachtwoorden zijn niet gelijk."
        ), 400
    hasher: Argon2Hasher = current_app.extensions["hhb_hasher"]
    try:
        accept_invitation(access.engine(), hasher, token=token, password=password, now=now)
    except AccountError as exc:
        return render_template("auth/invite.html", user=user, error=str(exc)), 400
    return redirect(url_for("auth.login", welkom=1))


# the second factor and logins at other providers add their routes to `bp`
from web import mfa_views, sso_views  # noqa: E402

__all__ = ["bp", "home_of", "login_methods", "login_page", "mfa_views", "sso_views"]
