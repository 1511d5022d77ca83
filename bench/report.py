"""Run every benchmark and write one Markdown report, bench/REPORT.md.

    python bench/report.py [--quick] [--out bench/REPORT.md] [--only NAME,...]
                           [--size NAME=VALUE ...] [--timeout SECONDS]

Each benchmark runs in its own subprocess with `--json` (so its memory figures
are its own); the report collects the uniform "summary" rows every benchmark
prints there, one per measured claim:

    {"metric": str, "figure": number, "baseline": number | null,
     "baseline_label": str, "ratio": number | null (optional), "unit": str,
     "goal": str, "met": true | false | null}

When "ratio" is absent the report computes figure / baseline; a benchmark
whose goal reads the other way round (baseline / figure) sets it itself. The
report starts with one table of all rows, the machine and the sizes, then each
benchmark's own section (its `markdown()` rendering). A benchmark that is
missing, crashes, times out or prints no JSON is reported as such, with the
tail of its stderr; the report itself always gets written.

Sizes: `--size NAME=VALUE` or the environment variable named in BENCHMARKS
(e.g. HHB_BENCH_IMPORT_ENTRIES=20000); `--quick` uses the small sizes of a
smoke test. Exit status 1 when a benchmark failed, else 0 (a goal not met is
a result, not an error).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
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


BENCHMARKS = (
    Benchmark(
        "leefgeld_stability",
        "Leefgeld stability (issue 3)",
        BENCH / "leefgeld_stability.py",
        ("--months", "{size}"),
        "months simulated",
        "12",
        "12",
        "HHB_BENCH_LEEFGELD_MONTHS",
    ),
    Benchmark(
        "import_speed",
        "Import speed (issue 4)",
        BENCH / "import_speed.py",
        ("--entries", "{size}"),
        "CAMT.053 entries",
        "150000",
        "3000",
        "HHB_BENCH_IMPORT_ENTRIES",
    ),
    Benchmark(
        "nightly_scale",
        "Nightly scale (issue 5)",
        BENCH / "nightly_scale.py",
        ("{size}",),
        "households per night",
        "1000,5000,10000",
        "100,300",
        "HHB_BENCH_NIGHTLY_SIZES",
    ),
    Benchmark(
        "web_latency",
        "Web latency (issue 6)",
        BENCH / "web_latency.py",
        ("--households", "{size}"),
        "extra households in the database",
        "10000",
        "300",
        "HHB_BENCH_WEB_HOUSEHOLDS",
        quick_args=("--requests", "60"),
    ),
)


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


def number(value: Any, unit: str = "") -> str:
    """A figure for the table: thousands separated, a few significant digits."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = f"{value:,.0f}" if isinstance(value, int) or abs(value) >= 100 else f"{value:.3g}"
    return f"{text} {unit}".strip()


def times(value: Any) -> str:
    """A ratio for the table: two decimals below 10, one above."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–" if value is None else str(value)
    return f"{value:.2f}×" if abs(value) < 10 else f"{value:.1f}×"


MET = {True: "yes", False: "**no**", None: "–"}


def summary_table(outcomes: list[Outcome]) -> list[str]:
    """The table of every row of every benchmark; failures get a row of their own."""
    lines = [
        "| benchmark | figure | baseline | ratio | goal | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    for outcome in outcomes:
        name = outcome.benchmark.name
        if outcome.status != "ok":
            first = outcome.error.splitlines()[0] if outcome.error else ""
            lines.append(f"| {name}: **{outcome.status}** ({_cell(first)}) | – | – | – | – | – |")
        for row in outcome.rows:
            unit = row["unit"]
            base = number(row["baseline"], unit)
            if row["baseline_label"] and row["baseline"] is not None:
                base += f" ({row['baseline_label']})"
            ratio_text = times(row["ratio"])
            figure = number(row["figure"], unit)
            lines.append(
                f"| {name}: {_cell(row['metric'])} | {figure} | {_cell(base)} | "
                f"{ratio_text} | {_cell(row['goal'])} | {MET[row['met']]} |"
            )
    return lines


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def runs_table(outcomes: list[Outcome]) -> list[str]:
    """Sizes used, status, wall time and peak RSS of each benchmark process."""
    lines = [
        "| benchmark | size | status | wall time | peak RSS of the process |",
        "|---|---|---|---:|---:|",
    ]
    for o in outcomes:
        sizes = o.data.get("sizes") if isinstance(o.data, dict) else None
        size = f"{o.benchmark.size_label}: {o.size}"
        if isinstance(sizes, dict):
            size += " (" + ", ".join(f"{k} {v}" for k, v in sizes.items()) + ")"
        rss = "–" if o.peak_rss_mb is None else f"{o.peak_rss_mb} MB"
        lines.append(f"| {o.benchmark.name} | {size} | {o.status} | {o.seconds} s | {rss} |")
    return lines


def section(outcome: Outcome) -> list[str]:
    """The benchmark's own rendering, or what went wrong."""
    lines = [f"## {outcome.benchmark.title}", ""]
    if outcome.status == "missing":
        return [*lines, f"Not run: {outcome.error}.", ""]
    if outcome.status == "failed" and outcome.data is None:
        return [*lines, "**Failed**:", "", "```", outcome.error, "```", ""]
    if outcome.status == "failed":
        lines += [f"**Failed**: {outcome.error}", ""]
    lines += [f"Command: `{_shown(outcome)}`", "", own_markdown(outcome), ""]
    return lines


