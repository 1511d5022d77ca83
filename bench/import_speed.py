"""Import speed and memory of the CAMT.053 connector against a raw lxml baseline.

Generates a CAMT.053 file of `--entries` entries (default 150 000, about 100 MB)
plus one ten times smaller, then measures in a fresh subprocess per run:

* baseline: one `lxml.etree.iterparse` pass that reads the same fields as text
  and keeps them as tuples (the least work that yields the same information);
* connector: `importer_by_name("camt053").extract(path)`, exactly what `hhb parse` runs.

Peak RSS is the child's `ru_maxrss`, read per child with `os.wait4` (the
per-process form of `getrusage(RUSAGE_CHILDREN)`, which would report the
maximum over all children so far). Goal: connector ≤ 2× baseline time, and
memory that does not grow with the XML tree (only with the returned result).

    python bench/import_speed.py [--entries N] [--json] [--keep DIR]

--json includes the uniform "summary" rows that bench/report.py collects.
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
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.camt_file import NAMESPACE, generate

REPO = Path(__file__).resolve().parents[1]
GOAL_RATIO = 2.0


# -- the two workers (each runs in its own process) ---------------------------------


def baseline(path: Path) -> int:
    """Raw iterparse pass reading the fields the connector reads; returns the row count."""
    from lxml import etree

    ns = "{" + NAMESPACE + "}"
    rows: list[tuple[object, ...]] = []
    for _, entry in etree.iterparse(
        str(path), events=("end",), tag=ns + "Ntry", resolve_entities=False, no_network=True
    ):
        head = (
            Decimal(entry.findtext(ns + "Amt") or "0"),
            entry.findtext(ns + "CdtDbtInd"),
            entry.findtext(f"{ns}BookgDt/{ns}Dt"),
            entry.findtext(f"{ns}ValDt/{ns}Dt"),
            entry.findtext(ns + "AcctSvcrRef"),
        )
        for detail in entry.iterfind(f"{ns}NtryDtls/{ns}TxDtls"):
            rows.append(
                (
                    *head,
                    detail.findtext(f"{ns}Refs/{ns}AcctSvcrRef"),
                    detail.findtext(f"{ns}Refs/{ns}EndToEndId"),
                    detail.findtext(f"{ns}AmtDtls/{ns}TxAmt/{ns}Amt"),
                    detail.findtext(f"{ns}RltdPties/{ns}Dbtr/{ns}Nm")
                    or detail.findtext(f"{ns}RltdPties/{ns}Cdtr/{ns}Nm"),
                    detail.findtext(f"{ns}RltdPties/{ns}DbtrAcct/{ns}Id/{ns}IBAN")
                    or detail.findtext(f"{ns}RltdPties/{ns}CdtrAcct/{ns}Id/{ns}IBAN"),
                    " ".join(u.text or "" for u in detail.iterfind(f"{ns}RmtInf/{ns}Ustrd")),
                )
            )
        entry.clear()
        while entry.getprevious() is not None:
            del entry.getparent()[0]
    return len(rows)


def connector(path: Path) -> int:
    """What `hhb parse` runs; returns the transaction count."""
    sys.path.insert(0, str(REPO))
    from connectors.registry import importer_by_name

    statements = importer_by_name("camt053").extract(path)
    return sum(len(statement.transactions) for statement in statements)


WORKERS = {"baseline": baseline, "connector": connector}


def _work(kind: str, path: Path) -> None:
    started = time.perf_counter()
    count = WORKERS[kind](path)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "transactions": count}))


# -- measuring --------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One worker's run on one file: its time, what it read and its peak memory."""

    name: str
    entries: int
    file_mb: float
    seconds: float
    transactions: int
    peak_rss_mb: float


