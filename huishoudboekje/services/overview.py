"""What the web shows about a household's money over time, built from the journal.

Pure helpers (`buffer_history`, `month_overview`, `paid_charges`) take journal
entries; `household_view` reads through the unit of work, like
`services.household_status`, and adds the forecast. The caseload (every household
with its signals) is `services.caseload`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from huishoudboekje.adapters.persistence.instruction_repo import household_execution_dates
from huishoudboekje.adapters.persistence.journal import household_balances, load_journal_entries
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain import ledger
from huishoudboekje.domain.forecast import ForecastPoint
from huishoudboekje.domain.household import FixedCharge, Household, IncomeKind
from huishoudboekje.domain.ids import pays_charge
from huishoudboekje.domain.ledger import AccountKind, JournalEntry
from huishoudboekje.domain.money import ZERO, Money, total
from huishoudboekje.domain.status_report import StatusReport
from huishoudboekje.services.household_status import household_context, status_of
from huishoudboekje.services.read_model import status_for_page

CHARGE_KIND = "instruct_charge"  # the journal entry of a fixed charge paid from the vat
HISTORY_DAYS = 91  # about three months
OTHER_LABELS = {"advance": "voorschot van de gemeente", "repayment": "voorschot terugbetaald"}


def _vat_change(entry: JournalEntry, code: str) -> Money:
    """How much the household's vat went up (+) or down (-) by this entry."""
    account = ledger.vat(code)
    return -total(p.amount for p in entry.postings if p.account == account)


BUFFER_KINDS = frozenset({AccountKind.VAT, AccountKind.RESERVE})


def _buffer_change(entry: JournalEntry, code: str) -> Money:
    """How much the household's buffer (vat plus reserves) went up (+) or down (-)."""
    return -total(
        p.amount
        for p in entry.postings
        if p.account.household == code and p.account.kind in BUFFER_KINDS
    )


def _buffer_total(entries: Iterable[JournalEntry], code: str, until: date) -> Money:
    """Vat plus reserves of the household at the end of `until` (natural sign)."""
    return total(_buffer_change(entry, code) for entry in entries if entry.day <= until)


def buffer_history(
    entries: Sequence[JournalEntry],
    code: str,
    first: date,
    last: date,
    step: int = 7,
    opening: Money = ZERO,
) -> list[ForecastPoint]:
    """The buffer (vat, reserves included) every `step` days from `first` to `last`.

    `opening` is the buffer before the first of `entries` (zero when they are the
    whole journal); the entries must then include every entry dated after `first`.
    """
    days = []
    day = first
    while day <= last:
        days.append(day)
        day += timedelta(days=step)
    if not days or days[-1] != last:
        days.append(last)
    # one pass over the entries in day order instead of a full sum per point
    changes = sorted(
        ((entry.day, _buffer_change(entry, code)) for entry in entries),
        key=lambda change: change[0],
    )
    points = []
    amount = opening
    index = 0
    for day in days:
        while index < len(changes) and changes[index][0] <= day:
            amount += changes[index][1]
            index += 1
        points.append(ForecastPoint(day, amount))
    return points


@dataclass(frozen=True, slots=True)
class Movement:
    day: date  # the day it happened: for a payment the execution date (issue 23.2)
    label: str
    amount: Money
    kind: str = ""  # a charge's kind ("huur"); "" for other movements
    instructed: date | None = None  # a payment: the night it was instructed (for staff)


INSTRUCT_KINDS = frozenset({CHARGE_KIND, "instruct_leefgeld"})
Executions = Mapping[str, date]


def execution_day(entry: JournalEntry, executions: Executions | None = None) -> date:
    """The day a payment instructed by `entry` is executed, from the stored instruction
    (`payment_days`); the entry's own day for other entries, and for a payment whose
    instruction is not stored (a journal booked some other way)."""
    if entry.kind not in INSTRUCT_KINDS or not executions:
        return entry.day
    return executions.get(dict(entry.meta).get("end_to_end_id", ""), entry.day)


def payment_days(uow: UnitOfWork, code: str) -> dict[str, date]:
    """The execution date of each of the household's stored instructions, by EndToEndId."""
    return household_execution_dates(uow, code)


