"""End to end: a household asks (web), two staff approve, the night pays it (pain.001).

The simulated bank of tests/nightly_bank.py executes the payment file, so the
next night settles the extra payment and the ledger's bank equals the bank.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_audit_events,
    load_household,
    load_ledger,
    open_database,
)
from huishoudboekje.adapters.persistence.approvals import (
    list_change_requests,
    list_household_requests,
)
from huishoudboekje.adapters.persistence.nightly_repo import (
    bank_balance,
    instruction_rows,
    signal_rows,
)
from huishoudboekje.domain import ledger
from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.services.rule_editing import household_data
from tests.nightly_bank import Bank
from tests.nightly_support import days, dump, nightly
from tests.test_cli_nightly import run_days
from tests.web_fixtures import WebEnv, make_app, seed
from web.staff_forms import HOUSEHOLD_FORM, shown_value

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


# ------------------------------------------------------------ a payment that comes back

RETURN_NIGHT = date(2026, 2, 28)  # reads the statement of 27 February: paid, and sent back
LATER = datetime(2026, 2, 28, 11, 0, tzinfo=UTC)
NEW_IBAN = "NL44RABO0123456789"


def returned_request(env: WebEnv, var: Path, bank: Bank, capsys: pytest.CaptureFixture[str]) -> int:
    """De Vries ask € 50,00; the night pays it; the bank executes it and sends it back
    (AC04, account closed). Returns the request's id."""
    run_days(bank, env.db_url, var, capsys, days(date(2026, 2, 21), date(2026, 2, 25)))
    request_id = ask_and_approve(env, "50,00", "Bijdrage schoolreis")
    run_days(bank, env.db_url, var, capsys, [date(2026, 2, 26)])
    e2e = f"HHB-EXTRA-{request_id}"
    assert e2e in bank.pending
    bank.returns[e2e] = "AC04"
    reports = run_days(bank, env.db_url, var, capsys, [date(2026, 2, 27), RETURN_NIGHT])
    assert reports[RETURN_NIGHT]["returned"] == 1
    return request_id


def request_status(engine: Engine, request_id: int) -> str:
    with UnitOfWork(engine) as uow:
        [request] = [r for r in list_household_requests(uow) if r.id == request_id]
    return request.status


def later_env(env: WebEnv) -> WebEnv:
    """The same database seen by an app three days later (staff handle the return)."""
    app = make_app(env.db_url, HHB_TODAY="2026-02-28", HHB_CLOCK=lambda: LATER)
    return WebEnv(app, app.extensions["hhb_engine"], env.db_url)


