"""Need-to-know on the hand-over and proposal routes (issue 19.4, 19.7): every new
staff route that names a household, by role, for a household of the own team and
of another team (403 without a reason, before anything is done); the bulk
hand-over for a teamleider and beheerder only; a household answers only its own
proposals."""

from __future__ import annotations

import re

import pytest

from huishoudboekje.adapters.persistence import UnitOfWork, load_household
from huishoudboekje.services.household_proposals import ConsentAsk
from huishoudboekje.services.rule_changes import propose_household
from tests.test_need_to_know import NOORD, ZUID, teams  # noqa: F401
from tests.test_team_proposals import NOW, _rent
from tests.web_fixtures import WebEnv, web  # noqa: F401

POSTS = (
    ("/medewerker/huishouden/{code}/overdragen", {"medewerker": "", "notitie": ""}),
    ("/medewerker/huishouden/{code}/overdracht/999/gelezen", {}),
    (
        "/medewerker/huishouden/{code}/voorstel/999/antwoord",
        {"antwoord": "akkoord", "via": "brief"},
    ),
    ("/medewerker/huishouden/{code}/voorstel/999/intrekken", {}),
)


@pytest.mark.parametrize(
    ("user", "own", "other"),
    [
        ("mira", True, False),  # medewerker Noord
        ("tom", True, False),  # teamleider Noord
        ("mats", False, True),  # medewerker Zuid
        ("ada", True, True),  # beheerder: every team
        ("fien", False, False),  # functioneel beheerder: no household data
        ("pia", False, False),  # privacy officer: no household data
    ],
)
def test_new_household_routes_by_role_and_team(
    teams: WebEnv,  # noqa: F811
    user: str,
    own: bool,
    other: bool,
) -> None:
    client = teams.client(user)
    for path, data in (("/medewerker/huishouden/{code}/overdragen", None), *POSTS):
        for code, allowed in ((NOORD, own), (ZUID, other)):
            url = path.format(code=code)
            response = client.get(url) if data is None else client.post(url, data=data)
            refused = response.status_code == 403
            assert refused is not allowed, (user, url, response.status_code)


@pytest.mark.parametrize(("user", "allowed"), [("mira", False), ("tom", True), ("ada", True)])
def test_the_bulk_hand_over_is_for_leads(teams: WebEnv, user: str, allowed: bool) -> None:  # noqa: F811
    status = teams.client(user).get("/medewerker/overdragen").status_code
    assert (status == 200) is allowed and (status == 403) is not allowed


def test_a_household_answers_only_its_own(web: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, "HH-0001")
        assert household is not None
        propose_household(
            uow,
            actor="mira",
            after=_rent(household, "745.40"),
            now=NOW,
            summary="huur",
            ask=ConsentAsk("De huur gaat omhoog."),
        )
    own = web.client("jansen").get("/wijzigingen").get_data(as_text=True)
    [pid] = re.findall(r'action="/wijzigingen/(\d+)"', own)
    other = web.client("devries")
    assert "745,40" not in other.get("/wijzigingen").get_data(as_text=True)
    response = other.post(f"/wijzigingen/{pid}", data={"antwoord": "akkoord"})
    assert response.status_code == 302
    assert "bestaat niet" in other.get("/wijzigingen").get_data(as_text=True)
    # staff have no household page here, the household no staff page
    assert web.client("jansen").get("/medewerker/huishouden/HH-0001/overdragen").status_code == 403
    assert web.client("mira").get("/wijzigingen").status_code == 403
