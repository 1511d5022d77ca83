"""Privacy (issue 20): removing personal data after its retention period, and the
inzage export a household is entitled to (AVG articles 15 and 20).

`purge` anonymises every household whose financial retention period is over
(`domain/retention.py`): its own row becomes `retention.anonymised(...)`, and
`privacy_repo.purge_household_rows` removes its names, IBANs, addresses and
descriptions from the other tables. Each household is purged in a transaction of
its own, recorded in the audit log without personal data, and marked, so a purge
that is interrupted or run twice changes nothing more. Amounts, dates and the
journal's structure stay, so the pooled account still reconciles.

`export_household` gives a ZIP with everything stored about one household as JSON,
and a short summary in plain Dutch as PDF. The export itself is audit-logged.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine

from huishoudboekje.adapters.config import household_to_data, jsonable
from huishoudboekje.adapters.pdf import html_to_pdf
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_gemeente,
    load_gemeenten,
    load_household,
    load_households,
    record_audit,
    save_household,
)
from huishoudboekje.adapters.persistence.consent_repo import (
    anonymise_consents,
    consent_document,
    consent_history,
    remove_documents,
)
from huishoudboekje.adapters.persistence.privacy_repo import (
    household_records,
    mark_purged,
    purge_household_rows,
    purged_on,
)
from huishoudboekje.adapters.privacy_summary import summary_html
from huishoudboekje.domain.household import Gemeente, Household
from huishoudboekje.domain.retention import (
    ANONYMOUS_NAME,
    anonymised,
    financial_purge_date,
    is_document_purge_due,
    is_financial_purge_due,
)


class PrivacyError(LookupError):
    """A privacy request that cannot be carried out (unknown household, no gemeente)."""


@dataclass(frozen=True, slots=True)
class PurgedHousehold:
    """One household the purge anonymised (or, in a dry run, would anonymise)."""

    code: str
    ended: date
    due_since: date
    counts: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The plain-data form of `hhb privacy purge --json`."""
        return {
            "household": self.code,
            "ended": self.ended.isoformat(),
            "due_since": self.due_since.isoformat(),
            "counts": dict(self.counts),
        }


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What one purge did: per household, and how many were already purged earlier."""

    today: date
    dry_run: bool
    purged: tuple[PurgedHousehold, ...]
    already_purged: int
    not_yet_due: int
    # issue 19.3: households whose signed consent documents were (or would be) removed
    # because their document retention period is over
    documents_removed: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The plain-data form of `hhb privacy purge --json`."""
        return {
            "date": self.today.isoformat(),
            "dry_run": self.dry_run,
            "purged": [p.as_json() for p in self.purged],
            "already_purged": self.already_purged,
            "not_yet_due": self.not_yet_due,
            "documents_removed": list(self.documents_removed),
        }


def _gemeente(uow: UnitOfWork) -> Gemeente:
    gemeente = load_gemeente(uow)
    if gemeente is None:
        raise PrivacyError("er is nog geen gemeente ingesteld (hhb config apply)")
    return gemeente


def _due(uow: UnitOfWork, today: date) -> Iterator[tuple[Household, bool]]:
    """Every ended household with whether it is due for the purge today (by its own
    gemeente's retention, issue 22)."""
    first = _gemeente(uow)
    gemeenten = load_gemeenten(uow)
    for household in load_households(uow):
        if household.end is not None:
            gemeente = gemeenten.get(household.gemeente_id, first)
            yield household, is_financial_purge_due(household, gemeente, today)


def purge(engine: Engine, today: date, *, dry_run: bool = False, actor: str) -> PurgeReport:
    """Anonymise every household whose retention period is over on `today`; with
    `dry_run` only say which. One transaction per household (see module docstring)."""
    with UnitOfWork(engine) as uow:
        first = _gemeente(uow)
        gemeenten = load_gemeenten(uow)
        candidates = list(_due(uow, today))
        done = {h.code for h, _ in candidates if purged_on(uow, h.code) is not None}
    documents = _purge_documents(engine, candidates, first, today, dry_run, actor)
    purged: list[PurgedHousehold] = []
    not_yet_due = 0
    for household, due in candidates:
        if household.code in done:
            continue
        if not due:
            not_yet_due += 1
            continue
        assert household.end is not None
        gemeente = gemeenten.get(household.gemeente_id, first)  # its own (issue 22)
        since = financial_purge_date(household.end, gemeente.retention_years)
        counts: dict[str, int] = {}
        if not dry_run:
            counts = _purge_one(engine, household.code, gemeente, today, actor)
        purged.append(PurgedHousehold(household.code, household.end, since, counts))
    return PurgeReport(today, dry_run, tuple(purged), len(done), not_yet_due, documents)


