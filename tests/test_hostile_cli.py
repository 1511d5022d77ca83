"""No traceback ever reaches a person (issue 18, points 5 and 6).

One table: the command line an operator might type (or the state they might be
in), the exit code, a fragment of the one line they get, and that the database
did not change. Every case runs `hhb` as a real process; none may print
"Traceback". The full traceback goes to the log file (HHB_LOG_FILE here).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from cli.main import main
from tests.nightly_support import ROOT, SAMPLE, dump, hhb

NO_DB = "-"  # the case needs no configured database


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]  # {db}, {tmp}, {today+30} are filled in
    code: int
    message: str
    configured: bool = True  # run `config apply` first
    limit_file_size: int | None = None  # RLIMIT_FSIZE: writes beyond it fail (full disk)
    unchanged: bool = True
    extra: dict[str, str] = field(default_factory=dict)


FUTURE = (date.today() + timedelta(days=30)).isoformat()

CASES = (
    Case("garbage URL", ("runs", "--database", "garbage"), 2, "database-URL"),
    Case("mysql URL", ("runs", "--database", "mysql://u:p@localhost/x"), 2, "database-URL"),
    Case(
        "PostgreSQL not listening",
        ("runs", "--database", "postgresql+psycopg://hhb:hhb@127.0.0.1:1/hhb"),
        4,
        "kan de database niet bereiken",
    ),
    Case(
        "read-only database",
        ("nightly", "--date", "2026-02-26", "--database", "{db_ro}", "--var", "{tmp}/var"),
        4,
        "alleen-lezen",
    ),
    Case(
        "full disk",
        ("nightly", "--date", "2026-02-26", "--database", "{db}", "--var", "{tmp}/var"),
        4,
        "niet naar schijf schrijven",
        limit_file_size=8192,
    ),
    Case(
        "nightly without configuration",
        ("nightly", "--date", "2026-02-26", "--database", "{db}", "--var", "{tmp}/var"),
        2,
        "nog geen configuratie",
        configured=False,
    ),
    Case(
        "config export into a missing folder",
        ("config", "export", "-o", "{tmp}/missing/out.yaml", "--database", "{db}"),
        2,
        "map die niet bestaat",
    ),
    Case(
        "config export onto a folder",
        ("config", "export", "-o", "{tmp}", "--database", "{db}"),
        2,
        "is een map",
    ),
    Case(
        "--inbox is a file",
        ("nightly", "--date", "2026-02-26", "--database", "{db}", "--inbox", "{tmp}/a-file"),
        2,
        "is een bestand, geen map",
    ),
    Case(
        "--outbox with a typo",
        ("nightly", "--date", "2026-02-26", "--database", "{db}", "--outbox", "{tmp}/otbox"),
        2,
        "bestaat niet",
    ),
    Case(
        "import of a missing file",
        ("import", "{tmp}/camt-2026-02-25.xml", "--database", "{db}", "--var", "{tmp}/var"),
        2,
        "bestaat niet",
    ),
    Case(
        "import of an unexpanded glob",
        ("import", "{tmp}/inbox/*.xml", "--database", "{db}", "--var", "{tmp}/var"),
        2,
        "de shell vond niets",
    ),
    Case(
        "import of a folder",
        ("import", "{tmp}", "--database", "{db}", "--var", "{tmp}/var"),
        2,
        "is een map",
    ),
    Case(
        "a date in the year 9999",
        ("nightly", "--date", "9999-12-31", "--database", "{db}", "--var", "{tmp}/var"),
        2,
        "ligt niet tussen 2000-01-01 en 2100-12-31",
    ),
    Case(
        "a date a month ahead",
        ("nightly", "--date", FUTURE, "--database", "{db}", "--var", "{tmp}/var"),
        2,
        "--yes",
    ),
)


def fill(arg: str, db: str, tmp: Path) -> str:
    db_file = db.removeprefix("sqlite:///")
    return (
        arg.replace("{db_ro}", f"sqlite:///file:{db_file}?mode=ro&uri=true")
        .replace("{db}", db)
        .replace("{tmp}", str(tmp))
    )


def limited(size: int | None) -> Callable[[], None] | None:
    if size is None:
        return None

    def apply() -> None:  # in the child: a write past `size` bytes fails (EFBIG)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_one_plain_line_and_nothing_changed(case: Case, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hhb.sqlite3'}"
    if case.configured:
        assert hhb("config", "apply", str(SAMPLE), db=db) == 0
    else:
        assert hhb("runs", db=db) == 0  # an empty, migrated database
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    before = dump(db)
    log = tmp_path / "log" / "hhb.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT), HHB_LOG_FILE=str(log), **case.extra)
    env.pop("HHB_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", *(fill(a, db, tmp_path) for a in case.args)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limited(case.limit_file_size),
    )
    output = done.stdout + done.stderr
    assert done.returncode == case.code, output
    assert case.message in done.stderr, output
    assert "Traceback" not in output
    said = [
        line
        for line in done.stderr.splitlines()
        if line.strip() and not line.startswith(("usage:", " "))  # argparse's usage lines
    ]
    assert len(said) == 1, output
    if case.unchanged:
        assert dump(db) == before
    if case.code == 4:  # an unexpected failure: its traceback is in the log
        assert "Traceback" in log.read_text(encoding="utf-8")
        assert str(log) in done.stderr


def test_the_loser_of_two_concurrent_assigns_gets_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two `hhb assign`s of the same credit at the same moment: the database refuses
    the second insert (IntegrityError). Its operator gets one line, not the SQL."""
    from sqlalchemy.exc import IntegrityError

    import cli.assign_cmd

    def loses(*_args: Any, **_kwargs: Any) -> None:
        raise IntegrityError(
            "INSERT INTO assignment ...", {}, Exception("UNIQUE constraint failed")
        )

    db = f"sqlite:///{tmp_path / 'hhb.sqlite3'}"
    assert hhb("config", "apply", str(SAMPLE), db=db) == 0
    monkeypatch.setenv("HHB_LOG_FILE", str(tmp_path / "hhb.log"))
    monkeypatch.setattr(cli.assign_cmd, "assign_credit", loses)
    capsys.readouterr()
    code = main(["assign", "abc", "HH-0001", "--database", db])
    out = capsys.readouterr()
    assert code == 4
    assert "iemand anders wijzigde hetzelfde tegelijk" in out.err
    assert "INSERT" not in out.err + out.out and "Traceback" not in out.err + out.out
    assert "UNIQUE constraint failed" in (tmp_path / "hhb.log").read_text(encoding="utf-8")


def test_a_database_error_while_planning_is_a_plain_sentence_for_staff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stored problem texts (hhb runs, hhb signals, the web worklist) never carry
    SQLAlchemy internals such as "Query-invoked autoflush"."""
    db = f"sqlite:///{tmp_path / 'hhb.sqlite3'}"
    assert hhb("config", "apply", str(SAMPLE), db=db) == 0
    monkeypatch.setenv("HHB_LOG_FILE", str(tmp_path / "hhb.log"))
    monkeypatch.setenv("HHB_TEST_SEAMS", "1")
    monkeypatch.setenv("HHB_FAIL_PLAN", "HH-0001")
    capsys.readouterr()
    assert (
        main(["nightly", "--date", "2026-02-26", "--var", str(tmp_path / "var"), "--database", db])
        == 1
    )
    assert main(["runs", "--database", db]) == 0
    assert main(["signals", "--database", db]) == 0
    shown = capsys.readouterr()
    assert "plannen mislukt" in shown.out
    for internal in ("autoflush", "sqlalchemy", "Error", "Traceback", "[SQL"):
        assert internal not in shown.out + shown.err
    assert "Query-invoked autoflush" in (tmp_path / "hhb.log").read_text(encoding="utf-8")
