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
import random
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from huishoudboekje.domain.household import (
    WEEKDAYS,
    BufferPolicy,
    ChargeKind,
    FixedCharge,
    Household,
    IncomeKind,
    IncomeStream,
    LeefgeldPolicy,
    Reserve,
)
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.domain.occurrences import PlanSettings, charge_dues, instruction_id
from huishoudboekje.domain.schedule import Schedule
from huishoudboekje.domain.simulation import ActualIncome, simulate

START = date(2026, 1, 1)
PAYEE = "NL91ABNA0417164300"
OWN = "NL44RABO0123456789"


def _income(id: str, kind: IncomeKind, amount: str, start: date, rrule: str) -> IncomeStream:
    return IncomeStream(id, kind, Money(amount), Schedule(start, rrule), margin=Decimal("0.10"))


def _charge(id: str, kind: ChargeKind, amount: str, day: int, rrule: str = "") -> FixedCharge:
    rule = rrule or f"FREQ=MONTHLY;BYMONTHDAY={day}"
    return FixedCharge(id, kind, f"Ontvanger {id}", PAYEE, Money(amount), Schedule(START, rule))


BASIC_CHARGES = (
    _charge("huur", ChargeKind.HUUR, "690.00", 1),
    _charge("energie", ChargeKind.ENERGIE, "135.00", 5),
    _charge("water", ChargeKind.WATER, "22.50", 15),
    _charge("zorgpremie", ChargeKind.ZORGPREMIE, "148.00", 1),
)


def _household(code: str, incomes: tuple[IncomeStream, ...], **extra: object) -> Household:
    base = Household(
        code=code,
        name=f"Huishouden {code}",
        iban=OWN,
        members=2,
        start=START,
        leefgeld=LeefgeldPolicy(weekday="friday"),
        buffer=BufferPolicy(target=Money("1200.00"), advance_limit=Money("1200.00")),
        incomes=incomes,
        charges=BASIC_CHARGES,
        reserves=(Reserve("energie-jaarafrekening", Money("20.00"), Money("240.00")),),
    )
    return replace(base, **extra)  # type: ignore[arg-type]


def _cents(rng: random.Random, amount: Money, spread_percent: int) -> Money:
    """`amount` varied by up to +/- spread_percent, in whole cents (no floats)."""
    cents = amount.to_cents()
    delta = cents * rng.randint(-spread_percent * 10, spread_percent * 10) // 1000
    return Money.cents(cents + delta)


def scheduled(
    household: Household, last: date, rng: random.Random, jitter_days: int, spread_percent: int
) -> list[ActualIncome]:
    """Every expected income, arriving up to `jitter_days` late, amount varied."""
    result = []
    for stream in household.incomes:
        for day in stream.schedule.between(household.start, last):
            late = timedelta(days=rng.randint(0, jitter_days))
            result.append(
                ActualIncome(day + late, stream.id, _cents(rng, stream.amount, spread_percent))
            )
    return result


def zzp_incomes(last: date, rng: random.Random) -> list[ActualIncome]:
    """Self-employed: 0 to 3 invoices paid a month at random days, very uneven amounts."""
    result = []
    month = START
    while month <= last:
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            day = month + timedelta(days=rng.randint(0, 27))
            result.append(ActualIncome(day, "omzet", Money.cents(rng.randint(40_000, 260_000))))
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return result


@dataclass
class Case:
    household: Household
    incomes: list[ActualIncome]
    pattern: str


