"""Plain-Dutch sentences for the household and staff pages (language level B1).

One source (issue 23.2): every sentence is built from the object whose figures the page
shows: the status report (`report_sentences`, from `services.overview.status_sentences`,
which `hhb status` uses too), a stored payment, or a journal movement. Dates are
execution dates. docs/web.md "Hoe zinnen worden gemaakt".
"""

from __future__ import annotations

from datetime import date, timedelta

from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.planner import Difference
from huishoudboekje.domain.status_report import StatusReport
from huishoudboekje.services.night_worklists import HouseholdPayment
from huishoudboekje.services.overview import (
    CHARGE_NL,
    Movement,
    StatusSentences,
    charge_word,
    status_sentences,
)
from web.formatting import day, money

KIND_NL = CHARGE_NL


def report_sentences(report: StatusReport) -> StatusSentences:
    """The buffer split, target, reason and end-of-participation sentences of a report,
    formatted for the web."""
    return status_sentences(report, money, day)


def when(target: date, today: date) -> str:
    """ "vandaag", "morgen", "deze week", "volgende week" or "op vrijdag 6 maart"."""
    if target == today:
        return "vandaag"
    if target == today + timedelta(days=1):
        return "morgen"
    week_start = today - timedelta(days=today.weekday())
    if target < week_start + timedelta(days=7):
        return "deze week"
    if target < week_start + timedelta(days=14):
        return "volgende week"
    return f"op {day(target)}"


def leefgeld_sentence(report: StatusReport) -> str:
    """ "Volgende week krijgt u € 95,00 leefgeld op vrijdag." (or why there is none)."""
    nxt = report.plan.next_release
    if report.ended:
        return ""
    if nxt is None:
        return "Er staat nu geen leefgeld gepland. Uw medewerker neemt contact met u op."
    moment = when(nxt.day, report.today)
    weekday = day(nxt.day).split(" ")[0]
    if moment in {"vandaag", "morgen"}:
        return f"{moment.capitalize()} krijgt u {money(nxt.amount)} leefgeld."
    if moment.startswith("op "):
        return f"U krijgt {money(nxt.amount)} leefgeld {moment}."
    return f"{moment.capitalize()} krijgt u {money(nxt.amount)} leefgeld op {weekday}."


COMPARED_WITH = {
    Difference.STEP: "dan uw leefgeld tot nu toe",
    Difference.PARTIAL: "dan normaal",
}


def difference_sentence(report: StatusReport) -> str:
    """ "Dit is € 38,00 meer dan uw leefgeld tot nu toe, omdat …" when the next
    release is not the usual amount; "" when it is."""
    nxt = report.plan.next_release
    if nxt is None or nxt.usual is None or nxt.difference is None or nxt.amount == nxt.usual:
        return ""
    more = nxt.amount > nxt.usual
    gap = nxt.amount - nxt.usual if more else nxt.usual - nxt.amount
    word = "meer" if more else "minder"
    return f"Dit is {money(gap)} {word} {COMPARED_WITH[nxt.difference]}, omdat {nxt.because}."


def paid_sentence(paid: list[Movement], today: date) -> str:
    """ "Uw huur van € 725,40 is betaald." for the most recent fixed charge the
    journal shows (used when the nightly run has stored no payments, see
    `payment_sentence`)."""
    if not paid:
        return ""
    last = paid[0]
    what = f"Uw {charge_word(last.kind)} van {money(last.amount)}"
    if last.day > today:  # instructed, executed on a later day
        return f"{what} wordt betaald op {day(last.day)}."
    return f"{what} is betaald."


def payment_sentence(payment: HouseholdPayment, kind: str, today: date) -> str:
    """Where the most recent fixed-charge payment the nightly run made stands:
    paid, sent on its day (the bank's statement not read yet), still to go, or sent
    back by the bank (`kind` is the charge's kind)."""
    what = f"Uw {charge_word(kind)} van {money(payment.amount)}"
    if payment.status == InstructionStatus.PAID:
        return f"{what} is betaald."
    if payment.status == InstructionStatus.RETURNED:
        # what the nightly run does with a returned charge: see payments.html
        return (
            f"{what} is niet betaald: de bank heeft de betaling teruggestuurd. "
            "Het geld staat weer in uw buffer. Uw medewerker heeft hierover een melding gekregen."
        )
    if payment.execution_date <= today:
        # sent on its day; the bank's statement that it was paid is not read yet
        return (
            f"Wij hebben uw {charge_word(kind)} van {money(payment.amount)} "
            f"op {day(payment.execution_date)} naar de bank gestuurd."
        )
    return f"{what} wordt betaald op {day(payment.execution_date)}."


def per_day(rate: Money, days: int) -> Money:
    """A rate spread over `days` days, rounded to cents."""
    return Money.round(rate.amount / days)
