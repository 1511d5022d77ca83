"""Issue 18, Measurement: hostile and unlucky inputs as one table.

Each row: the input (a command on a prepared folder and database), the exit code, a
fragment of the one-line message a person sees, and whether the database is
byte-for-byte unchanged afterwards. Every row also checks that no traceback reaches
the person.

Two tables, same columns: `ROWS` (files and configuration, run in-process) and, in the
second half, `CASES` (command lines and broken environments: database URLs, a
read-only database, a full disk, folders, dates; each run as a real `hhb` process,
because a full disk or a closed port must hit the real process).

"Database unchanged: False" rows are imports and nights: a refused bank file is
recorded (imported_file, a staff signal), but nothing is booked.
"""

from __future__ import annotations

import io
import os
import resource
import signal
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from cli.main import main
from huishoudboekje.adapters.persistence import UnitOfWork, create_engine_from_url
from huishoudboekje.adapters.persistence.tables import HhbTable
from scheduler.reading_marker import marker_of
from tests.golden import SAMPLES_DIR
from tests.nightly_support import ROOT, SAMPLE, dump, hhb

VALID = SAMPLES_DIR / "config_valid.yaml"
NIGHT = "2026-03-02"
POOLED = "NL91ABNA0417164300"
NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


@dataclass(frozen=True)
class Place:
    """The prepared folder (var/, inbox) and database of one row."""

    folder: Path
    url: str

    @property
    def inbox(self) -> Path:
        return self.folder / "var" / "inbox"


# ------------------------------------------------------------------ the inputs


def config_with(old: str, new: str) -> Callable[[Place], list[str]]:
    def command(place: Place) -> list[str]:
        text = VALID.read_text(encoding="utf-8")
        assert old in text, old
        path = place.folder / "households.yaml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return ["config", "apply", str(path), "--database", place.url]

    return command


def yaml_text(text: str) -> Callable[[Place], list[str]]:
    def command(place: Place) -> list[str]:
        path = place.folder / "households.yaml"
        path.write_text(text, encoding="utf-8")
        return ["config", "apply", str(path), "--database", place.url]

    return command


ALIAS_BOMB = "\n".join(
    [
        f"gemeente: {{name: X, account_iban: {POOLED}, account_name: Y}}",
        'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)),
    ]
)


def hostile_zip(path: Path) -> Path:
    """~100 KB: a CAMT whose BkToCstmrStmt holds 25 million tiny unknown elements."""
    head = f'<Document xmlns="{NS}"><BkToCstmrStmt><GrpHdr><MsgId>X</MsgId></GrpHdr>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "afschrift.xml", head.encode() + b"<a/>" * 25_000_000 + b"</BkToCstmrStmt></Document>"
        )
    path.write_bytes(buffer.getvalue())
    return path


def parse(
    sample: str, *flags: str, edit: tuple[bytes, bytes] | None = None
) -> Callable[[Place], list[str]]:
    def command(place: Place) -> list[str]:
        path = SAMPLES_DIR / sample
        if edit is not None:
            data = path.read_bytes()
            assert edit[0] in data
            path = place.folder / sample
            path.write_bytes(data.replace(edit[0], edit[1], 1))
        return ["parse", *flags, str(path)]

    return command


def parse_hostile_zip(place: Place) -> list[str]:
    return ["parse", str(hostile_zip(place.folder / "afschrift.zip"))]


def import_hostile_zip(place: Place) -> list[str]:
    zipped = hostile_zip(place.folder / "afschrift.zip")
    return ["import", str(zipped), "--var", str(place.folder / "var"), "--database", place.url]


def night_with_hostile_zip(place: Place) -> list[str]:
    place.inbox.mkdir(parents=True, exist_ok=True)
    hostile_zip(place.inbox / "afschrift.zip")
    return night(place)


