"""Nightly run at scale: N households, one day's CAMT.053 of their incomes, the whole
night (import → dedupe → match → reconcile → book → plan → extras → export → signals
→ report), on SQLite or on PostgreSQL with 1 or more workers.

Prints per-stage seconds, households per second, the growth from the smallest
size to the largest (linear growth keeps seconds per household flat), the speed-up
of more workers over one, the peak memory of the night's processes and the load
average of the machine before and after each night. Goals: the 10,000-household
night under 60 s on SQLite; on PostgreSQL (issue 22) 100,000 households in under
10 minutes with 2 workers, 2 workers at least 1.4× as fast as 1, and time per
household at the largest size at most 1.5× that at the smallest.

    python bench/nightly_scale.py [SIZES]           e.g. 1000,5000,10000 (default)
    HHB_BENCH_SIZES=200,1000 python bench/nightly_scale.py [--json]
    python bench/nightly_scale.py --database postgresql+psycopg://hhb:hhb@127.0.0.1/hhb_bench \
        [--workers 1,2] [--backup] [10000,50000,100000]

With --database (or HHB_BENCH_DATABASE) the runs use that PostgreSQL database, which
is EMPTIED first (its public schema dropped): its name must contain "bench". The
default sizes there are 10000,50000,100000 and the worker counts 1,2. Each run of a
size starts from an identical database, populated anew with bulk inserts
(bench/bulk_households.py; its seconds are reported apart), and runs the night in a
child process of its own, so its peak memory (ru_maxrss of that process and of its
worker processes) belongs to that night alone. --backup: after the last run, the
seconds and bytes of pg_dump -Fc and of pg_restore -j 2 of that database.

--json prints {"sizes", "results": [one per size and worker count], "summary": [rows
for bench/report.py]} (and "backup").

The read model (issue 24): the plan stage also stores every household's status
(`services.read_model`); the seconds it spends on that (computing the status after
the plan and writing the rows) are timed apart and reported per 10,000 households
(with 1 worker: with more, the plan runs in other processes).

Each household has its own employer (payer IBAN), a monthly rent and weekly
leefgeld; the night is a Thursday on which every salary arrives, so every
household is matched, booked and planned, and leefgeld goes out the next day.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, make_url, text

from bench.bulk_households import insert_new_households
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    create_engine_from_url,
    open_database,
    save_gemeente,
)
from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.household import (
    BufferPolicy,
    ChargeKind,
    Gemeente,
    Household,
    LeefgeldPolicy,
)
from huishoudboekje.domain.money import Money
from huishoudboekje.services import night_plan
from scheduler.context import NightPaths
from scheduler.nightly import NightOutcome, run_nights
from tests import factories
from tests.camt_writer import CamtStatement, write_camt053

GEMEENTE_IBAN = "NL91ABNA0417164300"
NIGHT = date(2026, 3, 6)  # a Friday: the salaries of Thursday 5 March are on the statement
PAYDAY = date(2026, 3, 5)
STAGES = (
    "import",
    "dedupe",
    "match",
    "reconcile",
    "book",
    "plan",
    "extras",
    "export",
    "signals",
    "report",
)


def household(n: int) -> Household:
    """Household n: its own employer pays a salary on the 5th, the rent goes out on the 1st."""
    salary = replace(
        factories.income(
            "loon", f"{1400 + (n % 50) * 10}.00", date(2026, 1, 5), "FREQ=MONTHLY;BYMONTHDAY=5"
        ),
        payer_iban=factories.nl_iban("INGB", 200_000 + n),
        payer_name=f"Werkgever {n}",
        terms=("salaris",),
    )
    rent = replace(
        factories.charge("huur", f"{600 + n % 200}.00", date(2026, 1, 1), kind=ChargeKind.HUUR),
        payee_name="Woonstichting Voorbeeld",
        payee_iban="NL93RABO0123456780",
    )
    return factories.household(
        f"HH-{n:05d}",
        name=f"Huishouden {n}",
        iban=factories.nl_iban("RABO", 100_000 + n),
        members=1 + n % 4,
        leefgeld=LeefgeldPolicy(weekday="friday"),
        buffer=BufferPolicy(target=Money("800.00"), advance_limit=Money("500.00")),
        incomes=(salary,),
        charges=(rent,),
    )


def statement(households: Sequence[Household]) -> bytes:
    """The payday's CAMT.053: every household's salary on the pooled account."""
    entries = tuple(
        (
            BankTransaction(
                booking_date=PAYDAY,
                value_date=PAYDAY,
                amount=h.incomes[0].amount,
                counterparty_name=h.incomes[0].payer_name,
                counterparty_iban=h.incomes[0].payer_iban,
                description=f"salaris maart {h.code}",
                bank_reference=f"B{PAYDAY:%Y%m%d}{i:07d}",
            ),
        )
        for i, h in enumerate(households)
    )
    return write_camt053(
        [CamtStatement(GEMEENTE_IBAN, Money("0.00"), entries, statement_id="BENCH")]
    )


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def reset_postgres(url: str) -> None:
    """Empty the PostgreSQL database at `url`: its public schema dropped and made anew.

    Only a database whose name contains "bench" is emptied, so a mistyped URL never
    costs a real database its data."""
    name = make_url(url).database or ""
    if "bench" not in name:
        raise SystemExit(
            f"nightly_scale: database {name!r} would be emptied; "
            "use a database whose name contains 'bench'"
        )
    engine = create_engine_from_url(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def populate(url: str, households: Sequence[Household]) -> float:
    """An empty database at `url` with the schema, the gemeente and `households`
    (bulk inserts, see bench/bulk_households.py); returns the seconds it took.

    Every run of a size starts from this state, populated anew: the runs with 1 and
    with 2 workers start from identical databases."""
    started = time.perf_counter()
    if is_postgres(url):
        reset_postgres(url)
    engine = open_database(url)
    try:
        with UnitOfWork(engine) as uow:
            save_gemeente(
                uow, Gemeente("Benchstad", GEMEENTE_IBAN, "Gemeente Benchstad", "ABNANL2A")
            )
            insert_new_households(uow, households, datetime(2026, 1, 1, tzinfo=UTC))
            uow.commit()
        if is_postgres(url):  # statistics, as a database in use has them (autovacuum)
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("ANALYZE"))
    finally:
        engine.dispose()
    return time.perf_counter() - started


def night_folders(workdir: Path, camt: bytes) -> NightPaths:
    """A fresh var/ folder with the payday statement in its inbox."""
    if workdir.exists():
        shutil.rmtree(workdir)
    paths = NightPaths.under(workdir)
    paths.create()
    (paths.inbox / "camt053-bench.xml").write_bytes(camt)
    return paths


STATUS_WORK = ("_status_after", "store_statuses", "store_computed")  # in services.night_plan


@contextmanager
def timed_status_work() -> Iterator[list[float]]:
    """Time what the plan stage spends on the read model (the functions of
    `STATUS_WORK`, wrapped for the duration); yields the list the seconds go in."""
    spent: list[float] = []
    originals = {name: getattr(night_plan, name) for name in STATUS_WORK}

    def timed(function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent.append(time.perf_counter() - start)

        return run

    for name, function in originals.items():
        setattr(night_plan, name, timed(function))
    try:
        yield spent
    finally:
        for name, function in originals.items():
            setattr(night_plan, name, function)


def run_the_night(engine: Engine, paths: NightPaths, workers: int) -> NightOutcome:
    """The whole night of NIGHT; `workers` > 1: stages plan and export spread over this
    process and `workers` - 1 forked local workers (`hhb nightly --workers`, issue 22.2)."""
    return run_nights(engine, NIGHT, paths, workers=workers)[-1]


def _megabytes(usage: resource.struct_rusage) -> float:
    return round(usage.ru_maxrss / 1024, 1)  # Linux: kilobytes


def night_in_this_process(url: str, var: Path, size: int, workers: int) -> dict[str, object]:
    """Run the night (the child process of `measure`): seconds per stage, what it did,
    the peak memory of this process and of its worker processes, the load average."""
    engine = create_engine_from_url(url)  # populated and migrated by `populate`
    load_before = os.getloadavg()
    started = time.perf_counter()
    with timed_status_work() as spent:
        outcome = run_the_night(engine, NightPaths.under(var), workers)
    elapsed = time.perf_counter() - started
    load_after = os.getloadavg()
    engine.dispose()
    status_seconds = sum(spent)
    stages = {name: outcome.stages[name].get("seconds", 0.0) for name in STAGES}
    return {
        "households": size,
        "workers": workers,
        "status": outcome.status,
        "seconds": round(elapsed, 2),
        "households_per_second": round(size / elapsed, 1),
        "stages": stages,
        # timed in this process only: with workers the plan runs elsewhere too
        "status_seconds": round(status_seconds, 2) if workers == 1 else None,
        "status_seconds_per_10000": round(status_seconds * 10_000 / size, 2)
        if workers == 1
        else None,
        "matched": outcome.report["matched"],
        "payments": len(outcome.report["payments"]),
        "payment_files": len(outcome.report["payment_files"]),
        "problems": outcome.problems[:3],
        # ru_maxrss: this process (the coordinator; the only worker with 1 worker) and
        # the largest of its finished child processes (the workers)
        "peak_mb": _megabytes(resource.getrusage(resource.RUSAGE_SELF)),
        "worker_peak_mb": _megabytes(resource.getrusage(resource.RUSAGE_CHILDREN)),
        # CPU seconds of the night's Python processes (this one and its workers)
        "python_cpu_seconds": round(
            sum(
                u.ru_utime + u.ru_stime
                for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
            ),
            1,
        ),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
    }


def table_sizes(url: str) -> dict[str, int]:
    """PostgreSQL: the biggest tables with their indexes and TOAST, in bytes."""
    engine = create_engine_from_url(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'public' AND c.relkind = 'r' "
                    "ORDER BY 2 DESC LIMIT 12"
                )
            )
            sizes = {str(name): int(size) for name, size in rows}
            sizes["(database)"] = int(
                connection.execute(text("SELECT pg_database_size(current_database())")).scalar()
                or 0
            )
            return sizes
    finally:
        engine.dispose()


class PostgresCpu:
    """CPU seconds of the PostgreSQL backends serving the bench's database while the
    block runs (a local server only: read from /proc every second; each backend's
    last reading counts, so at most a second per connection is missed). None when
    the database is not a PostgreSQL on this machine."""

    def __init__(self, url: str) -> None:
        self._url = url if is_postgres(url) else None
        self._ticks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PostgresCpu:
        if self._url is not None and Path("/proc/self/stat").exists():
            self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def seconds(self) -> float | None:
        if not self._ticks:
            return None
        return round(sum(self._ticks.values()) / os.sysconf("SC_CLK_TCK"), 1)

    def _sample(self) -> None:
        assert self._url is not None
        engine = create_engine_from_url(self._url)
        query = text(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        try:
            with engine.connect() as connection:
                while True:
                    for pid in connection.execute(query).scalars():
                        ticks = _cpu_ticks(int(pid))
                        if ticks is not None:
                            self._ticks[int(pid)] = ticks
                    connection.rollback()  # a fresh snapshot of pg_stat_activity
                    if self._stop.wait(1.0):
                        return
        finally:
            engine.dispose()


def _cpu_ticks(pid: int) -> int | None:
    """utime + stime of process `pid` in clock ticks, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[11]) + int(fields[12])


