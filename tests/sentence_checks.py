"""The consistency rules every sentence must keep (issue 23.4), as plain functions.

Each check takes one sentence, what it was built from, and returns a list of problems
("" when fine); a problem names the household, the day, the sentence and the figure.
Used by tests/test_consistency_year*.py; the rules are listed in docs/web.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from huishoudboekje.domain.dutch_text import MONTHS_NL
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.status_report import StatusReport

AMOUNT = re.compile(r"(-?)€[\s\xa0]?(\d{1,3}(?:\.\d{3})*,\d{2})")
DAY = re.compile(
    r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag) (\d{1,2}) ("
    + "|".join(MONTHS_NL)
    + r")(?: (\d{4}))?"
)


def amounts(text: str) -> list[Money]:
    out = []
    for sign, digits in AMOUNT.findall(text):
        value = Decimal(digits.replace(".", "").replace(",", "."))
        out.append(Money(-value if sign else value))
    return out


def days(text: str, near: date) -> list[date]:
    """The dates named in `text` ("vrijdag 4 december"), the year the one nearest `near`."""
    out = []
    for number, month_name, year in DAY.findall(text):
        month = MONTHS_NL.index(month_name) + 1
        if year:
            out.append(date(int(year), month, int(number)))
            continue
        options = []
        for y in (near.year - 1, near.year, near.year + 1):
            try:
                options.append(date(y, month, int(number)))
            except ValueError:
                continue
        out.append(min(options, key=lambda d: abs((d - near).days)))
    return out


def report_amounts(report: StatusReport) -> set[Money]:
    """Every amount the data of a status report holds, and the figures derived from it
    that sentences name (the gap to the target)."""
    found: set[Money] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            try:
                found.add(Money(value))
            except Exception:
                found.update(amounts(value))

    walk(report.as_json())
    found.add(report.set_aside_total)
    found.add(report.buffer_free)
    found.add(report.buffer_target - report.buffer_free)
    nxt = report.plan.next_release
    if nxt is not None:
        found.update(amounts(nxt.reason))
        if nxt.usual is not None:  # the difference sentence names the gap
            found.update({nxt.amount - nxt.usual, nxt.usual - nxt.amount})
    return found


def where(code: str, day: date, sentence: str, figure: str) -> str:
    return f"{code} on {day}: {sentence!r} disagrees with {figure}"


def check_report_sentences(report: StatusReport, sentences: Iterable[str]) -> list[str]:
    """The rules for sentences built from one status report."""
    code, today = report.household.code, report.today
    known = report_amounts(report)
    problems = []
    aside_days = {s.day for s in report.set_aside}
    for sentence in sentences:
        if not sentence:
            continue
        for amount in amounts(sentence):
            if amount not in known:
                problems.append(where(code, today, sentence, f"the data (no {amount})"))
        named = days(sentence, today)
        if "apart voor" in sentence:
            for d in named:
                if d not in aside_days:
                    problems.append(where(code, today, sentence, f"set aside for {aside_days}"))
        if "wordt betaald op" in sentence:
            for d in named:
                if d < today:
                    problems.append(where(code, today, sentence, f"today {today}"))
        problems += check_target(report, sentence)
        if report.ended and "leefgeld" in sentence and amounts(sentence):
            problems.append(where(code, today, sentence, "the end of the participation"))
    return problems


def check_target(report: StatusReport, sentence: str) -> list[str]:
    """A sentence naming the buffer target never contradicts the free buffer."""
    target, free = report.buffer_target, report.buffer_free
    code, today = report.household.code, report.today
    figure = f"free buffer {free}, target {target}"
    lowered = sentence.lower()
    if ("buffer is groter dan nodig" in lowered and not free >= target) or (
        "buffer is kleiner dan nodig" in lowered and not free < target
    ):
        return [where(code, today, sentence, figure)]
    if "doel" not in sentence:
        return []
    wrong = (
        ("hoger dan het doel" in sentence and not free >= target)
        or ("Er moet nog" in sentence and not free < target)
        or ("Dat is gehaald" in sentence and not free >= target)
        or ("Nu is er minder" in sentence and not free < target)
    )
    if "Er moet nog" in sentence and free < target:
        gap = amounts(sentence.split("Er moet nog", 1)[1])[:1]
        wrong = wrong or gap != [target - free]
    # the target named must be this household's target
    named = amounts(sentence)
    if named and target not in named:
        wrong = True
    return [where(code, today, sentence, figure)] if wrong else []
