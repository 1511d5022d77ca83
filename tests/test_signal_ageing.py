"""Unmatched money ages (issue 16, point 6): "let op" from 3 days, "urgent" from 10;
`hhb signals --json` gives the age in days; the caseload shows the oldest item."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huishoudboekje.adapters.persistence import UnitOfWork
from huishoudboekje.adapters.persistence.nightly_repo import signal_rows
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.night_signals import suspense_severity, unmatched
from huishoudboekje.domain.signals import Severity
from scheduler.context import NightContext, NightPaths
from scheduler.nightly import STAGES, run_stages
from tests.nightly_support import hhb
from tests.staff_gemeente import camt, import_and_book, staff_web, toeslag
from tests.web_fixtures import WebEnv

FEB = date(2026, 2, 20)
RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.HIGH: 2}


@pytest.mark.parametrize(
    ("age", "severity"),
    [(0, "info"), (2, "info"), (3, "warning"), (9, "warning"), (10, "high"), (400, "high")],
)
def test_severity_rises_at_3_and_10_days(age: int, severity: str) -> None:
    assert suspense_severity(age).value == severity


@given(st.integers(min_value=0, max_value=500), st.integers(min_value=0, max_value=500))
def test_older_money_is_never_less_urgent(younger: int, extra: int) -> None:
    assert RANK[suspense_severity(younger)] <= RANK[suspense_severity(younger + extra)]


def test_the_message_says_how_long_it_waits_and_the_key_stays_the_same() -> None:
    new = unmatched("k", FEB, Money("400.00"), "Belastingdienst", "twijfel")
    old = unmatched("k", FEB, Money("400.00"), "Belastingdienst", "twijfel", FEB + timedelta(12))
    assert new.key == old.key and new.severity is Severity.INFO
    assert old.severity is Severity.HIGH and "Staat er al 12 dagen" in old.message
    assert old.data_dict()["booking_date"] == FEB.isoformat()


@pytest.fixture
def env(db_url: str, tmp_path: Path) -> Iterator[WebEnv]:
    made = staff_web(db_url, tmp_path, FEB + timedelta(days=10))
    paths = NightPaths.under(tmp_path / "var")
    paths.create()
    joint = toeslag(FEB, "400.00", "", "J1")
    import_and_book(made.engine, paths, FEB, camt(tmp_path / "in", FEB, "1000.00", [joint]))
    yield made
    made.engine.dispose()


def refresh(env: WebEnv, night: date, tmp_path: Path) -> list[tuple[str, str]]:
    """Stage `signals` on `night`; the stored suspense signals (key, severity)."""
    paths = NightPaths.under(tmp_path / "var")
    signals = tuple(s for s in STAGES if s.name == "signals")
    run_stages(NightContext(env.engine, night, paths, files=[]), signals, record=False)
    with UnitOfWork(env.engine) as uow:
        return [(r.key, r.severity) for r in signal_rows(uow) if r.kind == "onbekende_transactie"]


def test_the_night_raises_suspense_again_more_urgent_as_it_waits(
    env: WebEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seen = {days: refresh(env, FEB + timedelta(days), tmp_path) for days in (1, 3, 10)}
    assert [s for (_, s) in seen[1]] == ["info"]
    assert [s for (_, s) in seen[3]] == ["warning"]
    assert [s for (_, s) in seen[10]] == ["high"]
    assert seen[1][0][0] == seen[10][0][0]  # one signal, raised again: not a second one

    capsys.readouterr()
    assert hhb("signals", "--json", "--date", "2026-03-04", db=env.db_url) == 0
    items = json.loads(capsys.readouterr().out)
    [item] = [i for i in items if i["kind"] == "onbekende_transactie"]
    assert item["age_days"] == 12 and item["severity"] == "high"


def test_the_caseload_shows_the_oldest_suspense_item(env: WebEnv) -> None:
    page = html.unescape(env.client("mira").get("/medewerker/").data.decode())
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Oudste onbekende post: 10 dagen op de tussenrekening (€ 400,00" in text
    assert "urgent" in text
