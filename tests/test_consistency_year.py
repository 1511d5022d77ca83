"""Every sentence agrees with its data on every day of a simulated year (issue 23.4).

Households of the realistic gemeente (tests/realistic_gemeente.py: shared payers, norm
amounts, monthly, 4-weekly and weekly incomes, money late or early) run through 2026 in
the pure simulation (domain/simulation.py); one of them ends its participation on
30 September. Every day, for every household, the status report the pages and
`hhb status` read is built from that day's state, and every sentence built from it
(the buffer split, the target, the reason, the end of the participation, the leefgeld
and difference sentences of Vandaag, the sentence about each payment) is checked with
tests/sentence_checks.py; at every month end the month overview's payments are checked
to carry their execution dates. The web pages themselves, rendered every day, are
checked over the demo's 91 days in tests/test_consistency_year_demo.py.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, timedelta

import pytest

from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.simulation import ActualIncome, simulate
from huishoudboekje.domain.status_report import status_report
from huishoudboekje.services.night_worklists import HouseholdPayment
from huishoudboekje.services.overview import month_bounds, month_overview
from tests.realistic_gemeente import generate
from tests.sentence_checks import amounts, check_report_sentences, days, where
from web.sentences import (
    difference_sentence,
    leefgeld_sentence,
    payment_sentence,
    report_sentences,
)

FIRST = date(2026, 1, 1)
LAST = date(2026, 12, 31)
ENDS = date(2026, 9, 30)
HOUSEHOLDS = int(os.environ.get("HHB_TEST_YEAR_HOUSEHOLDS", "5"))
SEED = 2323


def _year_of(index: int) -> list[str]:
    gemeente = generate(HOUSEHOLDS, SEED, FIRST, LAST)
    household = replace(gemeente.households[index], start=FIRST)
    ended = index == 0  # the first household ends on ENDS
    changes = [(ENDS, replace(household, end=ENDS))] if ended else []
    incomes = [
        ActualIncome(day, stream.id, stream.amount)
        for stream in household.incomes
        for day in stream.schedule.between(FIRST, LAST)
        if not ended or day <= ENDS
    ]
    run = simulate(household, incomes, FIRST, LAST, changes=changes)
    executed = {e.instruction.end_to_end_id: e.day for e in run.executions}
    problems: list[str] = []
    before = None
    ended_days = 0
    for night in run.days:
        today = night.day
        rules = replace(household, end=ENDS) if ended and today >= ENDS else household
        if before is not None:
            report = status_report(rules, before, today)
            said = report_sentences(report)
            sentences = [*said.all(), leefgeld_sentence(report), difference_sentence(report)]
            problems += check_report_sentences(report, [s.replace("\xa0", " ") for s in sentences])
            if report.ended:
                ended_days += 1
                if report.plan.next_release is not None or report.upcoming:
                    problems.append(where(rules.code, today, "(no sentence)", "ended: leefgeld"))
                if "Deelname beëindigd op" not in said.ended:
                    problems.append(where(rules.code, today, said.ended, "ended"))
            free = report.buffer_free + report.set_aside_total
            if free != max(report.state.vat, Money(0)):
                problems.append(where(rules.code, today, "(figures)", "free + set aside != vat"))
        problems += _payment_sentences(rules.code, today, night.plan.instructions, executed)
        before = night.plan.state
        if (today + timedelta(days=1)).day == 1:
            problems += _month(run.entries, rules, today, executed)
    if ended and ended_days != (LAST - ENDS).days:
        problems.append(f"{household.code}: ended on {ENDS}, but {ended_days} ended days")
    return problems


def _payment_sentences(
    code: str, today: date, instructions: tuple, executed: dict[str, date]
) -> list[str]:
    """The sentence Vandaag shows about each charge paid tonight, on each day until paid."""
    problems = []
    for instruction in instructions:
        if instruction.kind != "charge":
            continue
        paid_on = executed.get(instruction.end_to_end_id)
        for look in (today, instruction.execution_date):
            status = (
                InstructionStatus.PAID
                if paid_on is not None and paid_on <= look
                else InstructionStatus.IN_FLIGHT
            )
            payment = HouseholdPayment(
                instruction.end_to_end_id,
                instruction.charge_id,
                instruction.payee_name,
                instruction.amount,
                instruction.execution_date,
                status,
                "",
            )
            sentence = payment_sentence(payment, "huur", look).replace("\xa0", " ")
            if amounts(sentence) != [instruction.amount]:
                problems.append(where(code, look, sentence, f"amount {instruction.amount}"))
            if "wordt betaald op" in sentence and any(d < look for d in days(sentence, look)):
                problems.append(where(code, look, sentence, f"today {look}"))
            if "is betaald" in sentence and (paid_on is None or paid_on > look):
                problems.append(where(code, look, sentence, f"executed on {paid_on}"))
    return problems


def _month(entries: tuple, household: object, today: date, executed: dict[str, date]) -> list[str]:
    """The month overview dates every payment by its execution date, in that month."""
    first, last = month_bounds(today)
    overview = month_overview(entries, household, today, executed)  # type: ignore[arg-type]
    problems = []
    for movement in (*overview.leefgeld, *overview.charges):
        if not first <= movement.day <= last or movement.day not in executed.values():
            problems.append(
                where(household.code, today, f"{movement.label} {movement.day}", "execution dates")  # type: ignore[attr-defined]
            )
    return problems


@pytest.mark.parametrize("index", range(HOUSEHOLDS))
def test_every_sentence_agrees_with_its_data_every_day_of_a_year(index: int) -> None:
    problems = _year_of(index)
    assert not problems, "\n".join(problems[:30])
