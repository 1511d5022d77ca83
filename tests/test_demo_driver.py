"""The demo driver's own plumbing (the full run is tests/test_demo.py)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from sample_statements.run_demo import CONFIG, call_hhb, demo_days, main, nightly_available


def test_the_demo_period_is_every_day_from_september_to_november() -> None:
    days = demo_days()
    assert (days[0], days[-1], len(days)) == (date(2026, 9, 1), date(2026, 11, 30), 91)
    assert demo_days(date(2026, 9, 3)) == [date(2026, 9, 1), date(2026, 9, 2), date(2026, 9, 3)]


def test_hhb_runs_in_process_with_its_own_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HHB_DATABASE_URL", "sqlite:///elsewhere.sqlite3")
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    code, out = call_hhb(["config", "apply", str(CONFIG)], url)
    assert code == 0 and "8 added" in out
    assert (tmp_path / "demo.sqlite3").exists()
    assert os.environ["HHB_DATABASE_URL"] == "sqlite:///elsewhere.sqlite3"
    code, out = call_hhb(["config", "apply", str(CONFIG)], url)
    assert code == 0 and "Nothing to change." in out


def test_without_hhb_nightly_the_driver_applies_the_config_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if nightly_available():
        pytest.skip("hhb nightly exists: tests/test_demo.py runs the whole demo")
    assert main(["--root", str(tmp_path)]) == 1
    assert "hhb nightly bestaat nog niet" in capsys.readouterr().err
    assert (tmp_path / "hhb.sqlite3").exists()