def night_after_a_run_died_reading(place: Place) -> list[str]:
    place.inbox.mkdir(parents=True, exist_ok=True)
    victim = place.inbox / "zwaar.xml"
    victim.write_bytes((SAMPLES_DIR / "camt053_v02_zuiderveen.xml").read_bytes())
    marker_of(victim).write_text("zwaar.xml\n", encoding="utf-8")
    return night(place)


def night(place: Place) -> list[str]:
    var = str(place.folder / "var")
    return ["nightly", "--date", NIGHT, "--var", var, "--database", place.url]


# ------------------------------------------------------------------ the table


@dataclass(frozen=True)
class Row:
    command: Callable[[Place], list[str]]
    exit_code: int
    fragment: str
    unchanged: bool


ROWS: dict[str, Row] = {
    # point 4: ranges (config apply refuses, nothing is stored)
    "max_days_early: 100000000": Row(
        config_with("bic: ABNANL2A}", "bic: ABNANL2A, max_days_early: 100000000}"),
        2,
        "gemeente.max_days_early: must be at most 10",
        True,
    ),
    "lead_days: 1000000000": Row(
        config_with('"1234567890123456"}', '"1234567890123456", lead_days: 1000000000}'),
        2,
        "charges[0].lead_days: must be at most 30",
        True,
    ),
    "window_days: 100000000000": Row(
        config_with('amount: "131.00"', 'amount: "131.00", window_days: 100000000000'),
        2,
        "incomes[1].window_days: must be at most 31",
        True,
    ),
    "members: 99999999999999999999": Row(
        config_with("    members: 3", "    members: 99999999999999999999"),
        2,
        "households[0].members: must be at most 20",
        True,
    ),
    "start: 9999-12-31": Row(
        config_with("    start: 2026-01-01", "    start: 9999-12-31"),
        2,
        "9999-12-31 is outside the allowed dates (2000-01-01 to 2100-12-31)",
        True,
    ),
    "amount of a million": Row(
        config_with('"725.40"', '"1000000.00"'), 2, "must be below 1000000.00", True
    ),
    # point 9
    "Arabic-Indic digits in an amount": Row(
        config_with('"725.40"', '"\u0667\u0662\u0665.40"'),
        2,
        "uses the digit U+0667 (arabic-indic digit seven)",
        True,
    ),
    "household IBAN is the pooled account": Row(
        config_with("iban: NL44RABO0123456789", f"iban: {POOLED}"),
        2,
        "households[0].iban: is the gemeente's pooled account",
        True,
    ),
    "NUL in a name": Row(
        config_with("name: Fam. Jansen", 'name: "Fam.\\0 Jansen"'),
        2,
        "contains the invisible character U+0000",
        True,
    ),
    "right-to-left override in a name": Row(
        config_with("name: Fam. Jansen", 'name: "Fam. \\u202eJansen"'),
        2,
        "U+202E (right-to-left override)",
        True,
    ),
    # point 2: YAML
    "YAML alias bomb": Row(yaml_text(ALIAS_BOMB + "\n"), 2, "HHB_LIMIT_CONFIG_NODES", True),
    "YAML nested 5000 deep": Row(
        yaml_text("gemeente: " + "[" * 5000 + "]" * 5000 + "\n"),
        2,
        "HHB_LIMIT_CONFIG_DEPTH",
        True,
    ),
    # point 2: bank files
    "parse: 100 KB zip of 25M unknown elements": Row(
        parse_hostile_zip, 2, "HHB_LIMIT_ZIP_RATIO", True
    ),
    "import: 100 KB zip of 25M unknown elements": Row(
        import_hostile_zip, 1, "HHB_LIMIT_ZIP_RATIO", False
    ),
    "night: 100 KB zip in the inbox": Row(night_with_hostile_zip, 1, "afschrift.zip", False),
    "night: a file an earlier run died reading": Row(
        night_after_a_run_died_reading, 1, "zwaar.xml", False
    ),
    # point 7: liberal where it does not matter
    "OFX: DTSERVER with an odd suffix, comments after </OFX>": Row(
        parse("ofx1_sgml_signon_suffix_trailing.ofx"), 0, "4 transactie(s)", True
    ),
    "camt.054: value date but no booking date, one pending": Row(
        parse("camt054_v04_value_date_pending.xml"), 0, "overgeslagen (nog niet geboekt)", True
    ),
    "balances do not add up": Row(
        parse("unbalanced_camt053_v02.xml"), 2, "balances do not reconcile", True
    ),
    "balances do not add up, --no-balance-check": Row(
        parse("unbalanced_camt053_v02.xml", "--no-balance-check"),
        0,
        "LET OP: de saldi kloppen niet",
        True,
    ),
    "OFX: Arabic-Indic digit in TRNAMT": Row(
        parse("ofx2_xml_two_accounts.ofx", edit=(b"<TRNAMT>389.17", "<TRNAMT>\u0663".encode())),
        2,
        "write amounts with the digits 0-9 only",
        True,
    ),
}


