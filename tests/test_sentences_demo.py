"""The demo's sentences that disagreed with the figures beside them (issue 23), on its last
day (30 November 2026), after all 91 demo nights.

- Vandaag (HH-0001) and `hhb status HH-0005` named the opbouwfase target next to a buffer
  that included money set aside for charges: now the vat is split into what is set aside
  for the charges before the next income and the free buffer, and the target is compared
  with the free buffer;
- HH-0007 ended on 14 November but the caseload showed a leefgeld of € 267,00;
- the month overview dated leefgeld by its instruction (Thursday), Vandaag by its
  execution (Friday);
- staff pages ended with the household footer; kinds showed as raw values with
  underscores ("gemeentelijke_belastingen").
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cli.main import main
from tests.demo_checked import checked_demo, staff_client
from tests.web_fixtures import PASSWORD

LAST = date(2026, 11, 30)
TAG = re.compile(r"<[^>]+>")


def plain(page: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", page)).replace("\xa0", " ").split())


@pytest.fixture(scope="module")
def demo_app() -> Flask:
    """The demo after all its nights, with a login per household and "mira" (staff);
    the same run as the daily check (tests/demo_checked.py)."""
    _, app, database_url = checked_demo()
    app.extensions["hhb_settings"] = replace(app.extensions["hhb_settings"], fixed_today=LAST)
    app.config["DEMO_DB"] = database_url
    return app


def client(app: Flask, username: str) -> FlaskClient:
    if username == "mira":
        return staff_client(app)
    c = app.test_client()
    response = c.post("/inloggen", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return c


def status(app: Flask, code: str, *extra: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        args = ["status", code, "--date", LAST.isoformat(), "--database", app.config["DEMO_DB"]]
        assert main([*args, *extra]) == 0
    return out.getvalue()


def test_status_splits_the_buffer_and_compares_the_target_with_the_free_part(
    demo_app: Flask,
) -> None:
    data = json.loads(status(demo_app, "HH-0005", "--json"))
    vat, free, aside = (Decimal(data[k]) for k in ("vat", "buffer_free", "set_aside"))
    assert free + aside == vat == Decimal("1703.30")
    assert aside == sum(Decimal(s["amount"]) for s in data["set_aside_for"]) > 0
    assert all(s["date"] <= data["next_income"]["date"] for s in data["set_aside_for"])
    text = status(demo_app, "HH-0005")
    assert "tot die € 1.500,00 is" not in text  # the target named beside the whole vat
    assert (
        f"vrij:               € {free:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        in text
    )
    target_line = next(line for line in text.splitlines() if "doel van € 1.500,00" in line)
    # free (1.503,80) is above the target: the sentence says so and explains the phase
    assert "hoger dan het doel" in target_line


def test_vandaag_shows_what_the_buffer_holds_for_the_energy_bill(demo_app: Flask) -> None:
    page = plain(client(demo_app, "hh-0001").get("/vandaag").get_data(as_text=True))
    assert "Nu in uw buffer: € 2.033,65" in page
    assert "Daarvan houden wij € 132,00 apart voor de energie op dinsdag 15 december." in page
    assert "Vrij in uw buffer: € 1.901,65." in page
    assert "tot die € 1.200,00 is" not in page
    assert "Uw vrije buffer is al hoger dan het doel van € 1.200,00." in page


def test_staff_see_the_same_split_and_sentence(demo_app: Flask) -> None:
    page = plain(
        client(demo_app, "mira").get("/medewerker/huishouden/HH-0001").get_data(as_text=True)
    )
    assert "gereserveerd € 132,00" in page and "vrij € 1.901,65" in page
    assert "Uw vrije buffer is al hoger dan het doel van € 1.200,00." in page


def test_an_ended_household_looks_ended_everywhere(demo_app: Flask) -> None:
    data = json.loads(status(demo_app, "HH-0007", "--json"))
    assert data["leefgeld"]["rate"] is None and data["leefgeld"]["next"] is None
    assert data["upcoming"] == [] and data["participation"]["ended"] is True
    staff = client(demo_app, "mira")
    caseload = staff.get("/medewerker/").get_data(as_text=True)
    row = plain(caseload.split("HH-0007", 1)[1].split("</tr>", 1)[0])
    assert "€ 267,00" not in row and "beëindigd" in row
    page = plain(client(demo_app, "hh-0007").get("/vandaag").get_data(as_text=True))
    assert "Deelname beëindigd op zaterdag 14 november 2026." in page
    assert (
        "Uw volgende leefgeld" not in page and "tot en met vrijdag 12 februari naar u door" in page
    )
    assert "Deelname beëindigd" in plain(status(demo_app, "HH-0007"))


def test_the_month_overview_dates_leefgeld_by_its_execution(demo_app: Flask) -> None:
    page = client(demo_app, "hh-0001").get("/overzicht/2026-11").get_data(as_text=True)
    rows = re.findall(r"<tr><td>(\w+) [^<]*</td><td>leefgeld</td>", page)
    assert rows and set(rows) == {"vrijdag"}  # HH-0001 gets its leefgeld on Fridays


def test_staff_pages_carry_the_staff_footer(demo_app: Flask) -> None:
    staff = client(demo_app, "mira")
    for url in ("/medewerker/", "/medewerker/huishouden/HH-0001", "/medewerker/werklijsten"):
        page = staff.get(url).get_data(as_text=True)
        assert "Vragen? Bel of mail uw medewerker" not in page, url
        assert "Huishoudboekje voor medewerkers" in page, url
    household = client(demo_app, "hh-0001").get("/vandaag").get_data(as_text=True)
    assert "Vragen? Bel of mail uw medewerker" in household


def test_no_kind_shows_as_a_raw_value(demo_app: Flask) -> None:
    raw = re.compile(r"gemeentelijke_belastingen|kindgebonden_budget")
    staff = client(demo_app, "mira")
    for code in [f"HH-000{n}" for n in range(1, 9)]:
        pages = [
            status(demo_app, code),
            staff.get(f"/medewerker/huishouden/{code}").get_data(as_text=True),
        ]
        own = client(demo_app, code.lower())
        for url in (
            "/vandaag",
            "/betaald",
            "/overzicht",
            "/overzicht/2026-10",
            "/overzicht/2026-11",
        ):
            pages.append(own.get(url).get_data(as_text=True))
        for page in pages:
            assert not raw.search(plain(page)), (code, raw.search(plain(page)))