def measure(
    size: int, workers: Sequence[int], url: str | None, folder: Path
) -> list[dict[str, object]]:
    """The night over `size` households once per worker count, each from the same
    freshly populated database and inbox; the night runs in a child process."""
    households = [household(n) for n in range(1, size + 1)]
    camt = statement(households)
    results = []
    for count in workers:
        run_url = url or f"sqlite:///{folder / f'bench-{size}-{count}.sqlite3'}"
        population = populate(run_url, households)
        var = folder / f"var-{size}-{count}"
        night_folders(var, camt)
        command = [sys.executable, __file__, "--night", str(var), "--database", run_url]
        command += ["--workers", str(count), str(size)]
        with PostgresCpu(run_url) as server:
            child = subprocess.run(command, capture_output=True, text=True, check=False)
        if child.returncode != 0:
            raise RuntimeError(f"the night of {size} with {count} workers: {child.stderr[-2000:]}")
        result: dict[str, object] = json.loads(child.stdout)
        result["backend"] = "PostgreSQL" if is_postgres(run_url) else "SQLite"
        result["population_seconds"] = round(population, 2)
        result["postgres_cpu_seconds"] = server.seconds()
        if is_postgres(run_url):
            result["table_bytes"] = table_sizes(run_url)
        shutil.rmtree(var)
        results.append(result)
    return results


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore take it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def backup_and_restore(url: str, folder: Path) -> dict[str, object]:
    """PostgreSQL: pg_dump -Fc of the database as the last night left it, then the
    database emptied and restored from the dump with pg_restore -j 2: seconds and bytes."""
    dump = folder / "bench.dump"
    started = time.perf_counter()
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), libpq_url(url)], check=True)
    dumped = time.perf_counter() - started
    reset_postgres(url)
    started = time.perf_counter()
    subprocess.run(
        ["pg_restore", "-j", "2", "--no-owner", "-d", libpq_url(url), str(dump)], check=True
    )
    restored = time.perf_counter() - started
    size = dump.stat().st_size
    dump.unlink()
    return {
        "dump_seconds": round(dumped, 1),
        "dump_bytes": size,
        "restore_seconds": round(restored, 1),
        "database_bytes": table_sizes(url)["(database)"],
        "load": [round(x, 2) for x in os.getloadavg()],
    }


