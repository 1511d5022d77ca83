"""A night spread over workers (issue 22.2) does what one process does, byte for byte.

On PostgreSQL the same nights run twice, each in its own schema: in one process,
and with `hhb nightly --workers 2` (the night's process and one local worker
claiming batches of 3 households, and payment files, from the work table). The
payment files in the outbox are the same bytes; the database is the same (every
table but the work table, without surrogate ids and moments), and each
household's journal entries were booked in the same order. On SQLite, --workers
above 1 is refused with one line and nothing changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.night_workers_support import (
    BATCH,
    Town,
    claimers,
    demo_town,
    generated_town,
    hhb,
    journal_order,
    outbox,
    run_town,
    schemas,
    state,
)

pytestmark = pytest.mark.postgres


def _same_night(town: Town, tmp_path: Path) -> tuple[dict[str, int], dict[str, int]]:
    with schemas(2) as (alone_db, spread_db):
        run_town(town, alone_db, tmp_path / "alone", workers=1)
        run_town(town, spread_db, tmp_path / "spread", workers=2)
        alone_files = outbox(tmp_path / "alone")
        assert alone_files, "the nights exported no payment file: nothing compared"
        assert outbox(tmp_path / "spread") == alone_files
        assert state(spread_db) == state(alone_db)
        assert journal_order(spread_db) == journal_order(alone_db)
        return claimers(spread_db, "plan"), claimers(spread_db, "export")


def _roles(claimers: dict[str, int]) -> set[str]:
    """host:pid:role of each worker that did batches: which roles did some."""
    return {who.rsplit(":", 1)[-1] for who in claimers}


def test_the_demo_with_two_workers_equals_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HHB_NIGHT_BATCH", BATCH)
    plan, export = _same_night(demo_town(nights=5), tmp_path)
    # both processes did plan batches (else nothing was spread), and every file is
    # one export batch
    assert _roles(plan) == {"lokaal", "nacht"}, plan
    assert sum(export.values()) >= 1


def test_a_generated_gemeente_with_two_workers_equals_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HHB_NIGHT_BATCH", BATCH)
    plan, _export = _same_night(generated_town(tmp_path, households=30, nights=5), tmp_path)
    assert _roles(plan) == {"lokaal", "nacht"}, plan


def test_more_workers_on_sqlite_are_refused_and_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "hhb.sqlite3"
    url = f"sqlite:///{database}"
    night = ("nightly", "--date", "2026-09-01", "--var", str(tmp_path / "var"))
    code, out, err = hhb(*night, "--workers", "2", "--database", url)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        "hhb nightly: --workers 2 kan alleen met PostgreSQL; SQLite draait de nacht in één "
        "proces (gebruik --workers 1 of zet HHB_DATABASE_URL op een PostgreSQL-database) / "
        "--workers above 1 needs PostgreSQL"
    ]
    monkeypatch.setenv("HHB_NIGHT_WORKERS", "3")
    code, _out, err = hhb(*night, "--database", url)
    assert code == 2 and "--workers 3 kan alleen met PostgreSQL" in err
    code, _out, err = hhb("scheduler", "--database", url, "--var", str(tmp_path / "var"))
    assert code == 2 and err.startswith("hhb scheduler: --workers 3 kan alleen met PostgreSQL")
    code, _out, err = hhb("worker", "--once", "--database", url)
    assert code == 2 and "alleen met PostgreSQL" in err
    assert not database.exists()
    assert not (tmp_path / "var").exists()
