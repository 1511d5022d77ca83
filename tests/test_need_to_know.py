"""Need-to-know access and the view log (issue 20, points 1 and 2), walked the way a
CISO would check them: every staff route that names a household, for every role,
for a household of the own team and of another team; one view-log row per read; the
household sees who looked; the log cannot be changed on PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cli.main import main
from huishoudboekje.adapters.persistence import UnitOfWork, load_household, save_household
from huishoudboekje.adapters.persistence.user_repo import find_user, update_user
from huishoudboekje.adapters.persistence.view_log_repo import load_views
from tests.web_fixtures import WebEnv, web  # noqa: F401

NOORD, ZUID = "HH-0001", "HH-0002"  # HH-0001 in Team Noord, HH-0002 in Team Zuid
TEAMS = {"mira": "Team Noord", "tom": "Team Noord", "mats": "Team Zuid"}


@pytest.fixture
def teams(web: WebEnv) -> Iterator[WebEnv]:  # noqa: F811
    with UnitOfWork(web.engine) as uow:
        for code, team in ((NOORD, "Team Noord"), (ZUID, "Team Zuid")):
            household = load_household(uow, code)
            assert household is not None
            save_household(uow, dataclasses.replace(household, team=team))
        for username, team in TEAMS.items():
            user = find_user(uow, username)
            assert user is not None
            update_user(uow, user.id, team=team)
        uow.commit()
    yield web


def household_routes(env: WebEnv) -> list[str]:
    """Every GET route of the staff pages with a household code in it."""
    rules = []
    for rule in env.app.url_map.iter_rules():
        if "<code>" in rule.rule and "GET" in (rule.methods or set()):
            path = rule.rule.replace("<code>", "{code}")
            path = re.sub(r"<section>", "vaste-last", path)
            path = re.sub(r"<rule_id>", "huur", path)
            if "<" not in path:
                rules.append(path)
    assert len(rules) >= 4  # the household page, its chart, a rule, the reason form
    return rules


def views(env: WebEnv, household: str | None = None) -> list[tuple[str, str, str]]:
    with UnitOfWork(env.engine) as uow:
        return [(v.actor, v.household, v.reason) for v in load_views(uow, household=household)]


@pytest.mark.parametrize(
    ("user", "own", "other"),
    [
        ("mira", 200, 403),  # medewerker Noord
        ("tom", 200, 403),  # teamleider Noord
        ("mats", 403, 200),  # medewerker Zuid
        ("ada", 200, 200),  # beheerder: every team
        ("fien", 403, 403),  # functioneel beheerder: no household data
        ("pia", 403, 403),  # privacy officer: no household data
    ],
)
def test_every_household_route_by_role_and_team(
    teams: WebEnv, user: str, own: int, other: int
) -> None:
    client = teams.client(user)
    for path in household_routes(teams):
        if path.endswith("/toegang"):
            continue  # the reason form itself, below
        for code, expected in ((NOORD, own), (ZUID, other)):
            if path.endswith("/geavanceerd") and user != "ada":
                expected = 403  # the raw rule editor is the beheerder's only
            response = client.get(path.format(code=code))
            status = 200 if response.status_code in (200, 302) else response.status_code
            assert status == expected, (user, path, code, response.status_code)


def test_another_team_opens_with_a_reason_and_the_own_team_sees_it(teams: WebEnv) -> None:
    mats = teams.client("mats")
    refused = mats.get(f"/medewerker/huishouden/{NOORD}")
    assert refused.status_code == 403
    assert "Dit huishouden hoort bij Team Noord" in refused.get_data(as_text=True)
    # no reason, or no explanation: refused with a clear sentence, nothing granted
    bad = mats.post(f"/medewerker/huishouden/{NOORD}/toegang", data={"reden": "spoed"})
    assert bad.status_code == 400 and "Schrijf in een paar woorden" in bad.get_data(as_text=True)
    assert mats.get(f"/medewerker/huishouden/{NOORD}").status_code == 403
    granted = mats.post(
        f"/medewerker/huishouden/{NOORD}/toegang",
        data={"reden": "waarneming", "toelichting": "ik vervang Mira deze week"},
    )
    assert granted.status_code == 302
    assert mats.get(f"/medewerker/huishouden/{NOORD}").status_code == 200
    reasons = {r for a, h, r in views(teams, NOORD) if a == "mats"}
    assert reasons == {"waarneming: ik vervang Mira deze week"}
    # the own team sees who opened it and why
    page = teams.client("mira").get(f"/medewerker/huishouden/{NOORD}").get_data(as_text=True)
    assert "Geopend door een ander team" in page and "ik vervang Mira deze week" in page
    # the grant is for that household only
    assert mats.get("/medewerker/huishouden/HH-0003").status_code == 403


def test_one_view_log_row_per_read_and_none_for_a_refusal(teams: WebEnv) -> None:
    client = teams.client("mira")
    paths = [p for p in household_routes(teams) if not p.endswith(("/toegang", "/geavanceerd"))]
    for path in paths:
        before = len(views(teams))
        response = client.get(path.format(code=NOORD))
        assert response.status_code < 400, path
        assert views(teams)[0][:2] == ("mira", NOORD), path
        assert len(views(teams)) == before + 1, path
    before = len(views(teams))
    assert client.get(f"/medewerker/huishouden/{ZUID}").status_code == 403
    assert client.get("/medewerker/huishouden/HH-9999").status_code == 404
    assert len(views(teams)) == before


def test_the_cli_reads_are_logged_and_the_log_is_readable(
    teams: WebEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    url = teams.db_url
    assert main(["status", NOORD, "--database", url, "--date", "2026-03-04"]) == 0
    assert main(["plan", "--date", "2026-03-04", "--household", ZUID, "--database", url]) == 0
    capsys.readouterr()
    assert main(["access-log", "--database", url, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["household"], r["what"], r["via"]) for r in rows[:2]] == [
        (ZUID, "hhb plan", "cli"),
        (NOORD, "hhb status", "cli"),
    ]
    assert all(r["user"].startswith("operator ") for r in rows[:2])
    assert main(["access-log", "--database", url, "--household", ZUID]) == 0
    out = capsys.readouterr().out
    assert "hhb plan" in out and "hhb status" not in out


def test_the_household_sees_who_looked_by_role(teams: WebEnv) -> None:
    teams.client("mira").get(f"/medewerker/huishouden/{NOORD}")
    page = teams.client("jansen").get("/bekeken").get_data(as_text=True)
    assert "Wie keek naar uw gegevens?" in page
    assert "een medewerker" in page and "uw gegevens" in page
    assert "Mira" not in page  # the gemeente shows roles, not names, by default
    other = teams.client("devries").get("/bekeken").get_data(as_text=True)
    assert "Niemand keek" in other


def test_admins_and_the_privacy_officer_read_the_view_log(teams: WebEnv) -> None:
    teams.client("mira").get(f"/medewerker/huishouden/{NOORD}")
    for user in ("ada", "pia"):
        page = teams.client(user).get(f"/medewerker/inzagelog?huishouden={NOORD}")
        assert page.status_code == 200 and "mira" in page.get_data(as_text=True)
    for user in ("mira", "tom", "fien", "jansen"):
        assert teams.client(user).get("/medewerker/inzagelog").status_code == 403


def test_the_view_log_refuses_update_and_delete_on_postgresql(teams: WebEnv) -> None:
    teams.client("mira").get(f"/medewerker/huishouden/{NOORD}")
    if teams.engine.dialect.name != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's; SQLite has no update path in code")
    for statement in ("UPDATE view_log SET actor = 'x'", "DELETE FROM view_log"):
        with pytest.raises(DBAPIError, match="append-only"), teams.engine.begin() as c:
            c.execute(text(statement))
    assert views(teams)[0][0] == "mira"


def test_the_functioneel_beheerder_lands_on_settings_without_household_data(
    teams: WebEnv,
) -> None:
    client: FlaskClient = teams.client("fien")
    page = client.get("/medewerker/instellingen").get_data(as_text=True)
    assert "Instellingen van de gemeente" in page and "Team Zuid" in page
    assert "Fam. Jansen" not in page
    assert client.get("/medewerker/").status_code == 403
