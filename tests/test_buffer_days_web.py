"""Where the buffer in days and a charge's pause or total show on the web (issue 17):
the household's Vandaag and Betaald pages, and the staff caseload (sortable)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from huishoudboekje.adapters.persistence import load_household, save_household
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.charge_windows import Pause
from huishoudboekje.domain.money import Money
from huishoudboekje.services.household_status import household_status
from tests import web_fixtures
from tests.web_fixtures import TODAY, WebEnv

# the fixtures of tests/web_fixtures.py, by assignment (the F811 exception is for test_web_*)
shared_web = web_fixtures.shared_web
web = web_fixtures.web

NBSP = "\u00a0"


def text(data: bytes) -> str:
    plain = re.sub(r"<[^>]+>", " ", data.decode())
    return re.sub(r"\s+", " ", plain.replace(NBSP, " ")).replace("&#39;", "'")


def test_vandaag_says_how_many_days_the_buffer_lasts(shared_web: WebEnv) -> None:
    body = text(shared_web.client("jansen").get("/vandaag").data)
    with UnitOfWork(shared_web.engine) as uow:
        report = household_status(uow, "HH-0001", TODAY)
    assert report.buffer is not None and report.buffer.days is not None
    days = report.buffer.days
    expected = f"Uw buffer is genoeg voor ongeveer {days} dag{'' if days == 1 else 'en'}."
    assert f"{expected} Zo stond het op woensdag 4 maart." in body, body


def test_the_caseload_shows_buffer_days_and_sorts_by_them(shared_web: WebEnv) -> None:
    client = shared_web.client("mira")
    page = client.get("/medewerker/")
    assert "Buffer in dagen" in text(page.data)
    assert 'href="/medewerker/?sorteer=buffer"' in page.data.decode()
    sorted_page = client.get("/medewerker/?sorteer=buffer").data.decode()
    rows = re.findall(
        r'<a href="/medewerker/huishouden/(HH-\d+)">.*?<td class="num buffer-dagen">([^<]*)</td>',
        sorted_page,
        flags=re.S,
    )
    assert len(rows) >= 3, sorted_page
    days = [int(d) if d.strip().isdigit() else None for _, d in rows]
    numbers = [d for d in days if d is not None]
    assert numbers == sorted(numbers)
    assert days[: len(numbers)] == numbers  # households with nothing to pay last


def test_betaald_says_until_when_a_charge_is_paused_and_what_is_left(web: WebEnv) -> None:
    with UnitOfWork(web.engine) as uow:
        jansen = load_household(uow, "HH-0001")
        assert jansen is not None
        huur, *rest = jansen.charges
        huur = replace(
            huur, pause=(Pause(date(2026, 3, 1), date(2026, 4, 30)),), total=Money("9000.00")
        )
        save_household(uow, replace(jansen, charges=(huur, *rest)))
        uow.commit()
    body = text(web.client("jansen").get("/betaald").data)
    assert "Tijdelijk anders" in body
    assert "De betaling voor huur is gepauzeerd tot en met 30 april 2026." in body
    assert re.search(r"Huur: nog € [\d.]+,\d\d te gaan van € 9\.000,00\.", body), body


def test_the_staff_household_page_shows_buffer_days(shared_web: WebEnv) -> None:
    with UnitOfWork(shared_web.engine) as uow:
        report = household_status(uow, "HH-0002", TODAY)
    assert report.buffer is not None and report.buffer.days is not None
    body = text(shared_web.client("mira").get("/medewerker/huishouden/HH-0002").data)
    assert f"genoeg voor ongeveer {report.buffer.days} dagen" in body
