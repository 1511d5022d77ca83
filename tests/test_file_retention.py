"""The night's files on disk (statements and pain.001) go once their fiscal retention
period is over (issue 20, point 3): as the privacy officer runs it (`hhb privacy
purge`) and as the scheduler's weekly job does."""

from __future__ import annotations

import json
import logging
import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from cli.main import main
from huishoudboekje.adapters.persistence import UnitOfWork, load_audit_events, open_database
from huishoudboekje.domain.retention import file_purge_date
from huishoudboekje.services.file_retention import purge_files
from scheduler.context import NightPaths
from scheduler.process import purge_job
from tests.web_fixtures import seed

TODAY = date(2026, 12, 5)
OLD = date(2018, 6, 30)  # fiscal year 2018: kept 7 whole years, gone from 1 January 2026
YOUNG = date(2019, 1, 2)  # fiscal year 2019: kept until 1 January 2027


def test_a_file_is_kept_seven_whole_fiscal_years() -> None:
    assert file_purge_date(OLD, 7) == date(2026, 1, 1)
    assert file_purge_date(YOUNG, 7) == date(2027, 1, 1)
    assert file_purge_date(date(2019, 12, 31), 7) == date(2027, 1, 1)


def _touch(path: Path, day: date) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<Document/>", encoding="utf-8")
    stamp = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/Amsterdam"))
    os.utime(path, (stamp.timestamp(), stamp.timestamp()))
    return path


@pytest.fixture
def night(tmp_path: Path) -> tuple[Engine, NightPaths, dict[str, Path]]:
    """A gemeente (the demo config, 7 years retention) and the night's folders with an
    old and a young file in each."""
    url = f"sqlite:///{tmp_path / 'hhb.sqlite3'}"
    engine = open_database(url)
    seed(engine, history=False)
    paths = NightPaths.under(tmp_path / "var")
    files = {
        "old statement": _touch(paths.processed / "camt053-2018-06-30.xml", OLD),
        "old refused": _touch(paths.rejected / "bad.csv", OLD),
        "old payment": _touch(paths.outbox / "pain001-A.xml", OLD),
        "young statement": _touch(paths.processed / "camt053-2019-01-02.xml", YOUNG),
        "young payment": _touch(paths.outbox / "pain001-B.xml", YOUNG),
    }
    return engine, paths, files


def _audited(engine: Engine) -> list[dict[str, object]]:
    with UnitOfWork(engine) as uow:
        return [e.after or {} for e in load_audit_events(uow) if e.action == "privacy.purge_files"]


def test_old_files_go_young_files_stay_and_the_removal_is_logged(
    night: tuple[Engine, NightPaths, dict[str, Path]],
) -> None:
    engine, paths, files = night
    dry = purge_files(engine, paths.retained, TODAY, dry_run=True, actor="test")
    assert len(dry.removed) == 3 and dry.kept == 2
    assert all(path.exists() for path in files.values()) and _audited(engine) == []

    report = purge_files(engine, paths.retained, TODAY, actor="pia")
    assert sorted(report.removed) == sorted(str(files[k]) for k in files if k.startswith("old"))
    assert report.kept == 2 and report.problems == ()
    assert {k for k, p in files.items() if p.exists()} == {"young statement", "young payment"}
    assert _audited(engine) == [{"removed": list(report.removed), "retention_years": 7}]

    again = purge_files(engine, paths.retained, TODAY, actor="pia")  # next week's run
    assert again.removed == () and again.kept == 2 and len(_audited(engine)) == 1
    later = purge_files(engine, paths.retained, date(2027, 1, 1), actor="pia")
    assert len(later.removed) == 2 and not any(p.exists() for p in files.values())


def test_hhb_privacy_purge_removes_the_old_files_too(
    night: tuple[Engine, NightPaths, dict[str, Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    engine, paths, files = night
    url = str(engine.url)
    args = ["privacy", "purge", "--database", url, "--var", str(paths.var), "--date", "2026-12-05"]
    assert main([*args, "--dry-run"]) == 0
    assert (
        "3 oude bestanden (afschriften, pain.001) zou verwijderen; 2 nog" in capsys.readouterr().out
    )
    assert all(p.exists() for p in files.values())
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["files"]["removed"]) == 3 and out["files"]["kept"] == 2
    assert not files["old payment"].exists() and files["young payment"].exists()


def test_the_weekly_job_removes_old_files(
    night: tuple[Engine, NightPaths, dict[str, Path]], caplog: pytest.LogCaptureFixture
) -> None:
    engine, paths, files = night
    with caplog.at_level(logging.INFO, logger="hhb.scheduler"):
        assert purge_job(str(engine.url), paths) == "done"
    assert not files["old statement"].exists() and files["young statement"].exists()
    assert any("3 old files removed, 2 kept" in r.getMessage() for r in caplog.records)
