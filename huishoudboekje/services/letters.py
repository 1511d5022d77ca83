"""Letters by post (issue 21.2): the monthly overview of a household that asked for
paper, as one letter in a window envelope.

`month_letter` builds a `MonthLetter`: the very `MonthOverview` the web's
monthly overview shows (`services.overview.month_overview`), and what a letter
adds around it (the address, what comes next month, the buffer in days, whom to
call). `web/letters.py` renders it with the web's own template for the month
(`household/month.html`), so paper and screen never disagree; `letters_pdf`
turns that HTML into PDF (WeasyPrint, `adapters/pdf.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from huishoudboekje.adapters.pdf import html_to_pdf
from huishoudboekje.adapters.pdf_join import join_for_duplex
from huishoudboekje.adapters.persistence.audit import record_audit
from huishoudboekje.adapters.persistence.context import HouseholdContext
from huishoudboekje.adapters.persistence.tables import HouseholdRow, table_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import find_user
from huishoudboekje.domain.buffer_days import BufferDays
from huishoudboekje.domain.household import Cadence, Contact, Household, Letterhead
from huishoudboekje.domain.ledger import JournalEntry
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import PlanSettings, charge_dues
from huishoudboekje.domain.planner.phases.charges import charge_label
from huishoudboekje.services.database import on_engine
from huishoudboekje.services.household_proposals import is_stale, proposals_of
from huishoudboekje.services.household_status import (
    household_context,
    plan_settings,
    status_of,
)
from huishoudboekje.services.overview import (
    CHARGE_KIND,
    MonthOverview,
    Movement,
    month_bounds,
    month_overview,
)

_HH = table_of(HouseholdRow)
EARLY_DAYS = 31  # a charge is never paid a month or more before it is due


class NoAddressError(ValueError):
    """A household by post without a postal address: no letter can be sent."""


@dataclass(frozen=True, slots=True)
class LeefgeldNext:
    """Leefgeld as it stands for next month: the rate and an announced step."""

    rate: Money
    per: str  # "per week" or "per maand"
    step: Money | None = None
    step_from: date | None = None


@dataclass(frozen=True, slots=True)
class PendingProposal:
    """A proposed change the letter asks the household to answer (issue 19.7)."""

    lines: tuple[str, ...]
    from_day: date
    why: str


@dataclass(frozen=True, slots=True)
class MonthLetter:
    """One letter: the month's overview and what the letter adds around it."""

    overview: MonthOverview  # the same object the web's monthly overview shows
    printed_on: date
    recipient: tuple[str, ...]  # name and address lines, as in the envelope window
    return_address: str  # one line above the address, small
    letterhead: Letterhead
    gemeente: str
    next_first: date  # the first day of next month
    next_charges: tuple[Movement, ...]  # next month's charges not paid yet, by due date
    leefgeld: LeefgeldNext
    buffer: BufferDays | None
    caseworker: str  # the display name of the household's medewerker, "" when none
    # issue 19.7: changes proposed to the household that wait for its answer
    proposals: tuple[PendingProposal, ...] = ()

    @property
    def household(self) -> Household:
        return self.overview.household

    @property
    def next_total(self) -> Money:
        return sum((m.amount for m in self.next_charges), Money(0))


def _next_month(first: date) -> tuple[date, date]:
    return month_bounds(first + timedelta(days=32))


def _still_to_pay(
    entries: Sequence[JournalEntry],
    household: Household,
    last: date,
    settings: PlanSettings,
    context: HouseholdContext,
) -> tuple[Movement, ...]:
    """The fixed charges due next month that were not yet paid by `last` (a charge
    due on the 1st is often paid on the last day of the month before, and then it is
    in this month's overview already), by due date."""
    paid = {
        dict(entry.meta).get("end_to_end_id", "")
        for entry in entries
        if entry.kind == CHARGE_KIND and entry.day <= last
    }
    first, next_last = _next_month(last.replace(day=1))
    window = charge_dues(
        household,
        first - timedelta(days=EARLY_DAYS),
        next_last,
        settings,
        context.state.charge_progress,
    )
    return tuple(
        Movement(due.due, f"{charge_label(due.charge)}: {due.charge.payee_name}", due.charge.amount)
        for due in sorted(window, key=lambda d: (d.due, d.charge.effective_priority, d.charge.id))
        if first <= due.due <= next_last and due.id not in paid
    )


