"""Real browser (Debian's Chromium via Playwright): a staff member assigns a suspense
credit, adds the suggested term with one click, and splits a joint credit over two
households. Saves the screenshots docs/how-it-works.md shows ("Staff teach a term")
as var/screenshots/medewerker-*.png. Skipped when /usr/bin/chromium is absent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from huishoudboekje.adapters.persistence import UnitOfWork, load_household, load_ledger
from huishoudboekje.domain import ledger
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.term_suggestions import normalise
from scheduler.context import NightPaths
from tests.staff_gemeente import camt, import_and_book, staff_web, toeslag
from tests.test_web_browser import (
    CHROMIUM,
    DESKTOP,
    _login,
    _serve,
    _shoot,
    launched_chromium,
)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")

FEB = date(2026, 2, 20)
TODAY = FEB + timedelta(days=12)  # the credits have waited 12 days: "urgent"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """Two credits in suspense (one toeslag, one joint payment), served with CSRF on."""
    db_url = f"sqlite:///{tmp_path / 'hhb.sqlite3'}"
    env = staff_web(db_url, tmp_path, TODAY)
    env.app.config["WTF_CSRF_ENABLED"] = True
    paths = NightPaths.under(tmp_path / "var")
    paths.create()
    credits = [toeslag(FEB, "154.00", "0958.610.934", "F1"), toeslag(FEB, "400.00", "", "J1")]
    import_and_book(env.engine, paths, FEB, camt(tmp_path / "in", FEB, "1000.00", credits))
    with _serve(env.app) as base:
        yield base, env.engine


@pytest.fixture
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


def test_staff_assign_teach_a_term_and_split(site: tuple[str, Any], browser: Any) -> None:
    base, engine = site
    page = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    _login(page, base, "mira")
    page.goto(f"{base}/medewerker/")
    assert "Oudste onbekende post: 12 dagen" in " ".join(page.locator("main").inner_text().split())
    _shoot(page, "medewerker-oudste-onbekend")

    page.goto(f"{base}/medewerker/werklijsten")
    assign = page.locator("form[action$='/toewijzen']").first
    assign.locator("select[name=household]").select_option("HH-0001")
    assign.locator("input[name=income]").fill("zorgtoeslag")
    _shoot(page, "medewerker-werklijst-onbekend")
    assign.get_by_role("button", name="Toewijzen").click()

    section = page.locator("#termen")
    assert "Zoekterm leren" in section.inner_text()
    _shoot(page, "medewerker-zoekterm-leren")
    term = section.locator("input[name=term]").first.get_attribute("value")
    assert term is not None and normalise(term) == "958610934"
    section.get_by_role("button", name="Zoekterm toevoegen").first.click()
    assert "toegevoegd aan HH-0001 (zorgtoeslag)" in page.locator("main").inner_text()
    _shoot(page, "medewerker-zoekterm-toegevoegd")

    page.get_by_text("Verdelen over meer huishoudens").click()
    form = page.locator("form[action$='/verdelen']").first
    form.locator("select[name=household_1]").select_option("HH-0001")
    form.locator("input[name=income_1]").fill("huurtoeslag")
    form.locator("input[name=amount_1]").fill("246,00")
    form.locator("select[name=household_2]").select_option("HH-0002")
    form.locator("input[name=income_2]").fill("zorgtoeslag")
    form.locator("input[name=amount_2]").fill("154,00")
    _shoot(page, "medewerker-verdelen")
    form.get_by_role("button", name="Verdelen").click()
    shown = page.locator("main").inner_text().replace("\xa0", " ")
    assert "Verdeeld: HH-0001 € 246,00, HH-0002 € 154,00" in shown
    _shoot(page, "medewerker-verdeeld")

    with UnitOfWork(engine) as uow:
        household = load_household(uow, "HH-0001")
        book = load_ledger(uow)
    assert household is not None and term in household.incomes[0].terms
    assert book.balance(ledger.vat("HH-0001")) == Money("400.00")  # 154 + 246
    assert book.balance(ledger.vat("HH-0002")) == Money("154.00")
    assert book.balance(ledger.SUSPENSE) == Money("0.00")
