"""Helpers of the tests of a night spread over workers (issue 22.2), on PostgreSQL.

A gemeente runs the same nights twice, each in its own PostgreSQL schema and
folder: once in one process, once spread over workers; then the outbox (bytes)
and a dump of the database are compared.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import text

from cli.main import main
from huishoudboekje.adapters.persistence import create_engine_from_url
from sample_statements.bank import SimulatedBank
from sample_statements.incoming import FIRST_DAY
from sample_statements.run_demo import CONFIG as DEMO_CONFIG
from sample_statements.run_demo import STATEMENTS as DEMO_STATEMENTS
from tests.conftest import POSTGRES_ENV, _postgres_schema
from tests.nightly_bank import Bank
from tests.nightly_support import dump
from tests.realistic_gemeente import RealisticGemeente, generate

WORK_TABLE = "night_batch"  # who did which batch: differs between runs by nature
BATCH = "3"  # households per plan batch: many batches from a small gemeente


def needs_postgres() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip("needs HHB_TEST_POSTGRES_URL")
    return url


@contextlib.contextmanager
def schemas(count: int) -> Iterator[list[str]]:
    """`count` empty PostgreSQL schemas (URLs), dropped afterwards."""
    base = needs_postgres()
    made = [_postgres_schema(base) for _ in range(count)]
    try:
        yield [next(m) for m in made]
    finally:
        for generator in made:
            with contextlib.suppress(StopIteration):
                next(generator)


def hhb(*args: str) -> tuple[int, str, str]:
    """`hhb` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def nightly(db: str, var: Path, day: date, workers: int, *extra: str) -> None:
    """`hhb nightly --date DAY --workers N` (exit 0 or 1, as a night with problems)."""
    code, out, err = hhb(
        *("nightly", "--date", day.isoformat(), "--yes", "--json"),
        *("--var", str(var), "--database", db, "--workers", str(workers), *extra),
    )
    assert code in (0, 1), (code, out[-2000:], err[-2000:])


def outbox(var: Path) -> dict[str, bytes]:
    folder = var / "outbox"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.xml"))}


def state(db: str) -> dict[str, Any]:
    """The dump of tests/nightly_support.py without the work table."""
    found = dump(db)
    found.pop(WORK_TABLE, None)
    return found


def journal_order(db: str) -> dict[str, list[str]]:
    """Per household, its journal entries in booking order (seq): the order a
    household's own entries were booked in is the same however the night spread.
    (The gemeente's own accounts, household "", interleave every household's entries:
    their order across households is the order batches happened to finish in.)"""
    engine = create_engine_from_url(db)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT DISTINCT p.household, e.seq, e.entry_id FROM posting p "
                    "JOIN journal_entry e ON e.seq = p.entry_seq WHERE p.household <> '' "
                    "ORDER BY e.seq"
                )
            ).all()
    finally:
        engine.dispose()
    order: dict[str, list[str]] = {}
    for household, _seq, entry in rows:
        order.setdefault(household, []).append(entry)
    return order


def claimers(db: str, stage: str) -> dict[str, int]:
    """Which worker did how many batches of `stage` (over every night run)."""
    engine = create_engine_from_url(db)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT worker, count(*) FROM night_batch WHERE stage = :stage "
                    "AND state = 'done' GROUP BY worker"
                ),
                {"stage": stage},
            ).all()
    finally:
        engine.dispose()
    return {str(who): int(n) for who, n in rows}


@dataclass
class Town:
    """A gemeente whose bank delivers each day's statement before the night."""

    apply: Callable[[str], None]
    deliver: Callable[[Path, date], None]  # (var, the day) before the night after it
    nights: list[date]


def demo_town(nights: int) -> Town:
    """The demo gemeente (sample_statements), its first `nights` nights."""
    banks: dict[Path, SimulatedBank] = {}

    def apply(db: str) -> None:
        assert hhb("config", "apply", str(DEMO_CONFIG), "--database", db)[0] == 0

    def deliver(var: Path, day: date) -> None:
        for folder in (var / "inbox", var / "outbox"):
            folder.mkdir(parents=True, exist_ok=True)
        if var not in banks:
            banks[var] = SimulatedBank(DEMO_STATEMENTS, var / "outbox", var / "inbox", var / "bank")
        banks[var].book_day(day)

    return Town(apply, deliver, [FIRST_DAY + timedelta(days=n) for n in range(nights)])


def generated_town(
    tmp: Path, households: int, nights: int, seed: int = 2202, day: int = 20
) -> Town:
    """A generated gemeente (tests/realistic_gemeente.py) of March 2026, its nights
    from the `day`th on (its payers pay from the 20th)."""
    first = date(2026, 3, 1)
    gemeente: RealisticGemeente = generate(households, seed, first, date(2026, 3, 31))
    config = tmp / "gemeente.yaml"
    config.write_text(yaml.safe_dump(gemeente.config(), allow_unicode=True), encoding="utf-8")
    banks: dict[Path, Bank] = {}

    def apply(db: str) -> None:
        assert hhb("config", "apply", str(config), "--database", db)[0] == 0

    def deliver(var: Path, day: date) -> None:
        bank = banks.setdefault(var, Bank(account=gemeente.gemeente.account_iban))
        if (var / "outbox").exists():  # the payments of the night before
            bank.collect(var / "outbox")
        bank.extra[day - timedelta(days=1)] = gemeente.credits_on(day - timedelta(days=1))
        bank.statement(day - timedelta(days=1), [], var / "inbox")

    return Town(apply, deliver, [date(2026, 3, day) + timedelta(days=n + 1) for n in range(nights)])


def run_town(town: Town, db: str, var: Path, workers: int) -> None:
    """Every night of `town`, each after its bank day, with `workers`."""
    town.apply(db)
    for night in town.nights:
        town.deliver(var, night)
        nightly(db, var, night, workers)