GOAL_SECONDS = 60
GOAL_HOUSEHOLDS = 10_000
LINEAR_SLACK = 1.5  # time per household may grow this much from the smallest size
PG_GOAL_SECONDS = 600  # issue 22.3: 100,000 households in under 10 minutes with 2 workers
PG_GOAL_HOUSEHOLDS = 100_000
PG_GOAL_WORKERS = 2
SPEEDUP_GOAL = 1.4  # 2 workers over 1 on 2 cores


def as_json(
    results: list[dict[str, object]], backup: dict[str, object] | None = None
) -> dict[str, object]:
    """The --json output: the runs, the sizes, and the uniform rows for bench/report.py."""
    out: dict[str, object] = {
        "benchmark": "nightly_scale",
        "sizes": {
            "households": ",".join(sorted({str(r["households"]) for r in results}, key=int)),
            "workers": ",".join(sorted({str(r.get("workers", 1)) for r in results}, key=int)),
        },
        "results": results,
        "summary": summary(results, backup),
    }
    if backup is not None:
        out["backup"] = backup
    return out


def _ms_per_household(result: dict[str, object]) -> float:
    return float(str(result["seconds"])) * 1000 / int(str(result["households"]))


def _load(result: dict[str, object]) -> str:
    after = result.get("load_after")
    return f"load {after[0]}" if isinstance(after, list) else "load ?"


