"""Staff with a local password log in with a second factor (issue 20.5): TOTP
enrolment with a QR code, a code once per time step, one-time recovery codes,
lockout, reset. The app's clock is a seam the tests set; no test sleeps."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cli.main import main
from cli.users_mfa import DEMO_TOTP
from huishoudboekje.adapters.persistence import UnitOfWork, load_audit_events
from huishoudboekje.adapters.persistence.user_repo import (
    find_user,
    unused_recovery_codes,
)
from huishoudboekje.services.second_factor import totp_code, totp_step
from huishoudboekje.services.user_accounts import Role, create_user
from tests.web_fixtures import (  # noqa: F401
    DEMO_CONFIG,
    FAST_HASHER,
    PASSWORD,
    WebEnv,
    make_app,
    web,
)
from web.identity import Argon2Hasher

START = datetime(2026, 3, 4, 10, 0, 10, tzinfo=UTC)  # 10 s into a 30-second step


class Clock:
    """The app's clock, moved by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def app(web: WebEnv, clock: Clock) -> Iterator[Flask]:
    """The app over the `web` database, on a clock the test moves; a new medewerker
    "nina" with a password but no second factor yet."""
    with UnitOfWork(web.engine) as uow:
        create_user(
            uow, Argon2Hasher(**FAST_HASHER), actor="test", username="nina",
            display_name="Nina Nieuw", role=Role.MEDEWERKER, household=None,
            password=PASSWORD, now=START,
        )  # fmt: skip
    app = make_app(web.db_url, HHB_CLOCK=clock)
    yield app
    app.extensions["hhb_engine"].dispose()


def password(client: FlaskClient, username: str) -> str:
    response = client.post("/inloggen", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return str(response.headers["Location"])


def enrol(client: FlaskClient, at: datetime) -> tuple[str, list[str]]:
    """Walk the enrolment page: read the secret, type its code; the recovery codes."""
    page = client.get("/inloggen/tweede-factor").data.decode()
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page)
    assert secret is not None
    plain = secret[1].replace(" ", "")
    done = client.post("/inloggen/tweede-factor", data={"code": totp_code(plain, totp_step(at))})
    assert done.status_code == 200, done.data
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", done.data.decode())
    return plain, codes


def test_a_new_staff_member_enrols_with_a_qr_code_and_gets_ten_recovery_codes(
    app: Flask, web: WebEnv
) -> None:
    client = app.test_client()
    assert password(client, "nina") == "/inloggen/tweede-factor"
    assert client.get("/medewerker/").status_code == 302  # not logged in yet
    page = client.get("/inloggen/tweede-factor").data.decode()
    assert '<svg role="img" aria-label="QR-code voor uw authenticator-app"' in page
    assert "<path" in page and "style=" not in page.split("<svg", 1)[1].split("</svg>")[0]
    wrong = client.post("/inloggen/tweede-factor", data={"code": "000000"})
    assert wrong.status_code == 400 and "De code klopt niet" in wrong.data.decode()
    secret, codes = enrol(client, START)
    assert len(codes) == 10 == len(set(codes))
    assert client.get("/medewerker/").status_code == 200
    with UnitOfWork(web.engine) as uow:
        user = find_user(uow, "nina")
        assert user is not None and user.totp_secret is not None
        # stored encrypted with the app's key, never as the secret itself (issue 20)
        assert secret not in user.totp_secret
        box = app.extensions["hhb_secret_box"]
        assert box.open(user.totp_secret, account=user.id) == secret
        stored = unused_recovery_codes(uow, user.id)
        events = [e.action for e in load_audit_events(uow, object_id="nina")]
    assert len(stored) == 10
    assert all(s.code_hash.startswith("$argon2id$") for s in stored)
    assert not any(c.replace("-", "") in s.code_hash for c in codes for s in stored)
    assert "user.totp_enrol" in events


def test_login_needs_the_right_code_once_and_a_recovery_code_works_once(
    app: Flask, clock: Clock, web: WebEnv
) -> None:
    secret, codes = enrol(_after_password(app, "nina"), START)
    clock.advance(seconds=5)  # same time step as the enrolment
    client = app.test_client()
    assert password(client, "nina") == "/inloggen/code"
    wrong = client.post("/inloggen/code", data={"code": "123456"})
    assert wrong.status_code == 401 and "klopt niet" in wrong.data.decode()
    replay = client.post("/inloggen/code", data={"code": totp_code(secret, totp_step(START))})
    assert replay.status_code == 401  # the code of the enrolment's step was used
    assert client.get("/medewerker/").status_code == 302
    clock.advance(seconds=30)
    right = client.post("/inloggen/code", data={"code": totp_code(secret, totp_step(clock()))})
    assert right.status_code == 302 and right.headers["Location"] == "/medewerker/"
    assert client.get("/medewerker/").status_code == 200
    # a recovery code (typed in capitals, with spaces) works once
    recovery = codes[3]
    other = app.test_client()
    password(other, "nina")
    typed = recovery.upper().replace("-", " ")
    assert other.post("/inloggen/code", data={"code": typed}).status_code == 302
    again = app.test_client()
    password(again, "nina")
    reused = again.post("/inloggen/code", data={"code": recovery})
    assert reused.status_code == 401 and "al gebruikt" in reused.data.decode()
    assert again.post("/inloggen/code", data={"code": codes[4]}).status_code == 302
    with UnitOfWork(web.engine) as uow:
        user = find_user(uow, "nina")
        assert user is not None
        assert len(unused_recovery_codes(uow, user.id)) == 8
        used = load_audit_events(uow, object_id="nina", action="user.recovery_code")
    assert len(used) == 2


