"""Sessions and secrets (issue 20.6): the staff idle timeout, a fresh login to approve
a four-eyes change, and no start without HHB_SECRET_KEY outside the demo.

Time moves through the app's clock seam (HHB_CLOCK), never by sleeping."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cli.main import main
from huishoudboekje.domain.money import Money
from tests.test_auth_totp import START, Clock
from tests.test_web_four_eyes import RENT_PATH, pending, rent, rent_form
from tests.web_fixtures import PASSWORD, WebEnv, make_app, second_step, web  # noqa: F401
from web import create_app
from web.security import DEMO_SECRET_KEY, MissingSecretKey
from web.settings import SettingsError


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def app(web: WebEnv, clock: Clock) -> Iterator[Flask]:
    app = make_app(web.db_url, HHB_CLOCK=clock)
    yield app
    app.extensions["hhb_engine"].dispose()


def logged_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    client.post("/inloggen", data={"username": username, "password": PASSWORD})
    if username != "jansen":
        assert second_step(app, client, username).status_code == 302
    return client


def test_a_staff_session_ends_after_15_idle_minutes(app: Flask, clock: Clock) -> None:
    staff = logged_in(app, "mira")
    household = logged_in(app, "jansen")
    for _ in range(4):  # active every 14 minutes: the session stays
        clock.advance(minutes=14)
        assert staff.get("/medewerker/").status_code == 200
    clock.advance(minutes=15, seconds=1)
    ended = staff.get("/medewerker/")
    assert ended.status_code == 302 and ended.headers["Location"].startswith("/inloggen")
    assert "een tijd niet actief" in staff.get("/inloggen").data.decode()
    assert staff.get("/medewerker/").status_code == 302  # stays ended
    assert household.get("/vandaag").status_code == 200  # households keep their 8 hours


def test_the_idle_timeout_is_configurable(web: WebEnv, clock: Clock) -> None:
    app = make_app(web.db_url, HHB_CLOCK=clock, HHB_STAFF_IDLE_MINUTES="5")
    staff = logged_in(app, "mira")
    clock.advance(minutes=4)
    assert staff.get("/medewerker/").status_code == 200
    clock.advance(minutes=5, seconds=1)
    assert staff.get("/medewerker/").status_code == 302
    app.extensions["hhb_engine"].dispose()
    for wrong in ("0", "abc", "100000"):
        with pytest.raises(SettingsError, match="HHB_STAFF_IDLE_MINUTES"):
            make_app(web.db_url, HHB_STAFF_IDLE_MINUTES=wrong)


def _keep_active_for(client: FlaskClient, clock: Clock, minutes: int) -> None:
    for _ in range(minutes // 10):
        clock.advance(minutes=10)
        assert client.get("/medewerker/goedkeuren").status_code == 200


def test_approving_after_15_minutes_asks_for_the_password_again(
    app: Flask, clock: Clock, web: WebEnv
) -> None:
    mira, tom = logged_in(app, "mira"), logged_in(app, "tom")
    assert mira.post(RENT_PATH, data=rent_form(amount="900,00")).status_code == 302
    change = pending(web)[0].id
    _keep_active_for(tom, clock, 20)  # active, but logged in 20 minutes ago
    asked = tom.post(f"/medewerker/goedkeuren/{change}", data={"besluit": "goedkeuren"})
    assert asked.headers["Location"] == "/opnieuw-inloggen?next=/medewerker/goedkeuren"
    assert rent(web) == Money("725.40") and len(pending(web)) == 1
    page = tom.get(asked.headers["Location"]).data.decode()
    assert "Log opnieuw in om goed te keuren" in page and 'type="password"' in page
    wrong = tom.post(asked.headers["Location"], data={"password": "fout-wachtwoord"})
    assert wrong.status_code == 401 and "klopt niet" in wrong.data.decode()
    right = tom.post(asked.headers["Location"], data={"password": PASSWORD})
    assert right.headers["Location"] == "/medewerker/goedkeuren"
    done = tom.post(f"/medewerker/goedkeuren/{change}", data={"besluit": "goedkeuren"})
    assert done.headers["Location"] == "/medewerker/goedkeuren"
    assert rent(web) == Money("900.00") and pending(web) == []


def test_refusing_needs_no_fresh_login(app: Flask, clock: Clock, web: WebEnv) -> None:
    mira, tom = logged_in(app, "mira"), logged_in(app, "tom")
    mira.post(RENT_PATH, data=rent_form(amount="900,00"))
    change = pending(web)[0].id
    _keep_active_for(tom, clock, 30)
    tom.post(f"/medewerker/goedkeuren/{change}", data={"besluit": "afwijzen"})
    assert pending(web) == [] and rent(web) == Money("725.40")


def test_the_reauth_page_is_for_staff_only(app: Flask) -> None:
    assert app.test_client().get("/opnieuw-inloggen").status_code == 302
    assert logged_in(app, "jansen").get("/opnieuw-inloggen").status_code == 403


def test_the_app_refuses_to_start_without_a_secret_key(
    db_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("HHB_SECRET_KEY", raising=False)
    monkeypatch.delenv("HHB_DEMO", raising=False)
    with pytest.raises(MissingSecretKey, match="HHB_SECRET_KEY is not set"):
        create_app({"HHB_DATABASE_URL": db_url})
    with caplog.at_level(logging.WARNING, logger="web.security"):
        demo = create_app({"HHB_DATABASE_URL": db_url, "HHB_DEMO": "1"})
    assert [r.getMessage() for r in caplog.records] == [
        "Demo: HHB_SECRET_KEY is not set, so a random key is used; sessions end on restart"
    ]
    demo.extensions["hhb_engine"].dispose()


def test_hhb_serve_refuses_without_a_secret_key_but_the_demo_starts(
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    served: list[str] = []

    def run(app: Flask, **kw: str) -> None:  # serve nothing; close the app's database
        served.append(kw["host"])
        app.extensions["hhb_engine"].dispose()

    monkeypatch.setattr(Flask, "run", run)
    monkeypatch.delenv("HHB_SECRET_KEY", raising=False)
    monkeypatch.delenv("HHB_DEMO", raising=False)
    assert main(["serve", "--database", db_url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HHB_SECRET_KEY is not set" in err
    assert served == []
    monkeypatch.setenv("HHB_DEMO", "1")
    with caplog.at_level(logging.WARNING, logger="web.security"):
        assert main(["serve", "--database", db_url]) == 0
    demo_lines = [r.getMessage() for r in caplog.records if "Demo" in r.getMessage()]
    assert demo_lines == [DEMO_SECRET_KEY]  # one line, on stderr through the log
    assert served == ["127.0.0.1"]
    caplog.clear()
    monkeypatch.setenv("HHB_SECRET_KEY", "a-real-secret")
    monkeypatch.delenv("HHB_DEMO")
    assert main(["serve", "--database", db_url]) == 0
    assert not any("Demo" in r.getMessage() for r in caplog.records)


def test_a_half_configured_sso_stops_the_start_with_the_missing_setting(db_url: str) -> None:
    with pytest.raises(SettingsError, match="HHB_OIDC_CLIENT_ID, HHB_OIDC_CLIENT_SECRET"):
        make_app(db_url, HHB_OIDC_ISSUER="https://login.voorbeeldstad.nl")
    full = {
        "HHB_OIDC_ISSUER": "https://login.voorbeeldstad.nl",
        "HHB_OIDC_CLIENT_ID": "hhb",
        "HHB_OIDC_CLIENT_SECRET": "s",
        "HHB_OIDC_ROLE_CLAIM": "groups",
    }
    with pytest.raises(SettingsError, match="HHB_OIDC_ROLES: 'x=household'"):
        make_app(db_url, **full, HHB_OIDC_ROLES="x=household")
    with pytest.raises(SettingsError, match="must be an https URL"):
        make_app(
            db_url, **(full | {"HHB_OIDC_ISSUER": "http://idp.example"}), HHB_OIDC_ROLES="a=admin"
        )


def test_the_new_forms_need_the_csrf_token(web: WebEnv, clock: Clock) -> None:
    app = make_app(web.db_url, WTF_CSRF_ENABLED=True, HHB_CLOCK=clock)
    client = app.test_client()
    for path in ("/inloggen/code", "/inloggen/tweede-factor", "/opnieuw-inloggen"):
        refused = client.post(path, data={"code": "123456", "password": PASSWORD})
        assert refused.status_code == 400, path
        assert "Het formulier was verlopen" in refused.data.decode()
    for template in ("code", "enrol", "reauth"):
        source = (
            Path(__file__).parent.parent / "web/templates/auth" / f"{template}.html"
        ).read_text()
        assert source.count("<form") == source.count('name="csrf_token"'), template
    app.extensions["hhb_engine"].dispose()
