"""Matching in a realistic gemeente (issue 16): the reference decides, never a wrong match.

For each size N it generates a gemeente of N households (tests/realistic_gemeente.py,
seeded: shared payer IBANs and norm amounts, references in the payers' formats,
late money, one stranger per 200 credits), matches a month of credits and compares
with the ground truth:

- automatic match rate where a reference is present (goal ≥ 99%);
- wrong matches: a credit matched to another household or income (goal 0);
- suspense items per 1,000 credits;
- time per credit, against the baseline (goal ≤ 2× the baseline).

The baseline, in the same run, is the matching of before issue 16, "flat terms"
(bench/matching_flat.py: a flat +25 for any term, the old index by payer IBAN).
The old index scores every household of the payer, so at 10,000 households it
needs about a second per toeslag credit; it is therefore measured on a fixed
sample of the credits (every k-th), and the new matching is timed on the same
sample for the ratio as well as on all credits.

    python bench/matching.py [SIZES] [--seed 16] [--sample 300] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.matching_flat import FlatCandidate, FlatIndex
from huishoudboekje.domain.matching import HouseholdIndex, MatchStatus
from tests.realistic_gemeente import Credit, generate

__all__ = ["as_json", "main", "markdown", "measure", "summary"]

GOAL_RATE = 99.0
GOAL_RATIO = 2.0


def _tally(credits: list[Credit], answers: list[tuple[str, str] | str | None]) -> dict[str, Any]:
    """Match rate with a reference, wrong matches, suspense per 1,000 credits."""
    with_reference = right = wrong = suspense = 0
    for credit, answer in zip(credits, answers, strict=True):
        truth = None if credit.household is None else (credit.household, credit.income)
        if isinstance(answer, tuple):
            if answer != truth:
                wrong += 1
            elif credit.has_reference:
                right += 1
        else:
            suspense += 1
        with_reference += credit.has_reference
    return {
        "credits": len(credits),
        "with_reference": with_reference,
        "rate_with_reference": round(100 * right / with_reference, 2) if with_reference else 0.0,
        "wrong": wrong,
        "suspense_per_1000": round(1000 * suspense / len(credits), 1) if credits else 0.0,
    }


def _ours(index: HouseholdIndex, credits: list[Credit]) -> tuple[list[Any], float]:
    started = time.perf_counter()
    answers: list[tuple[str, str] | str | None] = []
    for credit in credits:
        result = index.match(credit.tx)
        best = result.candidate
        matched = result.status is MatchStatus.MATCHED and best is not None
        answers.append((best.household, best.income_id) if matched and best else None)
    return answers, time.perf_counter() - started


def _flat(index: FlatIndex, credits: list[Credit]) -> tuple[list[Any], float]:
    started = time.perf_counter()
    answers: list[tuple[str, str] | str | None] = []
    for credit in credits:
        result = index.match(credit.tx)
        answers.append(
            (result.household, result.income_id) if isinstance(result, FlatCandidate) else None
        )
    return answers, time.perf_counter() - started


def measure(size: int, seed: int, sample: int) -> dict[str, Any]:
    """One gemeente of `size` households: the new matching on every credit, both on a sample."""
    gemeente = generate(size, seed)
    credits = list(gemeente.credits)
    step = max(1, len(credits) // sample)
    sampled = credits[::step]
    started = time.perf_counter()
    index = HouseholdIndex(gemeente.households)
    index_seconds = time.perf_counter() - started
    answers, seconds = _ours(index, credits)
    sample_answers, sample_seconds = _ours(index, sampled)
    flat_answers, flat_seconds = _flat(FlatIndex(gemeente.households), sampled)
    return {
        "households": size,
        "index_seconds": round(index_seconds, 3),
        "ours": _tally(credits, answers) | {"ms_per_credit": _ms(seconds, credits)},
        "ours_sample": _tally(sampled, sample_answers)
        | {"ms_per_credit": _ms(sample_seconds, sampled)},
        "flat_sample": _tally(sampled, flat_answers)
        | {"ms_per_credit": _ms(flat_seconds, sampled)},
    }


def _ms(seconds: float, credits: list[Credit]) -> float:
    return round(1000 * seconds / max(1, len(credits)), 3)


def summary(results: list[dict[str, Any]]) -> list[dict[str, object]]:
    """The uniform rows for bench/report.py: per size, rate, wrong, suspense, time."""
    rows: list[dict[str, object]] = []
    for r in results:
        n, ours, ours_sample, flat = r["households"], r["ours"], r["ours_sample"], r["flat_sample"]
        rows += [
            {
                "metric": f"matched automatically where a reference is present, {n} households",
                "figure": ours["rate_with_reference"],
                "baseline": flat["rate_with_reference"],
                "baseline_label": "flat terms (sample)",
                "unit": "%",
                "goal": f"≥ {GOAL_RATE:g}%",
                "met": ours["rate_with_reference"] >= GOAL_RATE,
            },
            {
                "metric": f"wrong matches, {n} households ({ours['credits']} credits)",
                "figure": ours["wrong"],
                "baseline": flat["wrong"],
                "baseline_label": f"flat terms ({flat['credits']} sampled credits)",
                "ratio": None,
                "unit": "",
                "goal": "0",
                "met": ours["wrong"] == 0,
            },
            {
                "metric": f"suspense items per 1,000 credits, {n} households",
                "figure": ours["suspense_per_1000"],
                "baseline": flat["suspense_per_1000"],
                "baseline_label": "flat terms (sample)",
                "unit": "",
                "goal": "fewer than flat terms",
                "met": ours["suspense_per_1000"] < flat["suspense_per_1000"],
            },
            {
                "metric": f"time per credit, {n} households (same sample)",
                "figure": ours_sample["ms_per_credit"],
                "baseline": flat["ms_per_credit"],
                "baseline_label": "flat terms",
                "unit": "ms",
                "goal": f"≤ {GOAL_RATIO:g}× baseline",
                "met": ours_sample["ms_per_credit"] <= GOAL_RATIO * flat["ms_per_credit"],
            },
        ]
    return rows


def as_json(results: list[dict[str, Any]], seed: int) -> dict[str, object]:
    return {
        "benchmark": "matching",
        "sizes": {"households": ",".join(str(r["households"]) for r in results), "seed": seed},
        "results": results,
        "summary": summary(results),
    }


def markdown(result: dict[str, Any]) -> str:
    """The runs of a --json result as a Markdown table (used by bench/report.py)."""
    lines = [
        "| households | credits | matching | with reference matched | wrong | "
        "suspense / 1,000 | ms per credit |",
        "|---:|---:|---|---:|---:|---:|---:|",
    ]
    for r in result["results"]:
        for label, key in (
            ("new, all credits", "ours"),
            ("new, sample", "ours_sample"),
            ("flat terms, sample", "flat_sample"),
        ):
            t = r[key]
            lines.append(
                f"| {r['households']} | {t['credits']} | {label} | {t['rate_with_reference']}% "
                f"| {t['wrong']} | {t['suspense_per_1000']} | {t['ms_per_credit']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="?", default="1000,10000")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = [measure(int(s), args.seed, args.sample) for s in args.sizes.split(",") if s]
    document = as_json(results, args.seed)
    if args.json:
        print(json.dumps(document, indent=2))
    else:
        print(markdown(document))
    return 0


if __name__ == "__main__":
    sys.exit(main())