def _shown(outcome: Outcome) -> str:
    command = outcome.command
    script = Path(command[1])
    shown = script.relative_to(REPO) if script.is_relative_to(REPO) else script
    return " ".join(["python", str(shown), *command[2:-1]])


def own_markdown(outcome: Outcome) -> str:
    """The script's own `markdown(result)`, else its JSON in a code block."""
    name = f"_bench_{outcome.benchmark.name}"
    try:
        spec = importlib.util.spec_from_file_location(name, outcome.benchmark.script)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return str(module.markdown(outcome.data))
    except Exception as error:  # any rendering trouble: fall back to the raw figures
        figures = json.dumps(outcome.data, indent=2, ensure_ascii=False)
        return f"(no own rendering: {error!r})\n\n```json\n{figures}\n```"
    finally:
        sys.modules.pop(name, None)


def machine() -> dict[str, str]:
    """CPU count, Python, platform, load, date and commit of this run."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load": load,
        "commit": commit,
    }


def render(outcomes: list[Outcome], info: dict[str, str], quick: bool) -> str:
    """The whole report as Markdown."""
    mode = "--quick, smoke-test sizes" if quick else "full sizes"
    lines = [
        "# Benchmark report",
        "",
        f"Generated by `bench/report.py` ({mode}) on {info['date']}, commit {info['commit']}.",
        f"Machine: {info['cpus']} CPUs, Python {info['python']}, {info['platform']}; "
        f"load average at start {info['load']}.",
        "",
        "Each figure has its baseline measured in the same run on the same machine; "
        "ratio = figure ÷ baseline unless the goal says otherwise. "
        "Figures from a busy machine (load above the CPU count) are upper bounds.",
        "",
        "## Summary",
        "",
        *summary_table(outcomes),
        "",
        "## Sizes and runs",
        "",
        *runs_table(outcomes),
        "",
    ]
    for outcome in outcomes:
        lines += section(outcome)
    return "\n".join(lines)


def parse_sizes(pairs: list[str], known: list[str]) -> dict[str, str]:
    """NAME=VALUE pairs from --size, names checked against the known benchmarks."""
    sizes = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in known or not value:
            raise SystemExit(f"--size {pair}: use NAME=VALUE with NAME one of {', '.join(known)}")
        sizes[name] = value
    return sizes


def main(argv: list[str] | None = None, benchmarks: tuple[Benchmark, ...] = BENCHMARKS) -> int:
    """Run the benchmarks, write the report, print its summary table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    parser.add_argument("--out", type=Path, default=BENCH / "REPORT.md")
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    parser.add_argument("--size", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument(
        "--timeout", type=float, default=float(os.environ.get("HHB_BENCH_TIMEOUT", "900"))
    )
    args = parser.parse_args(argv)
    names = [b.name for b in benchmarks]
    sizes = parse_sizes(args.size, names)
    only = [n for n in args.only.split(",") if n]
    if unknown := sorted(set(only) - set(names)):
        raise SystemExit(f"--only: unknown {', '.join(unknown)}; known: {', '.join(names)}")
    info = machine()
    outcomes = []
    for benchmark in benchmarks:
        if only and benchmark.name not in only:
            continue
        size = benchmark.size(args.quick, sizes)
        print(f"running {benchmark.name} ({benchmark.size_label}: {size}) …", file=sys.stderr)
        outcomes.append(run_benchmark(benchmark, size, args.timeout, args.quick))
    args.out.write_text(render(outcomes, info, args.quick) + "\n", encoding="utf-8")
    print("\n".join(summary_table(outcomes)))
    print(f"\nreport written to {args.out}", file=sys.stderr)
    return 1 if any(o.status == "failed" for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
