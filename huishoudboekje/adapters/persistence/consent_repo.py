"""Recorded consents of households (issue 19.3): read the newest per household, add
one, withdraw one, read and remove a signed document. None of these commit.

Reads of many consents never load the documents themselves (they can be megabytes);
`consent_document` reads one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select as select_columns
from sqlalchemy import update
from sqlmodel import col, select

from huishoudboekje.adapters.persistence.consent_tables import ConsentRow
from huishoudboekje.adapters.persistence.tables import HouseholdRow, table_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.consent import Consent, ConsentScope, DocumentKind

_T = table_of(ConsentRow)
# every column but the document itself
_LIGHT = [c for c in _T.columns if c.name != "document"]


@dataclass(frozen=True, slots=True)
class StoredConsent:
    """A consent row as staff see it in the history (without the document's bytes)."""

    id: int
    household: str
    consent: Consent
    has_document: bool
    document_name: str
    document_size: int
    document_removed_on: date | None
    recorded_by: str
    recorded_at: datetime
    withdrawn_by: str | None
    withdrawn_reason: str | None

    def as_json(self) -> dict[str, Any]:
        """Plain data for the audit log and the inzage export (no document bytes)."""
        c = self.consent
        return {
            "id": self.id,
            "signed_on": c.signed_on.isoformat(),
            "signed_by": c.signed_by,
            "scope": scope_to_json(c.scope),
            "document": c.document.value,
            "document_name": self.document_name,
            "document_size": self.document_size,
            "document_stored": self.has_document,
            "document_removed_on": _iso(self.document_removed_on),
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at.isoformat(),
            "withdrawn_on": _iso(c.withdrawn_on),
            "withdrawn_by": self.withdrawn_by,
            "withdrawn_reason": self.withdrawn_reason,
        }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def scope_to_json(scope: ConsentScope) -> dict[str, list[str] | None]:
    return {
        "incomes": None if scope.incomes is None else list(scope.incomes),
        "charges": None if scope.charges is None else list(scope.charges),
    }


def _scope(data: Any) -> ConsentScope:
    data = data if isinstance(data, dict) else {}
    incomes, charges = data.get("incomes"), data.get("charges")
    return ConsentScope(
        None if incomes is None else tuple(incomes), None if charges is None else tuple(charges)
    )


def _consent(row: Any) -> Consent:
    return Consent(
        row.signed_on,
        row.signed_by,
        _scope(row.scope),
        DocumentKind(row.document_kind),
        row.withdrawn_on,
    )


def _stored(row: Any, has_document: bool) -> StoredConsent:
    return StoredConsent(
        row.id,
        row.household,
        _consent(row),
        has_document,
        row.document_name,
        row.document_size,
        row.document_removed_on,
        row.recorded_by,
        row.recorded_at,
        row.withdrawn_by,
        row.withdrawn_reason,
    )


def newest_consents(uow: UnitOfWork, household: str | None = None) -> dict[str, Consent]:
    """The newest consent of every household (or of one), by code."""
    statement = select_columns(*_LIGHT).order_by(_T.c.household, _T.c.id)
    if household is not None:
        statement = statement.where(_T.c.household == household)
    return {row.household: _consent(row) for row in uow.session.connection().execute(statement)}


def consents_and_ends(
    uow: UnitOfWork, codes: list[str]
) -> dict[str, tuple[Consent | None, date | None]]:
    """For each of `codes` that is stored: its newest consent and its end date (two
    small queries, for a caseload page)."""
    if not codes:
        return {}
    consents = {
        row.household: _consent(row)
        for row in uow.session.connection().execute(
            select_columns(*_LIGHT).where(_T.c.household.in_(codes)).order_by(_T.c.id)
        )
    }
    households = table_of(HouseholdRow)
    ends = uow.session.connection().execute(
        select_columns(households.c.code, households.c.end_date).where(households.c.code.in_(codes))
    )
    return {code: (consents.get(code), end) for code, end in ends}


def consent_history(uow: UnitOfWork, household: str) -> list[StoredConsent]:
    """Every consent recorded for `household`, newest first."""
    has = (_T.c.document.is_not(None)).label("has_document")
    statement = (
        select_columns(*_LIGHT, has).where(_T.c.household == household).order_by(_T.c.id.desc())
    )
    return [
        _stored(row, bool(row.has_document)) for row in uow.session.connection().execute(statement)
    ]


@dataclass(frozen=True, slots=True)
class NewConsent:
    """What `add_consent` stores."""

    household: str
    consent: Consent
    recorded_by: str
    recorded_at: datetime
    document: bytes | None = None
    document_name: str = ""


def add_consent(uow: UnitOfWork, new: NewConsent) -> int:
    """Store a consent as the household's newest; returns its id."""
    c = new.consent
    row = ConsentRow(
        household=new.household,
        signed_on=c.signed_on,
        signed_by=c.signed_by,
        scope=scope_to_json(c.scope),
        document_kind=c.document.value,
        document=new.document,
        document_name=new.document_name,
        document_size=len(new.document or b""),
        recorded_by=new.recorded_by,
        recorded_at=new.recorded_at,
        withdrawn_on=c.withdrawn_on,
    )
    uow.session.add(row)
    uow.session.flush()
    assert row.id is not None
    return row.id


def withdraw_newest(
    uow: UnitOfWork, household: str, *, day: date, by: str, reason: str
) -> StoredConsent | None:
    """Mark the household's newest consent withdrawn on `day`; None when it has none
    that is not withdrawn already."""
    history = consent_history(uow, household)
    if not history or history[0].consent.withdrawn_on is not None:
        return None
    uow.session.connection().execute(
        update(_T)
        .where(_T.c.id == history[0].id)
        .values(withdrawn_on=day, withdrawn_by=by, withdrawn_reason=reason)
    )
    return consent_history(uow, household)[0]


def consent_document(uow: UnitOfWork, household: str, consent_id: int) -> tuple[str, bytes] | None:
    """The stored document (name, PDF bytes) of one consent of `household`, or None."""
    row = uow.session.get(ConsentRow, consent_id)
    if row is None or row.household != household or row.document is None:
        return None
    return row.document_name or f"toestemming-{household}-{consent_id}.pdf", row.document


def remove_documents(uow: UnitOfWork, household: str, day: date) -> int:
    """Remove the stored documents of `household`'s consents (the purge); how many."""
    result = uow.session.connection().execute(
        update(_T)
        .where(_T.c.household == household, _T.c.document.is_not(None))
        .values(document=None, document_removed_on=day)
    )
    return int(result.rowcount or 0)


def anonymise_consents(uow: UnitOfWork, household: str, placeholder: str) -> int:
    """Remove names and reasons from `household`'s consents (the financial purge)."""
    result = uow.session.connection().execute(
        update(_T)
        .where(_T.c.household == household)
        .values(signed_by=placeholder, withdrawn_reason=None, document=None, document_name="")
    )
    return int(result.rowcount or 0)


def delete_consents(uow: UnitOfWork, household: str) -> int:
    """Delete every consent of `household` (a new household refused at four-eyes)."""
    rows = list(uow.session.exec(_select_rows(household)))
    for row in rows:
        uow.session.delete(row)
    uow.session.flush()
    return len(rows)


def _select_rows(household: str) -> Any:
    return select(ConsentRow).where(col(ConsentRow.household) == household)
