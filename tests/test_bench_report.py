"""bench/report.py: the table is assembled, ratios computed, failures reported.

Fake benchmark scripts stand in for the real ones (fast and under our control);
one test runs the two cheap real benchmarks on tiny sizes to hold them to the
summary contract.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]


def _load_report() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_report", REPO / "bench" / "report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_report"] = module
    spec.loader.exec_module(module)
    return module


report = _load_report()

GOOD = """
import json, sys

def markdown(result):
    return "OWN SECTION size " + str(result["sizes"]["n"])

if __name__ == "__main__":
    n = int(sys.argv[sys.argv.index("--n") + 1])
    print(json.dumps({"sizes": {"n": n}, "summary": [
        {"metric": "parse time", "figure": 3.0, "baseline": 1.5, "unit": "s",
         "baseline_label": "raw", "goal": "≤ 2× baseline", "met": True},
        {"metric": "steadiness", "figure": 0.1, "baseline": 1.2, "ratio": 12.0,
         "goal": "baseline ≥ 10× figure", "met": True},
        {"metric": "late", "figure": 2, "baseline": 0, "goal": "0", "met": False},
    ]}))
"""

CRASH = """
import sys
print("working", flush=True)
print("Traceback (most recent call last):\\nValueError: boom in the benchmark", file=sys.stderr)
sys.exit(3)
"""


def _fake(tmp_path: Path, name: str, source: str | None, quick: str = "5") -> object:
    script = tmp_path / f"{name}.py"
    if source is not None:
        script.write_text(textwrap.dedent(source), encoding="utf-8")
    return report.Benchmark(
        name, f"Fake {name}", script, ("--n", "{size}"), "n", "100", quick, f"HHB_FAKE_{name}"
    )


def test_rows_ratios_and_sections(tmp_path: Path) -> None:
    out = tmp_path / "REPORT.md"
    good = _fake(tmp_path, "good", GOOD)
    assert report.main(["--quick", "--out", str(out)], benchmarks=(good,)) == 0
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    # The summary table comes first, with the ratio computed where the row has none.
    table = lines.index("| benchmark | figure | baseline | ratio | goal | met |")
    assert table < text.index("## Fake good")
    assert "| good: parse time | 3 s | 1.5 s (raw) | 2.00× | ≤ 2× baseline | yes |" in lines
    assert "| good: steadiness | 0.1 | 1.2 | 12.0× | baseline ≥ 10× figure | yes |" in lines
    # Zero baseline: no ratio rather than a division error.
    assert "| good: late | 2 | 0 | – | 0 | **no** |" in lines
    assert "OWN SECTION size 5" in text  # the script's own markdown(), quick size
    assert f"{os.cpu_count()} CPUs" in text
    assert "| good | n: 5 (n 5) | ok |" in text


def test_failures_are_reported_not_raised(tmp_path: Path) -> None:
    out = tmp_path / "REPORT.md"
    benchmarks = (
        _fake(tmp_path, "crash", CRASH),
        _fake(tmp_path, "absent", None),
        _fake(tmp_path, "chatty", "print('no json here')"),
        _fake(tmp_path, "shapeless", 'print(\'{"summary": ["a | b"]}\')'),
        _fake(tmp_path, "good", GOOD),
    )
    assert report.main(["--quick", "--out", str(out)], benchmarks=benchmarks) == 1
    text = out.read_text(encoding="utf-8")
    assert "| crash: **failed** (exit 3) |" in text
    assert "ValueError: boom in the benchmark" in text  # the stderr tail
    assert "| absent: **missing** (" in text
    assert "| chatty: **failed** (--json output is not JSON" in text
    assert "| shapeless: **failed** (--json output has no 'summary' list of rows) |" in text
    assert "| good: parse time | 3 s |" in text  # the others still ran


def test_a_hanging_benchmark_is_stopped(tmp_path: Path) -> None:
    hang = _fake(tmp_path, "hang", "import time\ntime.sleep(60)\n")
    outcome = report.run_benchmark(hang, "1", timeout=1)
    assert outcome.status == "failed"
    assert outcome.error.startswith("timed out after 1 s")
    assert outcome.seconds < 30


def test_sizes_from_flag_env_and_quick(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bench = _fake(tmp_path, "sized", GOOD, quick="7")
    assert bench.size(True, {}) == "7"
    assert bench.size(False, {}) == "100"
    monkeypatch.setenv("HHB_FAKE_sized", "42")
    assert bench.size(True, {}) == "42"
    assert bench.size(True, {"sized": "9"}) == "9"
    with pytest.raises(SystemExit, match="NAME=VALUE"):
        report.parse_sizes(["nosuch=3"], ["sized"])


# Tiny sizes: each run costs a second or two of CPU (interpreter, imports, fixed setup).
TINY = {
    "leefgeld_stability": "2",
    "import_speed": "200",
    "nightly_scale": "5,10",
    "web_latency": "1",
    "matching": "50",
    "xaf_export": "20",
}


def test_every_registered_benchmark_has_a_tiny_size() -> None:
    assert set(TINY) == {b.name for b in report.BENCHMARKS}


@pytest.mark.parametrize("name", sorted(TINY))
def test_real_benchmarks_keep_the_summary_contract(name: str) -> None:
    bench = next(b for b in report.BENCHMARKS if b.name == name)
    outcome = report.run_benchmark(bench, TINY[name], timeout=120, quick=True)
    assert outcome.status == "ok", outcome.error
    for row in outcome.rows:
        assert isinstance(row["figure"], int | float)
        assert row["goal"]
        assert row["met"] in (True, False, None)
    assert any(row["met"] is not None for row in outcome.rows)
    assert "|" in report.own_markdown(outcome)  # its own table, not the JSON fallback
    assert "no own rendering" not in report.own_markdown(outcome)