def _after_password(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    password(client, username)
    return client


def test_five_wrong_codes_lock_the_account(app: Flask, web: WebEnv) -> None:
    enrol(_after_password(app, "nina"), START)
    client = _after_password(app, "nina")
    for _ in range(4):
        assert client.post("/inloggen/code", data={"code": "111111"}).status_code == 401
    fifth = client.post("/inloggen/code", data={"code": "111111"})
    assert "geblokkeerd" in fifth.data.decode()
    refused = app.test_client().post("/inloggen", data={"username": "nina", "password": PASSWORD})
    assert "geblokkeerd" in refused.data.decode()
    with UnitOfWork(web.engine) as uow:
        assert [e.object_id for e in load_audit_events(uow, action="user.locked")] == ["nina"]


def test_the_half_done_login_expires_and_needs_the_password_first(app: Flask, clock: Clock) -> None:
    anonymous = app.test_client()
    assert anonymous.get("/inloggen/code").headers["Location"] == "/inloggen"
    assert anonymous.post("/inloggen/code", data={"code": "123456"}).status_code == 302
    assert anonymous.get("/inloggen/tweede-factor").headers["Location"] == "/inloggen"
    client = _after_password(app, "mira")
    clock.advance(minutes=6)
    secret = "TESTTOTPMIRAAAAAAAAAAAAAAAAAAAAA"
    late = client.post("/inloggen/code", data={"code": totp_code(secret, totp_step(clock()))})
    assert late.headers["Location"] == "/inloggen"
    assert client.get("/medewerker/").status_code == 302


def test_households_log_in_with_the_password_alone(app: Flask) -> None:
    client = app.test_client()
    assert password(client, "jansen") == "/vandaag"
    assert client.get("/vandaag").status_code == 200


def test_the_code_forms_need_the_csrf_token(web: WebEnv, clock: Clock) -> None:
    app = make_app(web.db_url, WTF_CSRF_ENABLED=True, HHB_CLOCK=clock)
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/inloggen").data.decode())
    assert token is not None
    login = {"username": "mira", "password": PASSWORD, "csrf_token": token[1]}
    assert client.post("/inloggen", data=login).headers["Location"] == "/inloggen/code"
    secret = "TESTTOTPMIRAAAAAAAAAAAAAAAAAAAAA"
    code = totp_code(secret, totp_step(clock()))
    assert client.post("/inloggen/code", data={"code": code}).status_code == 400
    page = client.get("/inloggen/code").data.decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    ok = client.post("/inloggen/code", data={"code": code, "csrf_token": token[1]})
    assert ok.status_code == 302 and ok.headers["Location"] == "/medewerker/"
    app.extensions["hhb_engine"].dispose()


def test_reset_2fa_makes_the_account_enrol_again(
    app: Flask, web: WebEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "--database", web.db_url, "reset-2fa", "mira"]) == 0
    assert "verwijderd" in capsys.readouterr().out
    assert password(app.test_client(), "mira") == "/inloggen/tweede-factor"
    assert main(["users", "--database", web.db_url, "reset-2fa", "niemand"]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    with UnitOfWork(web.engine) as uow:
        assert load_audit_events(uow, object_id="mira", action="user.totp_reset")


def test_the_demo_staff_get_a_known_secret_and_demo_code_prints_its_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["users", "demo-code", "medewerker"]) == 0
    printed = capsys.readouterr().out.strip()
    now = datetime.now(UTC)
    secret = DEMO_TOTP["medewerker"]
    assert printed in {totp_code(secret, totp_step(now) + d) for d in (-1, 0)}
    with pytest.raises(SystemExit):  # only the demo's logins, never a real account's
        main(["users", "demo-code", "mira"])


def test_users_demo_enrols_the_demo_staff_and_prints_their_secret(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "apply", str(DEMO_CONFIG), "--database", db_url]) == 0
    assert main(["users", "--database", db_url, "demo"]) == 0
    out = capsys.readouterr().out
    assert DEMO_TOTP["medewerker"] in out and "hhb users demo-code" in out
    assert main(["users", "--database", db_url, "demo"]) == 0  # idempotent
    app = make_app(db_url)
    client = app.test_client()
    login = {"username": "medewerker", "password": "demo-medewerker-2026"}
    assert client.post("/inloggen", data=login).headers["Location"] == "/inloggen/code"
    code = totp_code(DEMO_TOTP["medewerker"], totp_step(datetime.now(UTC)))
    assert client.post("/inloggen/code", data={"code": code}).status_code == 302
    assert client.get("/medewerker/").status_code == 200
    app.extensions["hhb_engine"].dispose()
