"""Payments the bank sent back, as the web shows them: the staff caseload counts a
request whose extra payment came back (staff must act), and the household sees why
a fixed charge came back and what happens next.

The nights run against the simulated bank of tests/nightly_bank.py, which executes
the payment files and sends chosen payments back with a reason code (CAMT RtrInf).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from huishoudboekje.adapters.persistence import UnitOfWork, load_ledger
from huishoudboekje.adapters.persistence.nightly_repo import instruction_rows, signal_rows
from huishoudboekje.domain import ledger
from huishoudboekje.domain.money import Money
from tests.nightly_bank import Bank
from tests.nightly_support import days
from tests.test_cli_nightly import run_days
from tests.test_scheduler_extras import (
    RETURN_NIGHT,
    env,  # noqa: F401
    later_env,
    request_status,
    returned_request,
)
from tests.web_fixtures import WebEnv

RENT = "HH-0002-huur-20260301"  # Fam. de Vries' rent for March, executed on 27 February


def caseload_row(page: str, code: str) -> str:
    row = re.search(rf"<tr>\s*<td><a [^>]*>{code}</a>.*?</tr>", page, re.S)
    assert row is not None, page
    return row.group(0)


def test_caseload_counts_a_request_whose_payment_came_back_until_staff_act(
    env: WebEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var, bank = tmp_path / "var", Bank()
    request_id = returned_request(env, var, bank, capsys)
    assert request_status(env.engine, request_id) == "teruggekomen"
    later = later_env(env)
    try:
        mira = later.client("mira")
        row = caseload_row(mira.get("/medewerker/").data.decode(), "HH-0002")
        assert "verzoek: betaling teruggekomen, actie nodig" in row
        assert "badge-high" in row
        other = caseload_row(mira.get("/medewerker/").data.decode(), "HH-0001")
        assert "verzoek" not in other

        # a new request besides it is counted on its own
        later.client("devries").post(
            "/verzoek",
            data={"kind": "extra_leefgeld", "amount": "20,00", "reason": "Boodschappen"},
        )
        row = caseload_row(mira.get("/medewerker/").data.decode(), "HH-0002")
        assert '<span class="badge">verzoek</span>' in row
        assert "verzoek: betaling teruggekomen, actie nodig" in row

        # once staff close it, no action is needed any more
        note = "Het geld blijft in uw buffer."
        mira.post(
            f"/medewerker/verzoeken/{request_id}", data={"besluit": "afsluiten", "answer": note}
        )
        assert request_status(env.engine, request_id) == "afgesloten"
        row = caseload_row(mira.get("/medewerker/").data.decode(), "HH-0002")
        assert "teruggekomen" not in row
        assert '<span class="badge">verzoek</span>' in row
    finally:
        later.engine.dispose()


def returned_rent(env: WebEnv, var: Path, bank: Bank, capsys: pytest.CaptureFixture[str]) -> None:
    """The bank executes the De Vries' March rent and sends it back (AC01, the
    account number is wrong); the night of 28 February reads that statement."""
    run_days(bank, env.db_url, var, capsys, days(date(2026, 2, 21), date(2026, 2, 26)))
    assert RENT in bank.pending
    bank.returns[RENT] = "AC01"
    reports = run_days(bank, env.db_url, var, capsys, [date(2026, 2, 27), RETURN_NIGHT])
    assert reports[RETURN_NIGHT]["returned"] == 1


def rent_item(page: str) -> str:
    paid = page.split('id="betaald-kop"', 1)[1]
    item = re.search(r'<li class="item[^"]*">\s*<span class="item-main">Huur.*?</li>', paid, re.S)
    assert item is not None, paid
    return " ".join(item.group(0).split())


def test_household_sees_why_a_charge_came_back_and_what_happens_next(
    env: WebEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var, bank = tmp_path / "var", Bank()
    returned_rent(env, var, bank, capsys)
    later = later_env(env)
    try:
        devries = later.client("devries")
        item = rent_item(devries.get("/betaald").data.decode())
        today = " ".join(devries.get("/vandaag").data.decode().split())
    finally:
        later.engine.dispose()
    # Vandaag says so first, and never calls the rent paid
    assert (
        "Uw huur van € 812,50 is niet betaald: de bank heeft de betaling teruggestuurd. "
        "Het geld staat weer in uw buffer." in today.replace("\xa0", " ")
    ), today
    assert "huur van € 812,50 is betaald" not in today.replace("\xa0", " ")
    assert "item-warn" in item
    assert "Niet betaald: de bank heeft deze betaling teruggestuurd." in item
    assert "Waarom? Het rekeningnummer klopt niet." in item
    assert "Woonstichting Voorbeeld heeft het geld dus niet gekregen." in item
    assert "Het geld staat weer in uw buffer." in item
    assert "Huishoudboekje doet deze betaling niet vanzelf opnieuw." in item
    assert "Uw medewerker heeft hierover een melding gekregen." in item
    assert "neemt contact met u op" not in item  # nothing in the system does that
    assert "AC01" not in item  # the words, not the bank's code

    # what the page says is what happened: the money is back in the buffer and
    # staff have an open "betaling teruggekomen" signal about this payment
    with UnitOfWork(env.engine) as uow:
        [row] = instruction_rows(uow, ids=[RENT])
        assert (row.status, row.return_reason) == ("returned", "AC01")
        entries = [e for e in load_ledger(uow).entries if e.kind == "returned"]
        signals = {s.key: (s.kind, s.status) for s in signal_rows(uow)}
    [back] = entries
    legs = {p.account: p.amount for p in back.postings}
    assert legs[ledger.vat("HH-0002")] == -Money("812.50")  # credited to the vat again
    assert signals[f"HH-0002:teruggekomen:{RENT}"] == ("betaling_teruggekomen", "open")

    # and nothing pays the rent again by itself in the nights after
    run_days(bank, env.db_url, var, capsys, days(date(2026, 3, 1), date(2026, 3, 3)))
    with UnitOfWork(env.engine) as uow:
        rents = [
            r.end_to_end_id
            for r in instruction_rows(uow)
            if r.household == "HH-0002" and r.charge_id == "huur"
        ]
    assert rents == [RENT]
    assert bank.instructed.count(RENT) == 1
