"""What a household does and reads on its Verzoek page through the web, each in one
unit of work of its own (doors onto `household_requests` and `extra_returns`)."""

from __future__ import annotations

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.approvals import HouseholdRequest
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.services.database import on_engine
from huishoudboekje.services.extra_returns import ExtraPayment, latest_payments
from huishoudboekje.services.household_requests import RETURNED, requests_of, submit_request

__all__ = ["requests_with_payments", "send_request"]


# Store a household's request (`household_requests.submit_request`); raises
# `RequestError`, with nothing written, when the request is refused.
send_request = on_engine(submit_request)


def requests_with_payments(
    engine: Engine, household: str
) -> tuple[tuple[HouseholdRequest, ...], dict[int, ExtraPayment]]:
    """The household's requests, and for each one whose payment came back the latest
    payment, as one transaction saw them."""
    with UnitOfWork(engine) as uow:
        mine = requests_of(uow, household)
        returned = latest_payments(uow, [r.id for r in mine if r.status == RETURNED])
    return mine, returned
