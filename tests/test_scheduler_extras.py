"""End to end: a household asks (web), two staff approve, the night pays it (pain.001).

The simulated bank of tests/nightly_bank.py executes the payment file, so the
next night settles the extra payment and the ledger's bank equals the bank.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from huishoudboekje import ledger
from huishoudboekje.bankbook import InstructionStatus
from huishoudboekje.money import ZERO, Money
from huishoudboekje.persistence import (
    UnitOfWork,
    load_audit_events,
    load_household,
    load_ledger,
    open_database,
)
from huishoudboekje.persistence.approvals import list_change_requests, list_household_requests
from huishoudboekje.persistence.nightly_repo import bank_balance, instruction_rows
from tests.nightly_bank import Bank
from tests.nightly_support import days, nightly
from tests.test_cli_nightly import run_days
from tests.web_fixtures import WebEnv, make_app, seed

APPROVED_AT = datetime(2026, 2, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
def env(db_url: str) -> Iterator[WebEnv]:
    engine = open_database(db_url)
    seed(engine, history=False)
    engine.dispose()
    app = make_app(db_url, HHB_TODAY="2026-02-25", HHB_CLOCK=lambda: APPROVED_AT)
    yield WebEnv(app, app.extensions["hhb_engine"], db_url)
    app.extensions["hhb_engine"].dispose()


def ask_and_approve(env: WebEnv, amount: str, reason: str) -> int:
    """Fam. de Vries (HH-0002) asks; mira agrees; tom (teamleider) approves: four-eyes."""
    household = env.client("devries")
    response = household.post(
        "/verzoek", data={"kind": "eenmalige_betaling", "amount": amount, "reason": reason}
    )
    assert response.status_code == 302, response.data
    with UnitOfWork(env.engine) as uow:
        request = next(r for r in list_household_requests(uow) if r.reason == reason)
    env.client("mira").post(f"/medewerker/verzoeken/{request.id}", data={"besluit": "akkoord"})
    with UnitOfWork(env.engine) as uow:
        [change] = list_change_requests(uow, status="pending")
    env.client("tom").post(f"/medewerker/goedkeuren/{change.id}", data={"besluit": "goedkeuren"})
    with UnitOfWork(env.engine) as uow:
        [approved] = [r for r in list_household_requests(uow) if r.id == request.id]
    assert approved.status == "goedgekeurd"
    return request.id


def conservation(engine: Engine) -> None:
    """Conservation: the entries balance, so the bank equals the sum of vats, reserves,
    suspense, in flight (minus advances); and in flight holds only pending payments."""
    with UnitOfWork(engine) as uow:
        book = load_ledger(uow)
        bank = bank_balance(uow)
        pending = [
            Money(r.amount)
            for r in instruction_rows(uow)
            if r.status in (InstructionStatus.INSTRUCTED, InstructionStatus.IN_FLIGHT)
        ]
    debits = book.debit_balances()
    assert sum(debits.values(), ZERO) == ZERO
    others = sum((m for a, m in debits.items() if a != ledger.BANK), ZERO)
    assert bank == book.balance(ledger.BANK) == -others
    assert book.balance(ledger.IN_FLIGHT) == sum(pending, ZERO)


def test_an_approved_request_is_paid_by_the_night_and_shown_paid(
    env: WebEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var, bank = tmp_path / "var", Bank()
    run_days(bank, env.db_url, var, capsys, days(date(2026, 2, 21), date(2026, 2, 25)))
    paid_id = ask_and_approve(env, "40,00", "Nieuwe schoenen voor school")
    big_id = ask_and_approve(env, "2400,00", "Wasmachine")
    with UnitOfWork(env.engine) as uow:
        household = load_household(uow, "HH-0002")
    assert household is not None

    reports = run_days(bank, env.db_url, var, capsys, [date(2026, 2, 26)])
    report = reports[date(2026, 2, 26)]
    [extra] = [p for p in report["payments"] if p["kind"] == "extra"]
    assert extra == {
        "end_to_end_id": f"HHB-EXTRA-{paid_id}",
        "household": "HH-0002",
        "kind": "extra",
        "name": household.name,
        "iban": household.iban,
        "amount": "40.00",
        "execution_date": extra["execution_date"],
        "remittance": f"Eenmalige betaling verzoek {paid_id}",
    }
    pain = "".join(Path(f).read_text() for f in report["payment_files"])
    assert f"<EndToEndId>HHB-EXTRA-{paid_id}</EndToEndId>" in pain
    assert household.iban in pain
    # the big one waits for money, and staff see why
    held = [s for s in report["signals"] if f"verzoek {big_id}" in s["message"]]
    assert [s["kind"] for s in held] == ["betaling_achtergehouden"]
    conservation(env.engine)

    # the bank executes the file on its date; the night after settles it, ledger bank = statement
    run_days(bank, env.db_url, var, capsys, [date(2026, 2, 27), date(2026, 2, 28)])
    with UnitOfWork(env.engine) as uow:
        [row] = instruction_rows(uow, ids=[f"HHB-EXTRA-{paid_id}"])
        paid = (row.status, Money(row.amount), row.end_to_end_id)
        statuses = {r.id: r.status for r in list_household_requests(uow)}
        [event] = load_audit_events(uow, action="extra_payment.instruct")
    assert paid == ("paid", Money("40.00"), f"HHB-EXTRA-{paid_id}")
    assert statuses == {paid_id: "betaald", big_id: "goedgekeurd"}
    assert event.object_id == str(paid_id) and event.after["end_to_end_id"] == paid[2]
    conservation(env.engine)

    page = env.client("devries").get("/verzoek").data.decode()
    item = re.search(r"Nieuwe schoenen.*?</li>", page, re.S)
    assert item is not None and "uitbetaald" in item.group(0)
    waiting = re.search(r"Wasmachine.*?</li>", page, re.S)
    assert waiting is not None and "zodra uw buffer het toelaat" in waiting.group(0)

    # a re-run of the night pays nothing twice
    nightly(date(2026, 2, 28), env.db_url, var, capsys)
    with UnitOfWork(env.engine) as uow:
        extras = [r.end_to_end_id for r in instruction_rows(uow) if r.kind == "extra"]
    assert extras == [f"HHB-EXTRA-{paid_id}"]