def _by_workers(results: list[dict[str, object]]) -> dict[int, list[dict[str, object]]]:
    runs: dict[int, list[dict[str, object]]] = {}
    for r in results:
        runs.setdefault(int(str(r.get("workers", 1))), []).append(r)
    return runs


def summary(
    results: list[dict[str, object]], backup: dict[str, object] | None = None
) -> list[dict[str, object]]:
    """Rows for the report: the largest night against the goal, the speed-up of more
    workers, growth per worker count, memory, backups, bad nights."""
    runs = _by_workers(results)
    postgres = results[-1].get("backend") == "PostgreSQL"
    backend = "PostgreSQL" if postgres else "SQLite"
    rows: list[dict[str, object]] = []
    for count, same in sorted(runs.items()):
        last = same[-1]
        size = int(str(last["households"]))
        seconds = float(str(last["seconds"]))
        if postgres:
            goal = f"< {PG_GOAL_SECONDS} s at {PG_GOAL_HOUSEHOLDS:,} households, 2 workers"
            met = seconds < PG_GOAL_SECONDS if size >= PG_GOAL_HOUSEHOLDS else None
            met = met if count == PG_GOAL_WORKERS else None
        else:
            goal = f"< {GOAL_SECONDS} s at {GOAL_HOUSEHOLDS:,} households"
            # The goal is stated for 10,000 households; smaller runs cannot meet or miss it.
            met = seconds < GOAL_SECONDS if size >= GOAL_HOUSEHOLDS else None
        workers = f", {count} worker{'s' if count > 1 else ''}" if postgres else ""
        rows.append(
            {
                "metric": f"whole night, {size} households on {backend}{workers} "
                f"({last['households_per_second']} households/s, {_load(last)})",
                "figure": seconds,
                "baseline": None,
                "unit": "s",
                "goal": goal,
                "met": met,
            }
        )
        if len(same) > 1:
            first = same[0]
            rows.append(
                {
                    "metric": f"time per household at {size} vs {first['households']} "
                    f"households{workers}",
                    "figure": round(_ms_per_household(last), 3),
                    "baseline": round(_ms_per_household(first), 3),
                    "baseline_label": f"at {first['households']}",
                    "unit": "ms",
                    "goal": f"linear growth: ≤ {LINEAR_SLACK}× (1.0 = linear)",
                    "met": _ms_per_household(last) <= LINEAR_SLACK * _ms_per_household(first),
                }
            )
    if 1 in runs:
        for many, more in sorted(runs.items()):
            for one, other in ((r, o) for r in runs[1] for o in more if many > 1):
                if one["households"] != other["households"]:
                    continue
                speedup = float(str(one["seconds"])) / float(str(other["seconds"]))
                rows.append(
                    {
                        "metric": f"speed-up of {many} workers over 1, "
                        f"{one['households']} households ({_load(one)}; {_load(other)})",
                        "figure": float(str(other["seconds"])),
                        "baseline": float(str(one["seconds"])),
                        "baseline_label": "1 worker",
                        "ratio": round(speedup, 2),
                        "unit": "s",
                        "goal": f"≥ {SPEEDUP_GOAL}× (1 worker's s / {many} workers' s)",
                        "met": speedup >= SPEEDUP_GOAL if many == 2 else None,
                    }
                )
    last = results[-1]
    peak = max(float(str(last["peak_mb"])), float(str(last["worker_peak_mb"])))
    rows.append(
        {
            "metric": f"peak memory per process, {last['households']} households, "
            f"{last.get('workers', 1)} worker(s)",
            "figure": peak,
            "baseline": None,
            "unit": "MB",
            "goal": "(for information: ru_maxrss of the night's processes)",
            "met": None,
        }
    )
    one_worker = runs.get(1, [])
    if one_worker:
        largest = one_worker[-1]
        rows.append(
            {
                "metric": "storing the statuses (read model) in the plan stage, "
                f"{largest['households']} households",
                "figure": float(str(largest["status_seconds"])),
                "baseline": float(str(largest["stages"]["plan"])),  # type: ignore[index]
                "baseline_label": "the whole plan stage",
                "unit": "s",
                "goal": f"(for information: {largest['status_seconds_per_10000']} s per 10,000)",
                "met": None,
            }
        )
    if backup is not None:
        rows.append(
            {
                "metric": f"pg_restore -j 2 of the {last['households']}-household database "
                f"({int(str(backup['dump_bytes'])) // 2**20} MB dump, "
                f"pg_dump {backup['dump_seconds']} s)",
                "figure": float(str(backup["restore_seconds"])),
                "baseline": None,
                "unit": "s",
                "goal": "(for information: docs/scaling.md)",
                "met": None,
            }
        )
    bad = [r for r in results if r["status"] != "ok"]
    rows.append(
        {
            "metric": "nights that did not end ok",
            "figure": len(bad),
            "baseline": None,
            "unit": "",
            "goal": "0",
            "met": not bad,
        }
    )
    return rows