def _everything(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, as it is."""
    engine = create_engine_from_url(url)
    try:
        with UnitOfWork(engine) as uow:
            connection = uow.session.connection()
            return {
                table.name: sorted(
                    (
                        tuple(repr(value) for value in row)
                        for row in connection.execute(select(table))
                    ),
                )
                for table in HhbTable.metadata.sorted_tables
            }
    finally:
        engine.dispose()


@pytest.fixture
def place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Place:
    """A folder and a SQLite database with the sample configuration applied."""
    url = f"sqlite:///{tmp_path / 'hhb.sqlite3'}"
    assert main(["config", "apply", str(VALID), "--database", url]) == 0
    capsys.readouterr()
    return Place(tmp_path, url)


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_hostile_input(row: Row, place: Place, capsys: pytest.CaptureFixture[str]) -> None:
    argv = row.command(place)
    before = _everything(place.url)
    code = main(argv)
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert code == row.exit_code, shown[-3000:]
    assert row.fragment in shown, shown[-3000:]
    assert "Traceback" not in shown
    if row.unchanged:
        assert _everything(place.url) == before


def test_a_refused_inbox_file_is_moved_once_and_never_read_again(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    main(night_with_hostile_zip(place))
    capsys.readouterr()
    rejected = place.inbox / "rejected"
    assert sorted(p.name for p in rejected.iterdir()) == [
        "afschrift.zip",
        "afschrift.zip.error.txt",
    ]
    assert "HHB_LIMIT_ZIP_RATIO" in (rejected / "afschrift.zip.error.txt").read_text()
    assert not any(p.is_file() for p in place.inbox.iterdir())  # no marker left behind
    before = _everything(place.url)
    assert main(night(place)) in (0, 1)
    assert "afschrift.zip" not in capsys.readouterr().out
    assert _everything(place.url)["imported_file"] == before["imported_file"]


def test_a_file_an_earlier_run_died_reading_is_refused_unread(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    main(night_after_a_run_died_reading(place))
    capsys.readouterr()
    rejected = place.inbox / "rejected"
    reason = (rejected / "zwaar.xml.error.txt").read_text(encoding="utf-8")
    assert "vorige keer halverwege afgebroken" in reason
    assert not marker_of(place.inbox / "zwaar.xml").exists()
    # put back by the operator, it is read normally (here: of another account)
    (rejected / "zwaar.xml").rename(place.inbox / "zwaar.xml")
    main(night(place))
    again = (rejected / "zwaar.xml.error.txt").read_text(encoding="utf-8")
    assert "derdengeldenrekening" in again


# ===================================================== command lines (real processes)
# Issue 18 points 5 and 6: the command line an operator might type (or the state they
# might be in), the exit code, a fragment of the one line they get, and that the
# database did not change. The full traceback goes to the log file (HHB_LOG_FILE here).

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
