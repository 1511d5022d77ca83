"""Every leefgeld-stability household over many seeds: medians per pattern.

    python -m bench.leefgeld_all_seeds [--seeds 1-16] [--json FILE]

Runs `bench.leefgeld_stability.run(seed, 12, 0)` for each seed (12 months plus the
24-month run for the second year) and prints per household: the median CV ratio
naive / planner for the first year, from week 26 and for the second year (inf: the
planner's CV is 0), how many seeds reach 10x in the second year, the most rate
changes in a first and a second year, the periods without leefgeld while income
came and the late covered charges (summed over the seeds), the median largest
drop, the median and worst hoarding in the second year (beyond 1,25 x target, and
beyond that plus one period's surplus) and the mean weekly
leefgeld of the first year. The before/after table of docs/benchmarks.md (issue 17
points 3-5 follow-up) comes from this script. The statistics use floats; the money
in the simulation stays exact.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.leefgeld_stability import run


def _ratio(value: object) -> float:
    return float("inf") if value is None else float(str(value))


def summarise(seeds: range) -> dict[str, dict[str, float]]:
    """Per household code, the figures over `seeds`."""
    rows: dict[str, list[dict[str, object]]] = {}
    for seed in seeds:
        result = run(seed, 12, 0)
        for row in result["rows"]:  # type: ignore[attr-defined]
            rows.setdefault(str(row["household"]), []).append(row)
    out: dict[str, dict[str, float]] = {}
    for code, found in rows.items():
        second = [_ratio(r["ratio_established"]) for r in found]
        hoarded = [float(str(r["hoarded_second_year"])) for r in found]
        beyond = [float(str(r["hoarded_beyond_surplus_second_year"])) for r in found]
        out[code] = {
            "first_year": statistics.median(_ratio(r["ratio"]) for r in found),
            "from_week_26": statistics.median(_ratio(r["ratio_after_opbouw"]) for r in found),
            "second_year": statistics.median(second),
            "seeds_second_year_10x": sum(1 for v in second if v >= 10),
            "rate_changes_first_year_most": max(
                float(str(r["rate_changes_first_year"])) for r in found
            ),
            "rate_changes_second_year_most": max(
                float(str(r["rate_changes_second_year"])) for r in found
            ),
            "periods_without_leefgeld": sum(int(str(r["zero_periods_planner"])) for r in found),
            "largest_drop_median": statistics.median(
                float(str(r["largest_drop_planner"])) for r in found
            ),
            "hoarded_median": statistics.median(hoarded),
            "hoarded_worst": max(hoarded),
            "hoarded_beyond_surplus_median": statistics.median(beyond),
            "hoarded_beyond_surplus_worst": max(beyond),
            "late_covered": sum(
                int(str(r["late_planner"])) - int(str(r["late_planner_income_short"]))
                for r in found
            ),
            "mean_weekly_first_year": statistics.mean(
                float(str(r["mean_weekly_planner"])) for r in found
            ),
        }
    return out


def main() -> None:
    """Print one line per household; with --json also write the figures to FILE."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1-16", help="a range like 1-16")
    parser.add_argument("--json", default="", help="also write the figures to this file")
    args = parser.parse_args()
    first, _, last = args.seeds.partition("-")
    out = summarise(range(int(first), int(last or first) + 1))
    for code, figures in out.items():
        print(code, {k: round(v, 2) for k, v in figures.items()})
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
