"""B1 readability of every household-facing sentence template, filled with real data (issue 23.5).

    python bench/readability.py [--json]

The samples come from a simulated year (2026) of households of the realistic gemeente
(tests/realistic_gemeente.py), one of them ending its participation on 30 September:
every week the status report is built and every sentence the household pages and
`hhb status` show is built from it by the functions the pages use
(`services.overview.status_sentences`, `web.sentences`), plus the sentence about each
fixed-charge payment in each of its states. Each template is scored with
Flesch–Douma (textstat, `set_lang("nl")`: 206.835 − 0.93 × words per sentence − 77 ×
syllables per word), on every filled example; a template's score is its worst example.

Threshold: 60. On Douma's scale 60–70 is "normaal / redelijk makkelijk", 70–80 "vrij
makkelijk" and 80+ "makkelijk"; below 60 the text is "vrij moeilijk". Texts written for
language level B1 (the Dutch government's guideline for letters to citizens) score 60
or more, so 60 is the lowest score a household sentence may have. A readability formula
only counts sentence and word length; B1 also asks for common words, which the
rewrites take care of ("apart houden" for "gereserveerd", "energie" for
"energierekening").
Amounts and dates are kept as written ("€ 132,00", "dinsdag 15 december").
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import textstat

from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.simulation import ActualIncome, simulate
from huishoudboekje.domain.status_report import status_report
from huishoudboekje.services.night_worklists import HouseholdPayment
from web.sentences import (
    difference_sentence,
    leefgeld_sentence,
    payment_sentence,
    report_sentences,
)

THRESHOLD = 60.0
FIRST = date(2026, 1, 1)
LAST = date(2026, 12, 31)
ENDS = date(2026, 9, 30)


def score(text: str) -> float:
    textstat.set_lang("nl")
    return float(textstat.flesch_reading_ease(text.replace("\xa0", " ")))


def collect(households: int = 4, step_days: int = 7, seed: int = 2323) -> dict[str, set[str]]:
    """Template name -> the distinct filled sentences seen over the simulated year."""
    from tests.realistic_gemeente import generate  # the generator lives with the tests

    found: dict[str, set[str]] = defaultdict(set)
    gemeente = generate(households, seed, FIRST, LAST)
    for index, base in enumerate(gemeente.households):
        household = replace(base, start=FIRST)
        ended = index == 0
        incomes = [
            ActualIncome(day, stream.id, stream.amount)
            for stream in household.incomes
            for day in stream.schedule.between(FIRST, LAST)
            if not ended or day <= ENDS
        ]
        changes = [(ENDS, replace(household, end=ENDS))] if ended else []
        run = simulate(household, incomes, FIRST, LAST, changes=changes)
        before = None
        for number, night in enumerate(run.days):
            rules = replace(household, end=ENDS) if ended and night.day >= ENDS else household
            if before is not None and number % step_days == 0:
                report = status_report(rules, before, night.day)
                said = report_sentences(report)
                for name in ("ended", "set_aside", "free", "target", "why"):
                    text = getattr(said, name)
                    if text:
                        found[f"status: {name}"].add(text)
                for name, text in (
                    ("leefgeld", leefgeld_sentence(report)),
                    ("difference", difference_sentence(report)),
                    ("buffer days", report.buffer.sentence() if report.buffer else ""),
                ):
                    if text:
                        found[name].add(text)
            for instruction in night.plan.instructions:
                if instruction.kind != "charge" or len(found["payment: paid"]) > 20:
                    continue
                for status, look, name in (
                    (InstructionStatus.PAID, night.day, "payment: paid"),
                    (InstructionStatus.IN_FLIGHT, night.day, "payment: on its way"),
                    (
                        InstructionStatus.IN_FLIGHT,
                        instruction.execution_date,
                        "payment: sent, not yet confirmed",
                    ),
                    (InstructionStatus.RETURNED, night.day, "payment: returned"),
                ):
                    payment = HouseholdPayment(
                        instruction.end_to_end_id,
                        instruction.charge_id,
                        instruction.payee_name,
                        instruction.amount,
                        instruction.execution_date,
                        status,
                        "",
                    )
                    kind = next(
                        c.kind.value for c in household.charges if c.id == instruction.charge_id
                    )
                    found[name].add(payment_sentence(payment, kind, look))
            before = night.plan.state
    return found


def scores(found: dict[str, set[str]]) -> list[tuple[str, float, str, int]]:
    """(template, worst score, its sentence, examples) per template, worst first."""
    rows = []
    for name, texts in found.items():
        worst = min(texts, key=score)
        rows.append((name, score(worst), worst, len(texts)))
    return sorted(rows, key=lambda row: row[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = scores(collect())
    if args.json:
        summary = [
            {
                "metric": f"Flesch–Douma, {name} (worst of {count})",
                "figure": round(value, 1),
                "baseline": THRESHOLD,
                "baseline_label": "B1 threshold",
                "unit": "score",
                "goal": f">= {THRESHOLD:.0f}",
                "met": value >= THRESHOLD,
            }
            for name, value, _, count in rows
        ]
        print(json.dumps({"summary": summary}, ensure_ascii=False, indent=2))
        return 0
    print(f"{'template':<22} {'score':>6}  {'n':>3}  worst example")
    for name, value, text, count in rows:
        flag = "" if value >= THRESHOLD else "  < B1"
        print(f"{name:<22} {value:6.1f}  {count:>3}  {text}{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
