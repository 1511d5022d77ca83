"""Real browser (Debian's Chromium via Playwright) through the guided intake (issue
19.3): a medewerker walks the seven steps, a problem on a step keeps what was typed,
the consent is uploaded as PDF (a non-PDF first, refused in Dutch), a teamleider
approves, and the household's page shows the consent with its document. axe-core
finds nothing serious or critical on any step, at phone and desktop width.
Saves var/screenshots/medewerker-intake-*.png. Skipped when /usr/bin/chromium is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from huishoudboekje.adapters.persistence import UnitOfWork, load_household, open_database
from huishoudboekje.domain.consent import DocumentKind
from huishoudboekje.services.consent import history_of
from tests.consent_support import signed_pdf
from tests.test_web_browser import (
    CHROMIUM,
    DESKTOP,
    PHONE,
    _axe,
    _login,
    _serious,
    _shoot,
    launched_chromium,
)
from tests.test_web_browser import _serve as serve
from tests.web_fixtures import make_app, seed

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
NEXT = "Volgende stap"


@pytest.fixture
def site(db_url: str) -> Iterator[tuple[str, str]]:
    engine = open_database(db_url)
    try:
        seed(engine, history=False)
    finally:
        engine.dispose()
    with serve(make_app(db_url, WTF_CSRF_ENABLED=True)) as base:
        yield base, db_url


@pytest.fixture
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


def _heading(page: Any) -> str:
    return " ".join(page.locator("main h2").first.inner_text().split())


def _next(page: Any, button: str = NEXT) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def _add_rule(
    page: Any, fields: dict[str, str], kind: str, day: str, first: str, button: str
) -> None:
    for path, value in fields.items():
        page.locator(f"#f-{path}").fill(value)
    page.locator("#f-kind").select_option(kind)
    page.locator("#p-herhaling").select_option("maand")
    page.locator("#p-dag").select_option(day)
    page.locator("#p-vanaf").fill(first)
    _next(page, button)


def test_intake_with_consent_upload_in_the_browser(
    site: tuple[str, str], browser: Any, tmp_path: Path
) -> None:
    base, db_url = site
    pages: dict[str, list[dict[str, Any]]] = {}
    page = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    _login(page, base, "mira")
    page.get_by_role("link", name="Nieuw huishouden").click()
    assert _heading(page) == "Stap 1 van 7: Huishouden"
    pages["1 huishouden"] = _axe(page)
    _shoot(page, "medewerker-intake-1-huishouden")
    page.locator("#f-name").fill("Fam. Yilmaz")
    page.locator("#f-code").fill("HH-0100")
    page.locator("#f-iban").fill("NL00 BANK 0000 0000 00")  # wrong: the step stays
    _next(page)
    assert _heading(page) == "Stap 1 van 7: Huishouden"
    assert "klopt niet" in page.locator("main").inner_text()
    assert page.locator("#f-name").input_value() == "Fam. Yilmaz"  # nothing lost
    pages["1 with a problem"] = _axe(page)
    page.locator("#f-iban").fill("NL20INGB0001234567")
    _next(page)

    assert _heading(page) == "Stap 2 van 7: Contact"
    page.locator("#f-contact").select_option("post")
    page.locator("#f-address-street").fill("Dorpsstraat 1")
    page.locator("#f-address-postcode").fill("1234 AB")
    page.locator("#f-address-city").fill("Voorbeeldstad")
    pages["2 contact"] = _axe(page)
    _next(page)
    assert _heading(page) == "Stap 3 van 7: Team en medewerker"
    assert page.locator("#f-caseworker").input_value() == "mira"
    pages["3 team"] = _axe(page)
    _next(page)

    assert _heading(page) == "Stap 4 van 7: Inkomsten"
    fields = {"id": "bijstand", "payer_name": "Gemeente Voorbeeldstad"}
    _add_rule(
        page,
        {**fields, "payer_iban": "NL94ABNA0561122334", "amount": "€ 1.389,00"},
        "bijstand",
        "24",
        "2026-03-24",
        "Inkomen toevoegen",
    )
    assert "elke maand op de 24e" in page.locator("#toegevoegd").inner_text()
    pages["4 inkomsten"] = _axe(page)
    _shoot(page, "medewerker-intake-4-inkomsten")
    _next(page)
    assert _heading(page) == "Stap 5 van 7: Vaste lasten"
    charge = {"id": "huur", "payee_name": "Woonstichting", "payee_iban": "NL93RABO0123456780"}
    _add_rule(
        page, {**charge, "amount": "725,40"}, "huur", "1", "2026-04-01", "Vaste last toevoegen"
    )
    assert "725,40" in page.locator("#toegevoegd").inner_text()
    pages["5 vaste lasten"] = _axe(page)
    _next(page)

    assert _heading(page) == "Stap 6 van 7: Deelname"
    page.locator("#f-start").fill("2026-03-16")
    page.locator("#f-_template").select_option("statushouder")
    pages["6 deelname"] = _axe(page)
    _next(page)
    assert _heading(page) == "Stap 7 van 7: Toestemming"
    assert "2026-09-15" in page.locator("main").inner_text()  # six months
    page.locator("#c-signed_by").fill("A. Yilmaz")
    page.locator("#c-doc-upload").check()
    not_pdf = tmp_path / "scan.jpg"
    not_pdf.write_bytes(b"\xff\xd8\xff\xe0 a photo, not a pdf")
    page.locator("#c-document_file").set_input_files(str(not_pdf))
    _next(page, "Huishouden en toestemming vastleggen")
    assert "Dit is geen PDF-bestand" in page.locator("main").inner_text()
    assert page.locator("#c-signed_by").input_value() == "A. Yilmaz"
    pages["7 toestemming with a problem"] = _axe(page)
    _shoot(page, "medewerker-intake-7-toestemming")
    pdf = tmp_path / "toestemming.pdf"
    pdf.write_bytes(signed_pdf())
    page.locator("#c-document_file").set_input_files(str(pdf))
    _next(page, "Huishouden en toestemming vastleggen")
    assert page.url.endswith("/medewerker/goedkeuren")
    assert "wacht op goedkeuring" in page.locator("main").inner_text()

    lead = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    _login(lead, base, "tom")
    lead.goto(f"{base}/medewerker/goedkeuren")
    lead.locator("section", has_text="nieuw huishouden").first.get_by_role(
        "button", name="Goedkeuren"
    ).click()
    lead.wait_for_load_state()
    engine = open_database(db_url)
    try:
        with UnitOfWork(engine) as uow:
            household = load_household(uow, "HH-0100")
        [consent] = history_of(engine, "HH-0100")
    finally:
        engine.dispose()
    assert household is not None and str(household.end) == "2026-09-15"
    assert consent.consent.document is DocumentKind.UPLOAD and consent.has_document

    page.goto(f"{base}/medewerker/huishouden/HH-0100")
    section = page.locator("#toestemming")
    assert "door A. Yilmaz" in section.inner_text()
    assert section.get_by_role("link", name="getekend document (PDF)").count() == 1
    pages["household page"] = _axe(page)
    _shoot(page, "medewerker-intake-huishouden")
    page.goto(f"{base}/medewerker/huishouden/HH-0100/toestemming")
    pages["consent form"] = _axe(page)

    phone = browser.new_context(viewport=PHONE, locale="nl-NL").new_page()
    _login(phone, base, "mira")
    phone.goto(f"{base}/medewerker/huishouden-nieuw")
    pages["1 phone"] = _axe(phone)
    phone.locator("#f-name").fill("Dhr. Bos")
    phone.locator("#f-code").fill("HH-0101")
    phone.locator("#f-iban").fill("NL44RABO0123456789")
    for step in range(2, 8):
        _next(phone)
        assert _heading(phone).startswith(f"Stap {step} van 7"), _heading(phone)
        pages[f"{step} phone"] = _axe(phone)
    _shoot(phone, "medewerker-intake-telefoon")
    phone.goto(f"{base}/medewerker/huishouden/HH-0100")
    pages["household page phone"] = _axe(phone)
    assert _serious(pages) == {}
