"""The web application: a leefgeld page for households, a work place for staff.

`create_app(config=None)` builds a Flask app; configuration is read once here
(`web.settings`) and the database engine is opened (and migrated) once. One
blueprint per audience: `auth` (log in and out, invite links), `household`
(Vandaag, Betaald en gepland, Overzicht, Verzoek) and `staff` (caseload,
households, four-eyes, worklists, audit log). Views call the service layer in
`huishoudboekje` only. The scheduler never runs in here (see docs/web.md).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from huishoudboekje.services.account_admin import seal_second_factors, unreadable_second_factors
from huishoudboekje.services.database import Engine, open_database
from huishoudboekje.services.secret_box import SecretBox
from huishoudboekje.services.user_accounts import LoginPolicy
from web import access, formatting, security, sessions, uploads, user_errors
from web.identity import Argon2Hasher, LocalPasswordProvider, LoginMethod
from web.oidc import OidcLogin, origin_of, staff_account
from web.settings import WebSettings, load_settings

log = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. `config` overrides environment settings (HHB_*) and Flask keys."""
    overrides = dict(config or {})
    settings = load_settings(overrides)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="hhb_session",
        PERMANENT_SESSION_LIFETIME=60 * 60 * 8,
        MAX_CONTENT_LENGTH=64 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.config.update({k: v for k, v in overrides.items() if not k.startswith("HHB_")})
    security.require_secret_key(settings)
    if settings.behind_proxy:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    engine = open_database(settings.database_url)
    hasher = Argon2Hasher(**settings.argon2_params)
    app.extensions["hhb_settings"] = settings
    app.extensions["hhb_engine"] = engine
    app.extensions["hhb_hasher"] = hasher
    app.extensions["hhb_secret_box"] = _secret_box(engine, settings)
    app.extensions["hhb_identity_provider"] = LocalPasswordProvider(engine, hasher, LoginPolicy())
    app.extensions["hhb_login_methods"] = _login_methods(app, settings, engine)
    providers = (origin_of(settings.oidc.issuer),) if settings.oidc is not None else ()
    app.extensions["hhb_csp"] = security.csp_allowing_forms_to(providers)
    app.before_request(uploads.allow_uploads)  # before the CSRF check reads the form
    CSRFProtect(app)
    security.install(app)
    user_errors.install(app)
    formatting.register(app)
    app.before_request(access.load_identity)
    app.before_request(sessions.end_idle_staff_sessions)
    app.teardown_request(access.close_reads)

    from web.auth_views import bp as auth_bp
    from web.household_answers import bp as household_answers_bp
    from web.household_views import bp as household_bp
    from web.privacy_views import bp as privacy_bp
    from web.staff import bp as staff_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(household_bp)
    app.register_blueprint(household_answers_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(privacy_bp)
    return app


def _secret_box(engine: Engine, settings: WebSettings) -> SecretBox:
    """The key that seals TOTP secrets at rest (from HHB_SECRET_KEY; none in the demo
    without one). Seals what is still plain and names, in one line each, the accounts
    whose secret does not open with this key."""
    box = SecretBox(None if settings.secret_key_is_random else settings.secret_key)
    sealed = seal_second_factors(engine, box)
    if sealed:
        log.info("encrypted the TOTP secrets of %d account(s) stored before encryption", sealed)
    for username in unreadable_second_factors(engine, box):
        log.warning(
            "the second factor of %s cannot be read with this HHB_SECRET_KEY (was it "
            "changed?); run: hhb users reset-2fa %s",
            username,
            username,
        )
    return box


def _login_methods(app: Flask, settings: WebSettings, engine: Engine) -> dict[str, LoginMethod]:
    """The logins at other identity providers: the gemeente's, when HHB_OIDC_* is set."""
    if settings.oidc is None:
        return {}
    staff = OidcLogin(
        app,
        name="gemeente",
        label="Inloggen met gemeente-account",
        config=settings.oidc,
        mapper=staff_account(engine, settings.oidc),
    )
    return {staff.name: staff}
