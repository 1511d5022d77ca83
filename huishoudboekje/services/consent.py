"""Consent (issue 19.3): record a household's signed consent, withdraw it (which
starts the exit), and read its history and signed document.

Every change is audit-logged (`consent.record`, `consent.withdraw`; the audit log
never holds the document itself). An uploaded document must be a PDF (it starts
with %PDF- and pypdf opens it) no larger than the configured maximum; a document
that is refused stores nothing. Reading a document is a read of household data: the
web routes that call `document_of` are under need-to-know and the view log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import Engine

from huishoudboekje.adapters.pdf_check import pdf_opens
from huishoudboekje.adapters.persistence import (
    load_gemeente_of,
    load_household,
    record_audit,
)
from huishoudboekje.adapters.persistence.consent_repo import (
    NewConsent,
    StoredConsent,
    add_consent,
    consent_document,
    consent_history,
    consents_and_ends,
    withdraw_newest,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.consent import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    MAX_SIGNER,
    MAX_WITHDRAW_REASON,
    Consent,
    ConsentScope,
    DocumentKind,
    document_problem,
    is_planned_with,
    scope_problem,
)
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.limits import FIRST_DAY, LAST_DAY, day_problem
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.exit_checklist import start_exit
from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.read_model import refresh_statuses
from huishoudboekje.services.region import load_region

MAX_DOCUMENT_NAME = 200


class ConsentError(UserError, ValueError):
    """A consent that cannot be recorded or withdrawn as asked (Dutch, for staff)."""


@dataclass(frozen=True, slots=True)
class Upload:
    """A signed document as staff uploaded it."""

    name: str
    data: bytes


def checked_document(upload: Upload, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Upload:
    """The upload when it is a PDF that opens and is not too large; else `ConsentError`."""
    problem = document_problem(upload.data, max_bytes)
    if problem is None and not pdf_opens(upload.data):
        problem = "Dit PDF-bestand is beschadigd of kan niet worden geopend. Upload het opnieuw."
    if problem is not None:
        raise ConsentError(problem)
    name = "".join(c for c in upload.name if c.isprintable() and c not in '"\\/')
    return Upload(name[-MAX_DOCUMENT_NAME:] or "toestemming.pdf", upload.data)


def checked_consent(consent: Consent, household: Household) -> Consent:
    """The consent with its signer's name tidied; `ConsentError` for a wrong date,
    name or scope."""
    signer = " ".join(consent.signed_by.split())
    if not signer:
        raise ConsentError("Vul in wie de toestemming heeft getekend.")
    if len(signer) > MAX_SIGNER:
        raise ConsentError(f"Gebruik hoogstens {MAX_SIGNER} tekens voor de naam.")
    if day_problem(consent.signed_on) is not None:
        raise ConsentError(
            f"Kies een datum van tekenen tussen {FIRST_DAY:%d-%m-%Y} en {LAST_DAY:%d-%m-%Y}."
        )
    problem = scope_problem(
        consent.scope, {i.id for i in household.incomes}, {c.id for c in household.charges}
    )
    if problem is not None:
        raise ConsentError(problem)
    return replace(consent, signed_by=signer, withdrawn_on=None)


def record_consent(
    uow: UnitOfWork,
    household: Household,
    consent: Consent,
    *,
    upload: Upload | None,
    actor: str,
    now: datetime,
    max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
) -> int:
    """Record `consent` as `household`'s newest (it replaces the one before, which stays
    in the history); with an upload the document is the PDF. Audit-logged, not
    committed (the intake commits it with its proposal). Returns the consent's id."""
    consent = checked_consent(consent, household)
    if consent.document is DocumentKind.UPLOAD:
        if upload is None:
            raise ConsentError("Kies het getekende document (PDF), of kies 'op papier getekend'.")
        upload = checked_document(upload, max_bytes)
    else:
        upload = None
    consent_id = add_consent(
        uow,
        NewConsent(
            household.code,
            consent,
            actor,
            now,
            None if upload is None else upload.data,
            "" if upload is None else upload.name,
        ),
    )
    after = consent_history(uow, household.code)[0]
    record_audit(
        uow,
        actor=actor,
        action="consent.record",
        object_type="household",
        object_id=household.code,
        after=after.as_json(),
        at=now,
    )
    return consent_id


def save_consent(
    engine: Engine,
    code: str,
    consent: Consent,
    *,
    upload: Upload | None,
    actor: str,
    now: datetime,
    max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
) -> int:
    """`record_consent` for a stored household, in a unit of work of its own; commits."""
    with UnitOfWork(engine) as uow:
        household = load_household(uow, code)
        if household is None:
            raise UnknownHouseholdError(code)
        consent_id = record_consent(
            uow, household, consent, upload=upload, actor=actor, now=now, max_bytes=max_bytes
        )
        refresh_statuses(uow, [code])
        uow.commit()
        return consent_id


