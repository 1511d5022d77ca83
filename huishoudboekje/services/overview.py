"""What the web shows about a household's money over time, built from the journal.

Pure helpers (`buffer_history`, `month_overview`, `paid_charges`) take journal
entries; `household_view` reads through the unit of work, like
`services.household_status`, and adds the forecast. The caseload (every household
with its signals) is `services.caseload`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from huishoudboekje.adapters.persistence.journal import household_balances, load_journal_entries
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain import ledger
from huishoudboekje.domain.forecast import ForecastPoint
from huishoudboekje.domain.household import Household
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
    day: date
    label: str
    amount: Money


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


def _charge_label(household: Household, entry: JournalEntry, amount: Money) -> str:
    """Which charge an instruction paid: from its readable EndToEndId
    (``HH-0001-huur-20260301``), else the one charge with that amount."""
    e2e = dict(entry.meta).get("end_to_end_id", "")
    for charge in household.charges:
        if pays_charge(e2e, household.code, charge.id):
            return f"{charge.kind.value}: {charge.payee_name}"
    matches = [c for c in household.charges if c.amount == amount]
    if len(matches) == 1:
        return f"{matches[0].kind.value}: {matches[0].payee_name}"
    return "vaste last"


def month_overview(
    entries: Sequence[JournalEntry], household: Household, month: date
) -> MonthOverview:
    """The printable overview of one month."""
    first, last = month_bounds(month)
    code = household.code
    incomes, charges, leefgeld, reserves, other = [], [], [], [], []
    for entry in entries:
        if not first <= entry.day <= last:
            continue
        change = _vat_change(entry, code)
        in_buffer = _buffer_total((entry,), code, entry.day)
        if entry.kind == "income" and change.is_positive:
            incomes.append(Movement(entry.day, entry.description, change))
        elif entry.kind == CHARGE_KIND:
            charges.append(Movement(entry.day, _charge_label(household, entry, -change), -change))
        elif entry.kind == "instruct_leefgeld":
            leefgeld.append(Movement(entry.day, "leefgeld", -change))
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
    entries: Sequence[JournalEntry], household: Household, since: date
) -> list[Movement]:
    """Fixed charges instructed since `since`, newest first (of `entries`, which
    need only be the entries of kind `CHARGE_KIND`)."""
    out = []
    for entry in entries:
        if entry.kind != CHARGE_KIND or entry.day < since:
            continue
        amount = -_vat_change(entry, household.code)
        out.append(Movement(entry.day, _charge_label(household, entry, amount), amount))
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
