"""Staff worklists on the nightly run's tables: unknown credits (assign), stored signals
(acknowledge with a note), returned payments and nights with problems."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_audit_events,
    load_household,
    load_ledger,
    open_database,
)
from huishoudboekje.adapters.persistence.approvals import list_change_requests
from huishoudboekje.adapters.persistence.nightly_repo import finish_run, record_stage, start_run
from huishoudboekje.adapters.persistence.nightly_tables import PaymentInstructionRow, SignalRow
from huishoudboekje.domain import ledger
from huishoudboekje.domain.money import Money
from tests.nightly_bank import Bank, Income
from tests.nightly_support import GIFT, nightly
from tests.web_fixtures import WebEnv, make_app, seed


@pytest.fixture
def night_web(db_url: str) -> Iterator[WebEnv]:
    """Demo config and accounts (no simulated history: the nightly run books here)."""
    engine = open_database(db_url)
    seed(engine, history=False)
    engine.dispose()
    app = make_app(db_url, HHB_TODAY=(GIFT.day + timedelta(days=1)).isoformat())
    yield WebEnv(app, app.extensions["hhb_engine"], db_url)
    app.extensions["hhb_engine"].dispose()


def test_unknown_credit_is_assigned_and_signal_acknowledged(
    night_web: WebEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path / "var"
    Bank().statement(GIFT.day, [GIFT], var / "inbox")
    report = nightly(GIFT.day + timedelta(days=1), night_web.db_url, var, capsys)
    assert report["unmatched"] == 1
    mira = night_web.client("mira")
    page = mira.get("/medewerker/werklijsten").data.decode()
    assert "Onbekende gever" in page and "Signalen van de nacht" in page
    tx_id = re.search(r"/medewerker/transacties/(\d+)/toewijzen", page)
    assert tx_id is not None

    wrong = mira.post(
        f"/medewerker/transacties/{tx_id[1]}/toewijzen",
        data={"household": "HH-0003", "income": "bestaat-niet"},
        follow_redirects=True,
    )
    assert "Niet toegewezen" in wrong.data.decode()
    done = mira.post(
        f"/medewerker/transacties/{tx_id[1]}/toewijzen",
        data={"household": "HH-0003", "income": "alimentatie"},
        follow_redirects=True,
    ).data.decode()
    assert "Toegewezen aan HH-0003" in done
    assert "Onbekende gever" not in done
    with UnitOfWork(night_web.engine) as uow:
        assert load_ledger(uow).balance(ledger.vat("HH-0003")) == Money("50.00")
        [event] = load_audit_events(uow, action="transaction.assign")
    assert event.actor == "mira"

    keys = re.findall(
        r'action="/medewerker/signalen/afhandelen".*?name="key" value="([^"]+)"', done, re.S
    )
    assert keys, "the night left signals"
    mira.post("/medewerker/signalen/afhandelen", data={"key": keys[0], "note": ""})
    mira.post("/medewerker/signalen/afhandelen", data={"key": keys[0], "note": "Nagebeld"})
    with UnitOfWork(night_web.engine) as uow:
        row = uow.session.get(SignalRow, keys[0])
        assert row is not None
        assert (row.status, row.acknowledged_by, row.acknowledged_note) == (
            "closed",
            "mira",
            "Nagebeld",
        )


def returned_leefgeld_and_a_problem_night(uow: UnitOfWork, night: date) -> None:
    """The De Vries' leefgeld of the day before `night` came back (AC04), and the
    night of `night` had a refused file (not committed)."""
    before = night - timedelta(days=1)
    uow.session.add(
        PaymentInstructionRow(
            end_to_end_id=f"HH-0002-LG-{before:%Y%m%d}",
            household="HH-0002",
            kind="leefgeld",
            charge_id="leefgeld",
            payee_name="Fam. de Vries",
            payee_iban="NL12TRIO0198765432",
            payee_bic="",
            amount=Decimal("95.00"),
            execution_date=before,
            remittance="Leefgeld",
            structured_reference="",
            reason="",
            status="returned",
            instructed_on=night - timedelta(days=2),
            return_reason="AC04",
        )
    )
    start_run(uow, night)
    record_stage(uow, night, "import", {"problems": ["bestand x.xml geweigerd"]})
    finish_run(uow, night, "problems")


def test_returned_payments_and_problem_nights_are_listed(night_web: WebEnv) -> None:
    night = date(2026, 2, 27)
    with UnitOfWork(night_web.engine) as uow:
        returned_leefgeld_and_a_problem_night(uow, night)
        uow.commit()
    page = night_web.client("tom").get("/medewerker/werklijsten").data.decode()
    assert "AC04" in page and "€\u00a095,00" in page
    assert "import: bestand x.xml geweigerd" in page
    assert "vrijdag 27 februari 2026: problems" in page


def test_household_sees_a_returned_payment_and_what_staff_do(night_web: WebEnv) -> None:
    with UnitOfWork(night_web.engine) as uow:
        for e2e, status in (
            ("HH-0001-huur-20260201", "paid"),
            ("HH-0001-huur-20260301", "returned"),
        ):
            uow.session.add(
                PaymentInstructionRow(
                    end_to_end_id=e2e,
                    household="HH-0001",
                    kind="charge",
                    charge_id="huur",
                    payee_name="Woonstichting Voorbeeld",
                    payee_iban="NL93RABO0123456780",
                    payee_bic="",
                    amount=Decimal("725.40"),
                    execution_date=date(2026, 2, 1 if status == "paid" else 27),
                    remittance="",
                    structured_reference="",
                    reason="",
                    status=status,
                    instructed_on=date(2026, 1, 29),
                    return_reason="AC04" if status == "returned" else "",
                )
            )
        uow.commit()
    page = night_web.client("jansen").get("/betaald").data.decode().replace("\u00a0", " ")
    assert "Huur aan Woonstichting Voorbeeld" in page
    assert "betaald op zondag 1 februari" in page
    assert "Niet betaald: de bank heeft deze betaling teruggestuurd" in page
    assert "Waarom? De rekening is opgeheven." in page  # AC04, in plain Dutch
    assert "devries" not in page and "HH-0002" not in page


def test_household_page_shows_the_nights_signals(
    night_web: WebEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path / "var"
    Bank().statement(GIFT.day, [GIFT], var / "inbox")
    nightly(GIFT.day + timedelta(days=1), night_web.db_url, var, capsys)
    mira = night_web.client("mira")
    with UnitOfWork(night_web.engine) as uow:
        stored = uow.session.exec(select(SignalRow)).all()
        rows = [(r.household, r.key) for r in stored if r.household and r.status == "open"]
    assert rows, "the night raised household signals"
    code, key = rows[0]
    page = mira.get(f"/medewerker/huishouden/{code}").data.decode()
    assert "Signalen van de nacht" in page and key in page
    # severities in Dutch on every staff page that shows signals
    for shown in (page, mira.get("/medewerker/werklijsten").data.decode()):
        badges = re.findall(r'class="badge badge-(\w+)">([^<]*)<', shown)
        assert badges, shown
        for severity, label in badges:
            assert label == {"high": "urgent", "warning": "let op", "info": "ter info"}.get(
                severity, label
            ), badges
    done = mira.post(
        "/medewerker/signalen/afhandelen",
        data={"key": key, "note": "Besproken", "huishouden": code},
    )
    assert done.headers["Location"] == f"/medewerker/huishouden/{code}"
    assert key not in mira.get(done.headers["Location"]).data.decode()


def test_ww_after_its_end_via_beeindigen_reaches_the_worklist_and_is_closed_with_a_note(
    night_web: WebEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Staff end Dhr. Bakker's WW (four-eyes); UWV still pays a month later."""
    mira, tom = night_web.client("mira"), night_web.client("tom")
    mira.post(
        "/medewerker/huishouden/HH-0003/inkomen/ww/beeindigen", data={"valid_until": "2026-02-26"}
    )
    with UnitOfWork(night_web.engine) as uow:
        [request] = list_change_requests(uow, status="pending")
    tom.post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    with UnitOfWork(night_web.engine) as uow:
        household = load_household(uow, "HH-0003")
    assert household is not None and household.incomes[0].schedule.until == date(2026, 2, 26)

    var = tmp_path / "var"
    ww = Income(date(2026, 3, 23), "1245.00", "NL66INGB0003344556", "UWV", "WW-uitkering maart")
    Bank().statement(ww.day, [ww], var / "inbox")
    report = nightly(date(2026, 3, 24), night_web.db_url, var, capsys)
    assert report["matched"] == 1 and report["unmatched"] == 0
    page = mira.get("/medewerker/werklijsten").data.decode().replace("\u00a0", " ")
    message = (
        "WW (UWV) van € 1.245,00 op maandag 23 maart ontvangen, maar dit inkomen is "
        "beëindigd per donderdag 26 februari."
    )
    assert html.unescape(message) in html.unescape(page)
    key = "HH-0003:inkomen_na_einde:"
    found = re.search(rf'name="key" value="({re.escape(key)}[^"]+)"', page)
    assert found is not None
    mira.post(
        "/medewerker/signalen/afhandelen",
        data={"key": html.unescape(found[1]), "note": "UWV vordert terug, regeling getroffen"},
    )
    with UnitOfWork(night_web.engine) as uow:
        row = uow.session.get(SignalRow, html.unescape(found[1]))
        assert row is not None and row.status == "closed"
        assert row.acknowledged_note == "UWV vordert terug, regeling getroffen"
    after = mira.get("/medewerker/werklijsten").data.decode()
    assert key not in html.unescape(after)