def test_a_returned_extra_payment_makes_the_request_teruggekomen_once(
    env: WebEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var, bank = tmp_path / "var", Bank()
    request_id = returned_request(env, var, bank, capsys)
    e2e = f"HHB-EXTRA-{request_id}"
    assert request_status(env.engine, request_id) == "teruggekomen"
    with UnitOfWork(env.engine) as uow:
        [row] = instruction_rows(uow, ids=[e2e])
        assert (row.status, row.return_reason) == ("returned", "AC04")
        [event] = load_audit_events(uow, action="extra_payment.returned")
        messages = {s.key: s.message for s in signal_rows(uow)}
    assert event.actor == "nachtrun" and event.object_id == str(request_id)
    assert event.before == {"status": "betaald"}
    assert event.after["status"] == "teruggekomen" and event.after["reason"] == "AC04"
    assert event.after["end_to_end_id"] == e2e
    assert "rekening is opgeheven" in messages[f"HH-0002:teruggekomen:{e2e}"]
    conservation(env.engine)

    # the household sees what happened, in plain Dutch
    page = env.client("devries").get("/verzoek").data.decode()
    item = re.search(r"Bijdrage schoolreis.*?</li>", page, re.S)
    assert item is not None
    assert (
        "Uw extra betaling van €\u00a050,00 is teruggekomen: de rekening is opgeheven."
        in item.group(0)
    )
    assert "Uw medewerker neemt contact met u op." in item.group(0)
    assert "uitbetaald" not in item.group(0)

    # staff see it as an open item: the requests page, the worklists, the audit log
    staff = env.client("mira")
    requests_page = staff.get("/medewerker/verzoeken").data.decode()
    assert "Teruggekomen betalingen (1)" in requests_page
    assert "de rekening is opgeheven (reden AC04)" in requests_page
    assert "Opnieuw betalen kan pas als het IBAN van het huishouden is aangepast" in requests_page
    assert 'value="opnieuw"' not in requests_page  # not to the closed account again
    worklists = staff.get("/medewerker/werklijsten").data.decode()
    assert "Teruggekomen extra betalingen (1)" in worklists
    assert "AC04: de rekening is opgeheven" in worklists and "extra betaling" in worklists
    audit = staff.get("/medewerker/audit?actie=extra_payment.returned").data.decode()
    assert "extra_payment.returned" in audit and "nachtrun" in audit

    # re-running the night, and re-importing the statement, change nothing
    before = dump(env.db_url)
    nightly(RETURN_NIGHT, env.db_url, var, capsys)
    processed = var / "inbox" / "processed" / "camt053-20260227.xml"
    shutil.copy(processed, var / "inbox" / "camt053-20260227-again.xml")
    again = nightly(RETURN_NIGHT, env.db_url, var, capsys)
    assert [s["status"] for s in again["statements"]] == ["duplicate"]
    assert dump(env.db_url) == before
    with UnitOfWork(env.engine) as uow:
        assert len(load_audit_events(uow, action="extra_payment.returned")) == 1
    assert [e for e in bank.instructed if e.startswith(e2e)] == [e2e]  # never paid again


def test_staff_pay_a_returned_request_again_to_the_new_iban(
    env: WebEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var, bank = tmp_path / "var", Bank()
    request_id = returned_request(env, var, bank, capsys)
    first = f"HHB-EXTRA-{request_id}"
    later = later_env(env)
    try:
        mira = later.client("mira")
        # to the same (closed) account: refused, nothing changes
        mira.post(f"/medewerker/verzoeken/{request_id}", data={"besluit": "opnieuw"})
        assert request_status(env.engine, request_id) == "teruggekomen"
        refused = mira.get("/medewerker/verzoeken").data.decode()
        assert "Pas eerst het IBAN van het huishouden aan" in refused

        # a new IBAN needs a second staff member, like any new IBAN
        with UnitOfWork(env.engine) as uow:
            household = load_household(uow, "HH-0002")
        assert household is not None
        data = household_data(household)
        form = {f.path: shown_value(f, data) for f in HOUSEHOLD_FORM.fields if not f.only_new}
        edit = {**form, "iban": NEW_IBAN}
        assert mira.post("/medewerker/huishouden/HH-0002/bewerken", data=edit).status_code == 302
        with UnitOfWork(env.engine) as uow:
            [change] = list_change_requests(uow, status="pending")
        later.client("tom").post(
            f"/medewerker/goedkeuren/{change.id}", data={"besluit": "goedkeuren"}
        )
        page = mira.get("/medewerker/verzoeken").data.decode()
        assert f"Opnieuw betalen gaat naar het nieuwe IBAN {NEW_IBAN}" in page
        note = "Nieuw rekeningnummer doorgegeven door mevrouw De Vries"
        mira.post(
            f"/medewerker/verzoeken/{request_id}", data={"besluit": "opnieuw", "answer": note}
        )
    finally:
        later.engine.dispose()
    assert request_status(env.engine, request_id) == "goedgekeurd"
    with UnitOfWork(env.engine) as uow:
        [retry] = load_audit_events(uow, action="extra_payment.retry")
        closed = [
            (s.status, s.acknowledged_by, s.acknowledged_note)
            for s in signal_rows(uow, status=None)
            if s.key.endswith(first)
        ]
    assert retry.actor == "mira" and retry.before["iban"] != retry.after["iban"] == NEW_IBAN
    assert closed == [("closed", "mira", note)]

    # the next night pays it as attempt 2, to the new IBAN; the bank carries it out
    reports = run_days(bank, env.db_url, var, capsys, days(date(2026, 3, 1), date(2026, 3, 3)))
    second = f"{first}-2"
    [extra] = [p for p in reports[date(2026, 3, 1)]["payments"] if p["kind"] == "extra"]
    assert (extra["end_to_end_id"], extra["iban"], extra["amount"]) == (second, NEW_IBAN, "50.00")
    assert [e for e in bank.instructed if e.startswith(first)] == [first, second]
    with UnitOfWork(env.engine) as uow:
        statuses = {r.end_to_end_id: r.status for r in instruction_rows(uow, ids=[first, second])}
    assert statuses == {first: "returned", second: "paid"}
    assert request_status(env.engine, request_id) == "betaald"
    conservation(env.engine)


def test_staff_close_a_returned_request_and_the_money_stays_in_the_buffer(
    env: WebEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var, bank = tmp_path / "var", Bank()
    request_id = returned_request(env, var, bank, capsys)
    later = later_env(env)
    try:
        mira = later.client("mira")
        mira.post(f"/medewerker/verzoeken/{request_id}", data={"besluit": "afsluiten"})
        assert request_status(env.engine, request_id) == "teruggekomen"  # a note is needed
        note = "Het geld blijft in uw buffer; we betalen de schoolreis samen met de school."
        mira.post(
            f"/medewerker/verzoeken/{request_id}", data={"besluit": "afsluiten", "answer": note}
        )
    finally:
        later.engine.dispose()
    assert request_status(env.engine, request_id) == "afgesloten"
    with UnitOfWork(env.engine) as uow:
        [event] = load_audit_events(uow, action="extra_payment.close")
    assert event.after == {"status": "afgesloten", "note": note}
    page = env.client("devries").get("/verzoek").data.decode()
    item = re.search(r"Bijdrage schoolreis.*?</li>", page, re.S)
    assert item is not None and "staat in uw buffer" in item.group(0) and note in item.group(0)
    staff_page = env.client("mira").get("/medewerker/verzoeken").data.decode()
    assert "Teruggekomen betalingen (0)" in staff_page

    # nothing is paid again
    run_days(bank, env.db_url, var, capsys, [date(2026, 3, 1)])
    with UnitOfWork(env.engine) as uow:
        extras = [r.end_to_end_id for r in instruction_rows(uow) if r.kind == "extra"]
    assert extras == [f"HHB-EXTRA-{request_id}"]
    assert request_status(env.engine, request_id) == "afgesloten"
    conservation(env.engine)
