"""Real browser (Debian's Chromium via Playwright) on an ended household (issue 19.6):
the household page shows the exit checklist, staff tick an item and download a
letter; axe-core finds nothing serious or critical on the new pages at phone and
desktop width. Saves var/screenshots/medewerker-einde-*.png. Skipped when
/usr/bin/chromium is absent."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.exit_support import ended_gemeente
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
from tests.web_fixtures import make_app

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    db_url = f"sqlite:///{tmp_path / 'hhb.sqlite3'}"
    ended_gemeente(db_url, tmp_path)
    with serve(make_app(db_url, WTF_CSRF_ENABLED=True)) as base:
        yield base


@pytest.fixture
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


def test_exit_checklist_in_the_browser(site: str, browser: Any) -> None:
    base = site
    page = browser.new_context(viewport=DESKTOP, locale="nl-NL", accept_downloads=True).new_page()
    _login(page, base, "mira")
    page.goto(f"{base}/medewerker/huishouden/HH-0001")
    section = page.locator("#einde-deelname")
    assert "3 van 8" in section.inner_text()
    section.get_by_role("link", name="Checklist en brieven").click()
    assert page.url.endswith("/medewerker/huishouden/HH-0001/einde")
    pages: dict[str, list[dict[str, Any]]] = {"checklist desktop": _axe(page)}

    overview = page.locator("li", has_text="Eindoverzicht verstuurd")
    overview.get_by_label("Notitie (mag leeg)").fill("Per post verstuurd")
    overview.get_by_role("button", name="Afvinken").click()
    main = " ".join(page.locator("main").inner_text().split())
    assert "Afgevinkt: Eindoverzicht verstuurd." in main and "4 van 8" in main
    _shoot(page, "medewerker-einde-checklist")
    pages["checklist after a tick"] = _axe(page)

    with page.expect_download() as download:
        page.locator("li", has_text="Loon van Bakkerij").get_by_role(
            "link", name="Brief downloaden (PDF)"
        ).click()
    pdf = Path(download.value.path()).read_bytes()
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "betalen op rekening NL44 RABO 0123 4567 89 t.n.v. Fam. Jansen" in text

    phone = browser.new_context(viewport=PHONE, locale="nl-NL").new_page()
    _login(phone, base, "mira")
    for path in ("/medewerker/huishouden/HH-0001/einde", "/medewerker/huishouden/HH-0001"):
        phone.goto(f"{base}{path}")
        pages[f"{path} phone"] = _axe(phone)
    _shoot(phone, "medewerker-einde-checklist-telefoon")
    phone.goto(f"{base}/medewerker/huishouden/HH-0002/einde")  # no end yet: the form
    pages["start form phone"] = _axe(phone)
    page.goto(f"{base}/medewerker/huishouden/HH-0002/einde")
    pages["start form desktop"] = _axe(page)
    assert _serious(pages) == {}
