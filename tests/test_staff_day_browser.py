"""A day in the life of a medewerker, in a real browser (Debian's Chromium via
Playwright), issue 19 "Tests": one household's story through the pages that exist,
in order. Mira takes in Fam. Yilmaz in the seven-step intake, sets its income and
rent with the repeat-rule picker and uploads the signed consent as PDF; teamleider
Tom approves; the household sets its password through a one-time invite link. A
night runs (in-process, on the database the app serves) and raises a let op signal.
Mira pauses the April rent with a reason; the household agrees on its phone and Tom
approves (pausing a rent above the four-eyes threshold). Mira hands the household
over to Mats with a note, which Mats reads. Fifteen days later (the app's "today"
moved) the signal is over time: on Tom's list with owner Mats, marked in Mats's
caseload. Mats ends the participation, ticks an item of the exit checklist and
downloads the letters to the bijstand payer and the landlord, whose PDF texts name
the household, its IBAN, the rent and the days. axe-core finds nothing serious or
critical on the pages the other browser tests do not cover (at desktop and phone
width). Saves var/screenshots/dag-*.png. Skipped when /usr/bin/chromium is absent.
See docs/web.md, "A day in the life"."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from pypdf import PdfReader

from cli.main import main as hhb
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_gemeente,
    load_household,
    open_database,
    save_gemeente,
)
from huishoudboekje.domain.charge_windows import Pause
from huishoudboekje.domain.consent import DocumentKind
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.schedule import Schedule
from huishoudboekje.services.consent import history_of
from huishoudboekje.services.signal_deadlines import signal_deadlines
from tests.consent_support import signed_pdf
from tests.exit_support import LETTERHEAD
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
from tests.web_fixtures import PASSWORD, TODAY, make_app, seed

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")

CODE = "HH-0100"
NAME = "Fam. Yilmaz"
IBAN = "NL20INGB0001234567"
HOUSEHOLD = f"/medewerker/huishouden/{CODE}"
WHY = "U krijgt in april extra kosten. Daarom betalen we de huur van april later."
NOTE = "Mevrouw Yilmaz belt liever 's ochtends. De pauze van de huur is met haar besproken."
LATER = date(2026, 3, 19)  # the day after the let op signal of the first night was due
LAST_DAY = date(2026, 4, 30)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, str, Flask]]:
    db_url = f"sqlite:///{tmp_path / 'hhb.sqlite3'}"
    engine = open_database(db_url)
    try:
        seed(engine, history=False)
        with UnitOfWork(engine) as uow:
            gemeente = load_gemeente(uow)
            assert gemeente is not None
            save_gemeente(uow, dataclasses.replace(gemeente, letterhead=LETTERHEAD))
            uow.commit()
    finally:
        engine.dispose()
    app = make_app(db_url, WTF_CSRF_ENABLED=True, HHB_ASK_HOUSEHOLD="1")
    with serve(app) as base:
        yield base, db_url, app


@pytest.fixture
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


def _text(page: Any) -> str:
    return " ".join(page.locator("main").inner_text().replace("\xa0", " ").split())


def _heading(page: Any) -> str:
    return " ".join(page.locator("main h2").first.inner_text().split())


def _click(page: Any, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def _stored(db_url: str) -> Household:
    engine = open_database(db_url)
    try:
        with UnitOfWork(engine) as uow:
            household = load_household(uow, CODE)
    finally:
        engine.dispose()
    assert household is not None
    return household


def _rule_with_the_picker(
    page: Any, fields: dict[str, str], kind: str, day: str, first: str
) -> None:
    for path, value in fields.items():
        page.locator(f"#f-{path}").fill(value)
    page.locator("#f-kind").select_option(kind)
    page.locator("#p-herhaling").select_option("maand")
    page.locator("#p-dag").select_option(day)
    page.locator("#p-vanaf").fill(first)


def _intake(page: Any, pdf: Path) -> None:
    """The seven steps, the rules with the picker, the consent uploaded."""
    page.get_by_role("link", name="Nieuw huishouden").click()
    assert _heading(page) == "Stap 1 van 7: Huishouden"
    page.locator("#f-name").fill(NAME)
    page.locator("#f-code").fill(CODE)
    page.locator("#f-iban").fill(IBAN)
    _click(page, "Volgende stap")
    assert _heading(page) == "Stap 2 van 7: Contact"
    page.locator("#f-contact").select_option("online")
    _click(page, "Volgende stap")
    assert _heading(page) == "Stap 3 van 7: Team en medewerker"
    assert page.locator("#f-caseworker").input_value() == "mira"
    _click(page, "Volgende stap")
    assert _heading(page) == "Stap 4 van 7: Inkomsten"
    payer = {"id": "bijstand", "payer_name": "Gemeente Voorbeeldstad"}
    _rule_with_the_picker(
        page,
        {**payer, "payer_iban": "NL94ABNA0561122334", "amount": "1.389,00"},
        "bijstand",
        "24",
        "2026-03-24",
    )
    _shoot(page, "dag-1-intake-inkomen-keuzelijst")
    _click(page, "Inkomen toevoegen")
    assert "elke maand op de 24e" in page.locator("#toegevoegd").inner_text()
    _click(page, "Volgende stap")
    assert _heading(page) == "Stap 5 van 7: Vaste lasten"
    payee = {"id": "huur", "payee_name": "Woonstichting", "payee_iban": "NL93RABO0123456780"}
    _rule_with_the_picker(page, {**payee, "amount": "725,40"}, "huur", "1", "2026-04-01")
    _click(page, "Vaste last toevoegen")
    added = page.locator("#toegevoegd").inner_text()
    assert "725,40" in added and "elke maand op de 1e" in added
    _click(page, "Volgende stap")
    assert _heading(page) == "Stap 6 van 7: Deelname"
    page.locator("#f-start").fill(TODAY.isoformat())
    page.locator("#f-_template").select_option("gewoon")  # no last day yet
    _click(page, "Volgende stap")
    assert _heading(page) == "Stap 7 van 7: Toestemming"
    page.locator("#c-signed_by").fill("A. Yilmaz")
    page.locator("#c-doc-upload").check()
    page.locator("#c-document_file").set_input_files(str(pdf))
    _shoot(page, "dag-1-intake-toestemming")
    _click(page, "Huishouden en toestemming vastleggen")
    assert page.url.endswith("/medewerker/goedkeuren")
    assert "wacht op goedkeuring" in _text(page)


def _letter(page: Any, item: str) -> str:
    """The text of the hand-over letter of a checklist item, downloaded as PDF."""
    with page.expect_download() as download:
        page.locator("li", has_text=item).get_by_role("link", name="Brief downloaden (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def test_a_day_in_the_life_of_a_medewerker(
    site: tuple[str, str, Flask],
    browser: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base, db_url, app = site
    pages: dict[str, list[dict[str, Any]]] = {}
    mira = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    _login(mira, base, "mira")

    # 1. intake with the consent uploaded; the rules with the repeat-rule picker
    pdf = tmp_path / "toestemming.pdf"
    pdf.write_bytes(signed_pdf())
    _intake(mira, pdf)
    tom = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    _login(tom, base, "tom")
    tom.goto(f"{base}/medewerker/goedkeuren")
    tom.locator("section", has_text="nieuw huishouden").first.get_by_role(
        "button", name="Goedkeuren"
    ).click()
    tom.wait_for_load_state()
    assert "Goedgekeurd" in _text(tom)
    household = _stored(db_url)
    assert household.name == NAME and household.caseworker == "mira"
    engine = open_database(db_url)
    try:
        [consent] = history_of(engine, CODE)
    finally:
        engine.dispose()
    assert consent.consent.document is DocumentKind.UPLOAD and consent.has_document
    mira.goto(base + HOUSEHOLD)
    main = _text(mira)
    assert "elke maand op de 24e" in main and "door A. Yilmaz" in main
    stored = _stored(db_url)
    assert [(i.id, i.schedule) for i in stored.incomes] == [
        ("bijstand", Schedule(date(2026, 3, 24), "FREQ=MONTHLY;BYMONTHDAY=24"))
    ]
    assert [(c.id, c.amount, c.schedule) for c in stored.charges] == [
        ("huur", Money("725.40"), Schedule(date(2026, 4, 1), "FREQ=MONTHLY;BYMONTHDAY=1"))
    ]

    # the household's own login: a one-time invite link, a password of its own
    mira.get_by_label("Gebruikersnaam").fill("yilmaz")
    mira.get_by_label("Naam", exact=True).fill("A. Yilmaz")
    _click(mira, "Uitnodigingslink maken")
    link = mira.locator(".link-box code").inner_text().strip()
    assert link.startswith(f"{base}/uitnodiging/"), link
    yilmaz = browser.new_context(viewport=PHONE, locale="nl-NL").new_page()
    yilmaz.goto(link)
    yilmaz.get_by_label("Nieuw wachtwoord").fill(PASSWORD)
    yilmaz.get_by_label("Nog een keer hetzelfde wachtwoord").fill(PASSWORD)
    _click(yilmaz, "Wachtwoord opslaan")
    assert "welkom=1" in yilmaz.url

    # 2. a night, in-process, on the database the app serves: a buffer below the floor
    var = tmp_path / "var"
    night = ["nightly", "--database", db_url, "--var", str(var), "--date", TODAY.isoformat()]
    capsys.readouterr()
    assert hhb(night) == 0
    assert capsys.readouterr().out.startswith(f"Nacht {TODAY.isoformat()}: ok;")
    mira.goto(base + HOUSEHOLD)
    signals = _text(mira).split("Signalen van de nacht")[1]
    assert "Buffer € 0,00 is lager dan het minimum leefgeld" in signals
    assert "eigenaar mira · uiterlijk woensdag 18 maart 2026" in signals
    pages["household page after its first night"] = _axe(mira)
    _shoot(mira, "dag-2-na-de-nacht")

    # 3. a pause of the rent in April, asked to the household with a reason
    mira.get_by_role("link", name="Pauzeren huur").click()
    mira.locator("#f-from").fill("2026-04-01")
    mira.locator("#f-until").fill("2026-04-30")
    mira.get_by_label("Waarom deze wijziging (voor het huishouden)").fill(WHY)
    pages["pause form with the question to the household"] = _axe(mira)
    _shoot(mira, "dag-3-pauze")
    _click(mira, "Opslaan")
    flashed = _text(mira)
    assert "voorgelegd aan het huishouden" in flashed
    assert "en daarna op goedkeuring door een teamleider" in flashed
    assert next(c for c in _stored(db_url).charges if c.id == "huur").pause == ()

    # 4. the household reads it on its phone and agrees: only then the pause holds
    _login(yilmaz, base, "yilmaz")
    yilmaz.wait_for_url(f"{base}/vandaag")
    yilmaz.get_by_role("link", name="Lees wat er verandert en geef uw antwoord").click()
    main = _text(yilmaz)
    assert WHY in main, main
    pages["the household's changes page with a pause, phone"] = _axe(yilmaz)
    _shoot(yilmaz, "dag-4-huishouden-akkoord-telefoon")
    _click(yilmaz, "Akkoord")
    assert "De wijziging gaat in als de teamleider het ook goed vindt" in _text(yilmaz)
    assert next(c for c in _stored(db_url).charges if c.id == "huur").pause == ()
    tom.goto(f"{base}/medewerker/goedkeuren")
    waiting = tom.locator("section", has_text="pauzeren").first
    assert "akkoord" in " ".join(waiting.inner_text().split()), waiting.inner_text()
    pages["approvals with the household's answer"] = _axe(tom)
    waiting.get_by_role("button", name="Goedkeuren").click()
    tom.wait_for_load_state()
    assert "Goedgekeurd" in _text(tom)
    huur = next(c for c in _stored(db_url).charges if c.id == "huur")
    assert huur.pause == (Pause(date(2026, 4, 1), date(2026, 4, 30)),)
    yilmaz.goto(f"{base}/betaald")
    assert "huur stopt van 1 april 2026 tot en met 30 april 2026" in _text(yilmaz)

    # 5. hand-over to a colleague with a note, who reads it
    mira.goto(base + HOUSEHOLD)
    assert "akkoord, zelf online" in _text(mira)
    mira.get_by_role("link", name="Overdragen").click()
    mira.get_by_label("Nieuwe medewerker (verplicht)", exact=True).select_option("mats")
    mira.get_by_label("Notitie voor de nieuwe medewerker (verplicht)").fill(NOTE)
    _click(mira, "Overdragen")
    assert "overgedragen aan mats" in _text(mira)
    assert _stored(db_url).caseworker == "mats"
    mats = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    _login(mats, base, "mats")
    mats.goto(f"{base}/medewerker/?wie=alle")
    mats.get_by_role("link", name="overgedragen aan u: notitie lezen").click()
    main = _text(mats)
    assert "Overgedragen door Mira" in main and NOTE in main
    _shoot(mats, "dag-5-overdracht-notitie")
    _click(mats, "Gelezen")
    assert "Gelezen op" in _text(mats)

    # 6. fifteen days later (no nights in between) the let op signal is over time: on
    # the teamleider's list with its new owner, marked in Mats's caseload; a new day,
    # so Tom and Mats log in again
    app.extensions["hhb_settings"] = dataclasses.replace(
        app.extensions["hhb_settings"], fixed_today=LATER
    )
    engine = open_database(db_url)
    with UnitOfWork(engine) as uow:
        [late] = signal_deadlines(uow, LATER, household=CODE, overdue_only=True)
    engine.dispose()
    assert (late.owner, late.due) == ("mats", date(2026, 3, 18))
    lead = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    _login(lead, base, "tom")
    lead.goto(f"{base}/medewerker/werklijsten")
    section = " ".join(lead.locator("#over-tijd").inner_text().replace("\xa0", " ").split())
    assert section.startswith("Over tijd: lijst van de teamleider ("), section
    assert (
        f"{CODE}: Buffer € 0,00 is lager dan het minimum leefgeld € 56,00. "
        "uiterlijk woensdag 18 maart 2026 · eigenaar mats"
    ) in section
    pages["the teamleider's list with a late signal"] = _axe(lead)
    _shoot(lead, "dag-6-teamleider-over-tijd")
    mats = browser.new_context(viewport=DESKTOP, locale="nl-NL").new_page()
    _login(mats, base, "mats")
    mats.goto(f"{base}/medewerker/")
    assert "1 over tijd" in mats.locator("tr", has_text=CODE).inner_text()
    mats.goto(f"{base}/medewerker/werklijsten")
    assert "Mijn signalen over tijd (1)" in _text(mats)
    mats.goto(f"{base}/medewerker/")
    pages["caseload with a late signal"] = _axe(mats)
    _shoot(mats, "dag-6-caseload-over-tijd")

    # 7. end of participation, the exit checklist, the letter to the bijstand payer
    mats.goto(base + HOUSEHOLD)
    mats.get_by_role("link", name="Einde deelname vastleggen").click()
    assert mats.url.endswith(f"{HOUSEHOLD}/einde")
    mats.get_by_label("Laatste dag van de deelname").fill(LAST_DAY.isoformat())
    mats.get_by_label("Waarom stopt de deelname?").fill("Het huishouden gaat verhuizen.")
    _click(mats, "Einde vastleggen")
    main = _text(mats)
    assert "Het einde van de deelname is vastgelegd." in main
    assert f"{NAME} doet mee tot en met donderdag 30 april 2026" in main, main
    assert _stored(db_url).end == LAST_DAY
    item = mats.locator("li", has_text="Eindoverzicht verstuurd")
    item.get_by_label("Notitie (mag leeg)").fill("Per e-mail verstuurd")
    item.get_by_role("button", name="Afvinken").click()
    mats.wait_for_load_state()
    assert "Afgevinkt: Eindoverzicht verstuurd." in _text(mats)
    pages["exit checklist just started"] = _axe(mats)
    _shoot(mats, "dag-7-einde-checklist")
    text = _letter(mats, "Bijstand van Gemeente Voorbeeldstad")
    assert "Gemeente Voorbeeldstad 19 maart 2026" in text  # to the payer, dated today
    assert f"Betreft: Bijstand van {NAME}: nieuw rekeningnummer" in text
    assert "De laatste dag is 30 april 2026." in text
    assert f"vanaf 1 mei 2026 betalen op rekening NL20 INGB 0001 2345 67 t.n.v. {NAME}" in text
    text = _letter(mats, "Huur aan Woonstichting")
    assert f"Woonstichting 19 maart 2026 Betreft: {NAME}: betaalt vanaf 1 mei 2026 zelf" in text
    assert f"namens {NAME} uw rekening van € 725,40" in text

    # the new pages at phone width too
    phone = lead  # the teamleider's tab at phone width (a third login within 30 s
    phone.set_viewport_size(PHONE)  # would find no unused TOTP code)
    for path in (
        "/medewerker/werklijsten",
        "/medewerker/",
        f"{HOUSEHOLD}/einde",
        HOUSEHOLD,
        f"{HOUSEHOLD}/vaste-last/huur/pauzeren",  # with the question to the household
    ):
        phone.goto(base + path)
        pages[f"{path} phone"] = _axe(phone)
    _shoot(phone, "dag-telefoon-werklijsten")
    assert _serious(pages) == {}
