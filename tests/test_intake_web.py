"""The guided intake (issue 19.3): seven steps, the draft carried in the form (nothing
lost on a problem, nothing stored before the end), incomes and charges with the
picker and Dutch amounts, the statushouder template, and the consent recorded with
the four-eyes proposal; approving plans the hand-over talk, refusing removes the
consent."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from flask.testing import FlaskClient

from huishoudboekje.adapters.persistence import UnitOfWork, load_household
from huishoudboekje.adapters.persistence.approvals import list_change_requests
from huishoudboekje.domain.consent import DocumentKind
from huishoudboekje.domain.money import Money
from huishoudboekje.services.consent import history_of
from huishoudboekje.services.night_worklists import night_signals
from tests.consent_support import multipart, signed_pdf
from tests.web_fixtures import WebEnv, web  # noqa: F401

URL = "/medewerker/huishouden-nieuw"


def _concept(page: str) -> str:
    found = re.search(r'name="concept" value="([^"]*)"', page)
    assert found is not None, page[-3000:]
    return found.group(1).replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&")


def _step(client: FlaskClient, page: str, step: str, **fields: Any) -> tuple[str, int]:
    data = {"stap": step, "concept": _concept(page), "actie": "volgende", **fields}
    response = client.post(URL, data=data)
    return response.data.decode(), response.status_code


def _walk_to_consent(client: FlaskClient, *, template: str = "gewoon") -> str:
    page = client.get(URL).data.decode()
    assert "Stap 1 van 7: Huishouden" in page
    page, status = _step(
        client, page, "gegevens", name="Fam. Yilmaz", code="HH-0100", iban="NL20INGB0001234567"
    )
    assert status == 200 and "Stap 2 van 7: Contact" in page, page[-2000:]
    page, status = _step(client, page, "contact", contact="post")  # no address: refused
    assert status == 400 and "Stap 2 van 7" in page
    assert "Fam. Yilmaz" in page  # the draft is still there
    page, status = _step(
        client,
        page,
        "contact",
        contact="post",
        **{"address.street": "Dorpsstraat 1", "address.postcode": "1234 AB", "address.city": "X"},
    )
    assert status == 200 and "Stap 3 van 7" in page, page[-2000:]
    assert 'value="mira"' in page  # the medewerker defaults to the one logged in
    page, status = _step(client, page, "team")
    assert "Stap 4 van 7: Inkomsten" in page
    income = {
        "actie": "toevoegen",
        "id": "bijstand",
        "kind": "bijstand",
        "payer_name": "Gemeente Voorbeeldstad",
        "payer_iban": "NL94ABNA0561122334",
        "amount": "€ 1.389,00",
        "herhaling": "maand",
        "dag": "24",
        "vanaf": "2026-03-24",
        "einde": "geen",
    }
    bad, status = _step(client, page, "inkomsten", **{**income, "amount": "veel"})
    assert status == 400 and 'value="Gemeente Voorbeeldstad"' in bad  # kept as typed
    page, status = _step(client, page, "inkomsten", **income)
    assert status == 200 and "elke maand op de 24e" in page, page[-3000:]
    page, status = _step(client, page, "inkomsten")
    assert "Stap 5 van 7: Vaste lasten" in page
    page, status = _step(
        client,
        page,
        "vaste-lasten",
        actie="toevoegen",
        id="huur",
        kind="huur",
        payee_name="Woonstichting",
        payee_iban="NL93RABO0123456780",
        amount="725,40",
        herhaling="maand",
        dag="1",
        vanaf="2026-04-01",
        einde="geen",
    )
    assert status == 200 and "huur: € 725,40 aan Woonstichting" in page, page[-3000:]
    page, status = _step(client, page, "vaste-lasten")
    assert "Stap 6 van 7: Deelname" in page
    page, status = _step(client, page, "deelname", start="2026-03-16", _template=template)
    assert status == 200 and "Stap 7 van 7: Toestemming" in page, page[-2000:]
    return page


def test_the_intake_records_consent_and_waits_for_a_second_medewerker(
    web: WebEnv,  # noqa: F811
) -> None:
    mira = web.client("mira")
    page = _walk_to_consent(mira)
    concept = _concept(page)
    assert json.loads(concept)["charges"][0]["amount"] == "725.40"
    # a non-PDF: refused, nothing stored, the draft kept
    response = mira.post(
        URL,
        **multipart(
            {
                "stap": "toestemming",
                "concept": concept,
                "actie": "opslaan",
                "signed_on": "2026-03-04",
                "signed_by": "A. Yilmaz",
                "scope_all": "1",
                "document": "upload",
                "document_file": (b"not a pdf", "scan.jpg"),
            }
        ),
    )
    assert response.status_code == 400
    assert "Dit is geen PDF-bestand" in response.data.decode()
    assert history_of(web.engine, "HH-0100") == []
    with UnitOfWork(web.engine) as uow:
        assert list_change_requests(uow, status="pending") == ()
    response = mira.post(
        URL,
        **multipart(
            {
                "stap": "toestemming",
                "concept": concept,
                "actie": "opslaan",
                "signed_on": "2026-03-04",
                "signed_by": "A. Yilmaz",
                "scope_all": "1",
                "document": "upload",
                "document_file": (signed_pdf(), "toestemming.pdf"),
            }
        ),
    )
    assert response.status_code == 302, response.data.decode()[-2000:]
    [consent] = history_of(web.engine, "HH-0100")
    assert consent.consent.document is DocumentKind.UPLOAD and consent.has_document
    with UnitOfWork(web.engine) as uow:
        [request] = list_change_requests(uow, status="pending")
        assert load_household(uow, "HH-0100") is None  # waits for four-eyes
    assert request.summary == "nieuw huishouden"
    tom = web.client("tom")
    tom.post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, "HH-0100")
    assert household is not None
    assert household.caseworker == "mira" and household.address is not None
    assert household.charges[0].amount == Money("725.40")
    assert household.incomes[0].amount == Money("1389.00")
    assert household.consent == consent.consent


def test_statushouder_sets_the_end_and_plans_the_talk_on_approval(
    web: WebEnv,  # noqa: F811
) -> None:
    mira = web.client("mira")
    page = _walk_to_consent(mira, template="statushouder")
    assert "2026-09-15" in page  # six months from 16 March
    response = mira.post(
        URL,
        data={
            "stap": "toestemming",
            "concept": _concept(page),
            "actie": "opslaan",
            "signed_on": "2026-03-04",
            "signed_by": "A. Yilmaz",
            "scope_all": "1",
            "document": "paper",
        },
    )
    assert response.status_code == 302
    with UnitOfWork(web.engine) as uow:
        [request] = list_change_requests(uow, status="pending")
    web.client("tom").post(f"/medewerker/goedkeuren/{request.id}", data={"besluit": "goedkeuren"})
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, "HH-0100")
        talks = [s for s in night_signals(uow, "HH-0100") if s.kind == "overdrachtsgesprek"]
    assert household is not None and household.end == date(2026, 9, 15)
    assert len(talks) == 1


def test_a_refused_new_household_leaves_no_consent(web: WebEnv) -> None:  # noqa: F811
    mira = web.client("mira")
    page = _walk_to_consent(mira)
    mira.post(
        URL,
        data={
            "stap": "toestemming",
            "concept": _concept(page),
            "actie": "opslaan",
            "signed_on": "2026-03-04",
            "signed_by": "A. Yilmaz",
            "scope_all": "1",
            "document": "paper",
        },
    )
    assert len(history_of(web.engine, "HH-0100")) == 1
    with UnitOfWork(web.engine) as uow:
        [request] = list_change_requests(uow, status="pending")
    web.client("tom").post(
        f"/medewerker/goedkeuren/{request.id}", data={"besluit": "afwijzen", "note": "dubbel"}
    )
    assert history_of(web.engine, "HH-0100") == []


def test_going_back_keeps_what_was_typed(web: WebEnv) -> None:  # noqa: F811
    mira = web.client("mira")
    page = mira.get(URL).data.decode()
    page, _ = _step(mira, page, "gegevens", name="Fam. Bos", code="HH-0001", iban="x")
    assert "Deze code is al in gebruik" in page and 'value="Fam. Bos"' in page
    page, _ = _step(
        mira, page, "gegevens", name="Fam. Bos", code="HH-0101", iban="NL20INGB0001234567"
    )
    page, _ = _step(mira, page, "contact", actie="vorige")
    assert "Stap 1 van 7" in page and 'value="HH-0101"' in page


def test_a_teamleider_sees_a_new_household_of_the_team_to_approve(
    web: WebEnv,  # noqa: F811
) -> None:
    """Found from the browser: a household proposed at intake is in no team's list
    until approved, so need-to-know hid it from the teamleider who must approve it."""
    mira = web.client("mira")
    page = _walk_to_consent(mira)
    mira.post(
        URL,
        data={
            "stap": "toestemming",
            "concept": _concept(page),
            "actie": "opslaan",
            "signed_on": "2026-03-04",
            "signed_by": "A. Yilmaz",
            "scope_all": "1",
            "document": "paper",
        },
    )
    assert "HH-0100: nieuw huishouden" in web.client("tom").get("/medewerker/goedkeuren").text


def test_an_added_income_can_be_taken_out_again(web: WebEnv) -> None:  # noqa: F811
    mira = web.client("mira")
    page = mira.get(URL).data.decode()
    page, _ = _step(
        mira, page, "gegevens", name="Fam. Bos", code="HH-0102", iban="NL20INGB0001234567"
    )
    page, _ = _step(mira, page, "contact")
    page, _ = _step(mira, page, "team")
    page, status = _step(
        mira,
        page,
        "inkomsten",
        actie="toevoegen",
        id="loon",
        kind="loon",
        amount="1850",
        herhaling="maand",
        dag="25",
        vanaf="2026-03-25",
        einde="geen",
    )
    assert status == 200 and json.loads(_concept(page))["incomes"][0]["id"] == "loon"
    page, status = _step(mira, page, "inkomsten", actie="weg:loon")
    assert status == 200 and json.loads(_concept(page))["incomes"] == []
    assert "Nog geen inkomsten toegevoegd" in page
