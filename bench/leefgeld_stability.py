"""Leefgeld stability: the planner against the naive policy, 12 months, irregular incomes.

Naive policy (the baseline, measured in the same run): pay each charge on its
execution date if the vat holds enough (else wait), and every week on the
household's leefgeld day pay out whatever is left.

For each household it prints the coefficient of variation (CV = stdev / mean)
of the weekly leefgeld and the number of late charges under both policies.
Goal: CV at least 10x lower than naive, with zero late charges whenever the
month's income covers the month's charges.

    python bench/leefgeld_stability.py [--seed 7] [--months 12] [--warmup-weeks 0] [--json]

--json adds the uniform "summary" rows that bench/report.py collects.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.leefgeld_cases import START, Case, cases
from bench.leefgeld_policies import cv, naive, planned, weeks_before_first_income
from bench.leefgeld_summary import ESTABLISHED_FROM_WEEK, STEADY_FROM_WEEK, summary
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import PlanSettings

__all__ = ["main", "markdown", "run", "summary"]


def established(seed: int, months: int, settings: PlanSettings) -> dict[str, dict[str, object]]:
    """The same households one year on: simulated for a first year, measured after it.

    A household that joins starts with an empty vat, so its first weeks are cash
    bound and its opbouwfase ends with a step up; most households a gemeente
    serves have been in the program longer. Both policies get the same incomes
    and are measured over the same weeks.
    """
    last = START + timedelta(days=round((months + 12) * 365 / 12) - 1)
    result: dict[str, dict[str, object]] = {}
    for case in cases(seed, last):
        ours = planned(case, last, settings).weekly[ESTABLISHED_FROM_WEEK:]
        base = naive(case, last, settings).weekly[ESTABLISHED_FROM_WEEK:]
        cv_ours, cv_base = cv(ours), cv(base)
        result[case.household.code] = {
            "cv_planner_established": round(cv_ours, 3),
            "cv_naive_established": round(cv_base, 3),
            "ratio_established": round(cv_base / cv_ours, 1) if cv_ours else None,
            "steps_planner_established": sum(1 for a, b in itertools.pairwise(ours) if a != b),
        }
    return result


def _row(
    case: Case,
    last: date,
    settings: PlanSettings,
    warmup_weeks: int,
    later: dict[str, object],
) -> dict[str, object]:
    """One household's figures over the run: CVs (with `later`, its second year),
    late charges and the mean weekly leefgeld."""
    ours = planned(case, last, settings)
    base = naive(case, last, settings)
    # Weeks before any income has arrived are zero under every policy: left out.
    skip = warmup_weeks or weeks_before_first_income(case)
    cv_ours = cv(ours.weekly[skip:])
    cv_base = cv(base.weekly[skip:])
    # A run shorter than the opbouwfase has no steady weeks: those columns stay empty.
    steady = len(ours.weekly) - STEADY_FROM_WEEK >= 2
    steady_ours = cv(ours.weekly[STEADY_FROM_WEEK:]) if steady else None
    steady_base = cv(base.weekly[STEADY_FROM_WEEK:]) if steady else None
    return {
        "household": case.household.code,
        "pattern": case.pattern,
        "cv_planner": round(cv_ours, 3),
        "cv_naive": round(cv_base, 3),
        "ratio": round(cv_base / cv_ours, 1) if cv_ours else None,
        "cv_planner_after_opbouw": _round(steady_ours, 3),
        "cv_naive_after_opbouw": _round(steady_base, 3),
        "ratio_after_opbouw": (
            round(steady_base / steady_ours, 1) if steady_ours and steady_base else None
        ),
        **later,
        "late_planner": ours.late,
        "late_planner_income_short": ours.late_uncovered,
        "late_naive": base.late,
        "mean_weekly_planner": str(
            Money.round(sum((w.amount for w in ours.weekly), Decimal(0)) / len(ours.weekly))
        ),
    }


def run(seed: int, months: int, warmup_weeks: int) -> dict[str, object]:
    """Both policies over `months` for every case: the rows, the sizes and the summary."""
    last = START + timedelta(days=round(months * 365 / 12) - 1)
    settings = PlanSettings()
    later = established(seed, months, settings)
    rows = [
        _row(case, last, settings, warmup_weeks, later[case.household.code])
        for case in cases(seed, last)
    ]
    return {
        "seed": seed,
        "months": months,
        "warmup_weeks": warmup_weeks,
        "rows": rows,
        "sizes": {"months": months, "households": len(rows), "seed": seed},
        "summary": summary(rows),
    }


def _round(value: Decimal | None, places: int) -> Decimal | None:
    return None if value is None else round(value, places)


def markdown(result: dict[str, object]) -> str:
    """The rows of a result as a Markdown table (also used by bench/report.py)."""
    rows = result["rows"]
    assert isinstance(rows, list)
    lines = [
        f"Leefgeld stability, {result['months']} months, seed {result['seed']}, "
        f"warm-up weeks excluded: {result['warmup_weeks']}",
        "",
        "| household | pattern | CV planner | CV naive | naive/planner "
        f"| same from week {STEADY_FROM_WEEK} (planner / naive / ratio) "
        "| second year (planner / naive / ratio, rate changes) "
        "| late (planner) | of which income short | late (naive) | mean weekly leefgeld |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        steady = (
            f"{r['cv_planner_after_opbouw']} / {r['cv_naive_after_opbouw']} / "
            f"{r['ratio_after_opbouw']}x"
            if r["cv_planner_after_opbouw"] is not None
            else "– (run shorter than the opbouwfase)"
        )
        lines.append(
            f"| {r['household']} | {r['pattern']} | {r['cv_planner']} | {r['cv_naive']} | "
            f"{r['ratio']}x | {steady} | {r['cv_planner_established']} / "
            f"{r['cv_naive_established']} / {r['ratio_established']}x, "
            f"{r['steps_planner_established']} | {r['late_planner']} | "
            f"{r['late_planner_income_short']} | "
            f"{r['late_naive']} | {r['mean_weekly_planner']} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark with the command line's options and print Markdown or JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--warmup-weeks", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.seed, args.months, args.warmup_weeks)
    print(json.dumps(result, default=str, indent=2) if args.json else markdown(result))


if __name__ == "__main__":
    main()
