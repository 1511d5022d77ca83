"""Helpers for the nightly tests: the demo gemeente's incomes, CLI runs, DB dumps."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from cli.main import main
from huishoudboekje.adapters.persistence import UnitOfWork, create_engine_from_url
from huishoudboekje.adapters.persistence.tables import HhbTable
from huishoudboekje.adapters.persistence.types import UtcDateTime
from tests.nightly_bank import Income

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "samples" / "voorbeeldstad_basis.yaml"
TOESLAGEN = ("NL86INGB0002445588", "Belastingdienst/Toeslagen")

# What the households of the original demo file receive (tests/samples/voorbeeldstad_basis.yaml).
INCOMES = (
    Income(date(2026, 2, 20), "131.00", *TOESLAGEN, "zorgtoeslag 2026-02 HH1"),
    Income(date(2026, 2, 20), "412.00", *TOESLAGEN, "huurtoeslag 2026-02"),
    Income(date(2026, 2, 20), "262.00", *TOESLAGEN, "zorgtoeslag 2026-02 HH2"),
    Income(date(2026, 2, 20), "248.00", *TOESLAGEN, "kindgebonden budget 2026-02"),
    Income(date(2026, 2, 23), "1245.00", "NL66INGB0003344556", "UWV", "WW-uitkering februari"),
    Income(
        date(2026, 2, 24),
        "1389.00",
        "NL94ABNA0561122334",
        "Gemeente Voorbeeldstad",
        "Uitkering Participatiewet februari",
    ),
    Income(date(2026, 3, 2), "250.00", "NL20KNAB0255443322", "M. Bakker-Smit", "alimentatie maart"),
    Income(date(2026, 3, 5), "1850.00", "NL20INGB0001234567", "Bakkerij de Korenschoof", "salaris"),
)
GIFT = Income(date(2026, 2, 25), "50.00", "NL39RABO0300065264", "Onbekende gever", "gift")

# tables that are logs of what happened (times, attempts), not the state a night leaves
LOG_TABLES = {"night_run", "imported_file", "audit_log"}
SURROGATE = {
    "id",
    "seq",
    "entry_seq",
    "file_id",
    "statement_row_id",
    "watermark",  # the dashboard's stored figures: a journal seq
}
LOCAL = {("payment_file", "path")}  # differs only by the folder the test ran in


def incomes_on(day: date) -> list[Income]:
    return [i for i in INCOMES if i.day == day]


def hhb(*args: str, db: str) -> int:
    """Run the CLI in-process."""
    return main([*args, "--database", db])


def nightly(day: date, db: str, var: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """`hhb nightly --date D --json`; returns the JSON report."""
    capsys.readouterr()
    code = hhb("nightly", "--date", day.isoformat(), "--var", str(var), "--json", db=db)
    out = capsys.readouterr().out
    assert code in (0, 1), out
    report: dict[str, Any] = json.loads(out)
    return report


def nightly_quiet(day: date, db: str, var: Path) -> int:
    """`hhb nightly` in-process with its output thrown away (for module fixtures)."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return hhb("nightly", "--date", day.isoformat(), "--var", str(var), "--json", db=db)


def nightly_subprocess(day: date, db: str, var: Path, crash_after: str = "") -> int:
    """`hhb nightly` in its own process (optionally SIGKILLed after a stage)."""
    env = dict(os.environ, HHB_CRASH_AFTER_STAGE=crash_after, HHB_TEST_SEAMS="1")
    env.pop("HHB_DATABASE_URL", None)
    done = subprocess.run(
        [
            *(sys.executable, "-m", "cli.main", "nightly", "--date", day.isoformat()),
            *("--var", str(var), "--database", db, "--json"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode


def dump(db: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows without surrogate ids and moments, sorted: the state to compare."""
    engine = create_engine_from_url(db)
    out: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with UnitOfWork(engine) as uow:
            entry_ids = dict(
                uow.session.connection()
                .execute(
                    select(
                        HhbTable.metadata.tables["journal_entry"].c.seq,
                        HhbTable.metadata.tables["journal_entry"].c.entry_id,
                    )
                )
                .all()
            )
            for table in HhbTable.metadata.sorted_tables:
                if table.name in LOG_TABLES:
                    continue
                keep = [
                    c
                    for c in table.columns
                    if c.name not in SURROGATE
                    and (table.name, c.name) not in LOCAL
                    and not isinstance(c.type, UtcDateTime)
                ]
                rows = uow.session.connection().execute(select(table)).mappings().all()
                values = []
                for row in rows:
                    item = [repr(row[c.name]) for c in keep]
                    if table.name == "posting":
                        item.append(entry_ids[row["entry_seq"]])
                    values.append(tuple(item))
                out[table.name] = sorted(values)
    finally:
        engine.dispose()
    return out


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
