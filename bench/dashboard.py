"""The team dashboard (/medewerker/rapportage, issue 21.1) with many households.

Builds a database (SQLite by default, or --database URL) with `--households`
households (default 10 000) in two teams and `--months` months of journal each
(default 3: September to November 2026): a monthly income, four weekly leefgeld
releases and three fixed charges a month, an advance for one in ten, late-income,
held-back and other signals, and unknown credits in suspense. The rows go in
with plain bulk INSERTs (this is test data, not a night), every entry balanced.

Then stores the night's dashboard figures for 30 November 2026 (timed: the
night's extra cost, the first time and the idempotent re-run), and times, through
the WSGI app in-process (Flask's test client), logged in as an admin (every
household) on 30 November 2026, each page twice a round: once live (the baseline
of the same run: every figure from the journal, as before the night stored them)
and once from the stored figures:

* baseline: `/bench/ping`, a trivial view of the same app (session, identity,
  security headers);
* `/medewerker/rapportage?maand=2026-11`: the dashboard, all households;
* the same for a teamleider (half of the households);
* `/medewerker/rapportage.csv?maand=2026-11`.

Goal (issue 21): the page renders in under 2 s at 10 000 households; reported
as p50/p95 in ms, stored against live as a ratio, with the CPU time of this
process per request beside it (on SQLite that includes the
database work; on a shared machine the wall clock waits for a core, CPU does not).

    python bench/dashboard.py [--households N] [--months N] [--requests N]
                              [--database URL [--reuse]] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from bench.staff_login import staff_client  # noqa: E402
from huishoudboekje.adapters.persistence import UnitOfWork, open_database  # noqa: E402
from huishoudboekje.adapters.persistence.nightly_tables import (  # noqa: E402
    BankTransactionRow,
    ImportedFileRow,
    SignalRow,
    StatementRow,
)
from huishoudboekje.adapters.persistence.tables import (  # noqa: E402
    HouseholdRow,
    JournalEntryRow,
    PostingRow,
    table_of,
)
from huishoudboekje.services import reports, reports_store  # noqa: E402
from huishoudboekje.services.user_accounts import Role, create_user  # noqa: E402
from web import create_app  # noqa: E402
from web.identity import Argon2Hasher  # noqa: E402

TODAY = date(2026, 11, 30)
PASSWORD = "bench-wachtwoord-2026"
FAST = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
CHUNK = 20_000
GOAL_MS = 2000
PAGE = "/medewerker/rapportage?maand=2026-11"
PAGES = {
    "/bench/ping": ("ada", "/bench/ping"),
    "dashboard (admin, all)": ("ada", PAGE),
    "dashboard (teamleider, one team)": ("tom", PAGE),
    "dashboard CSV (admin)": ("ada", "/medewerker/rapportage.csv?maand=2026-11"),
}


def _months(count: int) -> list[date]:
    first = date(2026, 11, 1)
    months = [first]
    while len(months) < count:
        months.append((months[-1] - timedelta(days=1)).replace(day=1))
    return months[::-1]


def _household_rows(households: int, now: datetime) -> list[dict[str, Any]]:
    rows = []
    for n in range(households):
        rows.append(
            {
                "code": f"HB-{n:05d}",
                "name": f"Huishouden {n}",
                "iban": "NL44RABO0123456789",
                "bic": "",
                "members": 1 + n % 4,
                "start_date": date(2026, 9, 1) if n % 20 else date(2026, 11, 10),
                "end_date": date(2026, 11, 20) if n % 50 == 0 else None,
                "rules": {
                    "buffer": {"target": "1200.00"},
                    "incomes": [{"id": "loon", "payer_name": f"Werkgever {n % 37}"}],
                },
                "team": "Noord" if n % 2 else "Zuid",
                "caseworker": "",
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


class _Journal:
    """Bulk rows of balanced journal entries."""

    def __init__(self, now: datetime) -> None:
        self.entries: list[dict[str, Any]] = []
        self.postings: list[dict[str, Any]] = []
        self.now = now

    def add(self, day: date, kind: str, legs: tuple[tuple[str, str, Decimal], ...]) -> None:
        seq = len(self.entries) + 1
        self.entries.append(
            {
                "seq": seq,
                "entry_id": f"bench:{seq}",
                "day": day,
                "description": kind,
                "kind": kind,
                "reversal_of": None,
                "meta": [],
                "recorded_at": self.now,
            }
        )
        for position, (account_kind, household, amount) in enumerate(legs):
            self.postings.append(
                {
                    "entry_seq": seq,
                    "position": position,
                    "account_kind": account_kind,
                    "household": household,
                    "sub": "",
                    "amount": amount,
                }
            )


def _journal(households: int, months: list[date], now: datetime) -> _Journal:
    journal = _Journal(now)
    for n in range(households):
        code = f"HB-{n:05d}"
        salary = Decimal(1500 + n % 400)
        for month in months:
            journal.add(
                month + timedelta(days=4),
                "income",
                (("bank", "", salary), ("vat", code, -salary)),
            )
            for week in range(4):
                leefgeld = Decimal(60 + (n + week // 2) % 30)  # changes now and then
                journal.add(
                    month + timedelta(days=5 + 7 * week),
                    "instruct_leefgeld",
                    (("vat", code, leefgeld), ("in_flight", "", -leefgeld)),
                )
            for day, amount in (
                (1, Decimal("700.00")),
                (15, Decimal("120.00")),
                (28, Decimal("45.50")),
            ):
                journal.add(
                    month + timedelta(days=day - 1),
                    "instruct_charge",
                    (("vat", code, amount), ("in_flight", "", -amount)),
                )
        if n % 10 == 0:
            journal.add(
                months[-1] - timedelta(days=n % 90),
                "advance",
                (("advance", code, Decimal("150.00")), ("vat", code, Decimal("-150.00"))),
            )
    return journal


def _signal_rows(households: int) -> list[dict[str, Any]]:
    rows = []
    kinds = ("inkomen_te_laat", "betaling_achtergehouden", "leefgeld_wijziging")
    for n in range(0, households, 3):
        code = f"HB-{n:05d}"
        kind = kinds[n % 3 if n % 9 else 0]
        seen = date(2026, 9 + n % 3, 1 + n % 27)
        closed = seen + timedelta(days=n % 12) if n % 4 else None
        rows.append(
            {
                "key": f"{code}:{kind}:loon:{(seen - timedelta(days=3)).isoformat()}",
                "household": code,
                "kind": kind,
                "severity": "warning",
                "message": "bench",
                "data": {},
                "source": "planner",
                "first_seen": seen,
                "last_seen": closed or TODAY,
                "status": "closed" if closed else "open",
                "closed_on": closed,
                "acknowledged_by": None,
                "acknowledged_at": None,
                "acknowledged_note": None,
            }
        )
    return rows


def _bank(uow: UnitOfWork, households: int, now: datetime) -> None:
    file = ImportedFileRow(
        name="bench", sha256="0" * 64, format="camt053", status="imported", error="",
        transactions=0, new_transactions=0, imported_at=now,
    )  # fmt: skip
    uow.session.add(file)
    uow.session.flush()
    assert file.id is not None
    statement = StatementRow(
        file_id=file.id, account_iban="NL90INGB0005550001", statement_id="bench",
        source_format="camt053", period_start=TODAY, period_end=TODAY, opening=None,
        closing=Decimal("1000000.00"), transactions=0, new_transactions=0,
    )  # fmt: skip
    uow.session.add(statement)
    uow.session.flush()
    rows = [
        {
            "dedupe_key": f"bench-{n}",
            "fingerprint": f"bench-{n}",
            "source_format": "camt053",
            "statement_row_id": statement.id,
            "account_iban": "NL90INGB0005550001",
            "booking_date": TODAY - timedelta(days=n % 40),
            "value_date": TODAY,
            "amount": Decimal("35.00"),
            "currency": "EUR",
            "counterparty_name": "Onbekend",
            "counterparty_iban": "",
            "counterparty_bic": "",
            "description": "",
            "structured_reference": "",
            "end_to_end_id": "",
            "bank_reference": "",
            "bank_transaction_code": "",
            "is_reversal": False,
            "is_return": False,
            "return_reason": "",
            "original_end_to_end_id": "",
            "status": "unmatched",
        }
        for n in range(max(1, households // 100))
    ]
    uow.session.execute(insert(table_of(BankTransactionRow)), rows)


def _chunks(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]


def build(url: str, households: int, months: int) -> dict[str, int]:
    """The database with `households` households and `months` months of journal."""
    engine = open_database(url)
    now = datetime.now(UTC)
    journal = _journal(households, _months(months), now)
    with UnitOfWork(engine) as uow:
        for table, rows in (
            (HouseholdRow, _household_rows(households, now)),
            (JournalEntryRow, journal.entries),
            (PostingRow, journal.postings),
            (SignalRow, _signal_rows(households)),
        ):
            for chunk in _chunks(rows):
                uow.session.execute(insert(table_of(table)), chunk)
        _bank(uow, households, now)
        uow.commit()
        if engine.dialect.name == "postgresql":  # fresh statistics, as autovacuum would give
            uow.session.execute(text("ANALYZE household, journal_entry, posting, signal"))
            uow.commit()
        hasher = Argon2Hasher(**FAST)
        for username, role, team in (("ada", Role.ADMIN, ""), ("tom", Role.APPROVER, "Noord")):
            create_user(
                uow, hasher, actor="bench", username=username, display_name=username,
                role=role, household=None, password=PASSWORD, now=now, team=team,
            )  # fmt: skip
    engine.dispose()
    return {"journal_entries": len(journal.entries), "postings": len(journal.postings)}


def percentile(values: list[float], fraction: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def reuse(url: str) -> dict[str, int]:
    """Counts of a database built before (--reuse): nothing is added."""
    engine = open_database(url)
    with UnitOfWork(engine) as uow:
        entries = uow.read(text("SELECT count(*) FROM journal_entry")).scalar_one()
        postings = uow.read(text("SELECT count(*) FROM posting")).scalar_one()
    engine.dispose()
    return {"journal_entries": int(entries), "postings": int(postings)}


def store_night(url: str) -> dict[str, float]:
    """The night's extra work: store the dashboard's figures for TODAY the first time
    (every day and household), again (nothing new: the idempotent re-run), and the
    next night (1 December: the new month's households measured again, the closed
    month's kept), what a night costs from then on besides the days it booked."""
    engine = open_database(url)
    out: dict[str, float] = {}
    for name, day in (("first", TODAY), ("again", TODAY), ("next", TODAY + timedelta(days=1))):
        start, used = time.perf_counter(), time.process_time()
        with UnitOfWork(engine) as uow:
            reports_store.store_report_figures(uow, day)
        out[f"{name}_s"] = round(time.perf_counter() - start, 2)
        out[f"{name}_cpu_s"] = round(time.process_time() - used, 2)
    engine.dispose()
    return out


class _Live:
    """The baseline of the same run: the dashboard as it was, every figure from the
    journal (the stored figures are not looked at)."""

    def __init__(self) -> None:
        self.saved = (reports.stored_daily_sums, reports.stored_household_figures)

    def __enter__(self) -> None:
        reports.stored_daily_sums = lambda *_: None  # type: ignore[assignment]
        reports.stored_household_figures = lambda *_: None  # type: ignore[assignment]

    def __exit__(self, *_: object) -> None:
        reports.stored_daily_sums, reports.stored_household_figures = self.saved


def _timed(client: Any, path: str) -> tuple[float, float]:
    start, used = time.perf_counter(), time.process_time()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return (time.perf_counter() - start) * 1000, (time.process_time() - used) * 1000


def _figures(times: list[float], cpu: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        # CPU of this process (the app and, on SQLite, the database engine too):
        # what the page costs when the machine is not shared
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 2),
    }


