"""The nightly run driven as an operator would, over several simulated days.

A tiny simulated bank (tests/nightly_bank.py) delivers a CAMT.053 per day into
the inbox (incomes, plus the payments from the pain.001 files the previous
nights wrote to the outbox); `hhb nightly` runs for each day.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    create_engine_from_url,
    load_audit_events,
    load_ledger,
)
from huishoudboekje.adapters.persistence.nightly_repo import (
    bank_balance,
    instruction_rows,
    transactions,
)
from huishoudboekje.domain import ledger
from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import Money
from huishoudboekje.services.night_worklists import acknowledge_night_signal, night_signals
from tests.nightly_bank import Bank, Income
from tests.nightly_support import GIFT, INCOMES, SAMPLE, days, dump, hhb, incomes_on, nightly

FIRST = date(2026, 2, 17)
LAST = date(2026, 3, 7)
WEEKDAY = {"HH-0001": 4, "HH-0002": 3, "HH-0003": 0}  # friday, thursday, monday


@pytest.fixture
def db(db_url: str) -> str:
    assert hhb("config", "apply", str(SAMPLE), db=db_url) == 0
    return db_url


def ledger_bank(db: str) -> object:
    engine = create_engine_from_url(db)
    try:
        with UnitOfWork(engine) as uow:
            return bank_balance(uow)
    finally:
        engine.dispose()


def run_days(
    bank: Bank, db: str, var: Path, capsys: pytest.CaptureFixture[str], nights: list[date]
) -> dict[date, dict[str, object]]:
    """For each night D: the bank delivers the statement of D-1, then the night runs."""
    pytest.importorskip("connectors.pain001")  # the bank reads the payment files
    reports = {}
    for night in nights:
        day = night - timedelta(days=1)
        incomes = incomes_on(day) + ([GIFT] if day == GIFT.day else [])
        bank.statement(day, incomes, var / "inbox")
        reports[night] = nightly(night, db, var, capsys)
        bank.collect(var / "outbox")
        # the ledger's bank account equals the bank's own closing balance, every day
        assert ledger_bank(db) == bank.closings[day], night
    return reports


def test_weeks_of_nights_pay_on_time_and_keep_the_ledger_equal_to_the_bank(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path / "var"
    bank = Bank()
    reports = run_days(bank, db, var, capsys, days(FIRST, LAST))

    # no payment instructed twice
    assert len(bank.instructed) == len(set(bank.instructed))
    # every payment was executed on the day it asked for
    assert all(e.day == e.requested for e in bank.executed)
    executed = {e.end_to_end_id: e for e in bank.executed}
    # rent due Sunday 1 March went out on time (Friday 27 February) for every household
    for code in ("HH-0001", "HH-0002", "HH-0003"):
        rent = executed[f"{code}-huur-20260301"]
        assert rent.day <= date(2026, 3, 1)
    # leefgeld released on each household's weekday
    engine = create_engine_from_url(db)
    with UnitOfWork(engine) as uow:
        rows = instruction_rows(uow)
        leefgeld = [r for r in rows if r.kind == "leefgeld" and r.charge_id == "leefgeld"]
        assert leefgeld
        for row in leefgeld:
            assert row.execution_date.weekday() == WEEKDAY[row.household], row.end_to_end_id
        statuses = {r.end_to_end_id: r.status for r in rows}
    engine.dispose()
    for e2e in executed:
        assert statuses[e2e] == "paid"
    # the report has the documented shape
    report = reports[date(2026, 2, 21)]
    assert set(report) == {
        "date",
        "statements",
        "matched",
        "unmatched",
        "settled",
        "returned",
        "payments",
        "payment_files",
        "signals",
    }
    assert report["statements"][0]["status"] == "imported"
    assert report["matched"] == 4  # the four toeslagen of 20 February
    assert all(
        set(p)
        == {
            "end_to_end_id",
            "household",
            "kind",
            "name",
            "iban",
            "amount",
            "execution_date",
            "remittance",
        }
        for p in report["payments"]
    )
    # the gift nobody expected went to suspense with a signal
    gift_night = reports[GIFT.day + timedelta(days=1)]
    assert gift_night["unmatched"] == 1
    assert any(s["kind"] == "onbekende_transactie" for s in gift_night["signals"])


def test_running_a_night_twice_changes_nothing_and_writes_no_second_file(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path / "var"
    bank = Bank()
    run_days(bank, db, var, capsys, days(date(2026, 2, 19), date(2026, 2, 21)))
    before = dump(db)
    files = sorted(p.name for p in (var / "outbox").iterdir())
    again = nightly(date(2026, 2, 21), db, var, capsys)
    assert dump(db) == before
    assert sorted(p.name for p in (var / "outbox").iterdir()) == files
    assert again["statements"] == []


def test_reimport_and_overlapping_statement_add_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path / "var"
    bank = Bank()
    run_days(bank, db, var, capsys, days(date(2026, 2, 20), date(2026, 2, 21)))
    processed = var / "inbox" / "processed" / "camt053-20260220.xml"
    before = dump(db)
    # the same file delivered again
    (var / "inbox" / "again.xml").write_bytes(processed.read_bytes())
    report = nightly(date(2026, 2, 21), db, var, capsys)
    assert report["statements"][0]["status"] == "duplicate"
    assert dump(db) == before
    # `hhb import` of the same file again: a duplicate too, exit 0
    capsys.readouterr()
    assert hhb("import", str(processed), "--json", "--var", str(var), db=db) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["files"][0]["status"] in {"duplicate", "imported"}
    assert data["files"][0]["new"] == 0
    assert dump(db) == before


def test_rejected_file_and_foreign_account(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path / "var"
    inbox = var / "inbox"
    inbox.mkdir(parents=True)
    (inbox / "kapot.xml").write_text("<Document>niet af", encoding="utf-8")
    foreign = Bank(account="NL39RABO0300065264")
    foreign.statement(date(2026, 2, 20), incomes_on(date(2026, 2, 20)), inbox)
    good = Bank()
    good.statement(date(2026, 2, 20), incomes_on(date(2026, 2, 20)), inbox)
    (inbox / "camt053-20260220.xml").rename(inbox / "z-goed.xml")
    report = nightly(date(2026, 2, 21), db, var, capsys)
    by_file = {s["file"]: s for s in report["statements"]}
    assert by_file["kapot.xml"]["status"] == "rejected"
    assert by_file["z-goed.xml"]["status"] == "imported"
    assert report["matched"] == 4
    assert (inbox / "rejected" / "kapot.xml").exists()
    assert (inbox / "rejected" / "kapot.xml.error.txt").read_text(encoding="utf-8").strip()
    assert (inbox / "processed" / "z-goed.xml").exists()
    assert any(s["kind"] == "bestand_geweigerd" for s in report["signals"])


def test_unmatched_income_assigned_later_with_hhb_assign(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path / "var"
    bank = Bank()
    bank.statement(GIFT.day, [GIFT], var / "inbox")
    report = nightly(GIFT.day + timedelta(days=1), db, var, capsys)
    assert report["unmatched"] == 1
    capsys.readouterr()
    assert hhb("signals", "--json", db=db) == 0
    signals = json.loads(capsys.readouterr().out)
    key = next(s["data"]["dedupe_key"] for s in signals if s["kind"] == "onbekende_transactie")
    assert hhb("assign", key, "HH-0003", "--income", "alimentatie", db=db) == 0
    assert hhb("assign", key, "HH-0003", db=db) == 2  # not unmatched any more
    capsys.readouterr()
    assert hhb("signals", "--json", db=db) == 0
    assert not any(s["kind"] == "onbekende_transactie" for s in json.loads(capsys.readouterr().out))
    engine = create_engine_from_url(db)
    with UnitOfWork(engine) as uow:
        book = load_ledger(uow)
        assert book.balance(ledger.vat("HH-0003")) == Money("50.00")
        assert book.balance(ledger.SUSPENSE) == Money("0.00")
        assert load_audit_events(uow, action="transaction.assign")
    engine.dispose()


def test_returned_payment_and_unknown_debit(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path / "var"
    bank = Bank()
    run_days(bank, db, var, capsys, days(date(2026, 2, 21), date(2026, 2, 25)))
    leefgeld = sorted(e for e in bank.pending if e.startswith("HH-0002-LG"))
    assert leefgeld, bank.pending
    bank.returns[leefgeld[0]] = "AC04"
    bank.extra[date(2026, 2, 26)] = [
        BankTransaction(
            booking_date=date(2026, 2, 26),
            value_date=date(2026, 2, 26),
            amount=Money("-12.50"),
            counterparty_name="Bankkosten",
            description="kosten",
            bank_reference="KOSTEN-1",
        )
    ]
    reports = run_days(bank, db, var, capsys, days(date(2026, 2, 26), date(2026, 2, 27)))
    report = reports[date(2026, 2, 27)]
    assert report["returned"] == 1
    assert report["unmatched"] == 1  # the bank costs
    kinds = {s["kind"] for s in report["signals"]}
    assert {"betaling_teruggekomen", "onbekende_transactie"} <= kinds
    engine = create_engine_from_url(db)
    with UnitOfWork(engine) as uow:
        row = instruction_rows(uow, ids=[leefgeld[0]])[0]
        assert (row.status, row.return_reason) == ("returned", "AC04")
    engine.dispose()


def test_catch_up_runs_missed_nights_in_order(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path / "var"
    nightly(date(2026, 2, 20), db, var, capsys)
    nightly(date(2026, 2, 23), db, var, capsys)
    capsys.readouterr()
    assert hhb("runs", "--json", db=db) == 0
    runs = json.loads(capsys.readouterr().out)
    assert [r["night"] for r in runs] == ["2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23"]


def test_caught_up_nights_never_ask_the_bank_for_a_date_in_the_past(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The server was down from Saturday 21 to Monday 23 February; on Tuesday 24 the
    missed nights run first. What they instruct goes out on the 24th at the earliest,
    the stored instruction says so, and staff get a signal per moved payment."""
    pytest.importorskip("connectors.pain001")
    from connectors.pain001 import read_pain001

    var = tmp_path / "var"
    bank = Bank()
    run_days(bank, db, var, capsys, days(FIRST, date(2026, 2, 20)))
    for day in days(date(2026, 2, 20), date(2026, 2, 23)):
        bank.statement(day, incomes_on(day), var / "inbox")
    before = {p.name for p in (var / "outbox").glob("pain001-*.xml")}
    nightly(date(2026, 2, 24), db, var, capsys)
    requested = {
        payment.end_to_end_id: payment.execution_date
        for path in (var / "outbox").glob("pain001-*.xml")
        if path.name not in before
        for payment in read_pain001(path.read_bytes(), path.name).payments
    }
    assert requested and min(requested.values()) >= date(2026, 2, 24)
    engine = create_engine_from_url(db)
    try:
        with UnitOfWork(engine) as uow:
            stored = {r.end_to_end_id: r.execution_date for r in instruction_rows(uow)}
    finally:
        engine.dispose()
    assert {e: stored[e] for e in requested} == requested
    capsys.readouterr()
    assert hhb("signals", "--json", db=db) == 0
    moved = [s for s in json.loads(capsys.readouterr().out) if s["kind"] == "betaling_te_laat"]
    assert moved and all("niet op tijd gedraaid" in s["message"] for s in moved)


