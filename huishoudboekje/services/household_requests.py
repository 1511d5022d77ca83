"""Verzoeken: a household asks for extra leefgeld or a one-off payment.

Staff refuse at once, or agree, after which a second staff member must approve
(four-eyes, `changes.propose_extra_payment`). The household sees the outcome.
Approved requests wait for the nightly run to pay them (`approved_requests`).
A payment the bank sends back makes the request "teruggekomen" until staff pay
it again or close it (`extra_returns`).
"""

from __future__ import annotations

from datetime import datetime

from huishoudboekje.adapters.persistence import record_audit
from huishoudboekje.adapters.persistence.approvals import (
    HouseholdRequest,
    get_household_request,
    insert_household_request,
    list_household_requests,
    update_household_request,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.services.errors import UserError

REQUEST_KINDS = {"extra_leefgeld": "extra leefgeld", "eenmalige_betaling": "eenmalige betaling"}
MAX_REQUEST = Money("2500.00")
MAX_REASON = 1000
PAID = "betaald"
RETURNED = "teruggekomen"  # the bank sent the payment back (see extra_returns)
CLOSED = "afgesloten"  # returned, and staff closed it without paying again
STATUS_NL = {
    "nieuw": "ontvangen, nog niet bekeken",
    "wacht_op_akkoord": "bekeken, wacht op akkoord van een tweede medewerker",
    "goedgekeurd": "goedgekeurd; het geld wordt overgemaakt zodra uw buffer het toelaat",
    "afgewezen": "afgewezen",
    PAID: "uitbetaald: het geld is naar uw eigen rekening overgemaakt",
    RETURNED: "teruggekomen: de bank heeft het geld teruggestuurd",
    CLOSED: "afgesloten: het geld is niet overgemaakt en staat in uw buffer",
}


class RequestError(UserError, ValueError):
    """A request that cannot be made or handled; `field` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def submit_request(
    uow: UnitOfWork,
    *,
    household: str,
    actor: str,
    kind: str,
    amount: Money,
    reason: str,
    now: datetime,
) -> HouseholdRequest:
    """Store a household's request and commit; `RequestError` on bad input."""
    if kind not in REQUEST_KINDS:
        raise RequestError("kind", "Kies wat u wilt vragen.")
    if amount <= ZERO:
        raise RequestError("amount", "Vul een bedrag in dat groter is dan € 0,00.")
    if amount > MAX_REQUEST:
        raise RequestError("amount", "Dit bedrag is te hoog. Bel uw medewerker.")
    reason = reason.strip()
    if not reason:
        raise RequestError("reason", "Schrijf kort waarom u dit nodig hebt.")
    if len(reason) > MAX_REASON:
        raise RequestError("reason", f"Gebruik hoogstens {MAX_REASON} tekens.")
    request = insert_household_request(
        uow, household=household, kind=kind, amount=amount, reason=reason, created_by=actor, at=now
    )
    record_audit(
        uow,
        actor=actor,
        action="household_request.create",
        object_type="household_request",
        object_id=str(request.id),
        after={"household": household, "kind": kind, "amount": amount, "reason": reason},
        at=now,
    )
    uow.commit()
    return request


def refuse_request(
    uow: UnitOfWork, *, request_id: int, actor: str, answer: str, now: datetime
) -> None:
    """Staff refuse a new request (no second approval needed to say no); commits."""
    request = get_household_request(uow, request_id)
    if request is None:
        raise RequestError("", "Dit verzoek bestaat niet.")
    if request.status != "nieuw":
        raise RequestError("", "Dit verzoek is al behandeld.")
    if not answer.strip():
        raise RequestError("answer", "Schrijf het huishouden waarom het verzoek is afgewezen.")
    update_household_request(
        uow, request_id, status="afgewezen", handled_by=actor, at=now, answer=answer.strip()
    )
    record_audit(
        uow,
        actor=actor,
        action="household_request.refuse",
        object_type="household_request",
        object_id=str(request_id),
        before={"status": request.status},
        after={"status": "afgewezen", "answer": answer.strip()},
        at=now,
    )
    uow.commit()


def requests_of(uow: UnitOfWork, household: str) -> tuple[HouseholdRequest, ...]:
    """One household's requests, newest first."""
    return list_household_requests(uow, household=household)


def open_requests(uow: UnitOfWork) -> tuple[HouseholdRequest, ...]:
    """Requests staff still have to look at (status nieuw), newest first."""
    return list_household_requests(uow, status="nieuw")


def returned_waiting(uow: UnitOfWork) -> tuple[HouseholdRequest, ...]:
    """Requests whose extra payment the bank sent back (status teruggekomen): staff
    still have to pay them again or close them (`extra_returns`), newest first."""
    return list_household_requests(uow, status=RETURNED)


def approved_requests(uow: UnitOfWork) -> tuple[HouseholdRequest, ...]:
    """Approved requests (for the nightly run to pay)."""
    return list_household_requests(uow, status="goedgekeurd")