def measure(url: str, requests: int) -> dict[str, Any]:
    """Time `requests` requests of each page (after two to warm up), the live baseline
    and the stored figures taking turns request by request (the same load for both)."""
    app = create_app(
        {
            "HHB_DATABASE_URL": url,
            "HHB_SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "HHB_ARGON2": FAST,
            "HHB_TODAY": TODAY.isoformat(),
        }
    )

    @app.get("/bench/ping")
    def ping() -> str:
        return "ok"

    clients = {username: staff_client(app, username, PASSWORD) for username in ("ada", "tom")}
    results: dict[str, Any] = {"live": {}, "stored": {}}
    for name, (username, path) in PAGES.items():
        client = clients[username]
        for _ in range(2):
            client.get(path)
            with _Live():
                client.get(path)
        samples: dict[str, tuple[list[float], list[float]]] = {
            "live": ([], []),
            "stored": ([], []),
        }
        for _ in range(requests):
            with _Live():
                wall, cpu = _timed(client, path)
            samples["live"][0].append(wall)
            samples["live"][1].append(cpu)
            wall, cpu = _timed(client, path)
            samples["stored"][0].append(wall)
            samples["stored"][1].append(cpu)
        for mode, (times, cpu_times) in samples.items():
            results[mode][name] = _figures(times, cpu_times)
    app.extensions["hhb_engine"].dispose()
    return results


