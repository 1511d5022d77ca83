"""The household is asked (issue 19.7): a staff change to a household's own fixed
charges or leefgeld waits for the household's answer.

`ask_household` (called by `rule_changes.propose_household`) stores the change as a
voorgestelde wijziging: what changes in plain Dutch, from when, and why. The
household answers on its own pages (`answer_proposal`, via "online"): "akkoord",
or "contact" ("Ik wil eerst contact", which opens a signal for its medewerker with
a deadline). For a household that gets its overview by post, staff record the
answer it gave by phone or letter (via "telefonisch" / "brief"). Both answers are
audit-logged.

The change takes effect when the household agreed and, where four-eyes applies, a
teamleider approved (the change request of kind `household.consent`;
`rule_changes.approve_change` calls `approved`). A proposal whose household was
changed since is stale ("verouderd") and never applied. Staff may mark a change
"spoed" with a reason: it takes effect as any change does (`record_urgent`), and
the household's page says it was changed urgently and why.

States: voorgesteld → (contact →) akkoord → toegepast; voorgesteld/contact/akkoord →
afgewezen (teamleider), ingetrokken (staff), verouderd (stale); spoed.
"""

from __future__ import annotations

from datetime import date, datetime

from huishoudboekje.adapters.config import household_from_data
from huishoudboekje.adapters.persistence import load_gemeente_of, load_household, record_audit
from huishoudboekje.adapters.persistence.repository import save_household
from huishoudboekje.adapters.persistence.signal_repo import close_signal, upsert_signals
from huishoudboekje.adapters.persistence.team_repo import (
    StoredProposal,
    get_proposal,
    proposal_of_change,
    proposals,
    update_proposal,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.deadlines import DUE_KEY
from huishoudboekje.domain.ids import signal_key
from huishoudboekje.domain.signals import Severity, Signal, SignalKind
from huishoudboekje.services.household_asking import (
    MAX_TEXT,
    ConsentAsk,
    ConsentChange,
    ProposalError,
    ask_household,
    checked_ask,
    consent_changes,
    record_urgent,
)
from huishoudboekje.services.household_status import plan_settings
from huishoudboekje.services.read_model import refresh_statuses

__all__ = [
    "ANSWERS",
    "CONTACT_WORKING_DAYS",
    "OPEN",
    "STATUS_NL",
    "VIA_NL",
    "ConsentAsk",
    "ConsentChange",
    "ProposalError",
    "StoredProposal",
    "answer_proposal",
    "approved",
    "ask_household",
    "checked_ask",
    "consent_changes",
    "is_stale",
    "open_proposals",
    "proposals_of",
    "record_urgent",
    "refused",
    "urgent_applied",
    "withdraw_proposal",
]

OPEN = ("voorgesteld", "contact", "akkoord")
STATUS_NL = {
    "voorgesteld": "wacht op antwoord van het huishouden",
    "contact": "huishouden wil eerst contact",
    "akkoord": "huishouden akkoord, wacht op goedkeuring teamleider",
    "toegepast": "doorgevoerd",
    "spoed": "met spoed doorgevoerd",
    "afgewezen": "afgewezen door teamleider",
    "ingetrokken": "ingetrokken",
    "verouderd": "verouderd: het huishouden is sindsdien gewijzigd",
}
ANSWERS = ("akkoord", "contact")
VIA_NL = {
    "online": "zelf online",
    "telefonisch": "telefonisch",
    "brief": "per brief",
    "gesprek": "in een gesprek",
}
CONTACT_WORKING_DAYS = 2  # the medewerker calls back within two working days


def is_stale(uow: UnitOfWork, proposal: StoredProposal) -> bool:
    """Whether the household changed since the proposal was made."""
    return load_household(uow, proposal.household) != household_from_data(proposal.before)


def _contact_key(proposal: StoredProposal) -> str:
    return signal_key(proposal.household, "contact_gevraagd", str(proposal.id))


def _close_contact(uow: UnitOfWork, proposal: StoredProposal, today: date) -> None:
    close_signal(uow, _contact_key(proposal), today)


def _apply(uow: UnitOfWork, proposal: StoredProposal, now: datetime, today: date) -> str:
    """Save the proposed household, or mark the proposal stale; returns the status."""
    if is_stale(uow, proposal):
        update_proposal(uow, proposal.id, status="verouderd")
        _close_contact(uow, proposal, today)
        return "verouderd"
    save_household(uow, household_from_data(proposal.after), at=now)
    record_audit(
        uow,
        actor=proposal.proposed_by,
        action="household.update",
        object_type="household",
        object_id=proposal.household,
        before=proposal.before,
        after=proposal.after,
        approved_by=proposal.approved_by,
        at=now,
    )
    update_proposal(uow, proposal.id, status="toegepast", applied_at=now)
    _close_contact(uow, proposal, today)
    refresh_statuses(uow, [proposal.household])  # the read model, same transaction
    return "toegepast"


def _contact_signal(uow: UnitOfWork, proposal: StoredProposal, message: str, today: date) -> None:
    calendar = plan_settings(load_gemeente_of(uow, proposal.household)).calendar
    due = calendar.add_business_days(today, CONTACT_WORKING_DAYS)
    household = load_household(uow, proposal.household)
    name = proposal.household if household is None else household.name
    text = f"{name} wil eerst contact over een voorgestelde wijziging"
    text += f": {message}" if message else "."
    signal = Signal(
        SignalKind.CONTACT_REQUESTED,
        proposal.household,
        Severity.WARNING,
        text,
        key=_contact_key(proposal),
        data=((DUE_KEY, due.isoformat()), ("proposal", str(proposal.id))),
    )
    upsert_signals(uow, [signal], today, "event")


def answer_proposal(
    uow: UnitOfWork,
    *,
    household: str,
    proposal_id: int,
    answer: str,
    via: str,
    by: str,
    message: str,
    now: datetime,
    today: date,
) -> str:
    """The household's answer ("akkoord" or "contact"), given online by the household
    itself or recorded by staff (via "telefonisch", "brief"); commits and audit-logs.
    Returns the proposal's new status."""
    proposal = get_proposal(uow, proposal_id)
    if proposal is None or proposal.household != household:
        raise ProposalError("Deze wijziging bestaat niet.")
    if answer not in ANSWERS or via not in VIA_NL:
        raise ProposalError("Kies akkoord of eerst contact.")
    if proposal.status not in ("voorgesteld", "contact"):
        raise ProposalError("Op deze wijziging is al geantwoord.")
    message = " ".join(message.split())[:MAX_TEXT]
    if is_stale(uow, proposal):
        status = "verouderd"
        update_proposal(uow, proposal.id, status=status)
        _close_contact(uow, proposal, today)
        uow.commit()
        raise ProposalError(
            "Deze wijziging is niet meer actueel: er is sindsdien iets anders veranderd. "
            "Uw medewerker neemt contact met u op."
        )
    proposal = update_proposal(
        uow,
        proposal.id,
        answer=answer,
        answer_via=via,
        answer_message=message,
        answered_by=by,
        answered_at=now,
        status="contact" if answer == "contact" else "akkoord",
    )
    record_audit(
        uow,
        actor=by,
        action=f"household.proposal_{answer}",
        object_type="household",
        object_id=household,
        after={"proposal": proposal.id, "answer": answer, "via": via, "message": message},
        at=now,
    )
    status = proposal.status
    if answer == "contact":
        _contact_signal(uow, proposal, message, today)
    elif not proposal.needs_approval or proposal.approved_by is not None:
        status = _apply(uow, proposal, now, today)
    uow.commit()
    return status


def approved(uow: UnitOfWork, change_request: int, approver: str, now: datetime) -> None:
    """A teamleider approved the proposal's four-eyes change: it takes effect when the
    household agreed (or already did); not committed."""
    proposal = proposal_of_change(uow, change_request)
    if proposal is None:
        return
    proposal = update_proposal(uow, proposal.id, approved_by=approver)
    if proposal.status == "akkoord":
        _apply(uow, proposal, now, now.date())


def urgent_applied(uow: UnitOfWork, change_request: int, now: datetime) -> None:
    """The four-eyes change of an urgent change was approved and saved (not committed)."""
    proposal = proposal_of_change(uow, change_request)
    if proposal is not None and proposal.urgent:
        update_proposal(uow, proposal.id, applied_at=now)


def refused(uow: UnitOfWork, change_request: int, now: datetime) -> None:
    """A teamleider refused the proposal's change: it never takes effect (not committed)."""
    proposal = proposal_of_change(uow, change_request)
    if proposal is not None and (
        proposal.status in OPEN or (proposal.urgent and proposal.applied_at is None)
    ):
        update_proposal(uow, proposal.id, status="afgewezen")
        _close_contact(uow, proposal, now.date())


def withdraw_proposal(
    uow: UnitOfWork, *, household: str, proposal_id: int, actor: str, now: datetime
) -> None:
    """Staff withdraw an open proposal (after contact, or when stale); commits."""
    proposal = get_proposal(uow, proposal_id)
    if proposal is None or proposal.household != household:
        raise ProposalError("Deze wijziging bestaat niet.")
    if proposal.status not in OPEN:
        raise ProposalError("Deze wijziging is niet meer open.")
    update_proposal(uow, proposal.id, status="ingetrokken")
    _close_contact(uow, proposal, now.date())
    record_audit(
        uow,
        actor=actor,
        action="household.proposal_withdraw",
        object_type="household",
        object_id=household,
        after={"proposal": proposal.id},
        at=now,
    )
    uow.commit()


def proposals_of(uow: UnitOfWork, household: str) -> list[StoredProposal]:
    """Every proposal of one household, newest first."""
    return proposals(uow, household=household)


def open_proposals(uow: UnitOfWork) -> list[StoredProposal]:
    """Proposals still waiting (household or teamleider), newest first."""
    return proposals(uow, statuses=OPEN)