def measure(kind: str, path: Path, entries: int) -> Run:
    """Run one worker in a fresh process; its own time and peak RSS."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(path)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=REPO)
    assert child.stdout is not None
    output = child.stdout.read()
    child.stdout.close()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{kind} worker failed with exit code {child.returncode}")
    result = json.loads(output)
    return Run(
        name=kind,
        entries=entries,
        file_mb=round(path.stat().st_size / 1e6, 1),
        seconds=round(result["seconds"], 2),
        transactions=result["transactions"],
        peak_rss_mb=round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
    )


def benchmark(entries: int, small_factor: int, directory: Path) -> dict[str, object]:
    """Generate both files, run both workers on each, and summarize."""
    runs: list[Run] = []
    for size in (entries, max(1, entries // small_factor)):
        path = directory / f"camt053_{size}.xml"
        if not path.exists():
            generate(path, size)
        for kind in WORKERS:
            runs.append(measure(kind, path, size))
    base, conn, small_base, small_conn = runs
    if base.transactions != conn.transactions:
        raise SystemExit(f"count mismatch: {base.transactions} vs {conn.transactions}")
    ratio = round(conn.seconds / base.seconds, 2) if base.seconds else 0.0
    result: dict[str, object] = {
        "benchmark": "import_speed",
        "entries": entries,
        "runs": [asdict(run) for run in runs],
        "ratio": ratio,
        "goal_ratio": GOAL_RATIO,
        "within_goal": ratio <= GOAL_RATIO,
        "rss_growth_connector": round(conn.peak_rss_mb / small_conn.peak_rss_mb, 2),
        "rss_growth_baseline": round(base.peak_rss_mb / small_base.peak_rss_mb, 2),
        "rss_bytes_per_transaction_connector": _bytes_per_transaction(small_conn, conn),
        "rss_bytes_per_transaction_baseline": _bytes_per_transaction(small_base, base),
        "sizes": {"entries": entries, "small_entries": small_base.entries, "file_mb": base.file_mb},
    }
    result["summary"] = summary(result, base, conn)
    return result


def summary(result: dict[str, object], base: Run, conn: Run) -> list[dict[str, object]]:
    """The uniform rows of bench/report.py's table (see docs/benchmarks.md).

    Memory counts as flat when the peak RSS grows per transaction by at most
    GOAL_RATIO times what the baseline's grows per row of the same fields (it
    holds no tree either); a held lxml tree would cost several KB per entry.
    """
    growth = result["rss_bytes_per_transaction_connector"]
    base_growth = result["rss_bytes_per_transaction_baseline"]
    assert isinstance(growth, int) and isinstance(base_growth, int)
    return [
        {
            "metric": f"CAMT.053 parse time, {conn.entries} entries ({conn.file_mb} MB)",
            "figure": conn.seconds,
            "baseline": base.seconds,
            "baseline_label": "raw lxml iterparse",
            "ratio": result["ratio"],
            "unit": "s",
            "goal": f"≤ {GOAL_RATIO}× baseline",
            "met": result["within_goal"],
        },
        {
            "metric": "peak RSS growth per transaction, small file → large file",
            "figure": growth,
            "baseline": base_growth,
            "baseline_label": "raw lxml iterparse, per row of fields",
            "unit": "bytes",
            "goal": f"flat: ≤ {GOAL_RATIO}× baseline (no XML tree held)",
            "met": growth <= GOAL_RATIO * max(base_growth, 1),
        },
        {
            "metric": f"peak RSS, {conn.entries} entries",
            "figure": conn.peak_rss_mb,
            "baseline": base.peak_rss_mb,
            "baseline_label": "raw lxml iterparse",
            "unit": "MB",
            "goal": "(for information)",
            "met": None,
        },
    ]


def _bytes_per_transaction(small: Run, large: Run) -> int:
    """Extra peak RSS per extra transaction between the two file sizes."""
    extra = large.transactions - small.transactions
    return round((large.peak_rss_mb - small.peak_rss_mb) * 2**20 / extra) if extra else 0


def markdown(summary: dict[str, object]) -> str:
    """The figures as a Markdown table."""
    runs = summary["runs"]
    assert isinstance(runs, list)
    lines = [
        "| run | entries | transactions | file MB | seconds | ratio | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    bases = {run["entries"]: run["seconds"] for run in runs if run["name"] == "baseline"}
    for run in runs:
        base = bases[run["entries"]]
        ratio = f"{run['seconds'] / base:.2f}" if base else "-"
        lines.append(
            f"| {run['name']} | {run['entries']} | {run['transactions']} | {run['file_mb']} | "
            f"{run['seconds']:.2f} | {ratio} | {run['peak_rss_mb']} |"
        )
    verdict = "met" if summary["within_goal"] else "NOT met"
    lines.append("")
    lines.append(
        f"Goal ≤ {summary['goal_ratio']}× baseline: {verdict} ({summary['ratio']}×). "
        f"Peak RSS grows ×{summary['rss_growth_connector']} (baseline "
        f"×{summary['rss_growth_baseline']}) for 10× the entries: about "
        f"{summary['rss_bytes_per_transaction_connector']} bytes per returned transaction "
        f"(baseline {summary['rss_bytes_per_transaction_baseline']} per row of fields). "
        "That is the result list; the XML tree is never held (entries are cleared as they "
        "are read), so the parse itself runs in flat memory."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Generate the files, measure both workers on each and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=150_000)
    parser.add_argument("--small-factor", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this directory")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _work(args.worker[0], Path(args.worker[1]))
        return 0
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        summary = benchmark(args.entries, args.small_factor, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="hhb-bench-") as directory:
            summary = benchmark(args.entries, args.small_factor, Path(directory))
    print(json.dumps(summary, indent=2) if args.json else markdown(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
