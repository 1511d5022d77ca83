"""Staff log in with their gemeente account (issue 20.5): OpenID Connect against a
real provider on localhost (panva/oidc-provider run by node, tests/oidc_provider),
end to end in Debian's Chromium; and the claim mapping on its own.

The provider and the browser are real: discovery, the authorization code flow
with PKCE, the signed ID token, the provider's own login page. Locally the
browser tests skip when node, the provider or Chromium is missing; in CI
(`CI=true`) a missing provider fails them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from huishoudboekje.adapters.persistence import UnitOfWork, load_audit_events, open_database
from huishoudboekje.adapters.persistence.user_repo import find_user, update_user
from huishoudboekje.domain.money import Money
from huishoudboekje.services.staff_sso import (
    ClaimMapping,
    StaffClaims,
    parse_role_map,
    sso_staff_login,
    staff_claims,
)
from huishoudboekje.services.user_accounts import AccountError, LoginOutcome, Role, create_user
from tests.oidc_provider import harness
from tests.test_auth_totp import Clock
from tests.test_web_browser import CHROMIUM, DESKTOP, _serve, launched_chromium
from tests.test_web_four_eyes import RENT_PATH, rent, rent_form
from tests.web_fixtures import WebEnv, make_app, seed
from web.identity import AuthResult
from web.oidc import OidcLogin, ProviderError

ISSUER = "https://login.voorbeeldstad.nl"
MAPPING = ClaimMapping(
    role_claim="groups", roles=parse_role_map(harness.ROLE_MAP), team_claim="team"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium")
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, WebEnv, Clock, str]]:
    """The demo gemeente served with SSO on, and the provider running; the app's
    clock starts half an hour back so that moving it stays behind the provider's."""
    harness.node()
    db_url = f"sqlite:///{tmp_path / 'hhb.sqlite3'}"
    engine = open_database(db_url)
    seed(engine, history=False)
    engine.dispose()
    port = harness.free_port()
    clock = Clock(datetime.now(UTC) - timedelta(minutes=30))
    app = make_app(db_url, WTF_CSRF_ENABLED=True, HHB_CLOCK=clock, **harness.settings(port))
    with _serve(app) as base:
        callback = f"{base}/inloggen/via/gemeente/terug"
        back = [f"{base}/inloggen"]
        with harness.running_provider(tmp_path, port, [callback], **_logout(back)) as issuer:
            yield base, WebEnv(app, app.extensions["hhb_engine"], db_url), clock, issuer


def _logout(back: list[str]) -> dict[str, list[str]]:
    return {"post_logout_redirect_uris": back}


def _at_the_provider(page: Any, login: str, password: str) -> None:
    page.get_by_label("Gemeente-account").fill(login)
    page.get_by_label("Geheim").fill(password)
    page.get_by_role("button", name="Aanmelden").click()


def _sso_login(page: Any, base: str, login: str) -> None:
    page.goto(f"{base}/inloggen")
    page.get_by_role("link", name="Inloggen met gemeente-account").click()
    _at_the_provider(page, login, harness.ACCOUNTS[login]["password"])


def test_a_medewerker_logs_in_with_the_gemeente_account_in_chromium(
    site: tuple[str, WebEnv, Clock, str], browser: Any
) -> None:
    base, env, _, issuer = site
    page = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    page.goto(f"{base}/inloggen")
    page.get_by_role("link", name="Inloggen met gemeente-account").click()
    assert page.url.startswith(f"{issuer}/interaction/")  # the provider's own login page
    _at_the_provider(page, "mira.sso", "verkeerd")
    assert "verkeerd geheim" in page.get_by_role("alert").inner_text()
    _at_the_provider(page, "mira.sso", "geheim-mira")
    page.wait_for_url(f"{base}/medewerker/")
    assert "Mira via SSO" in page.locator("header").inner_text()
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    assert "Huishoudens" in menu.inner_text()  # the caseload, as medewerker
    with UnitOfWork(env.engine) as uow:
        user = find_user(uow, "mira.sso")
        created = load_audit_events(uow, object_id="mira.sso", action="user.create")
    assert user is not None and user.role == Role.MEDEWERKER.value
    assert user.password_hash is None and user.totp_secret is None
    assert user.external_id == f"{issuer} mira.sso" and user.team == "Team Noord"
    assert created[0].after["via"] == "sso" and created[0].after["team"] == "Team Noord"
    # logging out ends the session at the provider too (RP-Initiated Logout): the
    # provider asks, the browser comes back to the login page, and the next login
    # at the provider asks for the password again
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{issuer}/session/end**")
    assert "Wilt u ook bij de gemeente afmelden?" in page.locator("body").inner_text()
    page.get_by_role("button", name="Ja, afmelden").click()
    page.wait_for_url(f"{base}/inloggen")
    assert page.goto(f"{base}/medewerker/").url.startswith(f"{base}/inloggen")
    page.get_by_role("link", name="Inloggen met gemeente-account").click()
    page.wait_for_url(f"{issuer}/interaction/**")
    _at_the_provider(page, "mira.sso", "geheim-mira")
    page.wait_for_url(f"{base}/medewerker/")
    with UnitOfWork(env.engine) as uow:
        assert len(load_audit_events(uow, object_id="mira.sso", action="user.create")) == 1