def _speedups(results: list[dict[str, object]]) -> dict[tuple[int, int], float]:
    """(households, workers) -> seconds with 1 worker / seconds with `workers`."""
    one = {
        int(str(r["households"])): float(str(r["seconds"]))
        for r in results
        if r.get("workers", 1) == 1
    }
    return {
        (int(str(r["households"])), int(str(r.get("workers", 1)))): round(
            one[int(str(r["households"]))] / float(str(r["seconds"])), 2
        )
        for r in results
        if int(str(r["households"])) in one
    }


def markdown(result: dict[str, object]) -> str:
    """The runs of a --json result as a Markdown table (used by bench/report.py)."""
    runs = result["results"]
    assert isinstance(runs, list)
    speedups = _speedups(runs)
    lines = [
        "| database | households | workers | total s | households/s | speed-up | "
        + " | ".join(STAGES)
        + " | peak MB (workers) | CPU s Python / PostgreSQL | load before → after "
        "| statuses s (per 10,000) | status |",
        "|---|---:|---:|---:|---:|---:|" + "---:|" * len(STAGES) + "---:|---:|---|---:|---|",
    ]
    for r in runs:
        stages = " | ".join(f"{r['stages'][s]:.2f}" for s in STAGES)
        count = r.get("workers", 1)
        speedup = speedups.get((r["households"], count))
        statuses = (
            f"{r['status_seconds']} ({r['status_seconds_per_10000']})"
            if r.get("status_seconds") is not None
            else "–"
        )
        load = f"{r.get('load_before', ['?'])[0]} → {r.get('load_after', ['?'])[0]}"
        lines.append(
            f"| {r.get('backend', 'SQLite')} | {r['households']} | {count} | {r['seconds']} "
            f"| {r['households_per_second']} | {f'{speedup}×' if speedup else '–'} | {stages} "
            f"| {r.get('peak_mb', '?')} ({r.get('worker_peak_mb', '?')}) "
            f"| {r.get('python_cpu_seconds', '?')} / {r.get('postgres_cpu_seconds', '?')} "
            f"| {load} "
            f"| {statuses} "
            f"| {r['status']}, {r['matched']} matched, {r['payments']} payments |"
        )
    backup = result.get("backup")
    if isinstance(backup, dict):
        lines.append("")
        lines.append(
            f"pg_dump -Fc: {backup['dump_seconds']} s, {backup['dump_bytes'] // 2**20} MB; "
            f"pg_restore -j 2: {backup['restore_seconds']} s "
            f"(database {backup['database_bytes'] // 2**20} MB, load {backup['load'][0]})"
        )
    return "\n".join(lines)


