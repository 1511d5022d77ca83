"""The guided intake of a new household (issue 19.3): one proposal with the signed
consent, and the statushouder template when chosen.

`submit_intake` checks the household data like a configuration file, checks the
consent and its document, records the consent and proposes the household for
four-eyes ("nieuw huishouden") in one transaction: either both are stored, or
nothing. With the statushouder template the end date is six months after the start
(`domain.handover.statushouder_period`) and the hand-over talk is planned when the
household is approved (`services.intake_plan`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.consent import DEFAULT_MAX_DOCUMENT_BYTES
from huishoudboekje.domain.handover import statushouder_period
from huishoudboekje.domain.money import Money
from huishoudboekje.services.consent import ConsentError, Upload, record_consent
from huishoudboekje.services.households import stored_gemeente
from huishoudboekje.services.intake_plan import household_created, remember_statushouder
from huishoudboekje.services.rule_changes import DEFAULT_THRESHOLD, Proposal, propose_household
from huishoudboekje.services.rule_editing import check_household

SUMMARY = "nieuw huishouden"


@dataclass(frozen=True, slots=True)
class IntakeChoices:
    """What the intake adds to the household data."""

    statushouder: bool = False
    upload: Upload | None = None
    max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    threshold: Money = DEFAULT_THRESHOLD


def statushouder_end(start: date) -> date:
    """The last day of the statushouder template from `start`."""
    return statushouder_period(start).last_day


def submit_intake(
    engine: Engine, data: dict[str, Any], choices: IntakeChoices, *, actor: str, now: datetime
) -> Proposal:
    """Record the consent and propose the new household `data` (with `consent`) in one
    transaction. Raises `HouseholdInvalidError` for data the rules refuse, and a
    `UserError` for a consent or document that cannot be recorded, or a code in use."""
    with UnitOfWork(engine) as uow:
        household = check_household(data, stored_gemeente(uow))
        if household.consent is None:
            raise ConsentError("Leg de toestemming vast: zonder toestemming geen budgetbeheer.")
        record_consent(
            uow,
            household,
            household.consent,
            upload=choices.upload,
            actor=actor,
            now=now,
            max_bytes=choices.max_bytes,
        )
        if choices.statushouder:
            remember_statushouder(uow, household.code, household.start, now)
        proposal = propose_household(
            uow,
            actor=actor,
            after=household,
            now=now,
            summary=SUMMARY,
            is_new=True,
            threshold=choices.threshold,
        )  # commits the consent with it
        if proposal.applied and household_created(uow, household.code, actor=actor, now=now):
            uow.commit()
        return proposal
