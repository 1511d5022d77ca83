"""bench/report.py's Markdown: the summary table, the runs, each benchmark's section."""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.report_run import REPO, Outcome


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
