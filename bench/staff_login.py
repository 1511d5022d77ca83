"""Log a bench's staff account in the way a person does: password, then the TOTP code.

Staff without SSO must have a second factor; the bench enrols a known secret for its own
generated accounts (never a real person's) and computes the code at the app's clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from huishoudboekje.adapters.persistence import UnitOfWork
from huishoudboekje.services.second_factor import set_known_totp, totp_code, totp_step

SECRET = "BENCHTOTPBENCHTOTPBENCHTOTPBENCH"  # 32 base32 characters


def staff_client(app: Flask, username: str, password: str) -> FlaskClient:
    """A test client of `app`, logged in as the staff account `username`."""
    engine = app.extensions["hhb_engine"]
    with UnitOfWork(engine) as uow:
        set_known_totp(uow, actor="bench", username=username, secret=SECRET, now=datetime.now(UTC))
    client = app.test_client()
    response = client.post("/inloggen", data={"username": username, "password": password})
    assert response.status_code == 302, response.status_code
    if response.headers["Location"] == "/inloggen/code":
        now = app.extensions["hhb_settings"].now()
        code = totp_code(SECRET, totp_step(now))
        response = client.post("/inloggen/code", data={"code": code})
        assert response.status_code == 302, response.status_code
    return client
