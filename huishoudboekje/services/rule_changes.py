"""Four-eyes: changes that take effect only after a second staff member approves.

Which household changes need a second pair of eyes is `services.four_eyes`
(`four_eyes_reasons`, importable from here too); an approved extra payment for a
household always does. Everything else is saved at once. The requester can
never approve their own change; approving needs the approver (teamleider) or
admin role, and a change whose household was edited since is refused as stale.
`hhb config apply` counts as approved and is logged with approved_by
"config-apply" (see `services.configuration`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from huishoudboekje.adapters.config import household_from_data
from huishoudboekje.adapters.persistence import load_household, record_audit, save_household
from huishoudboekje.adapters.persistence.approvals import (
    ChangeRequest,
    decide_change_request,
    get_change_request,
    get_household_request,
    insert_change_request,
    update_household_request,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.dutch_text import eur
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.money import Money
from huishoudboekje.services import household_asking, household_proposals
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.four_eyes import DEFAULT_THRESHOLD, four_eyes_reasons
from huishoudboekje.services.gemeente_scope import may_create_household, place_new_household
from huishoudboekje.services.household_asking import ConsentAsk, consent_changes
from huishoudboekje.services.intake_plan import household_created, household_refused
from huishoudboekje.services.read_model import refresh_statuses
from huishoudboekje.services.rule_editing import household_data

__all__ = [
    "DEFAULT_THRESHOLD",
    "ConsentAsk",
    "FourEyesError",
    "Proposal",
    "approve_change",
    "four_eyes_reasons",
    "propose_extra_payment",
    "propose_household",
    "refuse_change",
]


class FourEyesError(UserError, ValueError):
    """A change that cannot be approved or refused; the message is Dutch, for staff."""


@dataclass(frozen=True, slots=True)
class Proposal:
    """What happened to a proposed change: saved at once, or waiting for approval."""

    applied: bool
    reasons: tuple[str, ...]
    change_request: ChangeRequest | None = None
    # issue 19.7: the change waits for the household's answer (a voorgestelde wijziging)
    asked: bool = False
    urgent: bool = False


def propose_household(
    uow: UnitOfWork,
    *,
    actor: str,
    after: Household,
    now: datetime,
    summary: str,
    is_new: bool = False,
    threshold: Money = DEFAULT_THRESHOLD,
    ask: ConsentAsk | None = None,
    today: date | None = None,
) -> Proposal:
    """Save a staff member's change to a household, or hold it for approval; commits.

    With `ask`, a change to the household's own fixed charges or leefgeld is asked of
    the household first (`services.household_proposals`), unless `ask` marks it
    urgent; without it (the gemeente does not ask) it is saved as before."""
    before = load_household(uow, after.code)
    if is_new and before is not None:
        raise FourEyesError(f"Huishouden {after.code} bestaat al.")
    if not is_new and before is None:
        raise FourEyesError(f"Huishouden {after.code} bestaat niet.")
    if before is None and not may_create_household(uow, actor):  # issue 22
        raise FourEyesError(
            "Een regionaal account neemt geen huishouden op: dat doet een medewerker van "
            "de gemeente waar het huishouden bij hoort."
        )
    if before == after:
        return Proposal(applied=True, reasons=())
    reasons = four_eyes_reasons(before, after, threshold)
    before_data = None if before is None else household_data(before)
    day = now.date() if today is None else today
    # without `ask` the household is not asked (HHB_ASK_HOUSEHOLD=0): as before
    changes = [] if before is None or ask is None else consent_changes(before, after, day)
    ask = ConsentAsk() if ask is None else ask
    if before is not None and changes and not ask.urgent:
        request = household_asking.ask_for_change(
            uow,
            before=before,
            after=after,
            changes=changes,
            ask=ask,
            reasons=reasons,
            actor=actor,
            now=now,
            today=day,
            summary=summary,
        )
        uow.commit()
        return Proposal(applied=False, reasons=tuple(reasons), change_request=request, asked=True)
    if not reasons:
        if before is not None and changes:
            household_asking.record_urgent(
                uow,
                before=before,
                after=after,
                changes=changes,
                ask=ask,
                actor=actor,
                now=now,
                today=day,
                change_request=None,
            )
        save_household(uow, after, at=now)
        if before is None:  # issue 22: a new household is its proposer's gemeente's
            place_new_household(uow, after.code, proposer=actor)
        record_audit(
            uow,
            actor=actor,
            action="household.update",
            object_type="household",
            object_id=after.code,
            before=before_data,
            after=household_data(after),
            at=now,
        )
        refresh_statuses(uow, [after.code])  # the read model, in the same transaction
        uow.commit()
        return Proposal(applied=True, reasons=())
    request = insert_change_request(
        uow,
        kind="household.create" if before is None else "household.update",
        household=after.code,
        summary=summary,
        reasons=reasons,
        before=before_data,
        after=household_data(after),
        requested_by=actor,
        at=now,
    )
    _audit_request(uow, request, actor, now)
    if before is not None and changes:
        household_asking.record_urgent(
            uow,
            before=before,
            after=after,
            changes=changes,
            ask=ask,
            actor=actor,
            now=now,
            today=day,
            change_request=request.id,
        )
    uow.commit()
    return Proposal(
        applied=False, reasons=tuple(reasons), change_request=request, urgent=bool(changes)
    )


def _audit_request(uow: UnitOfWork, request: ChangeRequest, actor: str, now: datetime) -> None:
    record_audit(
        uow,
        actor=actor,
        action="change_request.create",
        object_type="change_request",
        object_id=str(request.id),
        after={"kind": request.kind, "household": request.household, "reasons": request.reasons},
        at=now,
    )


def propose_extra_payment(
    uow: UnitOfWork, *, actor: str, request_id: int, answer: str, now: datetime
) -> ChangeRequest:
    """A staff member agrees to a household's request: it waits for a second one; commits."""
    req = get_household_request(uow, request_id)
    if req is None:
        raise FourEyesError("Dit verzoek bestaat niet.")
    if req.status != "nieuw":
        raise FourEyesError("Dit verzoek is al behandeld.")
    label = "extra leefgeld" if req.kind == "extra_leefgeld" else "eenmalige betaling"
    change = insert_change_request(
        uow,
        kind="extra_payment",
        household=req.household,
        summary=f"{label} van {eur(req.amount)}: {req.reason}",
        reasons=[f"{label} van {eur(req.amount)}"],
        before=None,
        after={"request": req.id, "amount": str(req.amount), "kind": req.kind, "answer": answer},
        requested_by=actor,
        at=now,
    )
    update_household_request(
        uow, req.id, status="wacht_op_akkoord", handled_by=actor, at=now, change_request=change.id
    )
    _audit_request(uow, change, actor, now)
    uow.commit()
    return change


