"""Walking the guided intake (issue 19.3) with a test client, for tests that only need
a new household proposed: every step gets all `fields` (a step reads its own)."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

URL = "/medewerker/huishouden-nieuw"
STEPS = ("gegevens", "contact", "team", "inkomsten", "vaste-lasten", "deelname")
PAPER_CONSENT = {
    "signed_on": "2026-03-01",
    "signed_by": "Handtekening Huishouden",
    "scope_all": "1",
    "document": "paper",
}


def concept_of(page: str) -> str:
    found = re.search(r'name="concept" value="([^"]*)"', page)
    assert found is not None, page[-3000:]
    return html.unescape(found.group(1))


def propose_via_intake(
    client: FlaskClient, fields: dict[str, str], consent: dict[str, str] | None = None
) -> TestResponse:
    """Walk every step with `fields` and finish with `consent` (on paper by default);
    returns the last response (a 302 when the household was proposed)."""
    page = client.get(URL).data.decode()
    for step in STEPS:
        response = client.post(
            URL, data={**fields, "stap": step, "concept": concept_of(page), "actie": "volgende"}
        )
        page = response.data.decode()
        assert response.status_code == 200, (step, page[-3000:])
    final = {**(consent or PAPER_CONSENT), "stap": "toestemming", "actie": "opslaan"}
    return client.post(URL, data={**final, "concept": concept_of(page)})