def summary(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The uniform rows for bench/report.py's table (see docs/benchmarks.md): the page
    with the night's stored figures against the live baseline of the same run."""
    rows = []
    for name in list(PAGES)[1:]:
        figure = results["pages"]["stored"][name]["p95_ms"]
        baseline = results["pages"]["live"][name]["p95_ms"]
        rows.append(
            {
                "metric": f"{name} p95 latency, {results['households']} households",
                "figure": figure,
                "baseline": baseline,
                "baseline_label": "live SQL (before)",
                "ratio": round(figure / baseline, 2),
                "unit": "ms",
                "goal": f"< {GOAL_MS} ms",
                "met": figure < GOAL_MS,
            }
        )
    return rows


def markdown(results: dict[str, Any]) -> str:
    """The figures as Markdown."""
    night = results["night"]
    lines = [
        f"Households: {results['households']}, {results['months']} months of journal "
        f"({results['journal_entries']} entries, {results['postings']} postings), "
        f"built in {results['build_seconds']} s; {results['backend']}; requests in-process; "
        f"load average {results['load_average']} at the start and "
        f"{results['load_average_end']} at the end, on {os.cpu_count()} cores.",
        "",
        f"The night's extra work (storing the figures): first time {night['first_s']} s "
        f"({night['first_cpu_s']} s CPU of this process), again the same night "
        f"{night['again_s']} s ({night['again_cpu_s']} s CPU), the next night "
        f"{night['next_s']} s ({night['next_cpu_s']} s CPU).",
        "",
        "| page | live p50 ms | live p95 ms | live CPU p50/p95 ms | stored p50 ms "
        "| stored p95 ms | stored CPU p50/p95 ms | p95 stored/live | CPU p50 stored/live |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in PAGES:
        live, stored = results["pages"]["live"][name], results["pages"]["stored"][name]
        wall = round(stored["p95_ms"] / live["p95_ms"], 2)
        cpu = round(stored["cpu_p50_ms"] / max(live["cpu_p50_ms"], 0.01), 2)
        lines.append(
            f"| {name} | {live['p50_ms']} | {live['p95_ms']} "
            f"| {live['cpu_p50_ms']} / {live['cpu_p95_ms']} | {stored['p50_ms']} "
            f"| {stored['p95_ms']} | {stored['cpu_p50_ms']} / {stored['cpu_p95_ms']} "
            f"| {wall} | {cpu} |"
        )
    lines.append("")
    for row in summary(results):
        verdict = "met" if row["met"] else "NOT met"
        lines.append(
            f"{row['metric']}: {row['figure']} ms, live {row['baseline']} ms "
            f"(× {row['ratio']}; goal < {GOAL_MS} ms: {verdict})"
        )
    return "\n".join(lines)


def main() -> int:
    """Build, store the night's figures, measure, print (Markdown or --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--reuse", action="store_true", help="--database is built already")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        start = time.perf_counter()
        reused = args.reuse and args.database
        counts = reuse(url) if reused else build(url, args.households, args.months)
        built = time.perf_counter() - start
        load = round(os.getloadavg()[0], 1)
        night = store_night(url)
        pages = measure(url, args.requests)
    results: dict[str, Any] = {
        "households": args.households,
        "months": args.months,
        "requests": args.requests,
        "backend": url.split(":", 1)[0],
        "build_seconds": round(built, 1),
        "load_average": load,
        "load_average_end": round(os.getloadavg()[0], 1),
        "night": night,
        "pages": pages,
        **counts,
    }
    if args.json:
        results["summary"] = summary(results)
        results["sizes"] = {"households": args.households}
        print(json.dumps(results, indent=2))
    else:
        print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
