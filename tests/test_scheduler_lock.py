"""One night at a time: the file lock, and on PostgreSQL the database's advisory lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from huishoudboekje.services.database import connect
from scheduler.lock import NightLock, NightLockedError


def test_a_night_on_another_machine_sharing_the_database_is_refused(
    db_url: str, tmp_path: Path
) -> None:
    engine = connect(db_url)
    try:
        with NightLock(tmp_path / "here" / "nightly.lock", engine):
            other = NightLock(tmp_path / "elsewhere" / "nightly.lock", engine)
            # one lock per database: another folder does not help (issue 18)
            with pytest.raises(NightLockedError, match="op deze database"):
                other.__enter__()
        # released: the next night takes both locks again
        with NightLock(tmp_path / "elsewhere" / "nightly.lock", engine):
            pass
    finally:
        engine.dispose()


def test_a_second_night_on_the_same_machine_is_refused(tmp_path: Path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 'hhb.sqlite3'}")
    try:
        refused = pytest.raises(NightLockedError, match="er draait al een nachtelijke verwerking")
        with NightLock(tmp_path / "nightly.lock", engine), refused:
            NightLock(tmp_path / "nightly.lock", engine).__enter__()
    finally:
        engine.dispose()
