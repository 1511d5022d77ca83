"""Real-browser tests: Debian's Chromium driven by Playwright, against the app on localhost.

Skipped cleanly when /usr/bin/chromium (apt package `chromium`) or the Python
package `playwright` is missing. Screenshots at phone and desktop width are
saved under var/screenshots/ (not committed) for a reviewer to look at.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from huishoudboekje.money import Money
from huishoudboekje.persistence import UnitOfWork, load_household, open_database
from tests.web_fixtures import PASSWORD, make_app, seed

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app with the seeded demo, served on a free localhost port from a thread."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'hhb.sqlite3'}"
    engine = open_database(db_url)
    seed(engine)
    engine.dispose()
    app = make_app(db_url, WTF_CSRF_ENABLED=True)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", db_url
    finally:
        httpd.shutdown()
        thread.join(timeout=5)
        app.extensions["hhb_engine"].dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/inloggen")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def _shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_household_logs_in_and_sees_next_leefgeld(server: tuple[str, str], browser: Any) -> None:
    base, _ = server
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport, locale="nl-NL")
        page = context.new_page()
        errors: list[str] = []
        page.on(
            "console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None
        )
        _login(page, base, "jansen")
        page.wait_for_url(f"{base}/vandaag")
        heading = page.get_by_role("heading", name="Uw volgende leefgeld")
        assert heading.is_visible()
        amount = page.locator("#volgend-leefgeld").inner_text()
        assert amount.startswith("€") and "," in amount
        assert "vrijdag 6 maart" in page.locator("main").inner_text()
        assert errors == []  # e.g. no CSP violations
        _shoot(page, f"vandaag-{label}")
        for path, name in (
            ("/betaald", "betaald"),
            ("/overzicht", "overzicht"),
            ("/verzoek", "verzoek"),
        ):
            page.goto(base + path)
            _shoot(page, f"{name}-{label}")
        # tap targets: the menu links and buttons are at least 44 px high
        for box in page.locator("nav a, button").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().height)"
        ):
            assert box >= 44
        context.close()


def test_rent_change_approved_by_second_staff_member_reaches_the_household(
    server: tuple[str, str], browser: Any
) -> None:
    base, db_url = server
    staff = browser.new_context(viewport=DESKTOP).new_page()
    _login(staff, base, "mira")
    staff.goto(f"{base}/medewerker/huishouden/HH-0001/vaste-last/huur")
    staff.get_by_label("Bedrag (verplicht)").fill("780,00")
    staff.get_by_role("button", name="Opslaan").click()
    assert "wacht op goedkeuring" in staff.locator("main").inner_text()
    _shoot(staff, "medewerker-huishouden")

    leader = browser.new_context(viewport=DESKTOP).new_page()
    _login(leader, base, "tom")
    leader.goto(f"{base}/medewerker/goedkeuren")
    _shoot(leader, "teamleider-goedkeuren")
    leader.get_by_role("button", name="Goedkeuren").first.click()
    assert "Goedgekeurd" in leader.locator("main").inner_text()

    engine = open_database(db_url)
    with UnitOfWork(engine) as uow:
        household = load_household(uow, "HH-0001")
    engine.dispose()
    assert household is not None
    assert next(c.amount for c in household.charges if c.id == "huur") == Money("780.00")
    home = browser.new_context(viewport=PHONE).new_page()
    _login(home, base, "jansen")
    home.goto(f"{base}/betaald")
    assert "€ 780,00" in home.locator("main").inner_text().replace("\u00a0", " ")


def test_monthly_overview_prints(server: tuple[str, str], browser: Any) -> None:
    base, _ = server
    page = browser.new_context(viewport=DESKTOP).new_page()
    _login(page, base, "jansen")
    page.goto(f"{base}/overzicht/2026-02")
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert page.locator(".print-only").is_visible()
    assert page.get_by_role("heading", name="Overzicht februari 2026").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "maandoverzicht-februari.pdf").write_bytes(pdf)


def test_household_pages_have_no_serious_accessibility_violations(
    server: tuple[str, str], browser: Any
) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    base, _ = server
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{base}/inloggen")
    pages = {"/inloggen": axe_module.Axe().run(page).response["violations"]}
    _login(page, base, "jansen")
    for path in ("/vandaag", "/betaald", "/overzicht", "/overzicht/2026-02", "/verzoek"):
        page.goto(base + path)
        pages[path] = axe_module.Axe().run(page).response["violations"]
    serious = {
        path: [(v["id"], v["impact"], len(v["nodes"])) for v in found]
        for path, found in pages.items()
        if any(v["impact"] in {"serious", "critical"} for v in found)
    }
    assert serious == {}
