"""The read model of household statuses (issue 24): the night stores each household's
status with its plan, every change to a household's inputs during the day stores it
again, and what is stored always equals what a fresh computation gives.

Each test changes one kind of input (a staff change saved or approved, a credit
assigned or split, an extra payment instructed, a configuration applied) and then
compares every stored status with `household_status` computed from the database.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, update

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    household_codes,
    load_household,
    open_database,
)
from huishoudboekje.adapters.persistence.nightly_repo import transactions
from huishoudboekje.adapters.persistence.status_json import report_from_json, report_to_json
from huishoudboekje.adapters.persistence.status_repo import (
    STATUS,
    lock_statuses,
    store_statuses,
    stored_status,
)
from huishoudboekje.domain.bankbook import TxStatus
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.status_report import StatusReport
from huishoudboekje.services.configuration import apply_config, read_configuration
from huishoudboekje.services.household_requests import submit_request
from huishoudboekje.services.household_status import household_status
from huishoudboekje.services.households import status_reports
from huishoudboekje.services.nightly import assign_transaction
from huishoudboekje.services.overview import household_view
from huishoudboekje.services.read_model import computed_statuses
from huishoudboekje.services.rule_changes import (
    approve_change,
    propose_extra_payment,
    propose_household,
)
from huishoudboekje.services.split_credit import SplitPart, split_transaction
from tests.nightly_bank import Bank, Income
from tests.nightly_support import GIFT, SAMPLE, hhb, incomes_on, nightly_quiet

NIGHT = date(2026, 2, 26)
OTHER_GIFT = Income(date(2026, 2, 25), "80.00", "NL39RABO0300065264", "Onbekende gever", "gift 2")
NOW = datetime(2026, 2, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def night(db_url: str, tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    """The demo gemeente after the night of 26 February (statements of 20-25 February,
    two unknown gifts among them)."""
    pytest.importorskip("connectors.pain001")
    assert hhb("config", "apply", str(SAMPLE), db=db_url) == 0
    var = tmp_path / "var"
    bank = Bank()
    for day in (date(2026, 2, d) for d in range(20, 26)):
        extra = [GIFT, OTHER_GIFT] if day == GIFT.day else []
        bank.statement(day, incomes_on(day) + extra, var / "inbox")
    assert nightly_quiet(NIGHT, db_url, var) in (0, 1)
    engine = open_database(db_url)
    try:
        yield engine, var
    finally:
        engine.dispose()


def stored_reports(engine: Engine) -> dict[str, StatusReport]:
    """Every stored status, asserting each is for the night and equals a fresh one."""
    out = {}
    with UnitOfWork(engine) as uow:
        for code in household_codes(uow):
            stored = stored_status(uow, code)
            assert stored is not None, code
            assert stored.day == NIGHT, code
            assert stored.report is not None, f"{code}: stored status is stale"
            assert stored.report == household_status(uow, code, NIGHT), code
            out[code] = stored.report
    return out


def test_the_night_stores_each_households_status_equal_to_a_fresh_computation(
    night: tuple[Engine, Path],
) -> None:
    engine, _ = night
    reports = stored_reports(engine)
    assert set(reports) == {"HH-0001", "HH-0002", "HH-0003"}
    # the document is exact: amounts as strings, never floats
    text = report_to_json(reports["HH-0002"])
    assert '"vat":"' in text
    assert not any(isinstance(v, float) for v in _leaves(json.loads(text)))


def _leaves(value: object) -> Iterator[object]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_a_staff_change_saved_at_once_stores_the_status_again(night: tuple[Engine, Path]) -> None:
    engine, _ = night
    with UnitOfWork(engine) as uow:
        before = load_household(uow, "HH-0001")
        assert before is not None
        proposal = propose_household(
            uow,
            actor="mira",
            after=dataclasses.replace(before, name="Fam. Jansen-de Boer"),
            now=NOW,
            summary="naam",
        )
    assert proposal.applied
    assert stored_reports(engine)["HH-0001"].household.name == "Fam. Jansen-de Boer"


def test_an_approved_staff_change_stores_the_status_again(night: tuple[Engine, Path]) -> None:
    engine, _ = night
    with UnitOfWork(engine) as uow:
        before = load_household(uow, "HH-0002")
        assert before is not None
        raised = dataclasses.replace(
            before, buffer=dataclasses.replace(before.buffer, advance_limit=Money("2000.00"))
        )
        proposal = propose_household(uow, actor="mira", after=raised, now=NOW, summary="limiet")
    assert not proposal.applied and proposal.change_request is not None
    assert stored_reports(engine)["HH-0002"].household.buffer.advance_limit == Money("1000.00")
    with UnitOfWork(engine) as uow:
        approve_change(
            uow,
            request_id=proposal.change_request.id,
            approver="tom",
            may_approve=True,
            now=NOW,
            note="",
        )
    assert stored_reports(engine)["HH-0002"].household.buffer.advance_limit == Money("2000.00")


def _unknown(engine: Engine, amount: str) -> str:
    with UnitOfWork(engine) as uow:
        rows = transactions(uow, TxStatus.UNMATCHED)
    return next(r.dedupe_key for r in rows if r.amount == Money(amount).amount)


def test_an_assigned_credit_stores_the_status_again(night: tuple[Engine, Path]) -> None:
    engine, _ = night
    vat_before = stored_reports(engine)["HH-0003"].state.vat
    key = _unknown(engine, "50.00")
    with UnitOfWork(engine) as uow:
        assign_transaction(uow, key, "HH-0003", "alimentatie", actor="mira", today=NIGHT, at=NOW)
    assert stored_reports(engine)["HH-0003"].state.vat != vat_before


def test_a_split_credit_stores_both_statuses_again(night: tuple[Engine, Path]) -> None:
    engine, _ = night
    before = stored_reports(engine)
    key = _unknown(engine, "80.00")
    parts = [SplitPart("HH-0001", None, Money("30.00")), SplitPart("HH-0002", None, Money("50.00"))]
    with UnitOfWork(engine) as uow:
        split_transaction(uow, key, parts, actor="mira", today=NIGHT, at=NOW)
    after = stored_reports(engine)
    assert after["HH-0001"] != before["HH-0001"]  # (an advance repaid, or more in the vat)
    assert after["HH-0002"] != before["HH-0002"]
    assert after["HH-0003"] == before["HH-0003"]


def test_a_request_paid_by_the_night_stores_the_status_again(night: tuple[Engine, Path]) -> None:
    engine, var = night
    with UnitOfWork(engine) as uow:
        request = submit_request(
            uow,
            household="HH-0002",
            actor="hh2",
            kind="extra_leefgeld",
            amount=Money("40.00"),
            reason="schoenen",
            now=NOW,
        )
    with UnitOfWork(engine) as uow:
        change = propose_extra_payment(uow, actor="mira", request_id=request.id, answer="", now=NOW)
    with UnitOfWork(engine) as uow:
        approve_change(
            uow, request_id=change.id, approver="tom", may_approve=True, now=NOW, note=""
        )
    vat_before = stored_reports(engine)["HH-0002"].state.vat
    # the night runs again: the plan is done, the extras stage pays the request
    assert nightly_quiet(NIGHT, str(engine.url.render_as_string(hide_password=False)), var) in (
        0,
        1,
    )
    assert stored_reports(engine)["HH-0002"].state.vat == vat_before - Money("40.00")


def test_a_configuration_applied_stores_the_statuses_again(
    night: tuple[Engine, Path], tmp_path: Path
) -> None:
    engine, _ = night
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["households"][2]["name"] = "Dhr. P. Bakker"
    data["gemeente"]["max_days_early"] = 1
    changed = tmp_path / "gewijzigd.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with UnitOfWork(engine) as uow:
        apply_config(uow, read_configuration(changed), actor="test", at=NOW)
    assert stored_reports(engine)["HH-0003"].household.name == "Dhr. P. Bakker"


def test_pages_read_the_stored_status_and_compute_only_without_one(
    night: tuple[Engine, Path], caplog: pytest.LogCaptureFixture
) -> None:
    engine, _ = night
    stored = stored_reports(engine)["HH-0001"]
    # a tampered document shows: the page really reads the read model, it does not plan
    marked = dataclasses.replace(stored, lowest_balance=Money("-12345.67"))
    with UnitOfWork(engine) as uow:
        uow.session.execute(
            update(STATUS)
            .where(STATUS.c.household == "HH-0001")
            .values(document=report_to_json(marked))
        )
        uow.commit()
    caplog.set_level(logging.INFO, logger="hhb.read_model")
    with UnitOfWork(engine) as uow:
        assert household_view(uow, "HH-0001", NIGHT).status == marked
        assert household_view(uow, "HH-0001", NIGHT, kinds=()).status == marked
    assert status_reports(engine, ["HH-0001"], NIGHT, stored=True) == [marked]
    assert not caplog.records
    # another day: computed, and the log says why
    later = NIGHT + timedelta(days=1)
    with UnitOfWork(engine) as uow:
        view = household_view(uow, "HH-0001", later)
        assert view.status == household_status(uow, "HH-0001", later)
    assert "HH-0001" in caplog.text and "planned in the request" in caplog.text
    # a stale row (its inputs changed and nobody recomputed it) is computed too
    with UnitOfWork(engine) as uow:
        uow.session.execute(update(STATUS).values(version=0))
        uow.commit()
    caplog.clear()
    with UnitOfWork(engine) as uow:
        assert household_view(uow, "HH-0001", NIGHT).status == stored
    assert "stale" in caplog.text


def test_hhb_status_reads_the_stored_status_and_computes_another_day(
    night: tuple[Engine, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _ = night
    db = engine.url.render_as_string(hide_password=False)
    stored = stored_reports(engine)["HH-0003"]
    marked = dataclasses.replace(stored, lowest_balance=Money("-999.99"))
    with UnitOfWork(engine) as uow:
        uow.session.execute(
            update(STATUS)
            .where(STATUS.c.household == "HH-0003")
            .values(document=report_to_json(marked))
        )
        uow.commit()

    class Today(datetime):
        @classmethod
        def now(cls, tz: object = None) -> Today:  # type: ignore[override]
            return cls(NIGHT.year, NIGHT.month, NIGHT.day, 12, 0)

    monkeypatch.setattr("cli.status_cmd.datetime", Today)
    capsys.readouterr()
    assert hhb("status", "HH-0003", "--json", db=db) == 0
    assert json.loads(capsys.readouterr().out)["forecast_lowest"]["balance"] == "-999.99"
    assert hhb("status", "HH-0003", "--date", NIGHT.isoformat(), "--json", db=db) == 0
    computed = json.loads(capsys.readouterr().out)["forecast_lowest"]["balance"]
    assert computed == str(stored.lowest_balance)


def test_every_stored_report_reads_back_equal(night: tuple[Engine, Path]) -> None:
    engine, _ = night
    for report in stored_reports(engine).values():
        assert report_from_json(report_to_json(report)) == report


def test_a_change_during_the_nights_computation_waits_and_is_not_lost(
    night: tuple[Engine, Path],
) -> None:
    """The night locks a household's status row before it reads the inputs; a staff
    change of that household in the meantime waits, then stores its own status: the
    stored status is the one with the change (PostgreSQL; SQLite has one writer)."""
    engine, _ = night
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    key = _unknown(engine, "50.00")
    with UnitOfWork(engine) as night_uow:
        lock_statuses(night_uow, ["HH-0003"])
        reports = computed_statuses(night_uow, ["HH-0003"], NIGHT)  # reads the inputs

        def assign() -> None:
            with UnitOfWork(engine) as uow:
                assign_transaction(
                    uow, key, "HH-0003", "alimentatie", actor="mira", today=NIGHT, at=NOW
                )

        staff = threading.Thread(target=assign)
        staff.start()
        staff.join(timeout=1.0)
        assert staff.is_alive()  # waits for the night's lock
        store_statuses(night_uow, reports)
        night_uow.commit()
    staff.join(timeout=30)
    assert not staff.is_alive()
    after = stored_reports(engine)["HH-0003"]  # equals a fresh computation ...
    assert after != reports[0]  # ... which has the assigned credit
