"""Logging out after a login at the gemeente's provider ends the session there too
(RP-Initiated Logout 1.0), when the provider's discovery document names an
`end_session_endpoint`. End to end in Chromium against the real provider:
`test_auth_sso.py::test_a_medewerker_logs_in_with_the_gemeente_account_in_chromium`.
Here: what is sent there, and what happens when there is nothing to send it to."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

from tests.oidc_provider import harness
from tests.web_fixtures import PASSWORD, WebEnv, make_app, second_step, web  # noqa: F401
from web import sessions
from web.identity import AuthResult
from web.oidc import OidcLogin
from web.oidc_settings import load_oidc_settings

PORT = 9  # discard: nothing listens there, so the provider is unreachable
ISSUER = f"http://127.0.0.1:{PORT}"
BACK = "https://hhb.voorbeeldstad.nl/inloggen"


def _never(claims: Any, client: str, now: datetime) -> AuthResult:
    raise AssertionError("no login in these tests")


@pytest.fixture
def login() -> OidcLogin:
    config = load_oidc_settings(harness.settings(PORT))
    assert config is not None
    return OidcLogin(Flask(__name__), name="gemeente", label="x", config=config, mapper=_never)


def _metadata(login: OidcLogin, **document: str) -> None:
    login.client.load_server_metadata = lambda: {"issuer": ISSUER, **document}


def test_the_logout_goes_to_the_end_session_endpoint_with_the_id_token(login: OidcLogin) -> None:
    _metadata(login, end_session_endpoint=f"{ISSUER}/session/end")
    url = login.logout_url(BACK, "header.payload.signature")
    assert url is not None and url.startswith(f"{ISSUER}/session/end?")
    assert parse_qs(urlsplit(url).query) == {
        "client_id": [harness.CLIENT_ID],
        "post_logout_redirect_uri": [BACK],
        "id_token_hint": ["header.payload.signature"],
    }
    _metadata(login, end_session_endpoint=f"{ISSUER}/logout?tenant=gemeente")
    url = login.logout_url(BACK, None)  # no ID token kept: client_id says who asks
    assert url is not None and url.startswith(f"{ISSUER}/logout?tenant=gemeente&client_id=")
    assert "id_token_hint" not in url


def test_no_end_session_endpoint_or_one_elsewhere_means_a_logout_here_only(
    login: OidcLogin,
) -> None:
    _metadata(login)
    assert login.logout_url(BACK, "t") is None
    _metadata(login, end_session_endpoint="https://elders.example/logout")
    assert login.logout_url(BACK, "t") is None  # the CSP lets the form go to the issuer only


@pytest.fixture
def sso_app(web: WebEnv) -> Iterator[Flask]:  # noqa: F811
    """The web tests' gemeente with SSO configured at a provider that is down."""
    app = make_app(web.db_url, **harness.settings(PORT))
    yield app
    app.extensions["hhb_engine"].dispose()


def test_the_csp_lets_forms_go_to_the_provider_only_when_sso_is_on(
    web: WebEnv,  # noqa: F811
    sso_app: Flask,
) -> None:
    plain = web.app.test_client().get("/inloggen").headers["Content-Security-Policy"]
    assert "form-action 'self';" in plain
    with_sso = sso_app.test_client().get("/inloggen").headers["Content-Security-Policy"]
    assert f"form-action 'self' {ISSUER};" in with_sso


def test_logging_out_ends_the_session_here_when_the_provider_cannot_be_reached(
    sso_app: Flask,
) -> None:
    client = sso_app.test_client()
    response = client.post("/inloggen", data={"username": "mira", "password": PASSWORD})
    assert response.headers["Location"] == "/inloggen/code"
    assert second_step(sso_app, client, "mira").status_code == 302
    with client.session_transaction() as session:  # as if mira had come via the provider
        session[sessions.AUTH_METHOD] = "gemeente"
        session[sessions.ID_TOKEN] = "header.payload.signature"
    assert client.get("/medewerker/").status_code == 200
    out = client.post("/uitloggen")
    assert out.status_code == 302 and out.headers["Location"] == "/inloggen"
    assert client.get("/medewerker/").headers["Location"].startswith("/inloggen")


def test_a_password_login_logs_out_here_only(sso_app: Flask) -> None:
    def not_asked() -> dict[str, str]:
        raise AssertionError("a password login has nothing to end at the provider")

    sso_app.extensions["hhb_login_methods"]["gemeente"].client.load_server_metadata = not_asked
    client = sso_app.test_client()
    client.post("/inloggen", data={"username": "mira", "password": PASSWORD})
    assert second_step(sso_app, client, "mira").status_code == 302
    out = client.post("/uitloggen")
    assert out.headers["Location"] == "/inloggen"
