"""Starting a voorgestelde wijziging (issue 19.7): what staff tell the household
with a change (`ConsentAsk`: why; or urgent and why), and storing it, either as a
proposal waiting for the household's answer (`ask_household`) or as an urgent
change the household's page explains (`record_urgent`). None of these commit;
`rule_changes.propose_household` calls them in its unit of work. What happens
next (answers, approval, stale) is `services.household_proposals`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from huishoudboekje.adapters.persistence import record_audit
from huishoudboekje.adapters.persistence.approvals import ChangeRequest, insert_change_request
from huishoudboekje.adapters.persistence.team_repo import StoredProposal, insert_proposal
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_consent import ConsentChange, consent_changes, first_day
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.rule_editing import household_data

__all__ = [
    "ConsentAsk",
    "ConsentChange",
    "ProposalError",
    "ask_for_change",
    "ask_household",
    "checked_ask",
    "consent_changes",
    "record_urgent",
]

MAX_TEXT = 2000


class ProposalError(UserError, ValueError):
    """A proposal that cannot be made or answered; the message is Dutch."""


@dataclass(frozen=True, slots=True)
class ConsentAsk:
    """What staff tell the household with a change: why; or that it is urgent."""

    why: str = ""
    urgent: bool = False
    urgent_reason: str = ""


def _text(text: str, problem: str) -> str:
    text = text.strip()
    if not text:
        raise ProposalError(problem)
    if len(text) > MAX_TEXT:
        raise ProposalError(f"Gebruik hoogstens {MAX_TEXT} tekens.")
    return text


def checked_ask(ask: ConsentAsk) -> ConsentAsk:
    """`ask` with its texts checked: a reason is required (why, or why urgent)."""
    if ask.urgent:
        reason = _text(ask.urgent_reason, "Schrijf waarom deze wijziging spoed heeft.")
        return ConsentAsk(ask.why.strip(), True, reason)
    why = _text(
        ask.why,
        "Deze wijziging wordt eerst aan het huishouden voorgelegd. Schrijf waarom ze "
        "nodig is (het huishouden leest dit).",
    )
    return ConsentAsk(why)


def ask_household(
    uow: UnitOfWork,
    *,
    before: Household,
    after: Household,
    changes: list[ConsentChange],
    ask: ConsentAsk,
    actor: str,
    now: datetime,
    today: date,
    change_request: int | None,
) -> StoredProposal:
    """Store the change as a voorgestelde wijziging (not committed)."""
    ask = checked_ask(ask)
    return _store(uow, before, after, changes, ask, False, actor, now, today, change_request)


def record_urgent(
    uow: UnitOfWork,
    *,
    before: Household,
    after: Household,
    changes: list[ConsentChange],
    ask: ConsentAsk,
    actor: str,
    now: datetime,
    today: date,
    change_request: int | None,
) -> StoredProposal:
    """An urgent change, saved now (or when a teamleider approves `change_request`):
    kept so the household's page says what changed and why (not committed)."""
    ask = checked_ask(ask)
    return _store(uow, before, after, changes, ask, True, actor, now, today, change_request)


def _store(
    uow: UnitOfWork,
    before: Household,
    after: Household,
    changes: list[ConsentChange],
    ask: ConsentAsk,
    urgent: bool,
    actor: str,
    now: datetime,
    today: date,
    change_request: int | None,
) -> StoredProposal:
    """A proposal ("voorgesteld") or an urgent change ("spoed", applied now unless it
    waits for a teamleider), with its audit event (not committed)."""
    why = ask.urgent_reason if urgent else ask.why
    proposal = insert_proposal(
        uow,
        household=after.code,
        status="spoed" if urgent else "voorgesteld",
        lines=[c.text for c in changes],
        from_day=first_day(changes, today),
        why=why,
        urgent=urgent,
        before=household_data(before),
        after=household_data(after),
        proposed_by=actor,
        proposed_at=now,
        needs_approval=change_request is not None,
        change_request=change_request,
        applied_at=now if urgent and change_request is None else None,
    )
    reason_key = "reason" if urgent else "why"
    record_audit(
        uow,
        actor=actor,
        action="household.urgent_change" if urgent else "household.propose",
        object_type="household",
        object_id=after.code,
        after={"proposal": proposal.id, "lines": list(proposal.lines), reason_key: why},
        at=now,
    )
    return proposal


def ask_for_change(
    uow: UnitOfWork,
    *,
    before: Household,
    after: Household,
    changes: list[ConsentChange],
    ask: ConsentAsk,
    reasons: list[str],
    actor: str,
    now: datetime,
    today: date,
    summary: str,
) -> ChangeRequest | None:
    """The change becomes a voorgestelde wijziging; with four-eyes `reasons` also a
    change request (kind `household.consent`) a teamleider approves (not committed)."""
    checked_ask(ask)  # nothing is stored without a reason
    request = None
    if reasons:
        request = insert_change_request(
            uow,
            kind="household.consent",
            household=after.code,
            summary=summary,
            reasons=reasons,
            before=household_data(before),
            after=household_data(after),
            requested_by=actor,
            at=now,
        )
        record_audit(
            uow,
            actor=actor,
            action="change_request.create",
            object_type="change_request",
            object_id=str(request.id),
            after={"kind": request.kind, "household": request.household, "reasons": reasons},
            at=now,
        )
    ask_household(
        uow,
        before=before,
        after=after,
        changes=changes,
        ask=ask,
        actor=actor,
        now=now,
        today=today,
        change_request=None if request is None else request.id,
    )
    return request
