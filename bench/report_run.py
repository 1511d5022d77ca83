"""bench/report.py's runner: one benchmark in its own process, its JSON read back.

A benchmark that is missing, crashes, times out or prints no JSON becomes an
`Outcome` saying so (with the tail of its stderr); nothing here raises for it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
STDERR_TAIL_LINES = 20


@dataclass(frozen=True)
class Benchmark:
    """One benchmark script and how to give it its size."""

    name: str
    title: str
    script: Path
    size_args: tuple[str, ...]  # "{size}" is replaced by the size
    size_label: str
    default_size: str
    quick_size: str
    env: str
    quick_args: tuple[str, ...] = ()  # extra arguments under --quick

    def size(self, quick: bool, overrides: dict[str, str]) -> str:
        """The size to run: --size beats the environment beats the (quick) default."""
        if self.name in overrides:
            return overrides[self.name]
        return os.environ.get(self.env) or (self.quick_size if quick else self.default_size)

    def command(self, size: str, quick: bool = False) -> list[str]:
        """The command line that runs this benchmark with `size`, printing JSON."""
        args = [a.replace("{size}", size) for a in self.size_args]
        extra = self.quick_args if quick else ()
        return [sys.executable, str(self.script), *args, *extra, "--json"]


@dataclass
class Outcome:
    """What one benchmark run gave: status, its JSON, its summary rows."""

    benchmark: Benchmark
    size: str
    command: list[str]
    status: str  # ok | failed | missing
    seconds: float = 0.0
    peak_rss_mb: float | None = None
    data: Any = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""


def run_benchmark(benchmark: Benchmark, size: str, timeout: float, quick: bool = False) -> Outcome:
    """Run one benchmark in its own process group; never raises for its failures."""
    command = benchmark.command(size, quick)
    if not benchmark.script.exists():
        error = f"{benchmark.script} does not exist"
        return Outcome(benchmark, size, command, "missing", error=error)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=REPO, start_new_session=True)
        killed = threading.Event()
        timer = threading.Timer(timeout, _kill_group, (child.pid, killed))
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)  # the child's own peak RSS
        finally:
            timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = round(time.perf_counter() - started, 1)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    rss = round(usage.ru_maxrss / 1024, 1)  # Linux reports KiB
    outcome = Outcome(benchmark, size, command, "failed", seconds, rss)
    if child.returncode != 0:
        reason = f"timed out after {timeout:g} s" if killed.is_set() else f"exit {child.returncode}"
        outcome.error = f"{reason}\n{_tail(stderr)}"
        return outcome
    try:
        outcome.data = json.loads(stdout)
    except json.JSONDecodeError as error:
        outcome.error = f"--json output is not JSON ({error})\n{_tail(stdout + stderr)}"
        return outcome
    summary = outcome.data.get("summary") if isinstance(outcome.data, dict) else None
    if (
        not isinstance(summary, list)
        or not summary
        or not all(isinstance(r, dict) for r in summary)
    ):
        outcome.error = "--json output has no 'summary' list of rows"
        return outcome
    outcome.rows = [normalize(row) for row in summary]
    outcome.status = "ok"
    return outcome


def _kill_group(pid: int, killed: threading.Event) -> None:
    killed.set()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)  # the benchmark and the workers it started


def _tail(text: str) -> str:
    return "\n".join(text.strip().splitlines()[-STDERR_TAIL_LINES:])


def normalize(row: dict[str, Any]) -> dict[str, Any]:
    """A summary row with every field present and the ratio computed when absent."""
    result = {
        "metric": str(row.get("metric", "?")),
        "figure": row.get("figure"),
        "baseline": row.get("baseline"),
        "baseline_label": str(row.get("baseline_label", "")),
        "unit": str(row.get("unit", "")),
        "goal": str(row.get("goal", "")),
        "met": row.get("met") if isinstance(row.get("met"), bool) else None,
    }
    if "ratio" in row:
        result["ratio"] = row["ratio"]
    else:
        result["ratio"] = ratio(result["figure"], result["baseline"])
    return result


def ratio(figure: Any, baseline: Any) -> float | None:
    """figure / baseline, or None when either is missing or the baseline is zero."""
    numbers = (int, float)
    if isinstance(figure, numbers) and isinstance(baseline, numbers) and baseline:
        return round(figure / baseline, 2)
    return None
