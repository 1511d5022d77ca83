"""Logging in: passwords, lockout, rate limit, CSRF, session cookie, invite links."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from huishoudboekje.adapters.persistence import UnitOfWork, load_audit_events
from huishoudboekje.adapters.persistence.user_repo import find_user
from huishoudboekje.services.user_accounts import LoginOutcome, LoginPolicy, authenticate
from tests.web_fixtures import (  # noqa: F401
    FAST_HASHER,
    PASSWORD,
    WebEnv,
    make_app,
    second_step,
    web,
)
from web.identity import Argon2Hasher


def _login(client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/inloggen", data={"username": username, "password": password})


def test_login_sends_each_role_home_and_logout_ends_the_session(web: WebEnv) -> None:
    client = web.app.test_client()
    response = _login(client, "jansen", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/vandaag"
    assert client.get("/vandaag").status_code == 200
    client.post("/uitloggen")
    assert client.get("/vandaag").status_code == 302
    staff = web.app.test_client()
    assert _login(staff, "MIRA", PASSWORD).headers["Location"] == "/inloggen/code"
    assert staff.get("/medewerker/").status_code == 302  # the password alone is no login
    assert second_step(web.app, staff, "mira").headers["Location"] == "/medewerker/"


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(web: WebEnv) -> None:
    client = web.app.test_client()
    for username in ("jansen", "bestaat-niet"):
        response = _login(client, username, "fout-wachtwoord")
        assert response.status_code == 401
        assert "Gebruikersnaam of wachtwoord klopt niet." in response.data.decode()


def test_passwords_are_stored_as_argon2_hashes(web: WebEnv) -> None:
    with UnitOfWork(web.engine) as uow:
        user = find_user(uow, "jansen")
    assert user is not None and user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_account_locks_after_five_failures_even_for_the_right_password(web: WebEnv) -> None:
    client = web.app.test_client()
    for _ in range(4):
        assert _login(client, "jansen", "fout").status_code == 401
    fifth = _login(client, "jansen", "fout")
    assert "geblokkeerd" in fifth.data.decode()
    locked = _login(client, "jansen", PASSWORD)
    assert locked.status_code == 401 and "geblokkeerd" in locked.data.decode()
    with UnitOfWork(web.engine) as uow:
        assert [e.object_id for e in load_audit_events(uow, action="user.locked")] == ["jansen"]


def test_lockout_ends_after_its_time(web: WebEnv) -> None:
    hasher = Argon2Hasher(**FAST_HASHER)
    start = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    policy = LoginPolicy(max_failures=2, lockout=timedelta(minutes=15))
    with UnitOfWork(web.engine) as uow:

        def attempt(password: str, at: datetime) -> LoginOutcome:
            return authenticate(
                uow, hasher, username="jansen", password=password, client="c", now=at, policy=policy
            ).outcome

        assert attempt("fout", start) is LoginOutcome.BAD_CREDENTIALS
        assert attempt("fout", start) is LoginOutcome.LOCKED
        assert attempt(PASSWORD, start + timedelta(minutes=14)) is LoginOutcome.LOCKED
        assert attempt(PASSWORD, start + timedelta(minutes=16)) is LoginOutcome.OK


def test_login_is_rate_limited_per_client(web: WebEnv) -> None:
    client = web.app.test_client()
    statuses = [_login(client, f"niemand{i}", "x").status_code for i in range(21)]
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429
    assert _login(client, "jansen", PASSWORD).status_code == 429  # even the right password


def test_forms_without_csrf_token_are_rejected(web: WebEnv) -> None:
    app = make_app(web.db_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    refused = _login(client, "jansen", PASSWORD)
    assert refused.status_code == 400
    assert "Het formulier was verlopen" in refused.data.decode()
    page = client.get("/inloggen").data.decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    ok = client.post(
        "/inloggen", data={"username": "jansen", "password": PASSWORD, "csrf_token": token[1]}
    )
    assert ok.status_code == 302
    # logged in, a POST without the token is still refused and nothing is stored
    assert (
        client.post("/verzoek", data={"kind": "extra_leefgeld", "amount": "10"}).status_code == 400
    )
    app.extensions["hhb_engine"].dispose()


def test_session_cookie_is_httponly_lax_and_secure_over_https(web: WebEnv) -> None:
    plain = _login(web.app.test_client(), "jansen", PASSWORD)
    cookie = plain.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = web.app.test_client().post(
        "/inloggen",
        data={"username": "jansen", "password": PASSWORD},
        base_url="https://hhb.test",
    )
    assert "Secure" in secure.headers["Set-Cookie"]


def test_login_does_not_redirect_to_other_sites(web: WebEnv) -> None:
    client = web.app.test_client()
    for target in ("https://evil.example/", "//evil.example/x"):
        response = client.post(
            f"/inloggen?next={target}", data={"username": "jansen", "password": PASSWORD}
        )
        assert response.headers["Location"] == "/vandaag"
    inside = web.app.test_client().post(
        "/inloggen?next=/overzicht", data={"username": "jansen", "password": PASSWORD}
    )
    assert inside.headers["Location"] == "/overzicht"


def test_invite_link_sets_a_password_once(web: WebEnv) -> None:
    staff = web.client("mira")
    page = staff.post(
        "/medewerker/huishouden/HH-0002/uitnodigen",
        data={"username": "pvries", "display_name": "P. de Vries"},
    ).data.decode()
    link = re.search(r"http://[^/]+(/uitnodiging/[A-Za-z0-9_-]+)", page)
    assert link is not None
    path = link[1]
    client = web.app.test_client()
    assert "Welkom, P. de Vries" in client.get(path).data.decode()
    short = client.post(path, data={"password": "kort", "password_again": "kort"})
    assert short.status_code == 400 and "minstens 10 tekens" in short.data.decode()
    done = client.post(
        path, data={"password": "een-goed-wachtwoord", "password_again": "een-goed-wachtwoord"}
    )
    assert done.status_code == 302
    assert client.get(path).status_code == 404  # used once
    response = _login(client, "pvries", "een-goed-wachtwoord")
    assert response.headers["Location"] == "/vandaag"
    assert "812,50" in client.get("/betaald").data.decode()  # de Vries's own rent
    with UnitOfWork(web.engine) as uow:
        actions = [e.action for e in load_audit_events(uow, object_type="user", object_id="pvries")]
    assert actions == ["user.create", "invite.create", "invite.accept"]


def test_invite_link_expires(web: WebEnv) -> None:
    later = datetime.now(UTC) + timedelta(days=8)
    staff = web.client("mira")
    page = staff.post(
        "/medewerker/huishouden/HH-0002/uitnodigen", data={"username": "laat"}
    ).data.decode()
    link = re.search(r"(/uitnodiging/[A-Za-z0-9_-]+)", page)
    assert link is not None
    app = make_app(web.db_url, HHB_CLOCK=lambda: later)
    assert app.test_client().get(link[1]).status_code == 404
    app.extensions["hhb_engine"].dispose()
