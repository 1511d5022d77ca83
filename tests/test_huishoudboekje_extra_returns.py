"""A returned extra payment: the request follows its latest payment, once; staff decide.

The whole story (web, night, simulated bank) is in tests/test_scheduler_extras.py;
here the edges, on stored rows: an earlier attempt that comes back late, the
same return seen twice, and the reason codes in plain Dutch.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine

from huishoudboekje.adapters.config import load_config
from huishoudboekje.adapters.persistence import UnitOfWork, load_audit_events
from huishoudboekje.adapters.persistence.approvals import (
    get_household_request,
    insert_household_request,
    set_household_request_status,
)
from huishoudboekje.adapters.persistence.nightly_repo import (
    add_instructions,
    set_instruction_status,
)
from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.ids import extra_charge_id, extra_end_to_end_id
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.payments import PaymentInstruction
from huishoudboekje.domain.return_reasons import needs_other_account, reason_nl
from huishoudboekje.services.configuration import apply_config
from huishoudboekje.services.extra_returns import (
    close_returned_request,
    follow_returned_extras,
    retry_returned_request,
    returned_requests,
)
from huishoudboekje.services.household_requests import RequestError
from tests.web_fixtures import DEMO_CONFIG

AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
IBAN = "NL12TRIO0198765432"  # HH-0002's own account in the demo file


def paid_request(engine: Engine, *attempts: str) -> int:
    """HH-0002's request, paid once per attempt; each attempt's final status is given."""
    with UnitOfWork(engine) as uow:
        apply_config(uow, load_config(DEMO_CONFIG), actor="test")
        request = insert_household_request(
            uow,
            household="HH-0002",
            kind="eenmalige_betaling",
            amount=Money("50.00"),
            reason="schoolreis",
            created_by="devries",
            at=AT,
        )
        for attempt, status in enumerate(attempts, start=1):
            e2e = extra_end_to_end_id(request.id, attempt)
            instruction = PaymentInstruction(
                e2e, "HH-0002", "extra", extra_charge_id(request.id), "Fam. de Vries", IBAN,
                "", Money("50.00"), date(2026, 2, 20 + attempt), "x", "", "x",
            )  # fmt: skip
            add_instructions(uow, [instruction], date(2026, 2, 19 + attempt))
            code = "AC04" if status == "returned" else ""
            set_instruction_status(uow, e2e, InstructionStatus(status), code)
        set_household_request_status(uow, request.id, "betaald")
        uow.commit()
    return request.id


def status(engine: Engine, request_id: int) -> str:
    with UnitOfWork(engine) as uow:
        request = get_household_request(uow, request_id)
    assert request is not None
    return request.status


def follow(engine: Engine) -> list[int]:
    with UnitOfWork(engine) as uow:
        moved = follow_returned_extras(uow, at=AT)
        uow.commit()
    return moved


def test_a_return_moves_the_request_once(engine: Engine) -> None:
    request_id = paid_request(engine, "returned")
    assert follow(engine) == [request_id]
    assert follow(engine) == []  # the same return seen again changes nothing
    assert status(engine, request_id) == "teruggekomen"
    with UnitOfWork(engine) as uow:
        [event] = load_audit_events(uow, action="extra_payment.returned")
        [item] = returned_requests(uow)
    assert event.after["reason_nl"] == "de rekening is opgeheven"
    assert (item.payment.return_code, item.payment.iban, item.current_iban) == ("AC04", IBAN, IBAN)
    assert item.needs_new_iban  # AC04 to the same account would come back again


def test_an_earlier_attempt_that_comes_back_leaves_the_later_payment_alone(
    engine: Engine,
) -> None:
    request_id = paid_request(engine, "returned", "paid")
    assert follow(engine) == []
    assert status(engine, request_id) == "betaald"


def test_retry_is_refused_to_the_refused_account_and_close_needs_a_note(engine: Engine) -> None:
    request_id = paid_request(engine, "returned")
    follow(engine)
    with UnitOfWork(engine) as uow:
        with pytest.raises(RequestError, match="Pas eerst het IBAN"):
            retry_returned_request(
                uow, request_id=request_id, actor="mira", note="", now=AT, today=AT.date()
            )
        with pytest.raises(RequestError, match="Schrijf het huishouden"):
            close_returned_request(
                uow, request_id=request_id, actor="mira", note=" ", now=AT, today=AT.date()
            )
    assert status(engine, request_id) == "teruggekomen"
    with UnitOfWork(engine) as uow:
        close_returned_request(
            uow, request_id=request_id, actor="mira", note="Blijft in de buffer.", now=AT,
            today=AT.date(),
        )  # fmt: skip
    assert status(engine, request_id) == "afgesloten"
    with UnitOfWork(engine) as uow, pytest.raises(RequestError, match="geen teruggekomen"):
        retry_returned_request(
            uow, request_id=request_id, actor="mira", note="", now=AT, today=AT.date()
        )


@pytest.mark.parametrize(
    ("code", "words", "other_account"),
    [
        ("AC04", "de rekening is opgeheven", True),
        ("ac01", "het rekeningnummer klopt niet", True),
        ("MD07", "de rekeninghouder is overleden", True),
        ("MS03", "de bank heeft geen reden gegeven", False),
        ("onbekend", "de bank heeft geen reden gegeven", False),
        ("", "de bank heeft geen reden gegeven", False),
        ("ZZ99", "de bank gaf reden ZZ99", False),
    ],
)
def test_reason_codes_in_plain_dutch(code: str, words: str, other_account: bool) -> None:
    assert reason_nl(code) == words
    assert needs_other_account(code) is other_account
