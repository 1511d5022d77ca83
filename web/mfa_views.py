"""The second factor of staff with a local password, and logging in again before
approving a four-eyes change.

    /inloggen/code            after the password: a TOTP code or a recovery code
    /inloggen/tweede-factor   after the first password: set up the authenticator
                              app (QR code as inline SVG), then the ten recovery
                              codes, shown once
    /opnieuw-inloggen         staff whose last login is older than
                              HHB_REAUTH_MINUTES give their password again (or
                              log in again at the gemeente's provider)
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from huishoudboekje.services.login_actions import (
    check_code,
    check_login,
    confirm_totp,
    login_account,
)
from huishoudboekje.services.second_factor import new_totp_secret, provisioning_uri
from huishoudboekje.services.secret_box import SecretBox
from huishoudboekje.services.user_accounts import AccountError, LoginOutcome, LoginPolicy
from web import access, sessions
from web.auth_views import LOGIN_MESSAGES, bp, home_of, safe_next
from web.identity import Argon2Hasher, identity_of
from web.login_steps import PENDING, pending
from web.qr import qr_svg
from web.security import error_page

ENROL_SECRET = "enrol_secret"
CODE_MESSAGES = {
    LoginOutcome.BAD_CREDENTIALS: "Deze code klopt niet, of is al gebruikt.",
    LoginOutcome.LOCKED: LOGIN_MESSAGES[LoginOutcome.LOCKED],
    LoginOutcome.SECOND_FACTOR_UNREADABLE: (
        "Uw tweede stap kan niet meer worden gelezen, omdat de sleutel van de server is "
        "veranderd. Vraag de beheerder om uw tweede stap opnieuw in te stellen."
    ),
}


def _box() -> SecretBox:
    box: SecretBox = current_app.extensions["hhb_secret_box"]
    return box


def _hasher() -> Argon2Hasher:
    hasher: Argon2Hasher = current_app.extensions["hhb_hasher"]
    return hasher


def _client() -> str:
    return request.remote_addr or "onbekend"


def _expired() -> Response:
    session.pop(PENDING, None)
    return redirect(url_for("auth.login"))


@bp.route("/inloggen/code", methods=["GET", "POST"])
def second_factor() -> Response | str | tuple[str, int]:
    """The code from the authenticator app (or a recovery code) after the password."""
    state = pending()
    if state is None:
        return _expired()
    if request.method == "GET":
        return render_template("auth/code.html", error=None)
    now = access.settings().now()
    result = check_code(
        access.engine(), _hasher(), user_id=state["user"],
        code=request.form.get("code", "")[:40], client=_client(), now=now, box=_box(),
    )  # fmt: skip
    if result.outcome is LoginOutcome.RATE_LIMITED:
        return error_page(429)
    if result.outcome is LoginOutcome.SECOND_FACTOR_UNREADABLE and result.user is not None:
        current_app.logger.warning(
            "the second factor of %s cannot be read with this HHB_SECRET_KEY; run: "
            "hhb users reset-2fa %s", result.user.username, result.user.username,
        )  # fmt: skip
    if result.outcome is not LoginOutcome.OK or result.user is None:
        error = CODE_MESSAGES.get(result.outcome, CODE_MESSAGES[LoginOutcome.BAD_CREDENTIALS])
        if result.outcome is LoginOutcome.LOCKED:
            session.pop(PENDING, None)
        return render_template("auth/code.html", error=error), 401
    identity = identity_of(result.user)
    sessions.start(identity, sessions.PASSWORD, now)
    return redirect(safe_next(state.get("next")) or home_of(identity))


@bp.route("/inloggen/tweede-factor", methods=["GET", "POST"])
def enrol() -> Response | str | tuple[str, int]:
    """Set up the authenticator app: scan, type the first code, keep the recovery codes."""
    state = pending()
    if state is None:
        return _expired()
    user = login_account(access.engine(), state["user"])
    if user is None or user.has_totp:
        return _expired()
    secret = session.get(ENROL_SECRET)
    if not isinstance(secret, str):
        secret = session[ENROL_SECRET] = new_totp_secret()
    error = None
    if request.method == "POST":
        now = access.settings().now()
        try:
            codes = confirm_totp(
                access.engine(), _hasher(), user_id=user.id, secret=secret,
                code=request.form.get("code", "")[:40], now=now, box=_box(),
            )  # fmt: skip
        except AccountError as exc:
            error = str(exc)
        else:
            identity = identity_of(user)
            sessions.start(identity, sessions.PASSWORD, now)
            target = safe_next(state.get("next")) or home_of(identity)
            return render_template("auth/recovery_codes.html", codes=codes, target=target)
    uri = provisioning_uri(secret, user.username)
    page = render_template(
        "auth/enrol.html", qr=Markup(qr_svg(uri)), secret=_grouped(secret), error=error
    )
    return page, 400 if error else 200


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@bp.route("/opnieuw-inloggen", methods=["GET", "POST"])
@access.staff_only
def reauthenticate() -> Response | str | tuple[str, int]:
    """Prove again who you are (before approving a four-eyes change)."""
    identity = access.current()
    target = safe_next(request.args.get("next")) or url_for("staff.approvals")
    method = sessions.method()
    if method != sessions.PASSWORD:
        return render_template("auth/reauth.html", method=method, target=target, error=None)
    if request.method == "GET":
        return render_template("auth/reauth.html", method=method, target=target, error=None)
    now = access.settings().now()
    result = check_login(
        access.engine(), _hasher(), username=identity.username,
        password=request.form.get("password", ""), client=_client(), now=now,
        policy=LoginPolicy(),
    )  # fmt: skip
    if result.outcome is LoginOutcome.RATE_LIMITED:
        return error_page(429)
    if result.outcome is not LoginOutcome.OK:
        if result.outcome is LoginOutcome.LOCKED:
            session.clear()
            return redirect(url_for("auth.login"))
        error = "Dit wachtwoord klopt niet."
        return render_template("auth/reauth.html", method=method, target=target, error=error), 401
    sessions.mark_authenticated(now)
    return redirect(target)
