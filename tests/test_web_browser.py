"""Real-browser tests: Debian's Chromium driven by Playwright, against the app on localhost.

Skipped cleanly when /usr/bin/chromium (apt package `chromium`) or the Python
package `playwright` is missing. Screenshots at phone and desktop width are
saved under var/screenshots/ (not committed) for a reviewer to look at.
axe-core (axe-playwright-python) checks the household pages, the login page and
every staff page for serious and critical accessibility violations.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from flask import Flask
from werkzeug.serving import make_server

from huishoudboekje.adapters.persistence import UnitOfWork, load_household, open_database
from huishoudboekje.domain.money import Money
from huishoudboekje.services.household_requests import submit_request
from huishoudboekje.services.second_factor import totp_code, totp_step
from tests.nightly_bank import Bank
from tests.nightly_support import GIFT, nightly_quiet
from tests.test_web_worklists import returned_leefgeld_and_a_problem_night
from tests.web_fixtures import PASSWORD, TOTP_SECRETS, make_app, seed

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


def _read_whole(file: BinaryIO, _block_size: int = 8192) -> list[bytes]:
    """A `wsgi.file_wrapper` that reads a (static) file at once and closes it.

    werkzeug's development server skips closing the response when the browser drops
    the connection while it finishes a request (fast page changes do that); the open
    file then surfaces later as a ResourceWarning, which filterwarnings=error turns
    into a failure of whichever test runs at that moment."""
    try:
        return [file.read()]
    finally:
        file.close()


@contextlib.contextmanager
def _serve(app: Flask) -> Iterator[str]:
    """Serve `app` on a free localhost port from a thread; yields the base URL."""

    def closing_files(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        environ["wsgi.file_wrapper"] = _read_whole
        return app(environ, start_response)

    httpd = make_server("127.0.0.1", 0, closing_files, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=5)
        app.extensions["hhb_engine"].dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app with the seeded demo, served on a free localhost port from a thread."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'hhb.sqlite3'}"
    engine = open_database(db_url)
    seed(engine)
    engine.dispose()
    with _serve(make_app(db_url, WTF_CSRF_ENABLED=True)) as base:
        yield base, db_url


NIGHT = GIFT.day + timedelta(days=1)  # the staff pages' "today": the morning after a night


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """The demo without history (a night books it), a household's request waiting;
    served with "today" the day after the night. Yields (base URL, database, var)."""
    folder = tmp_path_factory.mktemp("browser-staff")
    db_url = f"sqlite:///{folder / 'hhb.sqlite3'}"
    engine = open_database(db_url)
    seed(engine, history=False)
    with UnitOfWork(engine) as uow:
        submit_request(
            uow,
            household="HH-0001",
            actor="jansen",
            kind="extra_leefgeld",
            amount=Money("40.00"),
            reason="Schoenen voor school",
            now=datetime(2026, 2, 25, 10, 0, tzinfo=UTC),
        )
    engine.dispose()
    with _serve(make_app(db_url, WTF_CSRF_ENABLED=True, HHB_TODAY=NIGHT.isoformat())) as base:
        yield base, db_url, folder / "var"


@contextlib.contextmanager
def launched_chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright, closed afterwards (skips without playwright)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/inloggen")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    if username in TOTP_SECRETS:  # staff: the code from the authenticator app
        page.wait_for_url(f"{base}/inloggen/code")
        step = totp_step(datetime.now(UTC))
        for ahead in (0, 1):  # a second login within 30 s: the phone's next code
            page.get_by_label("Code").fill(totp_code(TOTP_SECRETS[username], step + ahead))
            page.get_by_role("button", name="Verder").click()
            page.wait_for_load_state()
            if not page.url.endswith("/inloggen/code"):
                return
        raise AssertionError(f"{username}: no TOTP code accepted")


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


# Every staff page, with rules, forms and lists filled in (see `staff_server`).
STAFF_PAGES = (
    "/medewerker/",
    "/medewerker/?q=jansen",
    "/medewerker/huishouden/HH-0001",
    "/medewerker/huishouden/HH-0002",
    "/medewerker/huishouden-nieuw",
    "/medewerker/huishouden/HH-0001/bewerken",
    "/medewerker/huishouden/HH-0001/vaste-last/huur",
    "/medewerker/huishouden/HH-0001/vaste-last/nieuw",
    "/medewerker/huishouden/HH-0001/inkomen/loon",
    "/medewerker/huishouden/HH-0001/inkomen/nieuw",
    "/medewerker/huishouden/HH-0001/reservering/energie-jaarafrekening",
    "/medewerker/huishouden/HH-0001/reservering/nieuw",
    "/medewerker/huishouden/HH-0001/vaste-last/huur/beeindigen",
    "/medewerker/huishouden/HH-0001/inkomen/loon/beeindigen",
    "/medewerker/huishouden/HH-0001/reservering/energie-jaarafrekening/beeindigen",
    "/medewerker/goedkeuren",
    "/medewerker/verzoeken",
    "/medewerker/werklijsten",
    "/medewerker/audit",
    "/medewerker/audit?wie=test&soort=household&van=2026-01-01",
    "/medewerker/huishouden/HH-9999",  # the error page, as staff see it
)
AFTER_NIGHT_PAGES = (
    "/medewerker/werklijsten",
    "/medewerker/huishouden/HH-0001",
    "/medewerker/huishouden/HH-0003",
    "/medewerker/audit",
)


# axe's default rules, and target-size (WCAG 2.2 AA, off by default in axe 4)
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


def _axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now, once it has loaded: after a
    form post, axe run before the stylesheet arrived measured unstyled links and
    buttons (a flaky `target-size` failure under load)."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    page.wait_for_load_state("load")
    result = axe_module.Axe().run(page, options=AXE_OPTIONS)
    violations: list[dict[str, Any]] = result.response["violations"]
    return violations


def _serious(pages: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[tuple[str, str, Any]]]:
    """Per page, the serious and critical violations: (rule, impact, where)."""
    found = {
        name: [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
            for v in violations
            if v["impact"] in {"serious", "critical"}
        ]
        for name, violations in pages.items()
    }
    return {name: items for name, items in found.items() if items}


def _after_a_night(db_url: str, var: Path) -> None:
    """A night with an unknown credit (so signals and the credit worklist fill), a
    returned payment and a night with a problem."""
    Bank().statement(GIFT.day, [GIFT], var / "inbox")
    assert nightly_quiet(NIGHT, db_url, var) in (0, 1)
    engine = open_database(db_url)
    with UnitOfWork(engine) as uow:
        returned_leefgeld_and_a_problem_night(uow, date(2026, 2, 20))
        uow.commit()
    engine.dispose()


def test_staff_pages_have_no_serious_accessibility_violations(
    staff_server: tuple[str, str, Path], browser: Any
) -> None:
    pytest.importorskip("axe_playwright_python.sync_playwright")
    base, db_url, var = staff_server
    pages: dict[str, list[dict[str, Any]]] = {}
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    _login(page, base, "mira")
    for path in STAFF_PAGES:
        page.goto(base + path)
        pages[path] = _axe(page)

    # forms in their error state: problems beside the fields, a notice on top
    page.goto(f"{base}/medewerker/huishouden/HH-0001/vaste-last/huur/beeindigen")
    page.get_by_label("Tot en met (verplicht)").fill("2020-01-01")
    page.get_by_role("button", name="Beëindigen").click()
    assert "Deze dag is al voorbij" in page.locator("main").inner_text()
    pages["end form with an error"] = _axe(page)
    _shoot(page, "medewerker-beeindigen-fout")
    page.goto(f"{base}/medewerker/huishouden/HH-0001/vaste-last/huur")
    page.get_by_label("Bedrag (verplicht)").fill("veel")
    page.get_by_label("IBAN ontvanger (verplicht)").fill("NL00")
    page.get_by_role("button", name="Opslaan").click()
    pages["edit form with errors"] = _axe(page)

    # a change waiting for four-eyes (the flash message on the household page)
    page.goto(f"{base}/medewerker/huishouden/HH-0001/vaste-last/huur/beeindigen")
    page.get_by_label("Tot en met (verplicht)").fill("2026-04-30")
    page.get_by_role("button", name="Beëindigen").click()
    assert "wacht op goedkeuring" in page.locator("main").inner_text()
    pages["household page with a change waiting"] = _axe(page)
    _shoot(page, "medewerker-huishouden-beeindigd")

    # the one-time invite link
    page.get_by_label("Gebruikersnaam").fill("lid-jansen")
    page.get_by_role("button", name="Uitnodigingslink maken").click()
    assert "Uitnodigingslink voor lid-jansen" in page.locator("main").inner_text()
    pages["invite link"] = _axe(page)

    # after a night: stored signals, an unknown credit to assign, returned payments
    _after_a_night(db_url, var)
    for path in AFTER_NIGHT_PAGES:
        page.goto(base + path)
        pages[f"{path} after a night"] = _axe(page)
    assert "Onbekende gever" in page.goto(f"{base}/medewerker/werklijsten").text()
    context.close()

    # a teamleider sees the approve and refuse forms, and the household's request
    leader_context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    leader = leader_context.new_page()
    _login(leader, base, "tom")
    leader.goto(f"{base}/medewerker/goedkeuren")
    assert leader.get_by_role("button", name="Goedkeuren").count() == 1  # mira's end of rent
    pages["/medewerker/goedkeuren as teamleider"] = _axe(leader)
    leader.goto(f"{base}/medewerker/verzoeken")
    assert "Schoenen voor school" in leader.locator("main").inner_text()
    pages["/medewerker/verzoeken as teamleider"] = _axe(leader)
    leader_context.close()

    assert _serious(pages) == {}


def test_the_accessibility_check_can_fail(
    staff_server: tuple[str, str, Path], browser: Any
) -> None:
    """An unlabelled input and an image without alt text are reported: the check above
    is not empty by accident (axe loaded, the rules ran, the filter keeps them)."""
    pytest.importorskip("axe_playwright_python.sync_playwright")
    base, _, _ = staff_server
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    _login(page, base, "mira")
    page.goto(f"{base}/medewerker/huishouden/HH-0001")
    assert _serious({"before": _axe(page)}) == {}
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            const input = document.createElement("input");
            input.type = "text";
            input.id = "proef-veld";
            const image = document.createElement("img");
            image.id = "proef-plaatje";
            image.width = 40;
            image.height = 40;
            main.append(input, image);
        }"""
    )
    found = _serious({"with faults": _axe(page)})["with faults"]
    where = {(rule, str(targets)) for rule, _impact, targets in found}
    assert ("label", str([["#proef-veld"]])) in where
    assert ("image-alt", str([["#proef-plaatje"]])) in where
    context.close()
