"""The worklist: assign a suspense credit, add a suggested term with one click, split
a credit over two households (issue 16, points 3 and 5)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_audit_events,
    load_household,
    load_ledger,
)
from huishoudboekje.domain import ledger
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.term_suggestions import normalise
from scheduler.context import NightPaths
from tests.staff_gemeente import camt, import_and_book, staff_web, toeslag
from tests.web_fixtures import WebEnv

FEB = date(2026, 2, 20)


@pytest.fixture
def env(db_url: str, tmp_path: Path) -> Iterator[WebEnv]:
    made = staff_web(db_url, tmp_path, date(2026, 2, 21))
    paths = NightPaths.under(tmp_path / "var")
    paths.create()
    credits = [toeslag(FEB, "154.00", "0958.610.934", "F1"), toeslag(FEB, "400.00", "", "J1")]
    import_and_book(made.engine, paths, FEB, camt(tmp_path / "in", FEB, "1000.00", credits))
    yield made
    made.engine.dispose()


def credit_ids(page: str) -> list[str]:
    return re.findall(r"/medewerker/transacties/(\d+)/toewijzen", page)


def test_assign_shows_the_terms_and_one_click_adds_one(env: WebEnv) -> None:
    mira = env.client("mira")
    page = mira.get("/medewerker/werklijsten").data.decode()
    first, _ = credit_ids(page)
    done = mira.post(
        f"/medewerker/transacties/{first}/toewijzen",
        data={"household": "HH-0001", "income": "zorgtoeslag"},
    )
    assert done.status_code == 302 and f"termen={first}" in done.headers["Location"]
    page = html.unescape(mira.get(done.headers["Location"]).data.decode())
    assert "Zoekterm leren" in page and "Toegewezen aan HH-0001" in page
    terms = re.findall(r'name="term" value="([^"]+)"', page)
    assert any(normalise(t) == "958610934" for t in terms), terms

    number = next(t for t in terms if normalise(t) == "958610934")
    added = mira.post(
        f"/medewerker/transacties/{first}/zoekterm", data={"term": number}, follow_redirects=True
    )
    assert "toegevoegd aan HH-0001 (zorgtoeslag)" in html.unescape(added.data.decode())
    refused = mira.post(f"/medewerker/transacties/{first}/zoekterm", data={"term": "0701571670"})
    assert refused.status_code == 302
    again = html.unescape(mira.get(refused.headers["Location"]).data.decode())
    assert "Zoekterm niet toegevoegd" in again, re.findall(r"notice[^>]*>[^<]*", again)
    with UnitOfWork(env.engine) as uow:
        household = load_household(uow, "HH-0001")
        [event] = load_audit_events(uow, action="income.term.add")
    assert household is not None and number in household.incomes[0].terms
    assert event.actor == "mira" and event.approved_by is None


def test_split_form_books_each_part_and_refuses_what_does_not_add_up(env: WebEnv) -> None:
    mira = env.client("mira")
    page = mira.get("/medewerker/werklijsten").data.decode()
    _, joint = credit_ids(page)
    assert f"/medewerker/transacties/{joint}/verdelen" in page
    form = {
        "household_1": "HH-0001",
        "income_1": "huurtoeslag",
        "amount_1": "246,00",
        "household_2": "HH-0002",
        "income_2": "zorgtoeslag",
        "amount_2": "150,00",
        "household_3": "HH-0001",
        "amount_3": "",
    }
    wrong = mira.post(f"/medewerker/transacties/{joint}/verdelen", data=form, follow_redirects=True)
    text = html.unescape(wrong.data.decode())
    assert "Niet verdeeld: de delen tellen op tot € 396,00" in text
    form["amount_2"] = "154,00"
    done = mira.post(f"/medewerker/transacties/{joint}/verdelen", data=form, follow_redirects=True)
    assert "Verdeeld: HH-0001 € 246,00, HH-0002 € 154,00" in html.unescape(
        done.data.decode()
    ).replace("\xa0", " ")
    with UnitOfWork(env.engine) as uow:
        book = load_ledger(uow)
        [event] = load_audit_events(uow, action="transaction.split")
    assert book.balance(ledger.vat("HH-0002")) == Money("154.00")
    assert event.actor == "mira"


def test_a_split_part_with_an_amount_needs_a_chosen_household(env: WebEnv) -> None:
    """Each household dropdown of the split form starts empty: a forgotten dropdown is
    refused in one line (said once), not booked to the first household."""
    mira = env.client("mira")
    page = html.unescape(mira.get("/medewerker/werklijsten").data.decode())
    _, joint = credit_ids(page)
    selects = re.findall(r'<select[^>]*name="household_\d"[^>]*>(.*?)</select>', page, re.S)
    assert selects and all(
        s.startswith('<option value="" selected>— kies een huishouden —</option>') for s in selects
    )
    with UnitOfWork(env.engine) as uow:
        before = load_ledger(uow)
    form = {
        "household_1": "HH-0001",
        "income_1": "huurtoeslag",
        "amount_1": "246,00",
        "household_2": "",  # forgotten
        "income_2": "zorgtoeslag",
        "amount_2": "154,00",
    }
    wrong = mira.post(f"/medewerker/transacties/{joint}/verdelen", data=form, follow_redirects=True)
    text = html.unescape(wrong.data.decode())
    assert "Niet verdeeld: deel 2: kies een huishouden bij het bedrag 154,00." in text
    with UnitOfWork(env.engine) as uow:
        after = load_ledger(uow)
        assert not load_audit_events(uow, action="transaction.split")
    for code in ("HH-0001", "HH-0002"):
        assert after.balance(ledger.vat(code)) == before.balance(ledger.vat(code))
    assert after.balance(ledger.SUSPENSE) == before.balance(ledger.SUSPENSE)


def test_a_refused_split_says_niet_verdeeld_once(env: WebEnv) -> None:
    mira = env.client("mira")
    _, joint = credit_ids(mira.get("/medewerker/werklijsten").data.decode())
    form = {"household_1": "HH-0001", "amount_1": "246,00"}
    for household, amount in (("HH-0002", "150,00"), ("HH-0009", "154,00")):
        form |= {"household_2": household, "amount_2": amount}
        done = mira.post(f"/medewerker/transacties/{joint}/verdelen", data=form)
        text = html.unescape(mira.get(done.headers["Location"]).data.decode())
        assert "Niet verdeeld:" in text and "niets verdeeld" not in text.lower()


def test_the_assign_form_also_needs_a_chosen_household(env: WebEnv) -> None:
    mira = env.client("mira")
    page = html.unescape(mira.get("/medewerker/werklijsten").data.decode())
    first, _ = credit_ids(page)
    (select,) = re.findall(rf'<select id="hh-{first}" name="household">(.*?)</select>', page, re.S)
    assert select.startswith('<option value="" selected>— kies een huishouden —</option>')
    refused = mira.post(
        f"/medewerker/transacties/{first}/toewijzen",
        data={"household": "", "income": ""},
        follow_redirects=True,
    )
    assert "Niet toegewezen: kies een huishouden." in html.unescape(refused.data.decode())
    with UnitOfWork(env.engine) as uow:
        assert not load_audit_events(uow, action="transaction.assign")
