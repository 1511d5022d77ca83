"""Start the test OpenID Connect provider (provider.mjs, panva/oidc-provider) on localhost.

Needs `node` and `npm ci --prefix tests/oidc_provider` (CI's .ci/run does both).
Locally the tests skip with the reason when either is missing; in CI (`CI=true`)
they fail instead, so SSO is never silently untested there.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
CLIENT_ID = "huishoudboekje"
CLIENT_SECRET = "test-client-secret-0123456789abcdef"
ROLE_MAP = "hhb-medewerker=medewerker,hhb-teamleider=approver,hhb-beheer=admin"
ACCOUNTS: dict[str, dict[str, Any]] = {
    # login at the provider: its password there and the claims it hands out
    "mira.sso": {
        "password": "geheim-mira",
        "claims": {
            "name": "Mira via SSO",
            "preferred_username": "mira.sso",
            "hhb_roles": ["medewerkers-alle", "hhb-medewerker"],
            "hhb_team": "Team Noord",
        },
    },
    "tom.sso": {
        "password": "geheim-tom",
        "claims": {
            "name": "Tom via SSO",
            "preferred_username": "tom.sso",
            "hhb_roles": ["hhb-medewerker", "hhb-teamleider"],
            # no team, like the web tests' households: need to know lets him see them
        },
    },
    "zonder.rol": {
        "password": "geheim-zonder",
        "claims": {"name": "Zonder Rol", "preferred_username": "zonder.rol", "hhb_roles": []},
    },
}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the SSO tests: {reason}")
    pytest.skip(reason)


def node() -> str:
    """The node executable, with the provider installed (else skip, or fail in CI)."""
    path = shutil.which("node")
    if path is None:
        _unavailable("needs node (apt package nodejs) for the test OpenID Connect provider")
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        _unavailable("needs `npm ci --prefix tests/oidc_provider` (the test OpenID provider)")
    return str(path)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def settings(port: int) -> dict[str, str]:
    """The HHB_OIDC_* settings of an app that logs staff in at the provider on `port`."""
    return {
        "HHB_OIDC_ISSUER": f"http://127.0.0.1:{port}",
        "HHB_OIDC_CLIENT_ID": CLIENT_ID,
        "HHB_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "HHB_OIDC_ROLE_CLAIM": "hhb_roles",
        "HHB_OIDC_ROLES": ROLE_MAP,
        "HHB_OIDC_TEAM_CLAIM": "hhb_team",
        "HHB_OIDC_SCOPES": "hhb",
    }


@contextlib.contextmanager
def running_provider(
    folder: Path,
    port: int,
    redirect_uris: list[str],
    accounts: Mapping[str, Any] = ACCOUNTS,
    post_logout_redirect_uris: list[str] | None = None,
) -> Iterator[str]:
    """The provider on 127.0.0.1:`port`, for a client that may return to `redirect_uris`
    (and, after logging out there, to `post_logout_redirect_uris`); yields its issuer
    URL and stops it afterwards."""
    executable = node()
    config = folder / "oidc-provider.json"
    config.write_text(
        json.dumps(
            {
                "port": port,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": redirect_uris,
                "post_logout_redirect_uris": post_logout_redirect_uris or [],
                "accounts": dict(accounts),
            }
        )
    )
    process = subprocess.Popen(
        [executable, str(HERE / "provider.mjs"), str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("ready "), f"the OpenID provider did not start: {line!r}"
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
