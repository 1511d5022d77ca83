"""A returned extra payment: the household's request follows its payment.

When the bank sends an extra payment back (reconcile: "betaling teruggekomen"),
the money is back in the household's vat and the request goes from "betaald"
to "teruggekomen" (`follow_returned_extras`, in the reconcile stage's own
transaction, audit-logged). Nothing is paid again by itself. A staff member
either pays it again (`retry_returned_request`: back to "goedgekeurd", the next
night pays it as a new attempt with its own EndToEndId, to the household's IBAN
as it is then) or closes it with a note for the household
(`close_returned_request`: "afgesloten", the money stays in the vat). Either
way the "betaling teruggekomen" signal closes with the same note.

Paying again needs no second approval: the amount was approved with four eyes,
and the money only goes to the household's own IBAN, whose change needs four
eyes itself. When the bank's reason says the account cannot take money (closed,
wrong, blocked), paying again to that same IBAN is refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from huishoudboekje.adapters.persistence import load_household, record_audit
from huishoudboekje.adapters.persistence.approvals import (
    HouseholdRequest,
    get_household_request,
    set_household_request_status,
    update_household_request,
)
from huishoudboekje.adapters.persistence.crud import record_of
from huishoudboekje.adapters.persistence.instruction_repo import extra_instruction_rows
from huishoudboekje.adapters.persistence.nightly_tables import PaymentInstructionRow
from huishoudboekje.adapters.persistence.signal_repo import close_signal
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.ids import extra_charge_id, payment_returned_key, request_of_charge_id
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.return_reasons import needs_other_account, reason_nl
from huishoudboekje.services.household_requests import (
    CLOSED,
    MAX_REASON,
    PAID,
    RETURNED,
    RequestError,
    returned_waiting,
)

NIGHT_ACTOR = "nachtrun"
APPROVED = "goedgekeurd"


@dataclass(frozen=True, slots=True)
class ExtraPayment:
    """One payment (attempt) of a request, as staff and the household see it."""

    end_to_end_id: str
    iban: str
    amount: Money
    execution_date: date
    status: str  # instructed | in_flight | paid | returned
    return_code: str  # the bank's reason code, "" unless returned

    @property
    def reason_nl(self) -> str:
        """Why it came back, in plain Dutch."""
        return reason_nl(self.return_code)


@dataclass(frozen=True, slots=True)
class ReturnedRequest:
    """A request whose payment came back, with what staff need to decide."""

    request: HouseholdRequest
    payment: ExtraPayment
    household_name: str
    current_iban: str  # the household's IBAN now (where a new attempt would go)

    @property
    def needs_new_iban(self) -> bool:
        """Paying again would go to the account the bank refused."""
        return self.current_iban == self.payment.iban and needs_other_account(
            self.payment.return_code
        )


def _payment(row: PaymentInstructionRow) -> ExtraPayment:
    return record_of(
        ExtraPayment,
        row,
        iban=row.payee_iban,
        amount=Money(row.amount),
        return_code=row.return_reason if row.status == InstructionStatus.RETURNED else "",
    )


def latest_payments(uow: UnitOfWork, request_ids: Iterable[int]) -> dict[int, ExtraPayment]:
    """The latest payment (attempt) of each of these requests that has one."""
    charge_ids = [extra_charge_id(i) for i in request_ids]
    if not charge_ids:
        return {}
    out: dict[int, ExtraPayment] = {}
    for row in extra_instruction_rows(uow, charge_ids=charge_ids):  # oldest first
        request_id = request_of_charge_id(row.charge_id)
        if request_id is not None:
            out[request_id] = _payment(row)
    return out


def follow_returned_extras(uow: UnitOfWork, *, at: datetime) -> list[int]:
    """Requests still "betaald" whose latest payment came back become "teruggekomen",
    audit-logged (not committed). Idempotent: a request moves once per payment."""
    returned = extra_instruction_rows(uow, status=InstructionStatus.RETURNED)
    by_request: dict[int, list[str]] = defaultdict(list)
    for row in returned:
        request_id = request_of_charge_id(row.charge_id)
        if request_id is not None:
            by_request[request_id].append(row.end_to_end_id)
    latest = latest_payments(uow, by_request)
    moved: list[int] = []
    for request_id in sorted(by_request):
        request = get_household_request(uow, request_id)
        payment = latest.get(request_id)
        if request is None or request.status != PAID or payment is None:
            continue
        if payment.status != InstructionStatus.RETURNED:
            continue  # an earlier attempt came back; the latest one stands
        set_household_request_status(uow, request_id, RETURNED)
        _audit(
            uow,
            request_id,
            "extra_payment.returned",
            actor=NIGHT_ACTOR,
            before={"status": PAID},
            after={
                "status": RETURNED,
                "end_to_end_id": payment.end_to_end_id,
                "iban": payment.iban,
                "reason": payment.return_code,
                "reason_nl": payment.reason_nl,
            },
            at=at,
        )
        moved.append(request_id)
    return moved


def returned_requests(uow: UnitOfWork) -> list[ReturnedRequest]:
    """Requests whose payment came back and that staff have not handled yet, newest first."""
    requests = returned_waiting(uow)
    payments = latest_payments(uow, [r.id for r in requests])
    out: list[ReturnedRequest] = []
    for request in requests:
        payment = payments.get(request.id)
        if payment is None:
            continue
        household = load_household(uow, request.household)
        out.append(
            ReturnedRequest(
                request=request,
                payment=payment,
                household_name=household.name if household is not None else "",
                current_iban=household.iban if household is not None else "",
            )
        )
    return out


def _returned(uow: UnitOfWork, request_id: int) -> ReturnedRequest:
    for item in returned_requests(uow):
        if item.request.id == request_id:
            return item
    request = get_household_request(uow, request_id)
    if request is None:
        raise RequestError("", "Dit verzoek bestaat niet.")
    raise RequestError("", "Dit verzoek heeft geen teruggekomen betaling (meer).")


def _note(note: str, *, required: bool) -> str:
    note = note.strip()
    if required and not note:
        raise RequestError("answer", "Schrijf het huishouden wat er met het geld gebeurt.")
    if len(note) > MAX_REASON:
        raise RequestError("answer", f"Gebruik hoogstens {MAX_REASON} tekens.")
    return note


def _audit(
    uow: UnitOfWork,
    request_id: int,
    action: str,
    *,
    actor: str,
    before: object,
    after: object,
    at: datetime,
) -> None:
    # Every step of a returned payment is logged against its request, so the
    # request's audit trail tells the whole story.
    record_audit(
        uow,
        actor=actor,
        action=action,
        object_type="household_request",
        object_id=str(request_id),
        before=before,
        after=after,
        at=at,
    )


def retry_returned_request(
    uow: UnitOfWork, *, request_id: int, actor: str, note: str, now: datetime, today: date
) -> None:
    """Staff pay a returned request again (the next night, to the household's current
    IBAN, as a new attempt); commits. Refused while the IBAN is the refused account."""
    item = _returned(uow, request_id)
    note = _note(note, required=False)
    if item.needs_new_iban:
        raise RequestError(
            "",
            f"De bank stuurde de betaling terug omdat {item.payment.reason_nl} "
            f"({item.payment.iban}). Pas eerst het IBAN van het huishouden aan; "
            "daarna kunt u opnieuw betalen.",
        )
    update_household_request(
        uow,
        request_id,
        status=APPROVED,
        handled_by=actor,
        at=now,
        answer=note or None,
    )
    _audit(
        uow,
        request_id,
        "extra_payment.retry",
        actor=actor,
        before={
            "status": RETURNED,
            "end_to_end_id": item.payment.end_to_end_id,
            "iban": item.payment.iban,
            "reason": item.payment.return_code,
        },
        after={"status": APPROVED, "iban": item.current_iban, "note": note},
        at=now,
    )
    _close_signal(uow, item, actor, now, today, note or "Opnieuw betalen.")
    uow.commit()


def close_returned_request(
    uow: UnitOfWork, *, request_id: int, actor: str, note: str, now: datetime, today: date
) -> None:
    """Staff close a returned request without paying again; the money stays in the
    household's buffer and `note` is the answer the household sees; commits."""
    item = _returned(uow, request_id)
    note = _note(note, required=True)
    update_household_request(uow, request_id, status=CLOSED, handled_by=actor, at=now, answer=note)
    _audit(
        uow,
        request_id,
        "extra_payment.close",
        actor=actor,
        before={"status": RETURNED, "end_to_end_id": item.payment.end_to_end_id},
        after={"status": CLOSED, "note": note},
        at=now,
    )
    _close_signal(uow, item, actor, now, today, note)
    uow.commit()


def _close_signal(
    uow: UnitOfWork, item: ReturnedRequest, actor: str, now: datetime, today: date, note: str
) -> None:
    key = payment_returned_key(item.request.household, item.payment.end_to_end_id)
    close_signal(uow, key, today, by=actor, at=now, note=note)
