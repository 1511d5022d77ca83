"""Settings of staff login at the gemeente's OpenID Connect provider (HHB_OIDC_*).

HHB_OIDC_ISSUER          the provider's issuer URL (discovery at
                         <issuer>/.well-known/openid-configuration); SSO is on when set
HHB_OIDC_CLIENT_ID       this app's client id at the provider
HHB_OIDC_CLIENT_SECRET   its client secret
HHB_OIDC_ROLE_CLAIM      the claim that holds the role (a string or a list, e.g. groups)
HHB_OIDC_ROLES           claim values to roles: `hhb-medewerker=medewerker,
                         hhb-teamleider=approver,hhb-beheer=admin`
HHB_OIDC_TEAM_CLAIM      the claim that holds the team (optional)
HHB_OIDC_GEMEENTE_CLAIM  the claim that holds the gemeente's code, or "regio" for a
                         regional account (issue 22; optional, needed for new accounts
                         in an installation with several gemeenten)
HHB_OIDC_USERNAME_CLAIM  the claim used as user name (default preferred_username)
HHB_OIDC_SCOPES          extra scopes besides `openid profile` (space separated)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from huishoudboekje.services.staff_sso import ClaimMapping, parse_role_map

REQUIRED = ("HHB_OIDC_CLIENT_ID", "HHB_OIDC_CLIENT_SECRET", "HHB_OIDC_ROLE_CLAIM", "HHB_OIDC_ROLES")


@dataclass(frozen=True, slots=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    mapping: ClaimMapping
    scopes: str = "openid profile"


def load_oidc_settings(values: Mapping[str, Any]) -> OidcSettings | None:
    """The SSO settings, None when HHB_OIDC_ISSUER is not set; `ValueError` naming
    the setting when it is set but another is missing or wrong."""
    issuer = str(values.get("HHB_OIDC_ISSUER") or "").strip().rstrip("/")
    if not issuer:
        return None
    if not issuer.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ValueError(f"HHB_OIDC_ISSUER={issuer!r}: must be an https URL")
    missing = [name for name in REQUIRED if not str(values.get(name) or "").strip()]
    if missing:
        raise ValueError(f"HHB_OIDC_ISSUER is set but {', '.join(missing)} not")
    try:
        roles = parse_role_map(str(values["HHB_OIDC_ROLES"]))
    except ValueError as exc:
        raise ValueError(f"HHB_OIDC_ROLES: {exc}") from None
    extra = str(values.get("HHB_OIDC_SCOPES") or "").split()
    return OidcSettings(
        issuer=issuer,
        client_id=str(values["HHB_OIDC_CLIENT_ID"]).strip(),
        client_secret=str(values["HHB_OIDC_CLIENT_SECRET"]).strip(),
        mapping=ClaimMapping(
            role_claim=str(values["HHB_OIDC_ROLE_CLAIM"]).strip(),
            roles=roles,
            team_claim=str(values.get("HHB_OIDC_TEAM_CLAIM") or "").strip(),
            gemeente_claim=str(values.get("HHB_OIDC_GEMEENTE_CLAIM") or "").strip(),
            username_claim=str(values.get("HHB_OIDC_USERNAME_CLAIM") or "preferred_username"),
        ),
        scopes=" ".join(
            ["openid", "profile", *[s for s in extra if s not in {"openid", "profile"}]]
        ),
    )
