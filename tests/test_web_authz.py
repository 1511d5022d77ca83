"""Authorization matrix: every route × role × (own / other household) → allowed or denied.

Who may use a route is the product's table `web.access_matrix.ROUTE_AUDIENCES` (the
DPIA's "who sees what" in docs/privacy.md is generated from it); this file holds an
example request per route and checks the app against that table. A route missing
from the table, or from the examples here, fails `test_every_route_is_in_the_matrix`,
so a new page cannot be added without saying who may see it. Household pages take
no household code: a household always sees its own, which the content tests check.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from huishoudboekje.services.user_accounts import Role
from tests.web_fixtures import PASSWORD, WebEnv, shared_web  # noqa: F401
from web.access_matrix import AUDIENCE_ROLES, ROUTE_AUDIENCES, Audience

OWN, OTHER = "HH-0001", "HH-0002"  # jansen's household and someone else's
ROLES = (
    "anonymous",
    "jansen",
    "mira",
    "tom",
    "ada",
    "fien",
    "pia",
)  # none, household, medewerker, approver, admin, functioneel beheerder, privacy officer
USER_ROLES = {
    "jansen": Role.HOUSEHOLD,
    "mira": Role.MEDEWERKER,
    "tom": Role.APPROVER,
    "ada": Role.ADMIN,
    "fien": Role.FUNCTIONEEL_BEHEERDER,
    "pia": Role.PRIVACY_OFFICER,
}
# Who each audience is for, pinned here too: changing who may see what is a
# security decision, so it takes a change in the product table and in this test.
EXPECTED_AUDIENCES = {
    Audience.PUBLIC: set(USER_ROLES),
    Audience.HOUSEHOLD: {"jansen"},
    Audience.STAFF: {"mira", "tom", "ada"},
    Audience.ADMIN: {"ada"},
    Audience.VIEW_LOG: {"ada", "pia"},
    Audience.SETTINGS: {"ada", "fien"},
    Audience.LEAD: {"tom", "ada"},
}

# (method, url rule, audience, path with {code}, form data); the audience is checked
# against the product table in test_the_examples_follow_the_product_table
ROUTES: list[tuple[str, str, str, str, dict[str, str]]] = [
    ("GET", "/", "public", "/", {}),
    ("GET", "/inloggen", "public", "/inloggen", {}),
    ("POST", "/inloggen", "public", "/inloggen", {"username": "niemand", "password": "x"}),
    ("POST", "/uitloggen", "public", "/uitloggen", {}),
    # issue 20.5/20.6: the second step after a staff password, its enrolment, logins at
    # another provider (none configured here: 404) and logging in again to approve
    ("GET", "/inloggen/code", "public", "/inloggen/code", {}),
    ("POST", "/inloggen/code", "public", "/inloggen/code", {"code": "000000"}),
    ("GET", "/inloggen/tweede-factor", "public", "/inloggen/tweede-factor", {}),
    ("POST", "/inloggen/tweede-factor", "public", "/inloggen/tweede-factor", {"code": "0"}),
    ("GET", "/inloggen/via/<name>", "public", "/inloggen/via/gemeente", {}),
    ("GET", "/inloggen/via/<name>/terug", "public", "/inloggen/via/gemeente/terug", {}),
    ("GET", "/opnieuw-inloggen", "staff", "/opnieuw-inloggen", {}),
    ("POST", "/opnieuw-inloggen", "staff", "/opnieuw-inloggen", {"password": PASSWORD}),
    ("GET", "/uitnodiging/<token>", "public", "/uitnodiging/onbekend", {}),
    ("POST", "/uitnodiging/<token>", "public", "/uitnodiging/onbekend", {}),
    ("GET", "/vandaag", "household", "/vandaag", {}),
    ("GET", "/betaald", "household", "/betaald", {}),
    ("GET", "/overzicht", "household", "/overzicht", {}),
    ("GET", "/overzicht/grafiek.svg", "household", "/overzicht/grafiek.svg", {}),
    ("GET", "/overzicht/<period>", "household", "/overzicht/2026-02", {}),
    ("GET", "/verzoek", "household", "/verzoek", {}),
    ("POST", "/verzoek", "household", "/verzoek", {"kind": "extra_leefgeld", "amount": ""}),
    ("GET", "/medewerker/", "staff", "/medewerker/", {}),
    ("GET", "/medewerker/audit", "staff", "/medewerker/audit", {}),
    ("GET", "/medewerker/afstemming", "admin", "/medewerker/afstemming", {}),
    ("GET", "/medewerker/goedkeuren", "staff", "/medewerker/goedkeuren", {}),
    (
        "POST",
        "/medewerker/goedkeuren/<int:request_id>",
        "staff",
        "/medewerker/goedkeuren/999",
        {"besluit": "goedkeuren"},
    ),
    ("GET", "/medewerker/huishouden-nieuw", "staff", "/medewerker/huishouden-nieuw", {}),
    ("POST", "/medewerker/huishouden-nieuw", "staff", "/medewerker/huishouden-nieuw", {}),
    ("GET", "/medewerker/huishouden/<code>", "staff", "/medewerker/huishouden/{code}", {}),
    (
        "GET",
        "/medewerker/huishouden/<code>/<section>/<rule_id>",
        "staff",
        "/medewerker/huishouden/{code}/vaste-last/huur",
        {},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/<section>/<rule_id>",
        "staff",
        "/medewerker/huishouden/{code}/vaste-last/nieuw",
        {},
    ),
    (
        "GET",
        "/medewerker/huishouden/<code>/<section>/<rule_id>/beeindigen",
        "staff",
        "/medewerker/huishouden/{code}/vaste-last/huur/beeindigen",
        {},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/<section>/<rule_id>/beeindigen",
        "staff",
        "/medewerker/huishouden/{code}/vaste-last/huur/beeindigen",
        {"valid_until": "2000-01-01"},  # in the past: refused, so the shared data stays
    ),
    (
        "GET",
        "/medewerker/huishouden/<code>/bewerken",
        "staff",
        "/medewerker/huishouden/{code}/bewerken",
        {},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/bewerken",
        "staff",
        "/medewerker/huishouden/{code}/bewerken",
        {"name": ""},
    ),
    (
        "GET",
        "/medewerker/huishouden/<code>/grafiek.svg",
        "staff",
        "/medewerker/huishouden/{code}/grafiek.svg",
        {},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/signaal",
        "staff",
        "/medewerker/huishouden/{code}/signaal",
        {"key": "x", "note": ""},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/uitnodigen",
        "staff",
        "/medewerker/huishouden/{code}/uitnodigen",
        {"username": ""},
    ),
    # issue 19: pause, temporary amount, total of a charge; the raw repeat rule (admins)
    (
        "GET",
        "/medewerker/huishouden/<code>/vaste-last/<rule_id>/pauzeren",
        "staff",
        "/medewerker/huishouden/{code}/vaste-last/huur/pauzeren",
        {},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/vaste-last/<rule_id>/pauzeren",
        "staff",
        "/medewerker/huishouden/{code}/vaste-last/huur/pauzeren",
        {"from": "", "until": ""},
    ),
    (
        "GET",
        "/medewerker/huishouden/<code>/vaste-last/<rule_id>/tijdelijk",
        "staff",
        "/medewerker/huishouden/{code}/vaste-last/huur/tijdelijk",
        {},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/vaste-last/<rule_id>/tijdelijk",
        "staff",
        "/medewerker/huishouden/{code}/vaste-last/huur/tijdelijk",
        {"amount": "", "from": "", "until": ""},
    ),
    (
        "GET",
        "/medewerker/huishouden/<code>/vaste-last/<rule_id>/totaal",
        "staff",
        "/medewerker/huishouden/{code}/vaste-last/huur/totaal",
        {},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/vaste-last/<rule_id>/totaal",
        "staff",
        "/medewerker/huishouden/{code}/vaste-last/huur/totaal",
        {"total": "nul"},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/vaste-last/<rule_id>/opheffen",
        "staff",
        "/medewerker/huishouden/{code}/vaste-last/huur/opheffen",
        {"soort": "pause", "van": "2026-01-01"},
    ),
    (
        "GET",
        "/medewerker/huishouden/<code>/<section>/<rule_id>/geavanceerd",
        "admin",
        "/medewerker/huishouden/{code}/vaste-last/huur/geavanceerd",
        {},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/<section>/<rule_id>/geavanceerd",
        "admin",
        "/medewerker/huishouden/{code}/vaste-last/huur/geavanceerd",
        {"schedule.start": "", "schedule.rrule": ""},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/inzage-export",
        "staff",
        "/medewerker/huishouden/{code}/inzage-export",
        {},
    ),
    ("GET", "/medewerker/verzoeken", "staff", "/medewerker/verzoeken", {}),
    (
        "POST",
        "/medewerker/verzoeken/<int:request_id>",
        "staff",
        "/medewerker/verzoeken/999",
        {"besluit": "afwijzen"},
    ),
    ("GET", "/medewerker/werklijsten", "staff", "/medewerker/werklijsten", {}),
    (
        "POST",
        "/medewerker/transacties/<int:tx_id>/toewijzen",
        "staff",
        "/medewerker/transacties/999/toewijzen",
        {"household": "{code}"},
    ),
    (
        "POST",
        "/medewerker/transacties/<int:tx_id>/zoekterm",
        "staff",
        "/medewerker/transacties/999/zoekterm",
        {"term": "958610934"},
    ),
    (
        "POST",
        "/medewerker/transacties/<int:tx_id>/verdelen",
        "staff",
        "/medewerker/transacties/999/verdelen",
        {"household_1": "{code}", "amount_1": "1,00", "household_2": "{code}", "amount_2": "1,00"},
    ),
    # issue 19.6: the exit checklist, ticking, starting an exit, the letters
    (
        "GET",
        "/medewerker/huishouden/<code>/einde",
        "staff",
        "/medewerker/huishouden/{code}/einde",
        {},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/einde/afvinken",
        "staff",
        "/medewerker/huishouden/{code}/einde/afvinken",
        {"item": "bestaat-niet", "done": "1"},  # refused, so the shared data stays
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/einde/starten",
        "staff",
        "/medewerker/huishouden/{code}/einde/starten",
        {"last_day": "geen datum", "reason": "x"},  # refused, so the shared data stays
    ),
    (
        "GET",
        "/medewerker/huishouden/<code>/einde/brief/<kind>/<rule_id>",
        "staff",
        "/medewerker/huishouden/{code}/einde/brief/inkomen/loon",
        {},
    ),
    (
        "POST",
        "/medewerker/signalen/afhandelen",
        "staff",
        "/medewerker/signalen/afhandelen",
        {"key": "bestaat-niet", "note": "x"},
    ),
    # issue 19.3: a household's consent: record it, withdraw it, its signed document
    (
        "GET",
        "/medewerker/huishouden/<code>/toestemming",
        "staff",
        "/medewerker/huishouden/{code}/toestemming",
        {},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/toestemming",
        "staff",
        "/medewerker/huishouden/{code}/toestemming",
        {"signed_on": "geen datum", "signed_by": ""},  # refused, so the shared data stays
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/toestemming/intrekken",
        "staff",
        "/medewerker/huishouden/{code}/toestemming/intrekken",
        {"withdrawn_on": "geen datum", "reason": "x"},  # refused, so the shared data stays
    ),
    (
        "GET",
        "/medewerker/huishouden/<code>/toestemming/<int:consent_id>/document",
        "staff",
        "/medewerker/huishouden/{code}/toestemming/999/document",
        {},
    ),
    # issue 20: need-to-know, the view log, the functioneel beheerder's page
    (
        "GET",
        "/medewerker/huishouden/<code>/toegang",
        "staff",
        "/medewerker/huishouden/{code}/toegang",
        {},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/toegang",
        "staff",
        "/medewerker/huishouden/{code}/toegang",
        {},
    ),
    ("GET", "/bekeken", "household", "/bekeken", {}),
    ("GET", "/medewerker/inzagelog", "view_log", "/medewerker/inzagelog", {}),
    ("GET", "/medewerker/instellingen", "settings", "/medewerker/instellingen", {}),
    # the team dashboard (issue 21): teamleider (approver) and admin only
    ("GET", "/medewerker/rapportage", "lead", "/medewerker/rapportage", {}),
    ("GET", "/medewerker/rapportage.csv", "lead", "/medewerker/rapportage.csv", {}),
    # a household's letter by post (issue 21), for every staff member
    (
        "GET",
        "/medewerker/huishouden/<code>/brief.pdf",
        "staff",
        "/medewerker/huishouden/{code}/brief.pdf?maand=2026-02",
        {},
    ),
    # issue 19.4: hand-over with a note; the bulk hand-over is the teamleider's
    (
        "GET",
        "/medewerker/huishouden/<code>/overdragen",
        "staff",
        "/medewerker/huishouden/{code}/overdragen",
        {},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/overdragen",
        "staff",
        "/medewerker/huishouden/{code}/overdragen",
        {"medewerker": "", "notitie": ""},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/overdracht/<int:handover_id>/gelezen",
        "staff",
        "/medewerker/huishouden/{code}/overdracht/999/gelezen",
        {},
    ),
    ("GET", "/medewerker/overdragen", "lead", "/medewerker/overdragen", {}),
    ("POST", "/medewerker/overdragen", "lead", "/medewerker/overdragen", {}),
    # issue 19.7: staff record a household's answer, or withdraw a proposal; the
    # household answers on its own page
    (
        "POST",
        "/medewerker/huishouden/<code>/voorstel/<int:proposal_id>/antwoord",
        "staff",
        "/medewerker/huishouden/{code}/voorstel/999/antwoord",
        {"antwoord": "akkoord", "via": "telefonisch"},
    ),
    (
        "POST",
        "/medewerker/huishouden/<code>/voorstel/<int:proposal_id>/intrekken",
        "staff",
        "/medewerker/huishouden/{code}/voorstel/999/intrekken",
        {},
    ),
    ("GET", "/wijzigingen", "household", "/wijzigingen", {}),
    (
        "POST",
        "/wijzigingen/<int:proposal_id>",
        "household",
        "/wijzigingen/999",
        {"antwoord": "akkoord"},
    ),
]


def _allowed(audience: str, role: str) -> bool:
    if audience == Audience.PUBLIC:
        return True
    if role == "anonymous":
        return False
    return USER_ROLES[role] in AUDIENCE_ROLES[Audience(audience)]


def test_the_audiences_are_as_pinned() -> None:
    for audience, users in EXPECTED_AUDIENCES.items():
        assert {u for u, r in USER_ROLES.items() if r in AUDIENCE_ROLES[audience]} == users
    assert set(EXPECTED_AUDIENCES) == set(Audience)


def test_the_examples_follow_the_product_table() -> None:
    examples = {(m, rule): audience for m, rule, audience, *_ in ROUTES}
    assert len(examples) == len(ROUTES), "a route has two examples"
    assert examples == {k: str(v) for k, v in ROUTE_AUDIENCES.items()}


def test_every_route_is_in_the_matrix(shared_web: WebEnv) -> None:
    covered = {(m, rule) for m, rule, *_ in ROUTES}
    assert covered == set(ROUTE_AUDIENCES)
    served = set()
    for rule in shared_web.app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            assert (method, rule.rule) in covered, f"{method} {rule.rule} is not in ROUTES"
            served.add((method, rule.rule))
    assert covered == served, f"no longer served: {sorted(covered - served)}"


@pytest.fixture(scope="module")
def clients(shared_web: WebEnv) -> dict[str, FlaskClient]:
    """One logged-in client per role (logging in once keeps the matrix fast)."""
    return {r: shared_web.client(None if r == "anonymous" else r) for r in ROLES}


CASES = [
    pytest.param(method, path, audience, data, role, code, id=f"{method} {path} {role} {side}")
    for method, _rule, audience, path, data in ROUTES
    for role in ROLES
    for side, code in (("own", OWN), ("other", OTHER))
    if side == "own" or "{code}" in path
]


@pytest.mark.parametrize(("method", "path", "audience", "data", "role", "code"), CASES)
def test_authorization_matrix(
    clients: dict[str, FlaskClient],
    method: str,
    path: str,
    audience: str,
    data: dict[str, str],
    role: str,
    code: str,
) -> None:
    if path == "/uitloggen" and role != "anonymous":
        pytest.skip("logging out would end the shared session of this role")
    url = path.format(code=code)
    client = clients[role]
    response = client.get(url) if method == "GET" else client.post(url, data=data)
    location = response.headers.get("Location", "")
    if _allowed(audience, role):
        assert response.status_code != 403, (url, role)
        assert response.status_code != 401 or path == "/inloggen", (url, role)
        assert "/inloggen" not in location or audience == "public", (url, role)
        assert response.status_code < 500
    elif role == "anonymous":
        assert response.status_code == 302 and "/inloggen" in location, (url, response.status_code)
    else:
        assert response.status_code == 403, (url, role, response.status_code)


def test_a_household_sees_only_its_own_data(shared_web: WebEnv) -> None:
    jansen, devries = shared_web.client("jansen"), shared_web.client("devries")
    shared_web.client("jansen").post(
        "/verzoek",
        data={"kind": "extra_leefgeld", "amount": "33,33", "reason": "Geheim verzoek Jansen"},
    )
    for path in ("/vandaag", "/betaald", "/overzicht", "/overzicht/2026-02", "/verzoek"):
        mine = jansen.get(path).data.decode()
        theirs = devries.get(path).data.decode()
        assert "725,40" not in theirs, path  # Jansen's rent
        assert "Geheim verzoek Jansen" not in theirs, path
        assert "Jansen" not in theirs, path
        assert "de Vries" not in mine and "812,50" not in mine, path
    assert "Geheim verzoek Jansen" in jansen.get("/verzoek").data.decode()
    assert "812,50" in devries.get("/betaald").data.decode()  # de Vries's own rent


def test_household_code_in_the_url_is_never_used_for_households(shared_web: WebEnv) -> None:
    client = shared_web.client("jansen")
    for path in (f"/vandaag?code={OTHER}", f"/betaald?household={OTHER}"):
        assert "812,50" not in client.get(path).data.decode()
    assert client.get(f"/medewerker/huishouden/{OTHER}").status_code == 403
