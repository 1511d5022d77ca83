"""Issue 22.1, the acceptance test: no staff route returns another gemeente's data.

Walks EVERY route of the authorization matrix (`tests/test_web_authz.ROUTES`, which
`test_every_route_is_in_the_matrix` keeps equal to the app's url map), for every
staff role of gemeente A and of gemeente B (tests/gemeente_fixtures.py): on the own
gemeente's household, the response never holds the other gemeente's household codes,
names, IBANs, requests or unknown money; on the other gemeente's household, the route
answers 403 or 404 and shows nothing of it. A route added later without scoping by
gemeente fails here without anyone adding it to this file. The regional beheerder
sees both gemeenten.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from werkzeug.test import TestResponse

from tests.gemeente_fixtures import (
    A_CODE,
    B_CODE,
    STAFF,
    leaks,
    other,
    two_gemeenten,  # noqa: F401
)
from tests.test_web_authz import ROUTES
from tests.web_fixtures import WebEnv
from web.access_matrix import ROUTE_AUDIENCES

OWN_CODE = {"a": A_CODE, "b": B_CODE}
SKIPPED = {("POST", "/uitloggen")}  # would end the session the walk goes on with


def text_of(response: TestResponse) -> str:
    """Everything a person could read in a response: a page, a CSV, the text of a
    PDF, every file of a ZIP."""
    data = response.get_data()
    kind = response.mimetype or ""
    if kind == "application/pdf" or data.startswith(b"%PDF"):
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if kind == "application/zip" or data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return data.decode("utf-8", "replace") + response.headers.get("Location", "")


def _call(client: FlaskClient, method: str, path: str, data: dict[str, str]) -> TestResponse:
    if method == "GET":
        return client.get(path)
    return client.post(path, data=data)


def test_the_walk_covers_every_route() -> None:
    assert {(m, rule) for m, rule, *_ in ROUTES} == set(ROUTE_AUDIENCES)


GEMEENTE_STAFF = [u for u, (g, _) in STAFF.items() if g is not None]


@pytest.mark.parametrize("username", GEMEENTE_STAFF)
def test_no_route_shows_another_gemeentes_data(two_gemeenten: WebEnv, username: str) -> None:  # noqa: F811
    side = STAFF[username][0]
    assert side is not None
    client = two_gemeenten.client(username)
    problems = []
    for method, rule, _audience, path, data in ROUTES:
        if (method, rule) in SKIPPED:
            continue
        for whose, code in (("own", OWN_CODE[side]), ("other", OWN_CODE[other(side)])):
            if whose == "other" and "{code}" not in path and "{code}" not in data.values():
                continue
            url = path.format(code=code)
            form = {k: v.format(code=code) for k, v in data.items()}
            response = _call(client, method, url, form)
            found = leaks(text_of(response), other(side))
            if found:
                problems.append(f"{method} {url} ({whose}): {found}")
            if whose == "other" and "{code}" in path and response.status_code not in (403, 404):
                problems.append(f"{method} {url}: {response.status_code}, not 403/404")
    assert not problems, f"{username} of gemeente {side}:\n" + "\n".join(problems)


def test_the_regional_beheerder_sees_both_gemeenten(two_gemeenten: WebEnv) -> None:  # noqa: F811
    client = two_gemeenten.client("regio")
    for path in ("/medewerker/", "/medewerker/werklijsten", "/medewerker/verzoeken"):
        page = text_of(client.get(path))
        assert leaks(page, "a") and leaks(page, "b"), path
    for code in (A_CODE, B_CODE):
        assert client.get(f"/medewerker/huishouden/{code}").status_code == 200
    log = text_of(client.get("/medewerker/inzagelog"))
    assert A_CODE in log and B_CODE in log


def test_a_regional_privacy_officer_reads_every_gemeentes_view_log(
    two_gemeenten: WebEnv,  # noqa: F811
) -> None:
    log = text_of(two_gemeenten.client("regiopia").get("/medewerker/inzagelog"))
    assert A_CODE in log and B_CODE in log
    own = text_of(two_gemeenten.client("pia").get("/medewerker/inzagelog"))
    assert A_CODE in own and B_CODE not in own


def test_break_glass_does_not_cross_the_gemeente(two_gemeenten: WebEnv) -> None:  # noqa: F811
    client = two_gemeenten.client("mira")
    opened = client.post(
        f"/medewerker/huishouden/{B_CODE}/toegang",
        data={"reden": "spoed", "toelichting": "ik probeer het"},
    )
    assert opened.status_code == 404
    assert client.get(f"/medewerker/huishouden/{B_CODE}").status_code == 404
