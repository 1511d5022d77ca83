"""Payments the bank sent back, as the web shows them: the staff caseload counts a
request whose extra payment came back (staff must act).

The nights run against the simulated bank of tests/nightly_bank.py, which executes
the payment files and sends chosen payments back with a reason code (CAMT RtrInf).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.nightly_bank import Bank
from tests.test_scheduler_extras import (
    env,  # noqa: F401
    later_env,
    request_status,
    returned_request,
)
from tests.web_fixtures import WebEnv


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