@dataclass(frozen=True, slots=True)
class MonthOverview:
    """One month on paper: what came in, what was paid, what was set aside."""

    household: Household
    first: date
    last: date
    balance_start: Money
    balance_end: Money
    incomes: tuple[Movement, ...]
    charges: tuple[Movement, ...]
    leefgeld: tuple[Movement, ...]
    reserves: tuple[Movement, ...]
    other: tuple[Movement, ...] = ()  # advances (+) and repayments (-), signed

    @property
    def totals(self) -> dict[str, Money]:
        """The sum of every kind of movement in the month."""
        return {
            "incomes": total(m.amount for m in self.incomes),
            "charges": total(m.amount for m in self.charges),
            "leefgeld": total(m.amount for m in self.leefgeld),
            "reserves": total(m.amount for m in self.reserves),
            "other": total(m.amount for m in self.other),
        }


def month_bounds(month: date) -> tuple[date, date]:
    """First and last day of the month `month` lies in."""
    first = month.replace(day=1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def _paid_charge(household: Household, entry: JournalEntry, amount: Money) -> FixedCharge | None:
    """Which charge an instruction paid: from its readable EndToEndId
    (``HH-0001-huur-20260301``), else the one charge with that amount."""
    e2e = dict(entry.meta).get("end_to_end_id", "")
    for charge in household.charges:
        if pays_charge(e2e, household.code, charge.id):
            return charge
    matches = [c for c in household.charges if c.amount == amount]
    return matches[0] if len(matches) == 1 else None


def _charge_movement(
    household: Household, entry: JournalEntry, amount: Money, executions: Executions | None
) -> Movement:
    """A fixed charge paid: "energierekening: Stroom en Gas Noord" on its execution date."""
    charge = _paid_charge(household, entry, amount)
    label = (
        "vaste last" if charge is None else f"{charge_word(charge.kind.value)}: {charge.payee_name}"
    )
    kind = "" if charge is None else charge.kind.value
    return Movement(execution_day(entry, executions), label, amount, kind, entry.day)


def month_overview(
    entries: Sequence[JournalEntry],
    household: Household,
    month: date,
    executions: Executions | None = None,
) -> MonthOverview:
    """The printable overview of one month."""
    first, last = month_bounds(month)
    code = household.code
    incomes, charges, leefgeld, reserves, other = [], [], [], [], []
    for entry in entries:
        # a payment belongs to the month it is executed in (its date is the day the
        # money reaches the payee); the buffer figures move on the night it is instructed
        if not first <= execution_day(entry, executions) <= last:
            continue
        change = _vat_change(entry, code)
        in_buffer = _buffer_total((entry,), code, entry.day)
        if entry.kind == "income" and change.is_positive:
            incomes.append(Movement(entry.day, entry.description, change))
        elif entry.kind == CHARGE_KIND:
            charges.append(_charge_movement(household, entry, -change, executions))
        elif entry.kind == "instruct_leefgeld":
            leefgeld.append(
                Movement(
                    execution_day(entry, executions), "leefgeld", -change, instructed=entry.day
                )
            )
        elif entry.kind == "reserve" and change.is_negative:
            reserves.append(Movement(entry.day, "reservering", -change))
        elif entry.kind != "income" and in_buffer:
            other.append(
                Movement(entry.day, OTHER_LABELS.get(entry.kind, entry.description), in_buffer)
            )
    return MonthOverview(
        household=household,
        first=first,
        last=last,
        balance_start=_buffer_total(entries, code, first - timedelta(days=1)),
        balance_end=_buffer_total(entries, code, last),
        incomes=tuple(incomes),
        charges=tuple(charges),
        leefgeld=tuple(leefgeld),
        reserves=tuple(reserves),
        other=tuple(other),
    )


def paid_charges(
    entries: Sequence[JournalEntry],
    household: Household,
    since: date,
    executions: Executions | None = None,
) -> list[Movement]:
    """Fixed charges instructed since `since`, newest first (of `entries`, which
    need only be the entries of kind `CHARGE_KIND`)."""
    out = []
    for entry in entries:
        if entry.kind != CHARGE_KIND or entry.day < since:
            continue
        amount = -_vat_change(entry, household.code)
        out.append(_charge_movement(household, entry, amount, executions))
    return sorted(out, key=lambda m: m.day, reverse=True)


@dataclass(frozen=True, slots=True)
class HouseholdView:
    """Everything the household pages show: status, journal, history and forecast."""

    status: StatusReport
    entries: tuple[JournalEntry, ...]  # touching the household: all, or from `since` on
    forecast: tuple[ForecastPoint, ...]
    buffer: Money  # vat plus reserves after every entry in the journal
    since: date | None = None
    kinds: tuple[str, ...] | None = None  # entries of every kind, or only of these

    @property
    def history(self) -> tuple[ForecastPoint, ...]:
        """The buffer every week over about three months up to today.

        Computed when asked (not every page shows it); the entries must reach back
        to its first day (`since` at most HISTORY_DAYS before today, or all) and
        be of every kind.
        """
        today = self.status.today
        first = today - timedelta(days=HISTORY_DAYS)
        if self.since is not None and self.since > first:
            raise ValueError(f"the entries start on {self.since}, the history on {first}")
        if self.kinds is not None:
            raise ValueError(f"only entries of kinds {self.kinds} were read")
        code = self.status.household.code
        opening = self.buffer - total(_buffer_change(entry, code) for entry in self.entries)
        return tuple(buffer_history(self.entries, code, first, today, opening=opening))


def household_view(
    uow: UnitOfWork,
    code: str,
    today: date,
    *,
    since: date | None = None,
    kinds: tuple[str, ...] | None = None,
) -> HouseholdView:
    """Status, journal (all of it, or the entries dated `since` or later; with
    `kinds` only those kinds), buffer history (about 3 months) and forecast (60 days).

    The status is the one the night stored for `today` (`read_model`); only when
    none is stored is it computed here, as `household_status` (and `hhb status`) do.
    """
    report = status_for_page(uow, code, today)
    if report is None:
        context = household_context(uow, code, since=since, kinds=kinds)
        report = status_of(context, today)
        entries = context.entries
        balances = context.balances
    else:
        entries = (
            load_journal_entries(uow, household=code, since=since, kinds=kinds)
            if kinds != ()
            else ()
        )
        # the buffer is for the history, which needs entries of every kind
        balances = household_balances(uow, code) if kinds is None else {}
    buffer = total(amount for account, amount in balances.items() if account.kind in BUFFER_KINDS)
    # the report's forecast is project(household, report.state, today, settings): reuse it
    return HouseholdView(report, entries, report.forecast, buffer, since, kinds)


# ---------------------------------------------------------------- sentences (issue 23)
# Every sentence about a status report is built here, from the report alone, so a page,
# `hhb status` and the staff pages say the same thing as the figures beside them. The web
# formats with Babel (no-break spaces), the command line with `dutch_text`: both pass
# their formatters in.

Fmt = Callable[[Money], str]
DayFmt = Callable[[date], str]

# short everyday words (issue 23.5: "energierekening", "zorgverzekering" and
# "gemeentebelasting" pulled the sentences below B1 on Flesch-Douma)
CHARGE_NL = {
    "huur": "huur",
    "energie": "energie",
    "water": "water",
    "zorgpremie": "zorgpremie",
    "stadsverwarming": "warmte",
    "gemeentelijke_belastingen": "belasting",
    "overig": "rekening",
}


def charge_word(kind: str) -> str:
    """How a household calls a charge of this kind ("huur", "gemeentebelasting");
    never the raw value with underscores."""
    return CHARGE_NL.get(kind, "rekening")


def income_word(kind: str) -> str:
    """An income kind in words ("kindgebonden budget", "WW")."""
    try:
        return IncomeKind(kind).label_nl.lower() if kind != "ww" else "WW"
    except ValueError:
        return kind.replace("_", " ")


def _listed(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " en " + parts[-1]


def set_aside_sentence(report: StatusReport, money: Fmt, day: DayFmt) -> str:
    """ "Daarvan houden wij € 1.010,10 apart voor de huur en de zorgpremie op dinsdag
    1 december." ("" when nothing is set aside or the participation ended)."""
    if report.ended or not report.set_aside:
        return ""
    by_day: dict[date, list[str]] = {}
    for s in report.set_aside:
        what = f"de rekening van {s.payee}" if s.kind == "overig" and s.payee else None
        by_day.setdefault(s.day, []).append(what or f"de {charge_word(s.kind)}")
    items = [f"{_listed(names)} op {day(when)}" for when, names in by_day.items()]
    total_aside = report.set_aside_total
    wanted = total(s.amount for s in report.set_aside)
    sentence = f"Daarvan houden wij {money(total_aside)} apart voor {_listed(items)}."
    if total_aside < wanted:
        sentence += " Dat is nog niet genoeg. Uw medewerker kijkt ernaar."
    return sentence


def free_sentence(report: StatusReport, money: Fmt) -> str:
    """ "Vrij in uw buffer: € 1.176,25." (the figure the target is compared with)."""
    if report.ended:
        return ""
    return f"Vrij in uw buffer: {money(report.buffer_free)}."


def target_sentence(report: StatusReport, money: Fmt) -> str:
    """The buffer target compared with the free buffer (never with the whole vat)."""
    if report.ended:
        return ""
    free, target = report.buffer_free, report.buffer_target
    if report.in_buildup:
        if free < target:
            return (
                f"Het doel voor uw vrije buffer is {money(target)}. "
                f"Er moet nog {money(target - free)} bij. "
                "Tot dan gaat een deel van uw geld naar de buffer."
            )
        return (
            f"Uw vrije buffer is al hoger dan het doel van {money(target)}. "
            "Maar ook na de rekeningen van de komende twee maanden moet er genoeg over zijn. "
            "Tot dan gaat er nog wat geld naar de buffer."
        )
    if free < target:
        return f"Het doel voor uw vrije buffer is {money(target)}. Nu is er minder."
    return f"Het doel voor uw vrije buffer is {money(target)}. Dat is gehaald."


# the planner's opbouwfase wording names the target; the page says it with the free
# buffer beside it (`target_sentence`), so the reason keeps only the first part
_BUILDUP = re.compile(
    r"Opbouwfase: een deel van het geld gaat naar uw buffer tot die € ?[\d.]+,\d\d is\. "
    r"Daarna wordt uw leefgeld hoger\."
)


# a release or rebuild runs for about six months from the day it was decided: by now
# the free buffer may be on the other side of the target, so it "was" so then
_STALE = {
    True: re.compile(r"\b([Uu])w buffer is (kleiner) dan nodig"),  # free >= target now
    False: re.compile(r"\b([Uu])w buffer is (groter) dan nodig"),  # free < target now
}


def why_sentence(report: StatusReport) -> str:
    """Why the next release is this amount (the planner's reason), with the opbouwfase
    target left to `target_sentence`, and a running surplus release or rebuild put in
    the past tense when the free buffer is now on the other side of the target; ""
    when there is no next release."""
    nxt = report.plan.next_release
    if nxt is None or report.ended or not nxt.reason:
        return ""
    why = _BUILDUP.sub("Opbouwfase: een deel van het geld gaat naar uw buffer.", nxt.reason)
    stale = _STALE[report.buffer_free >= report.buffer_target]
    return stale.sub(r"\1w buffer was eerder \2 dan nodig", why)


def ended_sentence(report: StatusReport, money: Fmt, day: DayFmt) -> str:
    """ "Deelname beëindigd op vrijdag 14 november 2026." and what is still being
    settled ("" while the participation runs)."""
    end = report.household.end
    if not report.ended or end is None:
        return ""
    parts = [f"Deelname beëindigd op {day(end)} {end.year}. U doet niet meer mee."]
    settling = report.settled_until is not None and report.today <= report.settled_until
    vat, advance = report.state.vat, report.state.advance_used
    if vat.is_positive:
        parts.append(f"Er staat nog {money(vat)} in uw buffer. Dat sturen wij naar u.")
    if advance.is_positive:
        parts.append(f"U moet nog {money(advance)} voorschot terugbetalen.")
    if settling and report.settled_until is not None:
        parts.append(
            "Komt er nog geld voor u binnen? Dan sturen wij het tot en met "
            f"{day(report.settled_until)} naar u door."
        )
    elif not (vat.is_positive or advance.is_positive):
        parts.append("Alles is klaar.")
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class StatusSentences:
    """Every sentence about one status report, built once from it."""

    ended: str
    set_aside: str
    free: str
    target: str
    why: str

    def all(self) -> tuple[str, ...]:
        return tuple(s for s in (self.ended, self.set_aside, self.free, self.target, self.why) if s)


def status_sentences(report: StatusReport, money: Fmt, day: DayFmt) -> StatusSentences:
    return StatusSentences(
        ended=ended_sentence(report, money, day),
        set_aside=set_aside_sentence(report, money, day),
        free=free_sentence(report, money),
        target=target_sentence(report, money),
        why=why_sentence(report),
    )