def _pending(uow: UnitOfWork, request_id: int, decider: str) -> ChangeRequest:
    request = get_change_request(uow, request_id)
    if request is None:
        raise FourEyesError("Deze wijziging bestaat niet.")
    if request.status != "pending":
        raise FourEyesError("Over deze wijziging is al besloten.")
    if request.requested_by == decider:
        raise FourEyesError("U kunt uw eigen wijziging niet goedkeuren; een collega moet dat doen.")
    return request


def approve_change(
    uow: UnitOfWork, *, request_id: int, approver: str, may_approve: bool, now: datetime, note: str
) -> ChangeRequest:
    """A second staff member approves: the change takes effect; commits."""
    if not may_approve:
        raise FourEyesError("Alleen een teamleider of beheerder kan wijzigingen goedkeuren.")
    request = _pending(uow, request_id, approver)
    if request.kind in {"household.create", "household.update"}:
        current = load_household(uow, request.household)
        # compared as households, not as stored data: a field added since the request
        # (stored with its default) does not make every older request look stale
        before = None if request.before is None else household_from_data(request.before)
        if current != before:
            raise FourEyesError(
                "Het huishouden is sinds deze aanvraag gewijzigd; wijs af en vraag opnieuw aan."
            )
        after = household_from_data(request.after)
        save_household(uow, after, at=now)
        if request.kind == "household.create":  # issue 22: the proposer's gemeente
            place_new_household(uow, request.household, proposer=request.requested_by)
        record_audit(
            uow,
            actor=request.requested_by,
            action=request.kind,
            object_type="household",
            object_id=request.household,
            before=request.before,
            after=request.after,
            approved_by=approver,
            at=now,
        )
        refresh_statuses(uow, [request.household])  # the read model, same transaction
        if request.kind == "household.create":  # issue 19.3: what its intake planned
            household_created(uow, request.household, actor=approver, now=now)
        household_proposals.urgent_applied(uow, request_id, now)
    elif request.kind == "household.consent":  # applied once the household agreed too
        household_proposals.approved(uow, request_id, approver, now)
    elif request.kind == "extra_payment":
        data: dict[str, Any] = request.after
        update_household_request(
            uow,
            int(data["request"]),
            status="goedgekeurd",
            handled_by=approver,
            at=now,
            answer=str(data.get("answer", "")),
        )
        record_audit(
            uow,
            actor=request.requested_by,
            action="extra_payment.approve",
            object_type="household_request",
            object_id=str(data["request"]),
            after=data,
            approved_by=approver,
            at=now,
        )
    decide_change_request(
        uow, request_id, status="approved", decided_by=approver, at=now, note=note
    )
    uow.commit()
    return request


def refuse_change(
    uow: UnitOfWork, *, request_id: int, decider: str, may_approve: bool, now: datetime, note: str
) -> ChangeRequest:
    """A second staff member refuses: nothing changes; commits."""
    if not may_approve:
        raise FourEyesError("Alleen een teamleider of beheerder kan wijzigingen afwijzen.")
    request = _pending(uow, request_id, decider)
    decide_change_request(uow, request_id, status="refused", decided_by=decider, at=now, note=note)
    if request.kind == "household.create":  # issue 19.3: its intake's consent goes too
        household_refused(uow, request.household)
    household_proposals.refused(uow, request_id, now)
    if request.kind == "extra_payment":
        update_household_request(
            uow,
            int(request.after["request"]),
            status="afgewezen",
            handled_by=decider,
            at=now,
            answer=note or "Niet goedgekeurd.",
        )
    record_audit(
        uow,
        actor=decider,
        action="change_request.refuse",
        object_type="change_request",
        object_id=str(request_id),
        before={"kind": request.kind, "household": request.household},
        after={"status": "refused", "note": note},
        at=now,
    )
    uow.commit()
    return request