def withdraw_consent(
    engine: Engine, code: str, day: date, reason: str, *, actor: str, now: datetime
) -> StoredConsent:
    """Record that household `code` withdrew its consent; `day` is the last day it
    applies. Starts the exit with `day` as the last day of participation (the
    checklist shows from then). Audit-logged; commits once, for both."""
    reason = " ".join(reason.split())
    if not reason:
        raise ConsentError("Schrijf kort waarom de toestemming is ingetrokken.")
    if len(reason) > MAX_WITHDRAW_REASON:
        raise ConsentError(f"Gebruik hoogstens {MAX_WITHDRAW_REASON} tekens voor de reden.")
    if day_problem(day) is not None:
        raise ConsentError(f"Kies een datum tussen {FIRST_DAY:%d-%m-%Y} en {LAST_DAY:%d-%m-%Y}.")
    with UnitOfWork(engine) as uow:
        household = load_household(uow, code)
        if household is None:
            raise UnknownHouseholdError(code)
        if household.consent is not None and day < household.consent.signed_on:
            raise ConsentError("De datum ligt voor de dag waarop de toestemming is getekend.")
        withdrawn = withdraw_newest(uow, code, day=day, by=actor, reason=reason)
        if withdrawn is None:
            raise ConsentError("Er is geen toestemming die kan worden ingetrokken.")
        record_audit(
            uow,
            actor=actor,
            action="consent.withdraw",
            object_type="household",
            object_id=code,
            after=withdrawn.as_json(),
            at=now,
        )
        start_exit(uow, code, day, f"toestemming ingetrokken: {reason}", actor=actor, now=now)
        # start_exit committed; the read model follows in a transaction of its own
        refresh_statuses(uow, [code])
        uow.commit()
        return withdrawn


def history_of(engine: Engine, code: str) -> list[StoredConsent]:
    """Every consent recorded for `code`, newest first."""
    with UnitOfWork(engine) as uow:
        return consent_history(uow, code)


def document_of(engine: Engine, code: str, consent_id: int) -> tuple[str, bytes] | None:
    """The signed document of one consent of `code` (name, PDF), or None."""
    with UnitOfWork(engine) as uow:
        return consent_document(uow, code, consent_id)


def scope_of(incomes: list[str] | None, charges: list[str] | None) -> ConsentScope:
    """The scope of rule ids chosen (None: all of that kind)."""
    return ConsentScope(
        None if incomes is None else tuple(incomes), None if charges is None else tuple(charges)
    )


@dataclass(frozen=True, slots=True)
class ConsentPanel:
    """What the household's page shows about its consent."""

    history: tuple[StoredConsent, ...]
    required: bool  # the gemeente's consent_required
    applies: bool  # a consent applies today
    planned: bool  # the night plans the household (for want of consent it may not)

    @property
    def current(self) -> StoredConsent | None:
        return self.history[0] if self.history else None


def consent_panel(engine: Engine, code: str, today: date) -> ConsentPanel:
    """The consent history of `code` and whether the night plans it for want of one."""
    with UnitOfWork(engine) as uow:
        history = tuple(consent_history(uow, code))
        gemeente = load_gemeente_of(uow, code)  # its own gemeente's setting (issue 22)
        household = load_household(uow, code)
    required = gemeente is not None and gemeente.consent_required
    consent = history[0].consent if history else None
    applies = consent is not None and consent.applies_on(today)
    end = None if household is None else household.end
    return ConsentPanel(
        history, required, applies, is_planned_with(consent, end, today, required=required)
    )


def codes_not_planned(engine: Engine, codes: Iterable[str], today: date) -> frozenset[str]:
    """Those of `codes` the night does not plan for want of a consent (none when the
    gemeente does not require consent)."""
    wanted = list(dict.fromkeys(codes))[:500]  # a caseload page shows 50
    with UnitOfWork(engine) as uow:
        region = load_region(uow)  # issue 22: each with its own gemeente's setting
        requiring = {i for i, g in region.gemeenten.items() if g.consent_required}
        wanted = [c for c in wanted if region.gemeente_of_code(c) in requiring]
        if not wanted:
            return frozenset()
        found = consents_and_ends(uow, wanted)
    return frozenset(
        code
        for code, (consent, end) in found.items()
        if not is_planned_with(consent, end, today, required=True)
    )
