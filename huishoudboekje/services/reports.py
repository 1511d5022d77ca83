"""The team dashboard (issue 21.1): what a teamleider sees per month, and its trend.

`team_report(uow, month, today, team)` computes every figure with SQL aggregates
(`services.reports_queries`); no household is loaded whole and none is planned.
The same `TeamReport` feeds the page (`web/staff/reports.py`), its CSV download
and `hhb report --month 2026-11 --json`, so the three never disagree.

Buffer days are measured from the journal: the vat at the end of the month
divided by what the vat paid out (fixed charges and leefgeld) per day over the
last `OUTFLOW_DAYS` days. (The read model's buffer days are the planner's: the vat
against the coming year's charges, for today only; a different figure.)

The three scans of the journal (balances per day, vat and outflow per household,
leefgeld releases) are read from what the night stored (`services.reports_store`)
plus the entries booked since; `live=True`, or nothing stored for the month and
day, computes them from the journal. Both give the same figures. Docs:
docs/reports.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import find_user
from huishoudboekje.domain.household import DEFAULT_BUFFER_TARGET
from huishoudboekje.domain.ledger import DEBIT_NORMAL, AccountKind
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.signals import SignalKind
from huishoudboekje.services import reports_queries as q
from huishoudboekje.services.database import on_engine
from huishoudboekje.services.overview import month_bounds
from huishoudboekje.services.reports_figures import (
    Ageing,
    ageing,
    buffer_days,
    lowest_tenth,
    median_days,
    outstanding_advances,
)
from huishoudboekje.services.reports_store import (
    HouseholdFigures,
    live_household_figures,
    stored_daily_sums,
    stored_household_figures,
)

TREND_MONTHS = 12
AGE_BUCKETS = ((0, 30, "0-30"), (31, 90, "31-90"), (91, None, "90+"))
SUSPENSE_BUCKETS = ((0, 2, "0-2"), (3, 9, "3-9"), (10, None, "10+"))  # info / let op / urgent


@dataclass(frozen=True, slots=True)
class MonthTrend:
    """The figures that make the trend lines: one month, at its end."""

    month: date  # the first day
    active: int
    starting: int
    ending: int
    in_pool: Money  # the households' vats and reserves
    advances: Money
    suspense: Money
    signals_opened: int
    signals_closed: int
    held_back: int  # "betaling achtergehouden" signals first seen in the month
    late_incomes: int  # "inkomen te laat" signals first seen in the month


@dataclass(frozen=True, slots=True)
class LatePayer:
    payer: str
    count: int
    median_days_late: int


@dataclass(frozen=True, slots=True)
class TeamReport:
    """Everything the dashboard shows for `month`, measured on `as_of`."""

    month: date
    as_of: date  # the month's last day, or today while the month runs
    team: str | None  # None: every household
    trend: tuple[MonthTrend, ...]  # oldest first, the report month last
    ledger_bank: Money  # gemeente-wide: the ledger's bank account on `as_of`
    bank_closing: Money | None  # the latest statement's closing balance by `as_of`
    bank_closing_day: date | None
    advances: Ageing
    buffers_measured: int
    buffers_below_target: int
    buffer_days_median: int | None
    buffer_days_p10: int | None  # the buffer days that a tenth of households are at or below
    late_payers: tuple[LatePayer, ...]
    suspense: Ageing
    median_days_to_close: int | None
    leefgeld_households: int  # households paid leefgeld in the month
    leefgeld_changed: int  # of those, how many saw the amount change
    leefgeld_changes: int  # amount changes in all

    @property
    def current(self) -> MonthTrend:
        return self.trend[-1]

    @property
    def bank_difference(self) -> Money | None:
        return None if self.bank_closing is None else self.bank_closing - self.ledger_bank


def _months(last: date, count: int) -> list[date]:
    months = [last]
    while len(months) < count:
        previous = months[-1] - timedelta(days=1)
        months.append(previous.replace(day=1))
    return months[::-1]


def _counts(rows: Iterable[tuple[int, int, int]]) -> dict[tuple[int, int], int]:
    return {(year, month): count for year, month, count in rows}


def _pool_balances(
    rows: Sequence[tuple[date, str, Decimal]], ends: Sequence[date]
) -> dict[date, dict[str, Money]]:
    """Natural-sign balance of each account kind at the end of each day in `ends`."""
    out: dict[date, dict[str, Money]] = {}
    for end in ends:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for day, kind, amount in rows:
            if day <= end:
                sums[kind] += amount
        out[end] = {
            kind.value: Money(sums[kind.value] if kind in DEBIT_NORMAL else -sums[kind.value])
            for kind in AccountKind
        }
    return out


def _trend(
    uow: UnitOfWork,
    months: Sequence[date],
    sums: Sequence[tuple[date, str, Decimal]],
    team: q.Team,
) -> tuple[MonthTrend, ...]:
    dates = q.household_dates(uow, team)
    balances = _pool_balances(sums, [month_bounds(month)[1] for month in months])
    opened = _counts(q.signal_months(uow, "first_seen", team))
    closed = _counts(q.signal_months(uow, "closed_on", team))
    held = _counts(q.signal_months(uow, "first_seen", team, (SignalKind.PAYMENT_HELD_BACK,)))
    late = _counts(q.signal_months(uow, "first_seen", team, (SignalKind.INCOME_LATE,)))
    trend = []
    for month in months:
        first, end = month_bounds(month)
        key = (month.year, month.month)
        pool = balances[end]
        trend.append(
            MonthTrend(
                month=month,
                active=sum(1 for s, e in dates if s <= end and (e is None or e >= first)),
                starting=sum(1 for s, _ in dates if first <= s <= end),
                ending=sum(1 for _, e in dates if e is not None and first <= e <= end),
                in_pool=pool[AccountKind.VAT.value] + pool[AccountKind.RESERVE.value],
                advances=pool[AccountKind.ADVANCE.value],
                suspense=pool[AccountKind.SUSPENSE.value],
                signals_opened=opened.get(key, 0),
                signals_closed=closed.get(key, 0),
                held_back=held.get(key, 0),
                late_incomes=late.get(key, 0),
            )
        )
    while len(trend) > 1 and trend[0].active == 0 and not trend[0].in_pool:
        trend.pop(0)  # months before the first household say nothing
    return tuple(trend)


def _buffers(
    uow: UnitOfWork, as_of: date, team: q.Team, vats: dict[str, tuple[Decimal, Decimal]]
) -> tuple[int, int, int | None, int | None]:
    targets = q.buffer_targets(uow, as_of, team)
    below = 0
    days: list[int] = []
    nothing = (Decimal(0), Decimal(0))
    for code, target in targets.items():
        vat, outflow = vats.get(code, nothing)
        if vat < (Decimal(target) if target else DEFAULT_BUFFER_TARGET.amount):
            below += 1
        measured = buffer_days(vat, outflow)
        if measured is not None:
            days.append(measured)
    return len(targets), below, median_days(days), lowest_tenth(days)


def _late_payers(uow: UnitOfWork, first: date, as_of: date, team: q.Team) -> tuple[LatePayer, ...]:
    """Per payer: late incomes first seen in the month and the median days late (until
    the income came in, or until `as_of` while it is still away)."""
    signals = q.late_income_signals(uow, first, as_of, team)
    payers = q.income_payers(uow, {household for household, _, _ in signals})
    late: dict[str, list[int]] = defaultdict(list)
    for household, key, closed in signals:
        parts = key.rsplit(":", 2)
        try:
            income_id, due = parts[-2], date.fromisoformat(parts[-1])
        except (IndexError, ValueError):
            continue  # not an "inkomen te laat" key as the planner writes it
        payer = payers.get((household, income_id), income_id)
        until = min(closed, as_of) if closed else as_of
        late[payer].append((until - due).days)
    rows = [LatePayer(p, len(d), median_days(d) or 0) for p, d in late.items()]
    return tuple(sorted(rows, key=lambda r: (-r.count, -r.median_days_late, r.payer)))


def team_report(
    uow: UnitOfWork, month: date, today: date, team: q.Team = None, *, live: bool = False
) -> TeamReport:
    """The dashboard for `month` (any day in it), as far as `today` reaches; from the
    night's stored figures where they are, from the journal with `live`."""
    first, last = month_bounds(month)
    if first > today:
        raise ValueError(f"maand {first:%Y-%m} ligt nog in de toekomst")
    as_of = min(last, today)
    stored = None if live else stored_daily_sums(uow, last, team)
    # the pool's own accounts always in
    sums = q.daily_posting_sums(uow, last, team) if stored is None else stored
    figures: HouseholdFigures | None = (
        None if live else stored_household_figures(uow, first, as_of, team)
    )
    if figures is None:
        figures = live_household_figures(uow, first, as_of, team)
    trend = _trend(uow, _months(first, TREND_MONTHS), sums, team)
    # one gemeente's report (issue 22): the ledger's bank account is the installation's,
    # so no bank balance is set against it (the regional report has it)
    closing = None if isinstance(team, q.GemeenteTeam) else q.bank_closing(uow, as_of, team)
    ledger_bank = _pool_balances(sums, [as_of])[as_of]
    measured, below, median, p10 = _buffers(uow, as_of, team, figures.vats)
    suspense = [((as_of - d).days, Money(a)) for d, a in q.suspense_items(uow, as_of, team)]
    counts = figures.leefgeld
    return TeamReport(
        month=first,
        as_of=as_of,
        team=q.team_name(team),
        trend=trend,
        ledger_bank=ledger_bank[AccountKind.BANK.value],
        bank_closing=None if closing is None else Money(closing[1]),
        bank_closing_day=None if closing is None else closing[0],
        advances=ageing(
            outstanding_advances(q.advance_postings(uow, as_of, team), as_of), AGE_BUCKETS
        ),
        buffers_measured=measured,
        buffers_below_target=below,
        buffer_days_median=median,
        buffer_days_p10=p10,
        late_payers=_late_payers(uow, first, as_of, team),
        suspense=ageing(suspense, SUSPENSE_BUCKETS),
        median_days_to_close=median_days(q.closing_times(uow, first, as_of, team)),
        leefgeld_households=len(counts),
        leefgeld_changed=sum(1 for _, _, changes in counts if changes),
        leefgeld_changes=sum(changes for _, _, changes in counts),
    )


def staff_team(uow: UnitOfWork, username: str) -> str:
    """The team a staff member works in ("" for none: they see the households that
    are in no team)."""
    user = find_user(uow, username)
    return "" if user is None else user.team


# the doors for entry points that hold an engine (the web, `hhb report`)
team_report_of = on_engine(team_report)
staff_team_of = on_engine(staff_team)