def month_letter(uow: UnitOfWork, code: str, month: date, today: date) -> MonthLetter:
    """The letter of household `code` about `month`, as printed on `today`."""
    context = household_context(uow, code)
    household = context.household
    if household.address is None:
        raise NoAddressError(f"{code} heeft geen postadres: geen brief gemaakt")
    overview = month_overview(context.entries, household, month)
    report = status_of(context, today)
    settings = plan_settings(context.gemeente)
    next_first, next_last = _next_month(overview.first)
    next_charges = _still_to_pay(context.entries, household, overview.last, settings, context)
    lg = context.state.leefgeld
    step = lg.next_rate if lg.next_rate_from and lg.next_rate_from <= next_last else None
    per = "per week" if household.leefgeld.cadence is Cadence.WEEKLY else "per maand"
    letterhead = context.gemeente.letterhead if context.gemeente else Letterhead()
    user = find_user(uow, household.caseworker) if household.caseworker else None
    sender = letterhead.sender or (context.gemeente.name if context.gemeente else "")
    return MonthLetter(
        overview=overview,
        printed_on=today,
        recipient=(household.name, *household.address.lines()),
        return_address=", ".join((sender, *letterhead.return_address)).strip(", "),
        letterhead=letterhead,
        gemeente=context.gemeente.name if context.gemeente else "",
        next_first=next_first,
        next_charges=next_charges,
        leefgeld=LeefgeldNext(report.leefgeld_rate, per, step, lg.next_rate_from if step else None),
        buffer=report.buffer,
        caseworker=user.display_name if user is not None else "",
        proposals=tuple(
            PendingProposal(p.lines, p.from_day, p.why)
            for p in reversed(proposals_of(uow, code))
            if p.status == "voorgesteld" and not is_stale(uow, p)
        ),
    )


def post_households(uow: UnitOfWork, month: date) -> tuple[str, ...]:
    """The codes of the households that get their overview by post and took part in
    `month` (a JSON path in SQL: no household is loaded to choose them)."""
    first, last = month_bounds(month)
    statement = (
        select(_HH.c.code)
        .where(
            _HH.c.rules["contact"].as_string() == Contact.POST.value,
            _HH.c.start_date <= last,
            or_(_HH.c.end_date.is_(None), _HH.c.end_date >= first),
        )
        .order_by(_HH.c.code)
    )
    return tuple(row[0] for row in uow.read(statement))


@dataclass(frozen=True, slots=True)
class LetterBatch:
    letters: tuple[MonthLetter, ...]
    skipped: tuple[str, ...]  # why a household by post got no letter, one line each


def month_letters(
    uow: UnitOfWork,
    month: date,
    today: date,
    codes: Sequence[str] | None = None,
    *,
    within: frozenset[str] | None = None,
) -> LetterBatch:
    """The letters of every household by post (or of `codes`) about `month`; of the
    households `within` only, when given (one gemeente's, issue 22)."""
    letters, skipped = [], []
    chosen = post_households(uow, month) if codes is None else codes
    for code in [c for c in chosen if within is None or c in within]:
        try:
            letters.append(month_letter(uow, code, month, today))
        except NoAddressError as exc:
            skipped.append(str(exc))
    return LetterBatch(tuple(letters), tuple(skipped))


def letters_pdf(html: str) -> bytes:
    """The PDF of the letters' HTML (WeasyPrint; only local files and inline data)."""
    return html_to_pdf(html)


def joined_pdf(parts: Iterable[bytes]) -> bytes:
    """The PDFs of several batches of letters as one, each batch on an odd page."""
    return join_for_duplex(parts)


def record_printed(
    uow: UnitOfWork, codes: Sequence[str], month: date, actor: str, now: datetime
) -> None:
    """Write to the audit log that letters about `month` were made for `codes` (a
    letter is personal data on paper: who printed whose, and when), and commit."""
    for code in codes:
        record_audit(
            uow,
            actor=actor,
            action="letter.print",
            object_type="household",
            object_id=code,
            after={"month": f"{month:%Y-%m}"},
            at=now,
        )
    uow.commit()


# the doors for entry points that hold an engine (the web, `hhb letters`)
record_printed_of = on_engine(record_printed)
month_letter_of = on_engine(month_letter)
month_letters_of = on_engine(month_letters)
