"""The leefgeld stability benchmark's uniform summary rows for bench/report.py.

One row per CV measure for the household furthest from the goal (met only when
every household meets it), and one row for late charges (see docs/benchmarks.md).
"""

from __future__ import annotations

from decimal import Decimal

STEADY_FROM_WEEK = 26  # the opbouwfase (building the buffer) is over by then
ESTABLISHED_FROM_WEEK = 52  # a household in its second year in the program
GOAL_CV_RATIO = 10

# (label, planner column, naive column, ratio column)
MEASURES = (
    ("all weeks", "cv_planner", "cv_naive", "ratio"),
    (
        f"from week {STEADY_FROM_WEEK} (after the opbouwfase)",
        "cv_planner_after_opbouw",
        "cv_naive_after_opbouw",
        "ratio_after_opbouw",
    ),
    (
        f"second year in the program (weeks {ESTABLISHED_FROM_WEEK}+)",
        "cv_planner_established",
        "cv_naive_established",
        "ratio_established",
    ),
)


def summary(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The uniform rows of bench/report.py's table (see docs/benchmarks.md)."""
    result = [
        row
        for label, ours, theirs, ratio in MEASURES
        if (row := _cv_row(rows, label, ours, theirs, ratio)) is not None
    ]
    result.append(_late_row(rows))
    if rows and "rate_changes_second_year" in rows[0]:  # the 24-month run was made
        result.extend(_issue17_rows(rows))
    return result


def _issue17_rows(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Rate changes, weeks without leefgeld and hoarding (issue 17's goals)."""
    regular = [r for r in rows if r.get("regular")]
    changes = max((Decimal(str(r["rate_changes_second_year"])) for r in regular), default=None)
    zero = sum(int(str(r["zero_periods_planner"])) for r in rows)
    hoarded = max(Decimal(str(r["hoarded_second_year"])) for r in rows)
    return [
        {
            "metric": "rate changes in the second year, most of any regular-income household",
            "figure": None if changes is None else float(changes),
            "baseline": None,
            "baseline_label": "",
            "ratio": None,
            "unit": "",
            "goal": "≤ 4",
            "met": changes is not None and changes <= 4,
        },
        {
            "metric": "periods without leefgeld while income came in, all households, two years",
            "figure": zero,
            "baseline": sum(int(str(r["zero_periods_naive"])) for r in rows),
            "baseline_label": "naive policy",
            "ratio": None,
            "unit": "",
            "goal": "0",
            "met": zero == 0,
        },
        {
            "metric": "most hoarded beyond 1.25 x the buffer target in force, second year (EUR)",
            "figure": float(hoarded),
            "baseline": None,
            "baseline_label": "",
            "ratio": None,
            "unit": "",
            "goal": "0",
            "met": hoarded == 0,
        },
    ]


def _cv_row(
    rows: list[dict[str, object]], label: str, ours: str, theirs: str, ratio: str
) -> dict[str, object] | None:
    measured = [r for r in rows if r[ours] is not None]
    if not measured:
        return None

    def times(row: dict[str, object]) -> Decimal:
        value = row[ratio]  # None: the planner's CV is 0, infinitely steadier
        return Decimal("Infinity") if value is None else Decimal(str(value))

    worst = min(measured, key=times)
    meeting = sum(1 for r in measured if times(r) >= GOAL_CV_RATIO)
    return {
        "metric": f"CV of weekly leefgeld, {label}: household furthest from the goal "
        f"({worst['household']}); {meeting} of {len(measured)} households meet it",
        "figure": float(str(worst[ours])),
        "baseline": float(str(worst[theirs])),
        "baseline_label": "naive policy",
        "ratio": None if worst[ratio] is None else float(str(worst[ratio])),
        "unit": "",
        "goal": f"naive CV ≥ {GOAL_CV_RATIO}× planner CV",
        "met": meeting == len(measured),
    }


def _late_row(rows: list[dict[str, object]]) -> dict[str, object]:
    late = sum(int(str(r["late_planner"])) - int(str(r["late_planner_income_short"])) for r in rows)
    return {
        "metric": "late charges in months whose income covered the charges "
        f"(all {len(rows)} households)",
        "figure": late,
        "baseline": sum(int(str(r["late_naive"])) for r in rows),
        "baseline_label": "naive policy, all late charges",
        "ratio": None,
        "unit": "",
        "goal": "0",
        "met": late == 0,
    }
