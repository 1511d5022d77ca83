"""Consent and privacy (issue 19.3 with 20.3/20.4): the purge removes a signed consent
document once the document retention period after the end is over (the record stays,
without the document); the financial purge removes the signer's name; the inzage
export holds every consent record and the signed documents still stored."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_audit_events,
    load_household,
    open_database,
    save_household,
)
from huishoudboekje.domain.consent import Consent, DocumentKind
from huishoudboekje.domain.retention import document_purge_date, financial_purge_date
from huishoudboekje.services.consent import Upload, history_of, save_consent
from huishoudboekje.services.privacy import export_household, purge
from tests.consent_support import signed_pdf
from tests.web_fixtures import seed

END = date(2026, 6, 30)
NOW = datetime(2026, 3, 4, 9, tzinfo=UTC)


def _setup(db_url: str) -> bytes:
    engine = open_database(db_url)
    try:
        seed(engine, history=False)
        pdf = signed_pdf()
        save_consent(
            engine,
            "HH-0001",
            Consent(date(2026, 1, 2), "J. Jansen", document=DocumentKind.UPLOAD),
            upload=Upload("getekend.pdf", pdf),
            actor="mira",
            now=NOW,
        )
        with UnitOfWork(engine) as uow:
            household = load_household(uow, "HH-0001")
            assert household is not None
            save_household(uow, replace(household, end=END))
            uow.commit()
        return pdf
    finally:
        engine.dispose()


def test_the_purge_removes_consent_documents_after_their_retention(db_url: str) -> None:
    _setup(db_url)
    engine = open_database(db_url)
    try:
        due = document_purge_date(END, 12)
        assert purge(engine, due - timedelta(days=1), actor="t").documents_removed == ()
        dry = purge(engine, due, dry_run=True, actor="t")
        assert dry.documents_removed == ("HH-0001",)
        assert history_of(engine, "HH-0001")[0].has_document  # a dry run removes nothing
        report = purge(engine, due, actor="t")
        assert report.documents_removed == ("HH-0001",)
        assert report.as_json()["documents_removed"] == ["HH-0001"]
        [kept] = history_of(engine, "HH-0001")
        assert not kept.has_document and kept.document_removed_on == due
        assert kept.consent.signed_by == "J. Jansen"  # the record stays
        with UnitOfWork(engine) as uow:
            events = load_audit_events(uow, action="privacy.purge_documents")
        assert [e.object_id for e in events] == ["HH-0001"]
        assert purge(engine, due, actor="t").documents_removed == ()  # once
        later = financial_purge_date(END, 7)
        purge(engine, later, actor="t")
        [anonymous] = history_of(engine, "HH-0001")
        assert "Jansen" not in anonymous.consent.signed_by
    finally:
        engine.dispose()


def test_the_inzage_export_holds_the_consents_and_the_signed_document(db_url: str) -> None:
    pdf = _setup(db_url)
    engine = open_database(db_url)
    try:
        archive = zipfile.ZipFile(io.BytesIO(export_household(engine, "HH-0001", END, actor="p")))
        data = json.loads(archive.read("gegevens.json"))
        [consent] = data["consents"]
        assert consent["signed_by"] == "J. Jansen" and consent["document"] == "upload"
        assert consent["scope"] == {"incomes": None, "charges": None}
        assert archive.read(f"toestemming-{consent['id']}.pdf") == pdf
    finally:
        engine.dispose()