def test_an_account_without_a_mapped_role_is_refused(
    site: tuple[str, WebEnv, Clock, str], browser: Any
) -> None:
    base, env, _, _ = site
    page = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    _sso_login(page, base, "zonder.rol")
    page.wait_for_url(f"{base}/inloggen/via/gemeente/terug**")
    assert "geen rol in Huishoudboekje" in page.get_by_role("alert").inner_text()
    assert page.goto(f"{base}/medewerker/").url.startswith(f"{base}/inloggen")
    with UnitOfWork(env.engine) as uow:
        assert find_user(uow, "zonder.rol") is None


def test_approving_after_15_minutes_asks_for_a_fresh_login_at_the_provider(
    site: tuple[str, WebEnv, Clock, str], browser: Any
) -> None:
    base, env, clock, _ = site
    proposer = make_app(env.db_url)  # a local medewerker proposes a big rent change
    mira = WebEnv(proposer, proposer.extensions["hhb_engine"], env.db_url).client("mira")
    assert mira.post(RENT_PATH, data=rent_form(amount="900,00")).status_code == 302
    proposer.extensions["hhb_engine"].dispose()
    page = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    _sso_login(page, base, "tom.sso")
    page.wait_for_url(f"{base}/medewerker/")
    for _ in range(2):  # active, but the login is 20 minutes old
        clock.advance(minutes=10)
        page.goto(f"{base}/medewerker/goedkeuren")
    page.get_by_role("button", name="Goedkeuren").first.click()
    page.wait_for_url(f"{base}/opnieuw-inloggen**")
    page.get_by_role("link", name="Opnieuw inloggen bij de gemeente").click()
    _at_the_provider(page, "tom.sso", "geheim-tom")  # prompt=login: the provider asks again
    page.wait_for_url(f"{base}/medewerker/goedkeuren")
    assert "opnieuw ingelogd" in page.locator("main").inner_text()
    page.get_by_role("button", name="Goedkeuren").first.click()
    page.wait_for_url(f"{base}/medewerker/goedkeuren")
    assert "Goedgekeurd" in page.locator("main").inner_text()
    assert rent(env) == Money("900.00")


# ------------------------------------------------------------------ the claim mapping


def _who(**change: Any) -> StaffClaims:
    values = {
        "external_id": f"{ISSUER} s-1",
        "username": "s.staff",
        "display_name": "S. Staff",
        "role": Role.MEDEWERKER,
        "team": "Team Noord",
    }
    return StaffClaims(**(values | change))


def test_role_name_and_team_follow_the_provider_at_each_login(engine: Engine) -> None:
    first, later = datetime(2026, 3, 2, 9, 0, tzinfo=UTC), datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    with UnitOfWork(engine) as uow:
        user = sso_staff_login(uow, who=_who(), client="c", now=first)
        assert (user.role, user.team) == ("medewerker", "Team Noord")
        again = sso_staff_login(uow, who=_who(), client="c", now=later)
        assert again.id == user.id
        moved = sso_staff_login(
            uow, who=_who(role=Role.APPROVER, team="Team Zuid"), client="c", now=later
        )
        assert (moved.id, moved.role, moved.team) == (user.id, "approver", "Team Zuid")
        events = load_audit_events(uow, object_id="s.staff", action="user.sso_update")
    assert len(events) == 1
    assert events[0].before == {"role": "medewerker", "name": "S. Staff", "team": "Team Noord"}
    assert events[0].after == {"role": "approver", "name": "S. Staff", "team": "Team Zuid"}


