"""Security headers, the session cookie's Secure flag, and friendly Dutch error pages."""

from __future__ import annotations

import logging

from flask import Flask, Request, Response, current_app, g, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from web.settings import WebSettings

log = logging.getLogger(__name__)

NO_SECRET_KEY = (
    "HHB_SECRET_KEY is not set: the web app does not start without it "
    "(generate one with: python -c 'import secrets; print(secrets.token_hex(32))')"
)
DEMO_SECRET_KEY = (
    "Demo: HHB_SECRET_KEY is not set, so a random key is used; sessions end on restart"
)


class MissingSecretKey(RuntimeError):
    """The app refuses to start: HHB_SECRET_KEY is not set and this is not the demo."""


def require_secret_key(settings: WebSettings) -> None:
    """Refuse to start without HHB_SECRET_KEY, except in the demo (HHB_DEMO=1),
    which says so in one line."""
    if not settings.secret_key_is_random:
        return
    if not settings.demo:
        raise MissingSecretKey(NO_SECRET_KEY)
    log.warning(DEMO_SECRET_KEY)


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def csp_allowing_forms_to(origins: tuple[str, ...]) -> str:
    """The CSP with `origins` added to form-action: logging out of a login at the
    gemeente's provider is a form that the app redirects to the provider's logout
    (browsers check form-action on that redirect too)."""
    if not origins:
        return CSP
    return CSP.replace("form-action 'self'", "form-action 'self' " + " ".join(origins))


# pygal's SVG carries its own <style>; it is only ever shown through <img>.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

ERROR_TEXT = {
    400: ("Er ging iets mis", "Het formulier kon niet worden verwerkt. Probeer het opnieuw."),
    401: ("Log eerst in", "U moet ingelogd zijn om deze pagina te zien."),
    403: ("Geen toegang", "U mag deze pagina niet bekijken."),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet (meer)."),
    405: ("Dat kan zo niet", "Deze pagina kan niet op deze manier worden geopend."),
    413: ("Te veel gegevens", "Het formulier is te groot."),
    429: ("Even wachten", "Er is te vaak geprobeerd in te loggen. Probeer het over 10 minuten."),
    500: ("Er ging iets mis", "Er ging bij ons iets mis. Probeer het later nog eens."),
}


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when configured so, or when this request came over https."""
        secure_request = isinstance(request, Request) and request.is_secure
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or secure_request


def _headers(response: Response) -> Response:
    is_svg = response.mimetype == "image/svg+xml"
    page_csp = str(current_app.extensions.get("hhb_csp", CSP))
    response.headers.setdefault("Content-Security-Policy", SVG_CSP if is_svg else page_csp)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if g.get("identity") is not None:
        response.headers.setdefault("Cache-Control", "no-store")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def error_page(status: int, message: str | None = None) -> tuple[str, int]:
    """A friendly page for an HTTP error."""
    title, text = ERROR_TEXT.get(status, ERROR_TEXT[500])
    return render_template("error.html", title=title, text=message or text, status=status), status


def _http_error(exc: HTTPException) -> tuple[str, int]:
    return error_page(exc.code or 500)


def _csrf_error(_exc: CSRFError) -> tuple[str, int]:
    return error_page(
        400, "Het formulier was verlopen. Ga terug, ververs de pagina en probeer opnieuw."
    )


def _unexpected(exc: Exception) -> tuple[str, int]:
    log.exception("unexpected error", exc_info=exc)
    return error_page(500)


def install(app: Flask) -> None:
    """Headers on every response; error pages for every error."""
    app.session_interface = HttpsAwareSessionInterface()
    app.after_request(_headers)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
