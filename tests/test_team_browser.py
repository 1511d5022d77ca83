"""Real browser (Debian's Chromium via Playwright), issue 19.4 and 19.7: a medewerker
changes the rent, the household reads the voorgestelde wijziging on its own page
and agrees (the rent changes only then), and the medewerker hands the household
over to a colleague with a note, who sees it and marks it read. axe-core finds
nothing serious or critical on the new pages at phone and desktop width. Saves
var/screenshots/team-*.png. Skipped when /usr/bin/chromium is absent."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_household,
    open_database,
    save_household,
)
from huishoudboekje.domain.money import Money
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
WHY = "Uw huur gaat per april omhoog. De woningcorporatie heeft ons een brief gestuurd."
NOTE = "Mevrouw Jansen belt liever op dinsdag. De huurverhoging is met haar besproken."


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, str]]:
    db_url = f"sqlite:///{tmp_path / 'hhb.sqlite3'}"
    engine = open_database(db_url)
    try:
        seed(engine, history=False)
        with UnitOfWork(engine) as uow:
            household = load_household(uow, "HH-0001")
            assert household is not None
            save_household(uow, dataclasses.replace(household, caseworker="mira"))
            uow.commit()
    finally:
        engine.dispose()
    app = make_app(db_url, WTF_CSRF_ENABLED=True, HHB_ASK_HOUSEHOLD="1")
    with serve(app) as base:
        yield base, db_url
    app.extensions["hhb_engine"].dispose()


@pytest.fixture
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


def _rent(db_url: str) -> Money:
    engine = open_database(db_url)
    try:
        with UnitOfWork(engine) as uow:
            household = load_household(uow, "HH-0001")
    finally:
        engine.dispose()
    assert household is not None
    return next(c.amount for c in household.charges if c.id == "huur")


def _text(page: Any) -> str:
    return " ".join(page.locator("main").inner_text().split())


def test_the_household_agrees_and_the_household_is_handed_over(
    site: tuple[str, str], browser: Any
) -> None:
    base, db_url = site
    pages: dict[str, list[dict[str, Any]]] = {}
    mira = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    _login(mira, base, "mira")
    mira.goto(f"{base}/medewerker/huishouden/HH-0001/vaste-last/huur")
    mira.get_by_label("Bedrag").first.fill("745,40")
    mira.get_by_label("Waarom deze wijziging (voor het huishouden)").fill(WHY)
    pages["rule form with the question to the household"] = _axe(mira)
    mira.get_by_role("button", name="Opslaan").click()
    assert "voorgelegd aan het huishouden" in _text(mira)
    assert _rent(db_url) == Money("725.40")

    # the household, on a phone, reads it and agrees
    jansen = browser.new_context(viewport=PHONE, locale="nl-NL").new_page()
    _login(jansen, base, "jansen")
    jansen.goto(f"{base}/vandaag")
    jansen.get_by_role("link", name="Lees wat er verandert en geef uw antwoord").click()
    main = _text(jansen)
    assert "€ 745,40 (was € 725,40)" in main and WHY in main
    _shoot(jansen, "team-huishouden-wijziging-telefoon")
    pages["Wijzigingen phone"] = _axe(jansen)
    jansen.get_by_role("button", name="Akkoord").click()
    assert "De wijziging gaat nu in" in _text(jansen)
    pages["Wijzigingen phone after Akkoord"] = _axe(jansen)
    assert _rent(db_url) == Money("745.40")
    desktop = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    _login(desktop, base, "jansen")
    desktop.goto(f"{base}/wijzigingen")
    pages["Wijzigingen desktop"] = _axe(desktop)

    # mira hands the household over to mats with a note
    mira.goto(f"{base}/medewerker/huishouden/HH-0001")
    assert "akkoord, zelf online" in _text(mira)
    mira.get_by_role("link", name="Overdragen").click()
    pages["Overdragen desktop"] = _axe(mira)
    mira.get_by_label("Nieuwe medewerker (verplicht)", exact=True).select_option("mats")
    mira.get_by_label("Notitie voor de nieuwe medewerker (verplicht)").fill(NOTE)
    _shoot(mira, "team-overdragen")
    mira.get_by_role("button", name="Overdragen").click()
    assert "overgedragen aan mats" in _text(mira)

    mats = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    _login(mats, base, "mats")
    mats.goto(f"{base}/medewerker/?wie=alle")
    mats.get_by_role("link", name="overgedragen aan u: notitie lezen").click()
    main = _text(mats)
    assert "Overgedragen door Mira" in main and NOTE in main
    _shoot(mats, "team-overdracht-notitie")
    pages["household page with the note"] = _axe(mats)
    mats.get_by_role("button", name="Gelezen").click()
    assert "Gelezen op" in _text(mats)
    mats.goto(f"{base}/medewerker/?wie=alle")
    assert "overgedragen aan u" not in _text(mats)

    phone = browser.new_context(viewport=PHONE, locale="nl-NL").new_page()
    _login(phone, base, "mats")
    for path in ("/medewerker/huishouden/HH-0001", "/medewerker/huishouden/HH-0001/overdragen"):
        phone.goto(f"{base}{path}")
        pages[f"{path} phone"] = _axe(phone)
    tom = browser.new_context(viewport=PHONE, locale="nl-NL").new_page()
    _login(tom, base, "tom")
    tom.goto(f"{base}/medewerker/overdragen")
    pages["bulk hand-over phone"] = _axe(tom)
    _shoot(tom, "team-alles-overdragen-telefoon")
    assert _serious(pages) == {}