def _print_text(results: list[dict[str, object]]) -> None:
    header = f"{'db':>10} {'households':>10} {'workers':>7} {'total s':>8} {'hh/s':>7} " + " ".join(
        f"{s:>9}" for s in STAGES
    )
    print(header)
    speedups = _speedups(results)
    for r in results:
        stages = r["stages"]
        assert isinstance(stages, dict)
        count = int(str(r.get("workers", 1)))
        print(
            f"{r['backend']:>10} {r['households']:>10} {count:>7} {r['seconds']:>8} "
            f"{r['households_per_second']:>7} " + " ".join(f"{stages[s]:>9.2f}" for s in STAGES)
        )
        print(
            f"{'':>10} populated in {r['population_seconds']} s; peak memory {r['peak_mb']} MB "
            f"(workers {r['worker_peak_mb']} MB); load {r['load_before']} → {r['load_after']}; "
            f"speed-up over 1 worker {speedups.get((int(str(r['households'])), count), '–')}"
        )
        print(
            f"{'':>10} CPU seconds: Python {r.get('python_cpu_seconds')}, "
            f"PostgreSQL {r.get('postgres_cpu_seconds')}"
        )
        if r.get("status_seconds") is not None:
            print(
                f"{'':>10} statuses stored in {r['status_seconds']} s "
                f"({r['status_seconds_per_10000']} s per 10,000 households)"
            )
        print(
            f"{'':>10} status {r['status']}, {r['matched']} matched, {r['payments']} payments, "
            f"{r['payment_files']} payment files {r['problems'] or ''}"
        )
    for count, same in sorted(_by_workers(results).items()):
        if len(same) > 1:
            first, last = same[0], same[-1]
            per_first, per_last = _ms_per_household(first), _ms_per_household(last)
            print(
                f"{count} worker(s): {per_first:.3f} ms per household at {first['households']}, "
                f"{per_last:.3f} ms at {last['households']} "
                f"(ratio {per_last / per_first:.2f}; 1.0 = linear)"
            )


def main(argv: list[str] | None = None) -> int:
    """Measure each size on the command line (or HHB_BENCH_SIZES) and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="?", default=os.environ.get("HHB_BENCH_SIZES", ""))
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--database",
        default=os.environ.get("HHB_BENCH_DATABASE", ""),
        help="a PostgreSQL URL (its database name must contain 'bench': it is emptied)",
    )
    parser.add_argument("--workers", default="", help="worker counts, e.g. 1,2")
    parser.add_argument("--backup", action="store_true", help="PostgreSQL: time pg_dump/restore")
    parser.add_argument("--night", metavar="VAR", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    url = args.database or None
    postgres = url is not None and is_postgres(url)
    default_sizes = "10000,50000,100000" if postgres else "1000,5000,10000"
    sizes = [int(s) for s in (args.sizes or default_sizes).split(",") if s]
    workers = [int(w) for w in (args.workers or ("1,2" if postgres else "1")).split(",") if w]
    if args.night:
        assert url is not None
        print(json.dumps(night_in_this_process(url, Path(args.night), sizes[0], workers[0])))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        results = [r for size in sizes for r in measure(size, workers, url, Path(folder))]
        backup = backup_and_restore(url, Path(folder)) if postgres and args.backup else None
    if args.json:
        print(json.dumps(as_json(results, backup), indent=2))
        return 0
    _print_text(results)
    if backup is not None:
        print(f"backup: {backup}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
