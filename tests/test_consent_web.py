"""Consent on the household's page (issue 19.3): record it on paper or with a signed
PDF, refuse a non-PDF, a broken PDF or a too large file with a Dutch message and
nothing stored, download the document (view-logged), and withdraw it (the exit starts).
Audit-logged throughout."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_audit_events,
    load_gemeente,
    load_household,
    save_gemeente,
)
from huishoudboekje.domain.consent import DocumentKind
from huishoudboekje.services.access_control import view_log
from huishoudboekje.services.consent import history_of
from tests.consent_support import multipart, signed_pdf
from tests.test_need_to_know import teams  # noqa: F401
from tests.web_fixtures import WebEnv, make_app, web  # noqa: F401

URL = "/medewerker/huishouden/HH-0001/toestemming"


def _form(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "signed_on": "2026-03-02",
        "signed_by": "J. Jansen",
        "scope_all": "1",
        "document": "paper",
    }
    data.update(extra)
    return data


def test_record_on_paper_then_with_a_pdf_keeps_the_history(web: WebEnv) -> None:  # noqa: F811
    client = web.client("mira")
    page = client.get("/medewerker/huishouden/HH-0001").data.decode()
    assert "Er is geen toestemming vastgelegd" in page
    response = client.post(URL, data=_form())
    assert response.status_code == 302
    pdf = signed_pdf()
    response = client.post(
        URL,
        **multipart(
            _form(
                document="upload",
                scope_all="",
                scope_incomes=["loon"],
                scope_charges=["huur", "energie"],
                document_file=(pdf, "toestemming jansen.pdf"),
            )
        ),
    )
    assert response.status_code == 302, response.data
    history = history_of(web.engine, "HH-0001")
    assert [h.consent.document for h in history] == [DocumentKind.UPLOAD, DocumentKind.PAPER]
    assert history[0].consent.scope.incomes == ("loon",)
    assert history[0].consent.scope.charges == ("huur", "energie")
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, "HH-0001")
        actions = [e.action for e in load_audit_events(uow, object_id="HH-0001")]
    assert household is not None and household.consent == history[0].consent
    assert actions.count("consent.record") == 2
    page = client.get("/medewerker/huishouden/HH-0001").data.decode()
    assert "Getekend op maandag 2 maart 2026 door J. Jansen" in page
    assert "inkomsten: loon; vaste lasten: huur, energie" in page
    download = client.get(f"{URL}/{history[0].id}/document")
    assert download.status_code == 200 and download.data == pdf
    assert download.mimetype == "application/pdf"
    logged = [v.what for v in view_log(web.engine, household="HH-0001", actor="mira")]
    assert any(f"toestemming/{history[0].id}/document" in w for w in logged)
    assert client.get(f"{URL}/{history[1].id}/document").status_code == 404  # on paper


def test_upload_refuses_what_is_not_a_signed_pdf_and_stores_nothing(
    web: WebEnv,  # noqa: F811
) -> None:
    client = web.client("mira")
    cases = [
        (b"PK\x03\x04 a zip, not a pdf", "brief.pdf", "Dit is geen PDF-bestand"),
        (b"%PDF-1.7\n garbage that pypdf cannot read", "kapot.pdf", "beschadigd"),
        (signed_pdf(5 * 1024 * 1024), "groot.pdf", "Het bestand is te groot (5,0 MB)"),
    ]
    for data, name, message in cases:
        response = client.post(
            URL,
            **multipart(_form(document="upload", document_file=(data, name))),
        )
        assert response.status_code == 400, name
        page = response.data.decode()
        assert message in page, (name, page[-2000:])
        assert "Er is niets opgeslagen" in page
        assert 'value="J. Jansen"' in page  # what was typed is still there
    response = client.post(URL, data=_form(document="upload"))  # upload chosen, no file
    assert response.status_code == 400
    assert "Kies het getekende document" in response.data.decode()
    assert history_of(web.engine, "HH-0001") == []


def test_the_maximum_size_is_configurable(web: WebEnv) -> None:  # noqa: F811
    app = make_app(web.db_url, HHB_CONSENT_MAX_MB="1")
    small = WebEnv(app, app.extensions["hhb_engine"], web.db_url)
    try:
        response = small.client("mira").post(
            URL,
            **multipart(_form(document="upload", document_file=(signed_pdf(1024 * 1024), "a.pdf"))),
        )
        assert "hoogstens 1,0 MB" in response.data.decode()
    finally:
        app.extensions["hhb_engine"].dispose()


def test_withdrawing_the_consent_starts_the_exit(web: WebEnv) -> None:  # noqa: F811
    client = web.client("mira")
    assert client.post(URL, data=_form()).status_code == 302
    response = client.post(
        f"{URL}/intrekken", data={"withdrawn_on": "2026-03-31", "reason": "wil zelf verder"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/medewerker/huishouden/HH-0001/einde")
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, "HH-0001")
        actions = [e.action for e in load_audit_events(uow, object_id="HH-0001")]
    assert household is not None and household.end == date(2026, 3, 31)
    assert household.consent is not None and household.consent.withdrawn_on == date(2026, 3, 31)
    assert "consent.withdraw" in actions and "exit.start" in actions
    page = client.get("/medewerker/huishouden/HH-0001/einde").data.decode()
    assert "toestemming ingetrokken: wil zelf verder" in page
    again = client.post(f"{URL}/intrekken", data={"withdrawn_on": "2026-03-31", "reason": "x"})
    assert again.status_code == 302  # nothing left to withdraw: a message, nothing changed
    assert len(history_of(web.engine, "HH-0001")) == 1


def test_roles_without_household_data_see_no_consent_document(web: WebEnv) -> None:  # noqa: F811
    client = web.client("mira")
    client.post(URL, **multipart(_form(document="upload", document_file=(signed_pdf(), "t.pdf"))))
    consent_id = history_of(web.engine, "HH-0001")[0].id
    for role in ("fien", "pia"):
        assert web.client(role).get(f"{URL}/{consent_id}/document").status_code == 403
    assert web.client("jansen").get(f"{URL}/{consent_id}/document").status_code == 403


def test_staff_see_why_a_household_without_consent_is_not_planned(
    web: WebEnv,  # noqa: F811
) -> None:
    client = web.client("mira")
    why = "Geen toestemming vastgelegd: de nacht plant dit huishouden niet"
    assert why not in client.get("/medewerker/?wie=alle").data.decode()  # not required
    with UnitOfWork(web.engine) as uow:
        gemeente = load_gemeente(uow)
        assert gemeente is not None
        save_gemeente(uow, replace(gemeente, consent_required=True))
        uow.commit()
    caseload = client.get("/medewerker/?wie=alle").data.decode()
    assert caseload.count(why) == 3  # HH-0001, HH-0002, HH-0003
    assert why in client.get("/medewerker/huishouden/HH-0001").data.decode()
    assert client.post(URL, data=_form()).status_code == 302
    assert why not in client.get("/medewerker/huishouden/HH-0001").data.decode()
    assert client.get("/medewerker/?wie=alle").data.decode().count(why) == 2


def test_the_document_by_team(teams: WebEnv) -> None:  # noqa: F811
    """The signed document: the own team (and the beheerder) may download it, another
    team's medewerker not without a reason; every download is in the view log."""
    mira = teams.client("mira")  # Team Noord, like HH-0001
    mira.post(URL, **multipart(_form(document="upload", document_file=(signed_pdf(), "t.pdf"))))
    [consent] = history_of(teams.engine, "HH-0001")
    path = f"{URL}/{consent.id}/document"
    assert mira.get(path).status_code == 200
    assert teams.client("tom").get(path).status_code == 200  # teamleider Noord
    assert teams.client("ada").get(path).status_code == 200
    assert teams.client("mats").get(path).status_code == 403  # Team Zuid
    readers = {v.actor for v in view_log(teams.engine, household="HH-0001") if "document" in v.what}
    assert readers == {"mira", "tom", "ada"}