def _purge_documents(
    engine: Engine,
    candidates: list[tuple[Household, bool]],
    gemeente: Gemeente,
    today: date,
    dry_run: bool,
    actor: str,
) -> tuple[str, ...]:
    """Remove the signed consent documents of every ended household whose document
    retention period (`document_retention_months`) is over; the consent records stay.
    One transaction per household, audit-logged; returns the codes."""
    with UnitOfWork(engine) as uow:
        gemeenten = load_gemeenten(uow)
    removed: list[str] = []
    for household, _ in candidates:
        own = gemeenten.get(household.gemeente_id, gemeente)  # issue 22: its own gemeente's
        if not is_document_purge_due(household, own, today):
            continue
        with UnitOfWork(engine) as uow:
            stored = [c for c in consent_history(uow, household.code) if c.has_document]
            if not stored:
                continue
            removed.append(household.code)
            if dry_run:
                continue
            count = remove_documents(uow, household.code, today)
            record_audit(
                uow,
                actor=actor,
                action="privacy.purge_documents",
                object_type="household",
                object_id=household.code,
                after={"date": today.isoformat(), "consent_documents": count},
                at=datetime.now(UTC),
            )
            uow.commit()
    return tuple(removed)


def _purge_one(
    engine: Engine, code: str, gemeente: Gemeente, today: date, actor: str
) -> dict[str, int]:
    now = datetime.now(UTC)
    with UnitOfWork(engine) as uow:
        household = load_household(uow, code)
        if household is None or purged_on(uow, code) is not None:
            return {}  # gone or purged meanwhile by another run
        counts = purge_household_rows(uow, code).as_dict()
        counts["consents"] = anonymise_consents(uow, code, ANONYMOUS_NAME)
        save_household(uow, anonymised(household, gemeente.account_iban), at=now)
        mark_purged(uow, code, today, now)
        record_audit(
            uow,
            actor=actor,
            action="privacy.purge",
            object_type="household",
            object_id=code,
            after={"date": today.isoformat(), "counts": counts},
            at=now,
        )
        uow.commit()
    return counts


EXPORT_JSON = "gegevens.json"
EXPORT_PDF = "samenvatting.pdf"


def export_household(engine: Engine, code: str, today: date, *, actor: str) -> bytes:
    """The inzage export of household `code`: a ZIP with `gegevens.json` (everything
    stored about it) and `samenvatting.pdf` (a summary in plain Dutch). Audit-logged."""
    now = datetime.now(UTC)
    with UnitOfWork(engine) as uow:
        household = load_household(uow, code)
        if household is None:
            raise PrivacyError(f"huishouden {code} bestaat niet")
        gemeente = load_gemeente(uow, household.gemeente_id) or _gemeente(uow)  # its own
        records = household_records(uow, code)
        history = consent_history(uow, code)
        documents = [
            (c.id, found[1])
            for c in history
            if c.has_document and (found := consent_document(uow, code, c.id)) is not None
        ]
        purged = purged_on(uow, code)
        data: dict[str, Any] = {
            "export": {
                "household": code,
                "made_on": today.isoformat(),
                "made_by": actor,
                "about": "Alles wat Huishoudboekje over dit huishouden bewaart (AVG art. 15).",
                "anonymised_on": None if purged is None else purged.isoformat(),
            },
            "household": jsonable(household_to_data(household, full=True)),
            **records,
            # issue 19.3: every consent recorded, with its history; the signed documents
            # still stored are in the ZIP as toestemming-<id>.pdf
            "consents": [c.as_json() for c in history],
        }
        summary = summary_html(household, gemeente, records, today)
        record_audit(
            uow,
            actor=actor,
            action="privacy.export",
            object_type="household",
            object_id=code,
            after={"date": today.isoformat(), "tables": {k: len(v) for k, v in records.items()}},
            at=now,
        )
        uow.commit()
    pdf = html_to_pdf(summary)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
        archive.writestr(EXPORT_JSON, text)
        archive.writestr(EXPORT_PDF, pdf)
        for consent_id, document in documents:
            archive.writestr(f"toestemming-{consent_id}.pdf", document)
    return buffer.getvalue()
