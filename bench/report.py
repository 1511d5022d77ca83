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
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report_render import machine, own_markdown, render, summary_table
from bench.report_run import BENCH, Benchmark, Outcome, normalize, ratio, run_benchmark

__all__ = [
    "BENCHMARKS",
    "Benchmark",
    "Outcome",
    "main",
    "normalize",
    "own_markdown",
    "parse_sizes",
    "ratio",
    "render",
    "run_benchmark",
    "summary_table",
]

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
        "Web latency (issues 6 and 24)",
        BENCH / "web_latency.py",
        ("--households", "{size}"),
        "extra households in the database",
        "10000",
        "300",
        "HHB_BENCH_WEB_HOUSEHOLDS",
        quick_args=("--requests", "60"),
    ),
    Benchmark(
        "matching",
        "Matching in a realistic gemeente (issue 16)",
        BENCH / "matching.py",
        ("{size}",),
        "households",
        "1000,10000",
        "100,300",
        "HHB_BENCH_MATCHING_SIZES",
    ),
    Benchmark(
        "xaf_export",
        "XAF auditfile export of a year (issue 21)",
        BENCH / "xaf_export.py",
        ("--households", "{size}"),
        "households, one year of journal",
        "10000",
        "100",
        "HHB_BENCH_XAF_HOUSEHOLDS",
    ),
)


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
