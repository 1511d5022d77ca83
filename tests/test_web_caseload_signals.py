"""The caseload shows the signals the nightly run stored and staff have not yet
acknowledged (a rent the bank sent back, a late payment) besides tonight's computed
ones: each once, most severe first, linking to the household page where it is
acknowledged with a note. The stored ones of all households are read in one query.

The nights run against the simulated bank of tests/nightly_bank.py (see
tests/test_web_returned_payments.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, event

from huishoudboekje.adapters.persistence import UnitOfWork
from huishoudboekje.adapters.persistence.nightly_repo import signal_rows
from huishoudboekje.adapters.persistence.nightly_tables import SignalRow
from huishoudboekje.domain.signals import Severity, Signal, SignalKind
from huishoudboekje.services.caseload import caseload_signals
from huishoudboekje.services.household_status import household_status
from huishoudboekje.services.night_worklists import NightSignal, open_signals_by_household
from tests.nightly_bank import Bank
from tests.test_scheduler_extras import env, later_env  # noqa: F401
from tests.test_web_returned_payments import RENT, caseload_row, returned_rent
from tests.web_fixtures import WebEnv

RETURNED = f"HH-0002:teruggekomen:{RENT}"
LATER_TODAY = date(2026, 2, 28)  # the day of later_env


def badges(row: str) -> list[tuple[str, str, str]]:
    """(severity class, link, text) of each signal badge in a caseload row."""
    return [
        (severity, unescape(href), " ".join(unescape(label).split()))
        for severity, href, label in re.findall(
            r'<a class="badge badge-(\w+)" href="([^"]*)"[^>]*>(.*?)</a>', row, re.S
        )
    ]


def signal_cell(row: str) -> str:
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return " ".join(cells[4].split())  # Code, Naam, Buffer, Leefgeld, Signalen, Open


def acknowledge_on_household_page(client: FlaskClient, link: str, key: str, note: str) -> None:
    """Follow the caseload's link and submit the acknowledge form of signal `key` there."""
    path, _, anchor = link.partition("#")
    page = client.get(path).data.decode()
    assert f'id="{anchor}"' in page
    forms = re.findall(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    [(action, body)] = [(a, b) for a, b in forms if f'name="key" value="{key}"' in b]
    data = {
        name: unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', body)
    }
    assert 'name="note"' in body
    data["note"] = note
    response = client.post(unescape(action), data=data)
    assert response.status_code == 302, response.data
    assert response.headers["Location"] == path
    assert "Het signaal is afgehandeld." in client.get(path).data.decode()


@contextmanager
def signal_reads(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements that read the stored signals while inside."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        statement = str(args[2])
        if re.search(r"\bFROM signal\b(?!_)", statement):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_caseload_shows_a_returned_rent_until_staff_acknowledge_it(
    env: WebEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    returned_rent(env, tmp_path / "var", Bank(), capsys)
    later = later_env(env)
    try:
        mira = later.client("mira")
        with signal_reads(later.engine) as reads:
            page = mira.get("/medewerker/").data.decode()
        row = caseload_row(page, "HH-0002")
        assert "betaling teruggekomen" in row, row
        first, *_ = shown = badges(row)
        assert first == (
            "high",
            "/medewerker/huishouden/HH-0002#signalen",
            "urgent: betaling teruggekomen",
        ), shown
        assert f"Betaling {RENT} van € 812,50 is teruggekomen" in unescape(row)
        # every household's open stored signals in one query, not one per household
        # (and one more for which of today's computed keys staff acknowledged, and
        # one for the overdue ones of every household, issue 19.5)
        assert len(reads) == 3, reads

        # a household without signals shows none
        quiet = caseload_row(page, "HH-0003")
        assert badges(quiet) == [] and signal_cell(quiet) == "–"

        # the medewerker follows the link and acknowledges it there with a note
        acknowledge_on_household_page(
            mira, first[1], RETURNED, "Woonstichting gebeld; nieuw rekeningnummer gevraagd."
        )
        with UnitOfWork(env.engine) as uow:
            [stored] = [r for r in signal_rows(uow, status=None) if r.key == RETURNED]
        assert (stored.status, stored.acknowledged_by) == ("closed", "mira")

        row = caseload_row(mira.get("/medewerker/").data.decode(), "HH-0002")
        assert "teruggekomen" not in row
        assert badges(row) == [] and signal_cell(row) == "–"
    finally:
        later.engine.dispose()


def test_a_signal_both_computed_and_stored_shows_once_and_goes_when_acknowledged(
    env: WebEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    returned_rent(env, tmp_path / "var", Bank(), capsys)
    with UnitOfWork(env.engine) as uow:
        computed = {s.key: s for s in household_status(uow, "HH-0001", LATER_TODAY).signals}
        stored = {r.key for r in signal_rows(uow) if r.household == "HH-0001"}
    both = sorted(set(computed) & stored)
    assert both, (computed, stored)  # the planner raised them tonight and the night stored them
    later = later_env(env)
    try:
        mira = later.client("mira")
        shown = badges(caseload_row(mira.get("/medewerker/").data.decode(), "HH-0001"))
        labels = [label for _, _, label in shown]
        assert len(shown) == len(set(computed) | stored), shown
        for key in both:
            kind = computed[key].kind.value.replace("_", " ")
            assert sum(label.endswith(f": {kind}") for label in labels) == 1, labels
        severities = [severity for severity, _, _ in shown]
        assert severities == sorted(severities, key=["high", "warning", "info"].index)

        # acknowledged in the night's signals, the computed twin is dealt with too
        key = both[0]
        link = shown[0][1]
        acknowledge_on_household_page(mira, link, key, "Besproken met de familie.")
        with UnitOfWork(env.engine) as uow:
            still = {s.key for s in household_status(uow, "HH-0001", LATER_TODAY).signals}
        assert key in still  # the planner still raises it today
        after = badges(caseload_row(mira.get("/medewerker/").data.decode(), "HH-0001"))
        assert len(after) == len(shown) - 1, after
    finally:
        later.engine.dispose()


def _signal(key: str, severity: Severity, kind: SignalKind) -> Signal:
    return Signal(kind, "HH-0009", severity, f"bericht {key}", key=key)


def _stored(key: str, severity: str, kind: str) -> NightSignal:
    day = date(2026, 3, 1)
    return NightSignal(
        key, "HH-0009", kind, severity, f"opgeslagen {key}", day, day, "open", None, None
    )


def test_caseload_signals_merge_by_key_most_severe_first() -> None:
    computed = [
        _signal("a", Severity.INFO, SignalKind.LEEFGELD_STEP),
        _signal("b", Severity.WARNING, SignalKind.VAT_BELOW_FLOOR),
        _signal("c", Severity.HIGH, SignalKind.PROJECTED_SHORTFALL),
        _signal("d", Severity.HIGH, SignalKind.PROJECTED_SHORTFALL),
    ]
    stored = [
        _stored("b", "warning", "buffer_onder_minimum"),
        _stored("r", "high", "betaling_teruggekomen"),
    ]
    shown = caseload_signals(computed, stored, frozenset({"d"}))
    assert [(s.key, s.severity, s.stored) for s in shown] == [
        ("r", "high", True),
        ("c", "high", False),
        ("b", "warning", True),  # the stored one, shown once
        ("a", "info", False),
    ]
    assert shown[2].message == "opgeslagen b"
    assert caseload_signals((), (), frozenset()) == ()


def test_a_caseload_with_thousands_of_computed_keys_stays_within_the_parameter_limit(
    engine: Engine,
) -> None:
    """Which computed keys staff acknowledged is asked in chunks: a big caseload
    (here 70,000 keys: PostgreSQL takes at most 65,535 parameters in one statement,
    SQLite 32,766 unless built with more) still works, and finds the acknowledged
    ones among them."""
    day = date(2026, 3, 2)
    with UnitOfWork(engine) as uow:
        for number, status in ((1, "open"), (2, "closed"), (3, "closed")):
            uow.session.add(
                SignalRow(
                    key=f"HH-{number:04d}:test",
                    household=f"HH-{number:04d}",
                    kind="buffer_laag",
                    severity="warning",
                    message="test",
                    data={},
                    source="planner",
                    first_seen=day,
                    last_seen=day,
                    status=status,
                    acknowledged_by=None if status == "open" else "mira",
                )
            )
        uow.commit()
    keys = [f"HH-{n:04d}:test" for n in range(1, 4)] + [f"x{n}" for n in range(70_000)]
    with UnitOfWork(engine) as uow:
        found = open_signals_by_household(uow, keys)
    assert set(found.by_household) == {"HH-0001"}
    assert found.acknowledged == {"HH-0002:test", "HH-0003:test"}
