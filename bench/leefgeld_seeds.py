"""One leefgeld-stability household over many seeds: one seed is one household's luck.

    python -m bench.leefgeld_seeds [--household B-ZZP] [--seeds 1-16]

For each seed the bench's cases are drawn (`bench.leefgeld_cases.cases`), the
household is simulated for 24 months under the planner and the naive policy, and
the second-year figures are printed per seed, with a summary row: the median and
worst second-year CV ratio, periods without leefgeld while income came (all,
from week 26, second year: summed over the seeds), the most rate changes in a
second year, the median largest drop, hoarding beyond 1,25 x the buffer target in
force (worst, median) and the mean weekly leefgeld of the second year. The
figures of docs/benchmarks.md (issue 17.4 follow-up) come from this script.
The CV statistics use floats; the money stays exact.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.leefgeld_cases import START, cases
from bench.leefgeld_policies import cv, naive, planned
from bench.leefgeld_stability import (
    _from_week,
    _hoarded,
    _largest_drop,
    _skip,
    _zero_while_income,
)
from bench.leefgeld_summary import ESTABLISHED_FROM_WEEK, STEADY_FROM_WEEK
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import PlanSettings


def _ratio(naive_cv: Decimal, ours: Decimal) -> float:
    return float("inf") if ours == 0 else round(float(naive_cv / ours), 1)


def per_seed(code: str, seed: int, settings: PlanSettings | None = None) -> dict[str, object]:
    """The household's second-year figures for one seed."""
    last = START + timedelta(days=round(24 * 365 / 12) - 1)
    second = START + timedelta(days=364)
    settings = settings or PlanSettings()
    (case,) = [c for c in cases(seed, last) if c.household.code == code]
    ours, base = planned(case, last, settings), naive(case, last, settings)
    steady, established = (
        _from_week(case, STEADY_FROM_WEEK),
        _from_week(case, ESTABLISHED_FROM_WEEK),
    )
    year2 = ours.periods[established:]
    return {
        "seed": seed,
        "ratio_second_year": _ratio(cv(base.periods[established:]), cv(year2)),
        "rate_changes_second_year": sum(1 for d in ours.rate_changes if d >= second),
        "zero_all": _zero_while_income(case, ours, _skip(case, 0)),
        "zero_from_week_26": _zero_while_income(case, ours, steady),
        "zero_second_year": _zero_while_income(case, ours, established),
        "largest_drop": float(_largest_drop(ours.periods[_skip(case, 0) :]).amount),
        "hoarded_second_year": float(_hoarded(ours, second).amount),
        "mean_second_year": float(sum((p.amount for p in year2), Decimal(0)) / len(year2)),
    }


def main() -> None:
    """Print the per-seed rows and the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--household", default="B-ZZP")
    parser.add_argument("--seeds", default="1-16", help="a range like 1-16")
    parser.add_argument(
        "--max-learned-buffer",
        help="the gemeente's cap on a learned buffer target, in euros (default: the domain's)",
    )
    args = parser.parse_args()
    settings = PlanSettings()
    if args.max_learned_buffer:
        settings = replace(settings, max_learned_buffer=Money(args.max_learned_buffer))
    first, _, last = args.seeds.partition("-")
    seeds = range(int(first), int(last or first) + 1)
    rows = [per_seed(args.household, s, settings) for s in seeds]
    for row in rows:
        print(row)
    ratios = [float(str(r["ratio_second_year"])) for r in rows]
    hoarded = [float(str(r["hoarded_second_year"])) for r in rows]
    zero = {k: sum(int(str(r[k])) for r in rows) for k in ("zero_all", "zero_from_week_26")}
    mean = statistics.mean(float(str(r["mean_second_year"])) for r in rows)
    print(
        f"{args.household}, seeds {args.seeds}: second-year ratio median "
        f"{statistics.median(ratios)}x (worst {min(ratios)}x); periods without leefgeld "
        f"all / from week 26 / second year: {zero['zero_all']} / {zero['zero_from_week_26']} / "
        f"{sum(int(str(r['zero_second_year'])) for r in rows)}; most rate changes in a second "
        f"year {max(int(str(r['rate_changes_second_year'])) for r in rows)}; largest drop "
        f"median {statistics.median(float(str(r['largest_drop'])) for r in rows):.2f}; hoarded "
        f"worst {max(hoarded):.2f}, median {statistics.median(hoarded):.2f}; mean weekly "
        f"leefgeld, second year {mean:.0f}"
    )


if __name__ == "__main__":
    main()
