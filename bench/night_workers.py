"""A night spread over workers (issue 22.2) against the same night in one process,
on PostgreSQL, in the same run: the speed-up of 2 workers over 1.

    HHB_BENCH_POSTGRES_URL=postgresql+psycopg://hhb:hhb@127.0.0.1/hhb_bench \\
        python bench/night_workers.py [HOUSEHOLDS] [--workers 2] [--json]

(HHB_TEST_POSTGRES_URL is used when HHB_BENCH_POSTGRES_URL is not set.) The gemeente
is the one of bench/nightly_scale.py (every household paid on the statement, so every
household is matched, booked and planned). Each run gets a fresh schema; the one-
process night runs first, then the spread one; both must write the same payment
files (bytes). Reports whole-night and plan-stage seconds, their ratios, and the
load average of the machine before and after (it is shared: read the ratio with it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, make_url, text

from bench.nightly_scale import GEMEENTE_IBAN, NIGHT, PAYDAY, household
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    open_database,
    save_gemeente,
    save_household,
)
from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.household import Gemeente
from huishoudboekje.domain.money import Money
from scheduler.context import NightPaths
from scheduler.nightly import run_nights
from tests.camt_writer import CamtStatement, write_camt053


def base_url() -> str:
    url = os.environ.get("HHB_BENCH_POSTGRES_URL") or os.environ.get("HHB_TEST_POSTGRES_URL")
    if not url:
        sys.exit("set HHB_BENCH_POSTGRES_URL (or HHB_TEST_POSTGRES_URL) to a PostgreSQL database")
    return url


def new_schema(base: str) -> tuple[str, str]:
    """A fresh schema and the URL that uses it."""
    schema = f"hhb_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return schema, url.render_as_string(hide_password=False)


def drop_schema(base: str, schema: str) -> None:
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def setup(url: str, size: int, workdir: Path) -> NightPaths:
    """`size` households and the payday statement in the inbox."""
    engine = open_database(url)
    households = [household(n) for n in range(1, size + 1)]
    with UnitOfWork(engine) as uow:
        save_gemeente(uow, Gemeente("Benchstad", GEMEENTE_IBAN, "Gemeente Benchstad", "ABNANL2A"))
        for h in households:
            save_household(uow, h, at=datetime(2026, 1, 1, tzinfo=UTC))
        uow.commit()
    engine.dispose()
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
    paths = NightPaths.under(workdir / "var")
    paths.create()
    statement = CamtStatement(GEMEENTE_IBAN, Money("0.00"), entries, statement_id="BENCH")
    (paths.inbox / "camt053-bench.xml").write_bytes(write_camt053([statement]))
    return paths


def measure(base: str, size: int, workers: int) -> dict[str, Any]:
    """One whole night over `size` households with `workers`."""
    schema, url = new_schema(base)
    try:
        with tempfile.TemporaryDirectory() as folder:
            paths = setup(url, size, Path(folder))
            engine = open_database(url)
            cpu = _cpu_seconds()
            started = time.perf_counter()
            outcome = run_nights(engine, NIGHT, paths, workers=workers)[-1]
            elapsed = time.perf_counter() - started
            cpu = _cpu_seconds() - cpu
            with engine.connect() as connection:
                done_by = connection.execute(
                    text(
                        "SELECT worker, count(*) FROM night_batch WHERE stage = 'plan' "
                        "GROUP BY worker ORDER BY worker"
                    )
                ).all()
            engine.dispose()
            files = {p.name: p.read_bytes() for p in sorted(paths.outbox.glob("*.xml"))}
    finally:
        drop_schema(base, schema)
    return {
        "workers": workers,
        "households": size,
        "status": outcome.status,
        "seconds": round(elapsed, 2),
        "plan_seconds": outcome.stages["plan"]["seconds"],
        "export_seconds": outcome.stages["export"]["seconds"],
        "planned": outcome.stages["plan"].get("planned"),
        "payments": len(outcome.report["payments"]),
        "python_cpu_seconds": round(cpu, 2),  # this process and its reaped workers
        "plan_batches_by_worker": [int(n) for _who, n in done_by],
        "files": files,
    }


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and its ended children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("households", nargs="?", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    base = base_url()
    load_before = os.getloadavg()
    alone = measure(base, args.households, 1)
    spread = measure(base, args.households, args.workers)
    load_after = os.getloadavg()
    same = alone.pop("files") == spread.pop("files")
    result = {
        "benchmark": "night_workers",
        "one_process": alone,
        "spread": spread,
        "same_payment_files": same,
        "speedup_night": round(alone["seconds"] / spread["seconds"], 2),
        "speedup_plan": round(alone["plan_seconds"] / spread["plan_seconds"], 2),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for run in (alone, spread):
            print(
                f"{run['workers']} worker(s), {run['households']} households: night "
                f"{run['seconds']} s (plan {run['plan_seconds']} s, export "
                f"{run['export_seconds']} s), {run['status']}, {run['payments']} payments, "
                f"Python CPU {run['python_cpu_seconds']} s, plan batches per worker "
                f"{run['plan_batches_by_worker']}"
            )
        print(
            f"speed-up {args.workers} workers over 1: night {result['speedup_night']}x, "
            f"plan {result['speedup_plan']}x; same payment files: {same}; load average "
            f"{load_before[0]:.2f} before, {load_after[0]:.2f} after ({os.cpu_count()} cpus)"
        )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