def cases(seed: int, last: date) -> list[Case]:
    rng = random.Random(seed)
    loon4 = _income(
        "loon", IncomeKind.LOON, "1850.00", date(2026, 1, 8), "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"
    )
    zorg = _income(
        "zorgtoeslag",
        IncomeKind.ZORGTOESLAG,
        "123.00",
        date(2026, 1, 20),
        "FREQ=MONTHLY;BYMONTHDAY=20",
    )
    huurt = _income(
        "huurtoeslag",
        IncomeKind.HUURTOESLAG,
        "285.00",
        date(2026, 1, 20),
        "FREQ=MONTHLY;BYMONTHDAY=20",
    )
    bijstand = _income(
        "bijstand", IncomeKind.BIJSTAND, "1270.00", date(2026, 1, 23), "FREQ=MONTHLY;BYMONTHDAY=23"
    )
    weekloon = _income(
        "weekloon", IncomeKind.LOON, "480.00", date(2026, 1, 2), "FREQ=WEEKLY;BYDAY=FR"
    )
    kinderbijslag = _income(
        "kinderbijslag",
        IncomeKind.KINDERBIJSLAG,
        "780.00",
        date(2026, 1, 5),
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=5",
    )
    kgb = _income(
        "kgb",
        IncomeKind.KINDGEBONDEN_BUDGET,
        "210.00",
        date(2026, 1, 20),
        "FREQ=MONTHLY;BYMONTHDAY=20",
    )
    ww = _income("ww", IncomeKind.WW, "1540.00", date(2026, 1, 12), "FREQ=MONTHLY;BYMONTHDAY=12")
    zzp_expected = _income(
        "omzet", IncomeKind.OVERIG, "1850.00", date(2026, 1, 15), "FREQ=MONTHLY;BYMONTHDAY=15"
    )

    result = []
    h = _household("B-LOON4", (loon4, zorg))
    result.append(Case(h, scheduled(h, last, rng, 2, 0), "4-wekelijks loon + zorgtoeslag"))
    h = _household("B-BIJST", (bijstand, zorg, huurt))
    result.append(Case(h, scheduled(h, last, rng, 3, 0), "bijstand + toeslagen, tot 3 dagen laat"))
    h = _household("B-WEEK", (weekloon, zorg))
    result.append(Case(h, scheduled(h, last, rng, 1, 30), "weekloon flexwerk, bedrag +/-30%"))
    h = _household("B-KIND", (bijstand, kinderbijslag, kgb, zorg), members=4)
    result.append(Case(h, scheduled(h, last, rng, 2, 0), "kinderbijslag per kwartaal + kgb"))
    h = _household("B-WW", (ww, zorg))
    result.append(Case(h, scheduled(h, last, rng, 5, 5), "WW, tot 5 dagen laat, +/-5%"))
    h = _household("B-ZZP", (zzp_expected, zorg))
    zzp = zzp_incomes(last, rng) + [
        i for i in scheduled(h, last, rng, 2, 0) if i.income_id == "zorgtoeslag"
    ]
    result.append(Case(h, zzp, "ZZP, zeer onregelmatige omzet"))
    return result


# -- the naive baseline ---------------------------------------------------------------


@dataclass
class Outcome:
    weekly: list[Money]
    late: int
    late_uncovered: int  # late charges in months whose income did not cover the charges


def naive(case: Case, last: date, settings: PlanSettings) -> Outcome:
    """Pay charges when due if the money is there; pay out everything else each week."""
    household = case.household
    weekday = WEEKDAYS.index(household.leefgeld.weekday)
    arrivals: dict[date, Money] = defaultdict(lambda: ZERO)
    for income in case.incomes:
        arrivals[income.day + timedelta(days=1)] += income.amount
    dues = charge_dues(household, household.start, last, settings)
    pending = list(dues)
    paid: dict[str, date] = {}
    vat = ZERO
    payouts: dict[date, Money] = {}
    day = household.start
    while day <= last:
        vat += arrivals.get(day, ZERO)
        for due in [d for d in pending if d.execution <= day]:
            if vat >= due.charge.amount:
                vat -= due.charge.amount
                paid[due.id] = day
                pending.remove(due)
        if day.weekday() == weekday:
            payouts[day] = vat
            vat = ZERO
        day += timedelta(days=1)
    return _outcome(case, dues, paid, payouts, household.start, last)


def planned(case: Case, last: date, settings: PlanSettings) -> Outcome:
    sim = simulate(case.household, case.incomes, case.household.start, last, settings)
    dues = charge_dues(case.household, case.household.start, last, settings)
    paid = {i.end_to_end_id: i.execution_date for i in sim.instructions() if i.kind == "charge"}
    payouts: dict[date, Money] = defaultdict(lambda: ZERO)
    for instruction in sim.leefgeld():
        payouts[instruction.execution_date] += instruction.amount
    return _outcome(case, dues, paid, payouts, case.household.start, last)