def test_a_second_night_at_the_same_time_exits_with_a_clear_message(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler.lock import NightLock

    var = tmp_path / "var"
    engine = create_engine_from_url(db)
    try:
        with NightLock(var / "nightly.lock", engine):
            capsys.readouterr()
            code = hhb("nightly", "--date", "2026-02-20", "--var", str(var), db=db)
            assert code == 3
            assert "er draait al een nachtelijke verwerking" in capsys.readouterr().err
    finally:
        engine.dispose()


def test_a_missing_statement_is_signalled(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path / "var"
    bank = Bank()
    bank.statement(date(2026, 2, 19), [], var / "inbox")
    nightly(date(2026, 2, 20), db, var, capsys)
    bank.statement(date(2026, 2, 20), incomes_on(date(2026, 2, 20)), var / "inbox")
    (var / "inbox" / "camt053-20260220.xml").unlink()  # the bank never delivered it
    bank.statement(date(2026, 2, 23), incomes_on(date(2026, 2, 23)), var / "inbox")
    nightly(date(2026, 2, 24), db, var, capsys)  # catches up 21, 22, 23 first
    capsys.readouterr()
    assert hhb("signals", "--json", db=db) == 0
    kinds = {s["kind"] for s in json.loads(capsys.readouterr().out)}
    assert "ontbrekend_afschrift" in kinds
    # the ledger cannot equal the bank now; that is said out loud, never absorbed
    assert "saldo_verschil" in kinds
    assert ledger_bank(db) != bank.closings[date(2026, 2, 23)]


def test_the_same_day_in_camt_and_mt940_is_booked_once(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.mt940_writer import Mt940Statement, write_mt940

    var = tmp_path / "var"
    bank = Bank()
    bank.statement(date(2026, 2, 20), incomes_on(date(2026, 2, 20)), var / "inbox")
    assert nightly(date(2026, 2, 21), db, var, capsys)["matched"] == 4
    before = dump(db)

    def mt940_tx(income: Income, day: date, ref: str) -> BankTransaction:
        return BankTransaction(
            booking_date=day,
            value_date=day,
            amount=Money(income.amount),
            counterparty_name=income.payer_name,
            counterparty_iban=income.payer_iban,
            description=income.description,
            bank_reference=ref,
        )

    same_day = [mt940_tx(i, date(2026, 2, 20), f"MT{n}") for n, i in enumerate(INCOMES[:4])]
    mt940 = tmp_path / "ing.mt940"
    mt940.write_bytes(
        write_mt940(
            [
                Mt940Statement(
                    bank.account,
                    Money("0.00"),
                    date(2026, 2, 20),
                    date(2026, 2, 20),
                    tuple(same_day),
                )
            ]
        )
    )
    capsys.readouterr()
    assert hhb("import", str(mt940), "--json", "--var", str(var), db=db) == 0
    result = json.loads(capsys.readouterr().out)["files"][0]
    assert (result["status"], result["transactions"], result["new"]) == ("duplicate", 4, 0)
    # nothing booked or stored twice; only the statement itself is recorded as seen
    after = dump(db)
    assert after.pop("bank_statement") != before.pop("bank_statement")
    assert after == before

    # an overlapping MT940 (the 20th again plus the 23rd) adds only the 23rd
    ww = mt940_tx(incomes_on(date(2026, 2, 23))[0], date(2026, 2, 23), "MT9")
    overlap = tmp_path / "ing2.mt940"
    overlap.write_bytes(
        write_mt940(
            [
                Mt940Statement(
                    bank.account,
                    Money("0.00"),
                    date(2026, 2, 20),
                    date(2026, 2, 23),
                    (*same_day, ww),
                )
            ]
        )
    )
    capsys.readouterr()
    assert hhb("import", str(overlap), "--json", "--var", str(var), db=db) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["files"][0]["new"] == 1
    assert data["stages"]["match"]["matched"] == 1
    assert ledger_bank(db) == Money("2298.00")  # 1053.00 + 1245.00, nothing twice


def test_a_failing_household_is_a_problem_and_the_others_are_planned(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import huishoudboekje.services.night_plan as stage_plan

    real = stage_plan.plan

    def broken(household, state, today, settings):  # type: ignore[no-untyped-def]
        if household.code == "HH-0002":
            raise RuntimeError("kapotte regels")
        return real(household, state, today, settings)

    monkeypatch.setattr(stage_plan, "plan", broken)
    report = nightly(date(2026, 2, 26), db, tmp_path / "var", capsys)
    problems = [s for s in report["signals"] if s["kind"] == "verwerking_mislukt"]
    assert [s["household"] for s in problems] == ["HH-0002"]
    assert {p["household"] for p in report["payments"]} <= {"HH-0001", "HH-0003"}
    capsys.readouterr()
    assert hhb("runs", "--json", db=db) == 0
    run = json.loads(capsys.readouterr().out)[-1]
    assert run["status"] == "problems"
    assert run["stages"]["plan"]["failed"] == 1
    assert run["stages"]["plan"]["planned"] == 2
    # the next night plans it again once it is fixed
    monkeypatch.setattr(stage_plan, "plan", real)
    nightly(date(2026, 2, 27), db, tmp_path / "var", capsys)
    capsys.readouterr()
    assert hhb("runs", "--json", db=db) == 0
    assert json.loads(capsys.readouterr().out)[-1]["stages"]["plan"]["planned"] == 3


WW_RUNNING = 'schedule: {start: 2026-02-23, rrule: "FREQ=MONTHLY;BYMONTHDAY=23"}'
WW_ENDED = 'schedule: {start: 2026-01-23, rrule: "FREQ=MONTHLY;BYMONTHDAY=23;UNTIL=20260131"}'


def signals_of(db: str, kind: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """`hhb signals --all --json`, only those of `kind`."""
    capsys.readouterr()
    assert hhb("signals", "--all", "--json", db=db) == 0
    return [s for s in json.loads(capsys.readouterr().out) if s["kind"] == kind]


def test_money_for_an_ended_income_is_booked_and_signalled_once(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Dhr. Bakker's WW ended per 31 January; UWV still pays on 23 February."""
    config = tmp_path / "ww-beeindigd.yaml"
    text = SAMPLE.read_text(encoding="utf-8")
    assert text.count(WW_RUNNING) == 1
    config.write_text(text.replace(WW_RUNNING, WW_ENDED), encoding="utf-8")
    assert hhb("config", "apply", str(config), db=db_url) == 0
    db, var, bank = db_url, tmp_path / "var", Bank()
    reports = run_days(bank, db, var, capsys, days(date(2026, 2, 22), date(2026, 2, 25)))

    # booked to the household like any income (run_days checked ledger == bank every day)
    engine = create_engine_from_url(db)
    try:
        with UnitOfWork(engine) as uow:
            (row,) = [r for r in transactions(uow) if r.counterparty_name == "UWV"]
            assert (row.status, row.household, row.income_id) == ("matched", "HH-0003", "ww")
            assert row.journal_entry_id is not None
            assert row.match_reasons is not None
            assert row.match_reasons["after_end"] == "2026-01-31"
            book = load_ledger(uow)
            assert book.balance(ledger.SUSPENSE) == Money("0.00")
            entry = next(e for e in book.entries if e.id == row.journal_entry_id)
            assert sum((p.amount for p in entry.postings), Money("0.00")) == Money("0.00")
            assert {p.account for p in entry.postings} == {ledger.BANK, ledger.vat("HH-0003")}
    finally:
        engine.dispose()

    # one signal, for staff, on the night the statement came in
    raised = [s for s in reports[date(2026, 2, 24)]["signals"] if s["kind"] == "inkomen_na_einde"]
    assert [(s["household"], s["severity"]) for s in raised] == [("HH-0003", "high")]
    assert raised[0]["message"] == (
        "WW (UWV) van € 1.245,00 op maandag 23 februari ontvangen, maar dit inkomen is "
        "beëindigd per zaterdag 31 januari. Controleer of het terugbetaald moet worden; "
        "het bedrag staat in de buffer van het huishouden."
    )
    (stored,) = signals_of(db, "inkomen_na_einde", capsys)
    assert stored["status"] == "open" and stored["data"]["income"] == "ww"

    # re-running the night and re-delivering the statement raise nothing new
    before = dump(db)
    nightly(date(2026, 2, 25), db, var, capsys)
    processed = var / "inbox" / "processed" / "camt053-20260223.xml"
    (var / "inbox" / "nog-eens.xml").write_bytes(processed.read_bytes())
    again = nightly(date(2026, 2, 25), db, var, capsys)
    assert again["statements"][0]["status"] == "duplicate"
    assert dump(db) == before
    assert len(signals_of(db, "inkomen_na_einde", capsys)) == 1

    # staff see it on the worklist and close it with a note; later nights leave it closed
    engine = create_engine_from_url(db)
    try:
        with UnitOfWork(engine) as uow:
            listed = [s for s in night_signals(uow) if s.kind == "inkomen_na_einde"]
            assert [s.key for s in listed] == [stored["key"]]
            acknowledge_night_signal(
                uow,
                key=stored["key"],
                actor="medewerker",
                note="UWV gebeld: terugbetalen via betalingsregeling",
                now=datetime(2026, 2, 25, 9, 0, tzinfo=UTC),
                today=date(2026, 2, 25),
            )
    finally:
        engine.dispose()
    run_days(bank, db, var, capsys, [date(2026, 2, 26)])
    (closed,) = signals_of(db, "inkomen_na_einde", capsys)
    assert closed["status"] == "closed"


def test_the_last_ww_payment_before_the_end_raises_no_signal(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ended per 28 February, the WW of 23 February is ordinary income."""
    config = tmp_path / "ww-eindigt.yaml"
    ending = WW_RUNNING.replace('23"}', '23;UNTIL=20260228"}')
    config.write_text(
        SAMPLE.read_text(encoding="utf-8").replace(WW_RUNNING, ending), encoding="utf-8"
    )
    assert hhb("config", "apply", str(config), db=db_url) == 0
    reports = run_days(Bank(), db_url, tmp_path / "var", capsys, [date(2026, 2, 24)])
    assert reports[date(2026, 2, 24)]["matched"] >= 1
    assert signals_of(db_url, "inkomen_na_einde", capsys) == []
