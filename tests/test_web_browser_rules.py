"""Real browser (Debian's Chromium via Playwright), issue 19 points 1 and 2: a staff
member adds a charge with the repeat-rule picker and pauses it; the rule and the
pause read as Dutch sentences for staff and household. axe-core finds no serious or
critical violation on the new pages at phone and desktop width. Screenshots go to
var/screenshots/regels-*.png. Skipped when /usr/bin/chromium is absent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from huishoudboekje.adapters.persistence import UnitOfWork, load_household, open_database
from huishoudboekje.domain.charge_windows import Pause
from huishoudboekje.domain.schedule import Schedule
from tests.test_web_browser import (
    CHROMIUM,
    DESKTOP,
    PHONE,
    _axe,
    _login,
    _serious,
    _serve,
    launched_chromium,
)
from tests.test_web_browser import _shoot as shoot
from tests.web_fixtures import make_app, seed

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")

HOUSEHOLD = "/medewerker/huishouden/HH-0001"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, str]]:
    db_url = f"sqlite:///{tmp_path / 'hhb.sqlite3'}"
    engine = open_database(db_url)
    seed(engine)
    engine.dispose()
    with _serve(make_app(db_url, WTF_CSRF_ENABLED=True)) as base:
        yield base, db_url


@pytest.fixture
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


def _main(page: Any) -> str:
    return " ".join(page.locator("main").inner_text().replace("\xa0", " ").split())


def _add_charge_with_the_picker(page: Any, base: str) -> None:
    page.goto(base + HOUSEHOLD)
    page.get_by_role("link", name="Vaste last toevoegen").click()
    page.locator("#f-id").fill("sport")
    page.locator("#f-kind").select_option("overig")
    page.locator("#f-payee_name").fill("Stroom en Gas Noord")
    page.locator("#f-payee_iban").fill("NL03RABO0345678901")
    page.locator("#f-amount").fill("€ 12,50")
    page.locator("#p-herhaling").select_option("week")
    # the small script hides what a weekly rule does not use (the form works without it)
    assert page.locator("#p-dag").is_hidden()
    assert page.locator("#p-weekdag").is_visible()
    page.locator("#p-elke").select_option("4")
    page.locator("#p-weekdag").select_option("3")
    page.locator("#p-vanaf").fill("2026-03-05")
    assert page.locator("#p-aantal").is_hidden()
    shoot(page, "regels-keuzelijst")
    page.get_by_role("button", name="Opslaan").click()


def test_add_a_charge_with_the_picker_and_pause_it(site: tuple[str, str], browser: Any) -> None:
    base, db_url = site
    page = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, base, "mira")
    _add_charge_with_the_picker(page, base)
    shown = _main(page)
    assert "De wijziging is opgeslagen." in shown
    assert "elke 4 weken op donderdag, vanaf 5 maart 2026" in shown
    assert "FREQ=" not in shown
    shoot(page, "regels-huishouden")

    page.goto(f"{base}{HOUSEHOLD}/vaste-last/sport/pauzeren")
    page.locator("#f-from").fill("2026-03-01")
    page.locator("#f-until").fill("2026-03-31")
    shoot(page, "regels-pauzeren")
    page.get_by_role("button", name="Opslaan").click()
    pause_text = "De betaling voor sport is gepauzeerd tot en met 31 maart 2026."
    assert pause_text in _main(page)

    household = browser.new_context(viewport=PHONE, locale="nl-NL").new_page()
    _login(household, base, "jansen")
    household.goto(f"{base}/betaald")
    assert pause_text in _main(household)
    shoot(household, "regels-huishouden-betaald-telefoon")
    assert errors == []

    engine = open_database(db_url)
    with UnitOfWork(engine) as uow:
        stored = load_household(uow, "HH-0001")
    engine.dispose()
    assert stored is not None
    sport = next(c for c in stored.charges if c.id == "sport")
    assert sport.schedule == Schedule(date(2026, 3, 5), "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH")
    assert sport.pause == (Pause(date(2026, 3, 1), date(2026, 3, 31)),)


NEW_PAGES = (
    f"{HOUSEHOLD}/vaste-last/nieuw",
    f"{HOUSEHOLD}/vaste-last/huur",
    f"{HOUSEHOLD}/vaste-last/huur/pauzeren",
    f"{HOUSEHOLD}/vaste-last/huur/tijdelijk",
    f"{HOUSEHOLD}/vaste-last/huur/totaal",
    f"{HOUSEHOLD}/inkomen/loon",
    HOUSEHOLD,
)


def test_the_new_pages_have_no_serious_accessibility_violations(
    site: tuple[str, str], browser: Any
) -> None:
    pytest.importorskip("axe_playwright_python.sync_playwright")
    base, _ = site
    pages: dict[str, list[dict[str, Any]]] = {}
    for label, viewport in (("telefoon", PHONE), ("desktop", DESKTOP)):
        page = browser.new_context(viewport=viewport, locale="nl-NL").new_page()
        _login(page, base, "ada")  # an admin also sees the "Geavanceerd" tab
        for path in (*NEW_PAGES, f"{HOUSEHOLD}/vaste-last/huur/geavanceerd"):
            page.goto(base + path)
            pages[f"{label} {path}"] = _axe(page)
        # a form with its problems shown
        page.goto(f"{base}{HOUSEHOLD}/vaste-last/huur/pauzeren")
        page.locator("#f-from").fill("2026-04-01")
        page.locator("#f-until").fill("2026-03-01")
        page.get_by_role("button", name="Opslaan").click()
        assert "ligt voor de eerste dag" in _main(page)
        pages[f"{label} pauzeren met fout"] = _axe(page)
        shoot(page, f"regels-pauzeren-fout-{label}")
        page.goto(f"{base}{HOUSEHOLD}/vaste-last/nieuw")
        page.locator("#p-vanaf").fill("")
        page.get_by_role("button", name="Opslaan").click()
        pages[f"{label} keuzelijst met fout"] = _axe(page)
        shoot(page, f"regels-keuzelijst-fout-{label}")
    assert _serious(pages) == {}
