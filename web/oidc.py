"""Login at an OpenID Connect provider (Authlib's Flask client), a `LoginMethod`.

Authorization code flow with PKCE (S256), `state` and `nonce` kept in the
session by Authlib. Authlib fetches the provider's discovery document and keys
and validates the ID token (signature, `iss`, `aud`, `exp`, `iat`, `nonce`);
here we also check that the discovered issuer is the configured one and, for a
fresh login (`prompt=login`, `max_age=0`), that `auth_time` is after the request.
What the verified claims mean is the `ClaimsMapper`: `staff_account` for the
gemeente's staff. A household broker (DigiD) would be another `OidcLogin` with
its own mapper.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.integrations.flask_client import OAuth
from flask import Flask
from sqlalchemy import Engine
from werkzeug.wrappers import Response

from huishoudboekje.services.login_actions import sso_account
from huishoudboekje.services.staff_sso import staff_claims
from huishoudboekje.services.user_accounts import AccountError, LoginOutcome
from web.identity import AuthResult, identity_of
from web.oidc_settings import OidcSettings

# verified claims, the client address and now → the identity (AccountError: refused)
ClaimsMapper = Callable[[Mapping[str, Any], str, datetime], AuthResult]
log = logging.getLogger(__name__)
CLOCK_LEEWAY = timedelta(seconds=60)
PROVIDER_TIMEOUT_SECONDS = 10


class ProviderError(Exception):
    """The provider's answer cannot be used (a Dutch message for the login page)."""


class OidcLogin:
    """Log in at one OpenID Connect provider."""

    def __init__(
        self,
        app: Flask,
        *,
        name: str,
        label: str,
        config: OidcSettings,
        mapper: ClaimsMapper,
    ) -> None:
        self.name = name
        self.label = label
        self.issuer = config.issuer
        self.client_id = config.client_id
        self.mapper = mapper
        oauth = app.extensions.get("authlib.integrations.flask_client") or OAuth(app)
        self.client: Any = oauth.register(
            name=name,
            client_id=config.client_id,
            client_secret=config.client_secret,
            server_metadata_url=f"{config.issuer}/.well-known/openid-configuration",
            client_kwargs={
                "scope": config.scopes,
                "code_challenge_method": "S256",
                "default_timeout": PROVIDER_TIMEOUT_SECONDS,  # a hanging provider: no hung worker
            },
        )

    def start(self, redirect_uri: str, *, fresh: bool) -> Response:
        """Send the browser to the provider's authorization endpoint."""
        extra: dict[str, Any] = {"prompt": "login", "max_age": 0} if fresh else {}
        response: Response = self.client.authorize_redirect(redirect_uri, **extra)
        return response

    def finish(self, client: str, now: datetime, *, fresh_since: datetime | None) -> AuthResult:
        """Exchange the code, validate the ID token and map its claims."""
        metadata = self.client.load_server_metadata()
        if str(metadata.get("issuer", "")).rstrip("/") != self.issuer:
            raise ProviderError("De inlogdienst meldt zich met een ander adres dan ingesteld.")
        token = self.client.authorize_access_token()
        claims: dict[str, Any] = dict(token.get("userinfo") or {})
        if not claims:
            raise ProviderError("De inlogdienst gaf geen ID-token mee.")
        if fresh_since is not None:
            auth_time = claims.get("auth_time")
            if (
                not isinstance(auth_time, int | float)
                or datetime.fromtimestamp(auth_time, UTC) < fresh_since - CLOCK_LEEWAY
            ):
                raise ProviderError("U bent niet opnieuw ingelogd bij de inlogdienst.")
        result = self.mapper(claims, client, now)
        id_token = token.get("id_token")
        return dataclasses.replace(result, id_token=id_token if isinstance(id_token, str) else None)

    def logout_url(self, return_to: str, id_token: str | None) -> str | None:
        """RP-Initiated Logout 1.0: the provider's `end_session_endpoint` (from its
        discovery document) with `id_token_hint`, `client_id` and
        `post_logout_redirect_uri`; None when the provider has none, or cannot be
        reached (the local session has ended all the same)."""
        try:
            metadata = self.client.load_server_metadata()
        except (OSError, ValueError) as exc:  # requests' errors are OSErrors
            log.warning("logout at the provider skipped: no discovery document: %s", exc)
            return None
        endpoint = metadata.get("end_session_endpoint")
        if not isinstance(endpoint, str):
            return None
        if origin_of(endpoint) != origin_of(self.issuer):  # the CSP lets forms go there only
            log.warning("logout at the provider skipped: %s is not at the issuer", endpoint)
            return None
        query: dict[str, str] = {"client_id": self.client_id, "post_logout_redirect_uri": return_to}
        if id_token:
            query["id_token_hint"] = id_token
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"


def origin_of(url: str) -> str:
    """scheme://host[:port] of `url`."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def staff_account(engine: Engine, config: OidcSettings) -> ClaimsMapper:
    """The mapper of the gemeente's staff: role and team from claims, a local account."""

    def mapped(claims: Mapping[str, Any], client: str, now: datetime) -> AuthResult:
        who = staff_claims(claims, config.issuer, config.mapping)
        user = sso_account(engine, who=who, client=client, now=now)
        return AuthResult(identity_of(user), LoginOutcome.OK, user_id=user.id)

    return mapped


__all__ = [
    "AccountError",
    "ClaimsMapper",
    "OidcLogin",
    "ProviderError",
    "origin_of",
    "staff_account",
]
