"""Blueprint `auth`: log in, log out, set a password through an invite link."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from huishoudboekje.services.login_actions import accept_invitation, invited_user
from huishoudboekje.services.user_accounts import AccountError, LoginOutcome, Role
from web import access
from web.identity import Argon2Hasher, Identity
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


def _safe_next(target: str | None) -> str | None:
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
        return render_template("auth/login.html", error=None, username="")
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
        return render_template("auth/login.html", error=message, username=username), 401
    session.clear()
    session.permanent = True
    session[access.SESSION_SUBJECT] = result.identity.subject
    target = _safe_next(request.args.get("next"))
    return redirect(target or home_of(result.identity))


@bp.post("/uitloggen")
def logout() -> Response:
    """End the session."""
    session.clear()
    return redirect(url_for("auth.login"))


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