def _outcome(
    case: Case,
    dues: list,
    paid: dict[str, date],
    payouts: dict[date, Money],
    first: date,
    last: date,
) -> Outcome:
    weeks: dict[tuple[int, int], Money] = defaultdict(lambda: ZERO)
    day = first
    while day <= last:  # every week counts, also the ones with nothing paid
        weeks[day.isocalendar()[:2]] += ZERO
        day += timedelta(days=7)
    for day, amount in payouts.items():
        weeks[day.isocalendar()[:2]] += amount
    late = late_uncovered = 0
    for due in dues:
        if due.execution > last - timedelta(days=3):
            continue
        when = paid.get(instruction_id(case.household.code, due.charge.id, due.due))
        if when is None or when > due.due:
            late += 1
            if not _month_covered(case, due.due):
                late_uncovered += 1
    return Outcome([weeks[k] for k in sorted(weeks)], late, late_uncovered)


def _month_covered(case: Case, day: date) -> bool:
    income = sum(
        (i.amount for i in case.incomes if (i.day.year, i.day.month) == (day.year, day.month)), ZERO
    )
    first = date(day.year, day.month, 1)
    last = date(day.year + (day.month == 12), day.month % 12 + 1, 1) - timedelta(days=1)
    charges = sum(
        (
            c.amount
            for ch in case.household.charges
            for c in [ch]
            for _ in ch.schedule.between(first, last)
        ),
        ZERO,
    )
    return income >= charges


STEADY_FROM_WEEK = 26  # the opbouwfase (building the buffer) is over by then


def _weeks_before_first_income(case: Case) -> int:
    first = min(i.day for i in case.incomes)
    return max((first - case.household.start).days // 7, 0)


def cv(values: list[Money]) -> Decimal:
    numbers = [v.amount for v in values]
    mean = sum(numbers, Decimal(0)) / len(numbers)
    if mean == 0:
        return Decimal(0)
    return Decimal(statistics.pstdev(numbers)) / mean


ESTABLISHED_FROM_WEEK = 52  # a household in its second year in the program


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


def run(seed: int, months: int, warmup_weeks: int) -> dict[str, object]:
    last = START + timedelta(days=round(months * 365 / 12) - 1)
    settings = PlanSettings()
    rows = []
    later = established(seed, months, settings)
    for case in cases(seed, last):
        ours = planned(case, last, settings)
        base = naive(case, last, settings)
        # Weeks before any income has arrived are zero under every policy: left out.
        skip = warmup_weeks or _weeks_before_first_income(case)
        cv_ours = cv(ours.weekly[skip:])
        cv_base = cv(base.weekly[skip:])
        # A run shorter than the opbouwfase has no steady weeks: those columns stay empty.
        steady = len(ours.weekly) - STEADY_FROM_WEEK >= 2
        steady_ours = cv(ours.weekly[STEADY_FROM_WEEK:]) if steady else None
        steady_base = cv(base.weekly[STEADY_FROM_WEEK:]) if steady else None
        rows.append(
            {
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
                **later[case.household.code],
                "late_planner": ours.late,
                "late_planner_income_short": ours.late_uncovered,
                "late_naive": base.late,
                "mean_weekly_planner": str(
                    Money.round(sum((w.amount for w in ours.weekly), Decimal(0)) / len(ours.weekly))
                ),
            }
        )
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


GOAL_CV_RATIO = 10


def summary(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The uniform rows of bench/report.py's table (see docs/benchmarks.md).

    One row per CV measure for the household furthest from the goal (met only
    when every household meets it), and one row for late charges.
    """
    result: list[dict[str, object]] = []
    measures = (
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
    for label, ours, theirs, ratio in measures:
        measured = [r for r in rows if r[ours] is not None]
        if not measured:
            continue

        def times(row: dict[str, object], key: str = ratio) -> Decimal:
            value = row[key]  # None: the planner's CV is 0, infinitely steadier
            return Decimal("Infinity") if value is None else Decimal(str(value))

        worst = min(measured, key=times)
        meeting = sum(1 for r in measured if times(r) >= GOAL_CV_RATIO)
        result.append(
            {
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
        )
    late = sum(int(str(r["late_planner"])) - int(str(r["late_planner_income_short"])) for r in rows)
    result.append(
        {
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
    )
    return result


def markdown(result: dict[str, object]) -> str:
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
