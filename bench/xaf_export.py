"""XAF export of a year of N households: time and peak memory, against plain CSV.

    python bench/xaf_export.py [--households 10000] [--small-factor 10] [--json]

A SQLite database gets a synthetic year of journal (per household and month: an
income, a rent instruction and its execution, four weekly leefgeld instructions
and their executions, a reserve contribution: 12 entries, 24 postings; every
payment instruction stored so payees resolve), written straight into the tables.
Then two workers run, each in its own process (so its peak RSS is its own):

* baseline: `hhb export journal --format csv` of the same year: the same journal
  read the same way (pages by sequence), written as plain CSV;
* xaf: `hhb export xaf`: the streamed XAF 3.2 file, then its validation against
  the schema while re-reading it (both are in the one command).

Both run on N and on N / small-factor households: the peak RSS growth per extra
entry shows whether memory stays flat (nothing holds the year, no XML tree).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

YEAR = 2026
GOAL_RATIO = 3.0  # the XAF (writing + validating) may take at most 3× the plain CSV
LANDLORDS = 50


@dataclass(frozen=True)
class Run:
    name: str
    households: int
    entries: int
    seconds: float
    cpu_seconds: float
    file_mb: float
    peak_rss_mb: float


def build(path: Path, households: int) -> int:
    """A database with a synthetic year of `households`; returns the number of entries."""
    from sqlalchemy import insert

    from huishoudboekje.adapters.persistence.db import open_database
    from huishoudboekje.adapters.persistence.nightly_tables import PaymentInstructionRow
    from huishoudboekje.adapters.persistence.repository import save_gemeente
    from huishoudboekje.adapters.persistence.tables import JournalEntryRow, PostingRow, table_of
    from huishoudboekje.adapters.persistence.uow import UnitOfWork
    from huishoudboekje.domain.household import Gemeente

    engine = open_database(f"sqlite:///{path}")
    now = datetime(YEAR + 1, 1, 2, tzinfo=UTC)
    seq = 0
    with UnitOfWork(engine) as uow:
        save_gemeente(uow, Gemeente("Benchstad", "NL90INGB0005550001", "Benchstad"))
        entries: list[dict[str, Any]] = []
        postings: list[dict[str, Any]] = []
        instructions: list[dict[str, Any]] = []

        def flush() -> None:
            connection = uow.session
            for table, rows in (
                (table_of(JournalEntryRow), entries),
                (table_of(PostingRow), postings),
                (table_of(PaymentInstructionRow), instructions),
            ):
                if rows:
                    connection.execute(insert(table), rows)
                rows.clear()

        def entry(
            day: date, kind: str, legs: list[tuple[str, str, str, Decimal]], e2e: str
        ) -> None:
            nonlocal seq
            seq += 1
            meta = [["end_to_end_id", e2e]] if e2e else []
            entries.append(
                {
                    "seq": seq,
                    "entry_id": f"{kind}:{seq}",
                    "day": day,
                    "description": f"{kind} {seq}",
                    "kind": kind,
                    "reversal_of": None,
                    "meta": meta,
                    "recorded_at": now,
                }
            )
            for position, (account, household, sub, amount) in enumerate(legs):
                postings.append(
                    {
                        "entry_seq": seq,
                        "position": position,
                        "account_kind": account,
                        "household": household,
                        "sub": sub,
                        "amount": amount,
                    }
                )

        def instruct(e2e: str, code: str, kind: str, iban: str, amount: Decimal, day: date) -> None:
            instructions.append(
                {
                    "end_to_end_id": e2e,
                    "household": code,
                    "kind": kind,
                    "charge_id": "huur" if kind == "charge" else "",
                    "payee_name": f"Verhuurder {iban[-4:]}" if kind == "charge" else code,
                    "payee_iban": iban,
                    "payee_bic": "",
                    "amount": amount,
                    "execution_date": day,
                    "remittance": "",
                    "structured_reference": "",
                    "reason": "",
                    "status": "paid",
                    "instructed_on": day,
                    "payment_file": None,
                    "return_reason": "",
                }
            )

        for number in range(households):
            code = f"HH-{number:05d}"
            landlord = f"NL{number % LANDLORDS:02d}BANK{number % LANDLORDS:010d}"
            for month in range(1, 13):
                first = date(YEAR, month, 1)
                income = Decimal(1500 + number % 700)
                entry(first, "income", [("bank", "", "", income), ("vat", code, "", -income)], "")
                rent = Decimal("650.00") + Decimal(number % 300)
                e2e = f"{code}-R-{month:02d}"
                instruct(e2e, code, "charge", landlord, rent, first)
                legs = [("vat", code, "", rent), ("in_flight", "", "", -rent)]
                entry(first, "instruct_charge", legs, e2e)
                paid = first + timedelta(days=1)
                entry(paid, "executed", [("in_flight", "", "", rent), ("bank", "", "", -rent)], e2e)
                for week in range(4):
                    day = first + timedelta(days=3 + 7 * week)
                    amount = Decimal("150.00") + Decimal(number % 40)
                    e2e = f"{code}-L-{month:02d}{week}"
                    instruct(e2e, code, "leefgeld", f"NL00HH{number:012d}", amount, day)
                    legs = [("vat", code, "", amount), ("in_flight", "", "", -amount)]
                    entry(day, "instruct_leefgeld", legs, e2e)
                    legs = [("in_flight", "", "", amount), ("bank", "", "", -amount)]
                    entry(day + timedelta(days=1), "executed", legs, e2e)
                legs = [
                    ("vat", code, "", Decimal("25.00")),
                    ("reserve", code, "energie", Decimal("-25.00")),
                ]
                entry(first + timedelta(days=2), "reserve", legs, "")
            if len(entries) > 20_000:
                flush()
        flush()
        uow.commit()
    engine.dispose()
    return seq


def _work(kind: str, database: Path, out: Path) -> None:
    """One export in this process; prints its own seconds."""
    from cli.main import main as hhb

    url = f"sqlite:///{database}"
    started, cpu = time.perf_counter(), time.process_time()
    if kind == "baseline":
        args = ["export", "journal", "--from", f"{YEAR}-01-01", "--to", f"{YEAR}-12-31"]
        code = hhb([*args, "--format", "csv", "-o", str(out), "--database", url])
    else:
        code = hhb(["export", "xaf", "--year", str(YEAR), "-o", str(out), "--database", url])
    if code != 0:
        raise SystemExit(f"{kind}: hhb exited {code}")
    elapsed = {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}
    print(json.dumps(elapsed))


def measure(kind: str, database: Path, out: Path, households: int, entries: int) -> Run:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        kind,
        str(database),
        str(out),
    ]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=REPO)
    assert child.stdout is not None
    output = child.stdout.read()
    child.stdout.close()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{kind} worker failed")
    result = json.loads(output.splitlines()[-1])
    return Run(
        kind,
        households,
        entries,
        round(result["seconds"], 2),
        round(result["cpu"], 2),
        round(out.stat().st_size / 1e6, 1),
        round(usage.ru_maxrss / 1024, 1),
    )


def benchmark(households: int, small_factor: int, folder: Path) -> dict[str, Any]:
    runs: list[Run] = []
    for size in (households, max(1, households // small_factor)):
        database = folder / f"year_{size}.sqlite3"
        database.unlink(missing_ok=True)
        entries = build(database, size)
        for kind in ("baseline", "xaf"):
            out = folder / f"{kind}_{size}.{'csv' if kind == 'baseline' else 'xml'}"
            runs.append(measure(kind, database, out, size, entries))
            out.unlink()
        database.unlink()
    base, xaf, small_base, small_xaf = runs
    # CPU seconds: eight processes share this machine's two cores, so wall time is noise
    ratio = round(xaf.cpu_seconds / base.cpu_seconds, 2) if base.cpu_seconds else 0.0

    def per_entry(small: Run, large: Run) -> int:
        extra = large.entries - small.entries
        return round((large.peak_rss_mb - small.peak_rss_mb) * 2**20 / extra) if extra else 0

    result: dict[str, Any] = {
        "benchmark": "xaf_export",
        "households": households,
        "runs": [asdict(r) for r in runs],
        "ratio": ratio,
        "goal_ratio": GOAL_RATIO,
        "rss_bytes_per_entry_xaf": per_entry(small_xaf, xaf),
        "rss_bytes_per_entry_baseline": per_entry(small_base, base),
    }
    result["summary"] = summary(result, base, xaf)
    return result


def summary(result: dict[str, Any], base: Run, xaf: Run) -> list[dict[str, Any]]:
    growth, base_growth = result["rss_bytes_per_entry_xaf"], result["rss_bytes_per_entry_baseline"]
    return [
        {
            "metric": f"XAF export + validation, {xaf.households} households, "
            f"{xaf.entries} entries ({xaf.file_mb} MB)",
            "figure": xaf.cpu_seconds,
            "baseline": base.cpu_seconds,
            "baseline_label": "the same journal as plain CSV",
            "ratio": result["ratio"],
            "unit": "CPU s",
            "goal": f"≤ {GOAL_RATIO}× baseline",
            "met": result["ratio"] <= GOAL_RATIO,
        },
        {
            "metric": "peak RSS growth per journal entry, small → large year",
            "figure": growth,
            "baseline": base_growth,
            "baseline_label": "plain CSV export",
            "unit": "bytes",
            "goal": "flat: ≤ 64 bytes per entry (no tree, no year held)",
            "met": growth <= 64,
        },
        {
            "metric": f"peak RSS, {xaf.households} households",
            "figure": xaf.peak_rss_mb,
            "baseline": base.peak_rss_mb,
            "baseline_label": "plain CSV export",
            "unit": "MB",
            "goal": "(for information)",
            "met": None,
        },
    ]


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "| run | households | entries | file MB | wall s | CPU s | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in result["runs"]:
        lines.append(
            f"| {run['name']} | {run['households']} | {run['entries']} | {run['file_mb']} | "
            f"{run['seconds']:.2f} | {run['cpu_seconds']:.2f} | {run['peak_rss_mb']} |"
        )
    lines.append("")
    lines.append(
        f"XAF (write + validate) takes {result['ratio']}× the CPU time of the plain CSV "
        f"of the same journal (goal ≤ {result['goal_ratio']}×). Peak RSS grows by about "
        f"{result['rss_bytes_per_entry_xaf']} bytes per extra entry (CSV: "
        f"{result['rss_bytes_per_entry_baseline']}): the year is streamed, never held."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--small-factor", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _work(args.worker[0], Path(args.worker[1]), Path(args.worker[2]))
        return 0
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="hhb-bench-xaf-", dir=base) as folder:
        result = benchmark(args.households, args.small_factor, Path(folder))
    print(json.dumps(result, indent=2) if args.json else markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
