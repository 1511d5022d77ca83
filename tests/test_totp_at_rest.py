"""The staff's TOTP secrets are encrypted at rest (issue 20, CISO finding): sealed
with AES-GCM under a key derived from HHB_SECRET_KEY, bound to the account; secrets
stored plain before keep working and are sealed; a changed key gives one line to the
staff member and the beheerder, and `hhb users reset-2fa` lets the account enrol
again. Recovery codes are argon2 hashes (`test_auth_totp.py`)."""

from __future__ import annotations

import logging
import re
import string
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.main import main
from huishoudboekje.adapters.persistence import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import find_user
from huishoudboekje.services.second_factor import new_totp_secret, set_known_totp
from huishoudboekje.services.secret_box import SEALED_PREFIX, SecretBox, SecretUnreadable
from tests.web_fixtures import PASSWORD, TOTP_SECRETS, WebEnv, make_app, second_step, web  # noqa: F401

BASE32 = st.text(alphabet=string.ascii_uppercase + "234567", min_size=16, max_size=64)


@settings(max_examples=25)
@given(secret=BASE32, account=st.integers(min_value=1, max_value=10**9))
def test_a_sealed_secret_opens_only_with_its_key_and_for_its_account(
    secret: str, account: int
) -> None:
    box = SecretBox("the-real-key")
    sealed = box.seal(secret, account=account)
    assert sealed.startswith(SEALED_PREFIX) and secret not in sealed
    assert len(sealed) <= 255  # fits the column (migration 0014)
    assert box.open(sealed, account=account) == secret
    assert box.seal(secret, account=account) != sealed  # a fresh nonce every time
    with pytest.raises(SecretUnreadable):
        box.open(sealed, account=account + 1)  # copied onto another account
    with pytest.raises(SecretUnreadable):
        SecretBox("another-key").open(sealed, account=account)
    with pytest.raises(SecretUnreadable):
        SecretBox(None).open(sealed, account=account)
    assert box.open(secret, account=account) == secret  # stored plain before
    assert SecretBox(None).seal(secret, account=account) == secret  # the demo without key


def test_a_damaged_sealed_secret_is_unreadable_not_a_crash() -> None:
    box = SecretBox("k")
    sealed = box.seal(new_totp_secret(), account=1)
    for damaged in (sealed[:-4], sealed[:-4] + "AAAA", SEALED_PREFIX + "***", SEALED_PREFIX):
        with pytest.raises(SecretUnreadable):
            box.open(damaged, account=1)


def _stored(env: WebEnv, username: str) -> str:
    with UnitOfWork(env.engine) as uow:
        user = find_user(uow, username)
    assert user is not None and user.totp_secret is not None
    return user.totp_secret


def _store_plain(env: WebEnv, username: str) -> None:
    with UnitOfWork(env.engine) as uow:
        set_known_totp(
            uow, actor="test", username=username, secret=TOTP_SECRETS[username],
            now=datetime.now(UTC),
        )  # fmt: skip
    assert _stored(env, username) == TOTP_SECRETS[username]


def _password(client: FlaskClient, username: str) -> None:
    response = client.post("/inloggen", data={"username": username, "password": PASSWORD})
    assert response.headers["Location"] == "/inloggen/code", response.status_code


def test_the_web_seals_every_plain_secret_at_start_up(web: WebEnv) -> None:  # noqa: F811
    assert _stored(web, "mira").startswith(SEALED_PREFIX)  # sealed when `web` started
    _store_plain(web, "mira")
    app = make_app(web.db_url)
    try:
        stored = _stored(web, "mira")
        assert stored.startswith(SEALED_PREFIX)
        assert (
            app.extensions["hhb_secret_box"].open(stored, account=_id(web, "mira"))
            == (TOTP_SECRETS["mira"])
        )
    finally:
        app.extensions["hhb_engine"].dispose()


def _id(env: WebEnv, username: str) -> int:
    with UnitOfWork(env.engine) as uow:
        user = find_user(uow, username)
    assert user is not None
    return user.id


def test_a_plain_secret_from_before_works_and_is_sealed_at_its_first_good_code(
    web: WebEnv,  # noqa: F811
) -> None:
    _store_plain(web, "tom")  # after the app started: still plain
    client = web.app.test_client()
    _password(client, "tom")
    assert second_step(web.app, client, "tom").headers["Location"] == "/medewerker/"
    stored = _stored(web, "tom")
    assert stored.startswith(SEALED_PREFIX) and TOTP_SECRETS["tom"] not in stored
    box = web.app.extensions["hhb_secret_box"]
    assert box.open(stored, account=_id(web, "tom")) == TOTP_SECRETS["tom"]


def test_a_changed_secret_key_gives_one_line_and_reset_2fa_lets_the_account_enrol_again(
    web: WebEnv,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _stored(web, "mira")
    with caplog.at_level(logging.WARNING, logger="web"):
        other = make_app(web.db_url, HHB_SECRET_KEY="a-new-key-after-a-reinstall")
    try:
        lines = [r.getMessage() for r in caplog.records if "mira" in r.getMessage()]
        assert lines == [
            "the second factor of mira cannot be read with this HHB_SECRET_KEY (was it "
            "changed?); run: hhb users reset-2fa mira"
        ]
        client = other.test_client()
        _password(client, "mira")
        page = client.post("/inloggen/code", data={"code": "123456"})
        text = page.data.decode()
        assert page.status_code == 401 and "Traceback" not in text
        assert "Vraag de beheerder om uw tweede stap opnieuw in te stellen" in text
        assert _stored(web, "mira") == before  # nothing changed, nothing counted
        with UnitOfWork(web.engine) as uow:
            user = find_user(uow, "mira")
            assert user is not None and user.failed_logins == 0
        assert main(["users", "--database", web.db_url, "reset-2fa", "mira"]) == 0
        capsys.readouterr()
        client = other.test_client()
        response = client.post("/inloggen", data={"username": "mira", "password": PASSWORD})
        assert response.headers["Location"] == "/inloggen/tweede-factor"
        page = client.get("/inloggen/tweede-factor").data.decode()
        assert re.search(r"<svg", page)  # enrols again, with a QR code
    finally:
        other.extensions["hhb_engine"].dispose()
