"""Every page of the web app renders, in Dutch, with the household's own numbers."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from huishoudboekje.domain.money import Money
from tests.web_fixtures import WebEnv, make_app, shared_web, web  # noqa: F401
from web.formatting import day, money, month
from web.sentences import when

NBSP = "\u00a0"


def text(data: bytes) -> str:
    """Page text without tags, whitespace collapsed, no-break spaces as spaces."""
    plain = re.sub(r"<[^>]+>", " ", data.decode())
    return re.sub(r"\s+", " ", plain.replace(NBSP, " ")).replace("&#39;", "'")


def test_babel_formats_money_and_dates_the_dutch_way() -> None:
    assert money(Money("1234.56")) == f"€{NBSP}1.234,56"
    assert money(Money("-5.00")) == f"-€{NBSP}5,00"
    assert money(Money("0")) == f"€{NBSP}0,00"
    assert day(date(2026, 3, 6)) == "vrijdag 6 maart"
    assert month(date(2026, 3, 6)) == "maart 2026"


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_money_is_what_babels_currency_format_gives(cents: int) -> None:
    amount = Money.cents(cents)
    babel = format_currency(
        amount.amount, "EUR", format="¤\u00a0#,##0.00", locale="nl_NL", currency_digits=False
    )
    assert money(amount) == babel


def test_relative_days_in_plain_words() -> None:
    wednesday = date(2026, 3, 4)
    assert when(wednesday, wednesday) == "vandaag"
    assert when(date(2026, 3, 5), wednesday) == "morgen"
    assert when(date(2026, 3, 6), wednesday) == "deze week"
    assert when(date(2026, 3, 13), wednesday) == "volgende week"
    assert when(date(2026, 3, 20), wednesday) == "op vrijdag 20 maart"


def test_vandaag_shows_next_leefgeld_with_day_and_reason(shared_web: WebEnv) -> None:
    page = shared_web.client("jansen").get("/vandaag")
    assert page.status_code == 200
    body = text(page.data)
    assert "Uw volgende leefgeld" in body
    assert "vrijdag 6 maart" in body
    assert re.search(r"Deze week krijgt u € [\d.]+,\d\d leefgeld op vrijdag\.", body), body
    assert re.search(r"Uw (huur|zorgpremie|energie) van € [\d.]+,\d\d is betaald\.", body)
    assert "per dag" in body
    assert "Uw buffer" in body


def test_betaald_lists_paid_and_upcoming_charges(shared_web: WebEnv) -> None:
    body = text(shared_web.client("jansen").get("/betaald").data)
    assert "Betaald en gepland" in body
    assert "Huur aan Woonstichting Voorbeeld € 725,40" in body
    assert "betaald op" in body
    assert "wordt betaald op" in body


def test_overzicht_has_chart_with_text_alternative_and_months(shared_web: WebEnv) -> None:
    client = shared_web.client("jansen")
    body = client.get("/overzicht").data.decode()
    assert 'src="/overzicht/grafiek.svg"' in body
    assert 'alt="Grafiek van uw buffer' in body
    assert "<table" in body and "verwacht" in body
    assert "/overzicht/2026-02" in body
    svg = client.get("/overzicht/grafiek.svg")
    assert svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data
    assert b"<script" not in svg.data


def test_month_overview_adds_up(shared_web: WebEnv) -> None:
    body = text(shared_web.client("jansen").get("/overzicht/2026-02").data)
    assert "Overzicht februari 2026" in body
    assert "Inkomsten ontvangen" in body and "Leefgeld betaald" in body
    figures = dict(
        re.findall(
            r"(Buffer op zondag 1 februari|Inkomsten ontvangen|Vaste lasten betaald|"
            r"Leefgeld betaald|Voorschot \(gekregen \+ / terugbetaald -\)|"
            r"Buffer op zaterdag 28 februari) (-?€ [\d.]+,\d\d)",
            body,
        )
    )
    assert len(figures) >= 5, figures
    value = {
        k: Decimal(v.replace("€ ", "").replace(".", "").replace(",", "."))
        for k, v in figures.items()
    }
    assert value["Inkomsten ontvangen"] > 0
    assert value["Vaste lasten betaald"] > 0
    assert value["Leefgeld betaald"] > 0
    # the buffer (reserves included) moves by incomes, charges, leefgeld and advances
    assert (
        value["Buffer op zondag 1 februari"]
        + value["Inkomsten ontvangen"]
        - value["Vaste lasten betaald"]
        - value["Leefgeld betaald"]
        + value.get("Voorschot (gekregen + / terugbetaald -)", Decimal(0))
        == value["Buffer op zaterdag 28 februari"]
    )


def test_month_in_the_future_or_invalid_is_not_found(shared_web: WebEnv) -> None:
    client = shared_web.client("jansen")
    assert client.get("/overzicht/2026-13").status_code == 404
    assert client.get("/overzicht/2027-01").status_code == 404


def test_verzoek_submits_and_shows_status(web: WebEnv) -> None:
    client = web.client("jansen")
    bad = client.post("/verzoek", data={"kind": "extra_leefgeld", "amount": "nul", "reason": ""})
    assert bad.status_code == 400
    assert "Vul een bedrag in" in text(bad.data)
    empty_reason = client.post(
        "/verzoek", data={"kind": "extra_leefgeld", "amount": "40,00", "reason": " "}
    )
    assert "Schrijf kort waarom" in text(empty_reason.data)
    ok = client.post(
        "/verzoek", data={"kind": "eenmalige_betaling", "amount": "49,95", "reason": "Schoenen"}
    )
    assert ok.status_code == 302
    body = text(client.get(ok.headers["Location"]).data)
    assert "Uw verzoek is verstuurd" in body
    assert "Eenmalige betaling € 49,95" in body
    assert "ontvangen, nog niet bekeken" in body


@pytest.mark.parametrize(
    "path",
    [
        "/medewerker/",
        "/medewerker/?q=jansen",
        "/medewerker/huishouden/HH-0001",
        "/medewerker/huishouden/HH-0001/grafiek.svg",
        "/medewerker/huishouden-nieuw",
        "/medewerker/huishouden/HH-0001/bewerken",
        "/medewerker/huishouden/HH-0001/vaste-last/huur",
        "/medewerker/huishouden/HH-0001/vaste-last/nieuw",
        "/medewerker/huishouden/HH-0001/inkomen/loon",
        "/medewerker/huishouden/HH-0001/reservering/energie-jaarafrekening",
        "/medewerker/goedkeuren",
        "/medewerker/verzoeken",
        "/medewerker/werklijsten",
        "/medewerker/audit",
        "/medewerker/audit?wie=test&van=2026-01-01&soort=household",
    ],
)
def test_staff_pages_render(shared_web: WebEnv, path: str) -> None:
    assert shared_web.client("mira").get(path).status_code == 200


def test_caseload_search_and_household_page(shared_web: WebEnv) -> None:
    client = shared_web.client("mira")
    body = text(client.get("/medewerker/?q=vries").data)
    assert "HH-0002" in body and "HH-0001" not in body
    page = text(client.get("/medewerker/huishouden/HH-0001").data)
    for expected in ("Vaste lasten", "Inkomsten", "Reserveringen", "Journaal", "Verwachting"):
        assert expected in page
    assert "€ 725,40" in page
    assert client.get("/medewerker/huishouden/HH-9999").status_code == 404
    assert client.get("/medewerker/huishouden/HH-0001/vaste-last/bestaat-niet").status_code == 404
    assert client.get("/medewerker/huishouden/HH-0001/onzin/huur").status_code == 404


def test_security_headers_on_every_response(shared_web: WebEnv) -> None:
    for response in (
        shared_web.client().get("/inloggen"),
        shared_web.client("jansen").get("/vandaag"),
    ):
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_script_or_style(shared_web: WebEnv) -> None:
    client = shared_web.client("jansen")
    for path in ("/vandaag", "/betaald", "/overzicht", "/overzicht/2026-02", "/verzoek"):
        body = client.get(path).data.decode()
        assert "<script" not in body and "style=" not in body and "<style" not in body
        assert '<html lang="nl">' in body


def test_errors_are_friendly_dutch_pages_without_traceback(db_url: str, web: WebEnv) -> None:
    missing = web.client().get("/bestaat-niet")
    assert missing.status_code == 404
    assert "Pagina niet gevonden" in text(missing.data)
    app: Flask = make_app(db_url)

    @app.get("/kapot")
    def broken() -> str:
        raise RuntimeError("geheime details")

    response = app.test_client().get("/kapot")
    assert response.status_code == 500
    body = text(response.data)
    assert "Er ging bij ons iets mis" in body
    assert "Traceback" not in body and "geheime details" not in body
    app.extensions["hhb_engine"].dispose()


def test_every_request_gives_its_database_connection_back(web: WebEnv) -> None:
    """The identity lookup and a page's reads share one unit of work per request,
    closed when the request ends: also after a refused or missing page."""
    client = web.client("jansen")
    pool = web.engine.pool
    for path, status in (("/vandaag", 200), ("/betaald", 200), ("/medewerker/", 403)):
        assert client.get(path).status_code == status
        assert pool.checkedout() == 0  # type: ignore[attr-defined]
    assert client.get("/overzicht/1999-13").status_code == 404
    assert pool.checkedout() == 0  # type: ignore[attr-defined]