def test_a_local_account_name_or_a_deactivated_account_is_refused(engine: Engine) -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with UnitOfWork(engine) as uow:
        create_user(
            uow, None, actor="t", username="lokaal", display_name="L", role=Role.MEDEWERKER,
            household=None, password=None, now=now,
        )  # fmt: skip
        with pytest.raises(AccountError, match="niet via de gemeente inlogt"):
            sso_staff_login(uow, who=_who(username="lokaal"), client="c", now=now)
        user = sso_staff_login(uow, who=_who(), client="c", now=now)
        update_user(uow, user.id, active=False)
        uow.commit()
        with pytest.raises(AccountError, match="uitgezet"):
            sso_staff_login(uow, who=_who(), client="c", now=now)


def test_the_highest_mapped_role_wins_and_the_team_comes_along() -> None:
    claims = {
        "sub": "abc-123",
        "preferred_username": "t.leider",
        "name": "T. Leider",
        "groups": ["iedereen", "hhb-medewerker", "hhb-teamleider"],
        "team": ["Team Oost", "Team West"],
    }
    who = staff_claims(claims, ISSUER, MAPPING)
    assert (who.role, who.team, who.username) == (Role.APPROVER, "Team Oost", "t.leider")
    assert who.external_id == f"{ISSUER} abc-123"
    single = staff_claims(claims | {"groups": "hhb-beheer"}, ISSUER, MAPPING)
    assert single.role is Role.ADMIN


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"groups": ["iedereen"]}, "geen rol in Huishoudboekje"),
        ({"groups": None}, "geen rol in Huishoudboekje"),
        ({"sub": ""}, "geen vaste gebruikers-id"),
        ({"preferred_username": "met spatie"}, "geen bruikbare gebruikersnaam"),
    ],
)
def test_claims_without_a_role_subject_or_name_are_refused(
    change: dict[str, Any], message: str
) -> None:
    claims = {"sub": "s", "preferred_username": "p", "groups": ["hhb-medewerker"]} | change
    with pytest.raises(AccountError, match=message):
        staff_claims(claims, ISSUER, MAPPING)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no claim value is mapped"),
        ("x=household", "not a staff role"),
        ("x=baas", "unknown role 'baas'"),
        ("zonder-rol", "expected claim-value=role"),
    ],
)
def test_a_wrong_role_map_is_refused_with_the_faulty_part(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_role_map(text)


class _Provider:
    """What `OidcLogin.finish` asks of Authlib's client, answering as told."""

    def __init__(self, issuer: str, claims: dict[str, Any]) -> None:
        self.issuer, self.claims = issuer, claims

    def load_server_metadata(self) -> dict[str, str]:
        return {"issuer": self.issuer}

    def authorize_access_token(self) -> dict[str, Any]:
        return {"userinfo": self.claims}


def _login_method(provider: _Provider, seen: list[dict[str, Any]]) -> OidcLogin:
    method = OidcLogin.__new__(OidcLogin)
    method.name, method.label, method.issuer, method.client = "gemeente", "x", ISSUER, provider

    def mapper(claims: Any, client: str, now: datetime) -> AuthResult:
        seen.append(dict(claims))
        return AuthResult(None, LoginOutcome.OK)

    method.mapper = mapper
    return method


def test_a_fresh_login_needs_an_auth_time_after_the_request_and_the_right_issuer() -> None:
    asked = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    seen: list[dict[str, Any]] = []
    old = _Provider(ISSUER, {"sub": "s", "auth_time": int(asked.timestamp()) - 3600})
    with pytest.raises(ProviderError, match="niet opnieuw ingelogd"):
        _login_method(old, seen).finish("c", asked, fresh_since=asked)
    with pytest.raises(ProviderError, match="niet opnieuw ingelogd"):
        _login_method(_Provider(ISSUER, {"sub": "s"}), seen).finish("c", asked, fresh_since=asked)
    assert seen == []
    new = _Provider(ISSUER, {"sub": "s", "auth_time": int(asked.timestamp()) + 5})
    _login_method(new, seen).finish("c", asked, fresh_since=asked)
    _login_method(old, seen).finish("c", asked, fresh_since=None)  # a normal login: any age
    assert len(seen) == 2
    other = _Provider("https://elders.example", {"sub": "s"})
    with pytest.raises(ProviderError, match="ander adres"):
        _login_method(other, seen).finish("c", asked, fresh_since=None)
