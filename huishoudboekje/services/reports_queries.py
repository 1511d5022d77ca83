"""The SQL behind the team dashboard (`services.reports`): aggregates, never a
household loaded whole.

Every query here returns small rows (one per month, per household with an
advance, per late income, ...) that `services.reports` folds into figures.
`team` narrows a query to the households of one team (``None``: every household);
figures of the pooled account itself (the bank, suspense) have no team and are
always gemeente-wide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, func, literal, or_, select, true

from huishoudboekje.adapters.persistence.nightly_tables import (
    BankTransactionRow,
    SignalRow,
    StatementRow,
)
from huishoudboekje.adapters.persistence.tables import (
    HouseholdRow,
    JournalEntryRow,
    PostingRow,
    table_of,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.ledger import AccountKind
from huishoudboekje.domain.signals import SignalKind

_HH = table_of(HouseholdRow)
_ENTRY = table_of(JournalEntryRow)
_POSTING = table_of(PostingRow)
_SIGNAL = table_of(SignalRow)
_TX = table_of(BankTransactionRow)
_STATEMENT = table_of(StatementRow)

LEEFGELD_KIND = "instruct_leefgeld"
OUTFLOW_KINDS = ("instruct_charge", "instruct_leefgeld")  # what the vat pays out


@dataclass(frozen=True, slots=True)
class GemeenteTeam:
    """The households of one gemeente (issue 22), of one team of it when `team` is
    given: a report's scope in an installation with several gemeenten."""

    gemeente_id: int
    team: str | None = None
    accounts: tuple[str, ...] = ()  # the gemeente's pooled accounts (bank, suspense)


Team = str | GemeenteTeam | None  # None: every household


def team_name(team: Team) -> str | None:
    """The team's name as a report shows it (None: every team)."""
    return team.team if isinstance(team, GemeenteTeam) else team


def in_team(code: Any, team: Team) -> ColumnElement[bool]:
    """`code` (a household code column) belongs to a household of `team`."""
    if team is None:
        return true()
    if isinstance(team, GemeenteTeam):
        where = _HH.c.gemeente_id == team.gemeente_id
        if team.team is not None:
            where = and_(where, _HH.c.team == team.team)
        within: ColumnElement[bool] = code.in_(select(_HH.c.code).where(where))
        return within
    member: ColumnElement[bool] = code.in_(select(_HH.c.code).where(_HH.c.team == team))
    return member


def _month_of(day: Any) -> tuple[Any, Any]:
    return extract("year", day), extract("month", day)


def household_dates(uow: UnitOfWork, team: Team) -> list[tuple[date, date | None]]:
    """(start, end) of every household in scope: two dates a row, no rules."""
    statement = select(_HH.c.start_date, _HH.c.end_date).where(in_team(_HH.c.code, team))
    return [(row[0], row[1]) for row in uow.read(statement)]


def daily_posting_sums(uow: UnitOfWork, last: date, team: Team) -> list[tuple[date, str, Decimal]]:
    """(day, account kind, sum of postings) of every booking day up to `last`;
    household accounts only for `team` when given, the pool's own accounts always.
    Grouped by the plain day column (cheaper than a month computed per row); the
    months and running balances are folded from these few rows."""
    scoped = or_(_POSTING.c.household == "", in_team(_POSTING.c.household, team))
    if isinstance(team, GemeenteTeam):
        # the pool's own accounts (bank, suspense) carry no gemeente: one gemeente's
        # report has its households' accounts only (issue 22)
        scoped = in_team(_POSTING.c.household, team)
    statement = (
        select(_ENTRY.c.day, _POSTING.c.account_kind, func.sum(_POSTING.c.amount))
        .select_from(_POSTING.join(_ENTRY, _ENTRY.c.seq == _POSTING.c.entry_seq))
        .where(_ENTRY.c.day <= last, scoped)
        .group_by(_ENTRY.c.day, _POSTING.c.account_kind)
    )
    return [(r[0], str(r[1]), r[2]) for r in uow.read(statement)]


def signal_months(
    uow: UnitOfWork, day_column: str, team: Team, kinds: tuple[SignalKind, ...] = ()
) -> list[tuple[int, int, int]]:
    """(year, month, count) of signals by the month of `first_seen` or `closed_on`."""
    day = _SIGNAL.c[day_column]
    year, month = _month_of(day)
    where = [day.is_not(None), _scoped_signals(team)]
    if kinds:
        where.append(_SIGNAL.c.kind.in_([k.value for k in kinds]))
    statement = select(year, month, func.count()).where(*where).group_by(year, month)
    return [(int(r[0]), int(r[1]), int(r[2])) for r in uow.read(statement)]


def _scoped_signals(team: Team) -> ColumnElement[bool]:
    """Signals of the team's households; the gemeente's own ("") only without a team."""
    if team is None:
        return true()
    return and_(_SIGNAL.c.household != "", in_team(_SIGNAL.c.household, team))


def closing_times(uow: UnitOfWork, first: date, last: date, team: Team) -> list[int]:
    """Days from first seen to closed, of every signal closed between `first` and `last`."""
    statement = select(_SIGNAL.c.first_seen, _SIGNAL.c.closed_on).where(
        _SIGNAL.c.closed_on.between(first, last), _scoped_signals(team)
    )
    return [(closed - seen).days for seen, closed in uow.read(statement)]


def late_income_signals(
    uow: UnitOfWork, first: date, last: date, team: Team
) -> list[tuple[str, str, date | None]]:
    """(household, key, closed_on) of the "inkomen te laat" signals first seen in the month."""
    statement = select(_SIGNAL.c.household, _SIGNAL.c.key, _SIGNAL.c.closed_on).where(
        _SIGNAL.c.kind == SignalKind.INCOME_LATE.value,
        _SIGNAL.c.first_seen.between(first, last),
        _scoped_signals(team),
    )
    return [(r[0], r[1], r[2]) for r in uow.read(statement)]


def income_payers(uow: UnitOfWork, codes: set[str]) -> dict[tuple[str, str], str]:
    """(household, income id) → payer name, for the few households given."""
    payers: dict[tuple[str, str], str] = {}
    if not codes:
        return payers
    statement = select(_HH.c.code, _HH.c.rules).where(_HH.c.code.in_(sorted(codes)))
    for code, rules in uow.read(statement):
        for income in rules.get("incomes", ()):
            payers[(code, str(income.get("id", "")))] = str(
                income.get("payer_name") or income.get("id", "")
            )
    return payers


def advance_postings(uow: UnitOfWork, last: date, team: Team) -> list[tuple[str, date, Decimal]]:
    """(household, day, amount) of every advance posting up to `last`, in booking order.

    Only households that ever had an advance have such postings."""
    statement = (
        select(_POSTING.c.household, _ENTRY.c.day, _POSTING.c.amount)
        .select_from(_POSTING.join(_ENTRY, _ENTRY.c.seq == _POSTING.c.entry_seq))
        .where(
            _POSTING.c.account_kind == AccountKind.ADVANCE.value,
            _ENTRY.c.day <= last,
            in_team(_POSTING.c.household, team),
        )
        .order_by(_POSTING.c.household, _ENTRY.c.day, _ENTRY.c.seq)
    )
    return [(r[0], r[1], r[2]) for r in uow.read(statement)]


def _of_codes(code: Any, codes: Sequence[str] | None) -> ColumnElement[bool]:
    """`code` is one of `codes` (None: any)."""
    if codes is None:
        return true()
    member: ColumnElement[bool] = code.in_(list(codes))
    return member


def vat_figures(
    uow: UnitOfWork,
    since: date,
    last: date,
    team: Team,
    codes: Sequence[str] | None = None,
) -> dict[str, tuple[Decimal, Decimal]]:
    """Per household: its vat at the end of `last` (natural sign, credit: +) and what
    the vat paid out (fixed charges and leefgeld) from `since` through `last`; one scan
    (of the households `codes` only, when given)."""
    outflow = case(
        (and_(_ENTRY.c.kind.in_(OUTFLOW_KINDS), _ENTRY.c.day >= since), _POSTING.c.amount),
        else_=None,
    )
    statement = (
        select(_POSTING.c.household, func.sum(_POSTING.c.amount), func.sum(outflow))
        .select_from(_POSTING.join(_ENTRY, _ENTRY.c.seq == _POSTING.c.entry_seq))
        .where(
            _POSTING.c.account_kind == AccountKind.VAT.value,
            _ENTRY.c.day <= last,
            in_team(_POSTING.c.household, team),
            _of_codes(_POSTING.c.household, codes),
        )
        .group_by(_POSTING.c.household)
    )
    zero = Decimal("0.00")
    return {r[0]: (-r[1], zero if r[2] is None else r[2]) for r in uow.read(statement)}


def buffer_targets(uow: UnitOfWork, last: date, team: Team) -> dict[str, str | None]:
    """The buffer target (as written in the rules, or None for the default) of every
    household active on `last`: one short JSON path per household, not its rules."""
    target = _HH.c.rules[("buffer", "target")].as_string()
    statement = select(_HH.c.code, target).where(
        _HH.c.start_date <= last,
        or_(_HH.c.end_date.is_(None), _HH.c.end_date >= last),
        in_team(_HH.c.code, team),
    )
    return {r[0]: r[1] for r in uow.read(statement)}


LEEFGELD_LOOKBACK_DAYS = 40  # reaches the release before the month, weekly or monthly


def leefgeld_change_counts(
    uow: UnitOfWork,
    first: date,
    last: date,
    team: Team,
    codes: Sequence[str] | None = None,
) -> list[tuple[str, int, int]]:
    """Per household paid leefgeld from `first` through `last`: (household, releases in
    the month, releases of another amount than the one before). The release before
    the month counts as "the one before" of the month's first (a window function,
    LAG, over the releases of the last `LEEFGELD_LOOKBACK_DAYS` days and the month)."""
    since = first - timedelta(days=LEEFGELD_LOOKBACK_DAYS)
    previous = func.lag(_POSTING.c.amount).over(
        partition_by=_POSTING.c.household, order_by=(_ENTRY.c.day, _ENTRY.c.seq)
    )
    releases = (
        select(
            _POSTING.c.household.label("household"),
            _POSTING.c.amount.label("amount"),
            previous.label("previous"),
            _ENTRY.c.day.label("day"),
        )
        .select_from(_POSTING.join(_ENTRY, _ENTRY.c.seq == _POSTING.c.entry_seq))
        .where(
            _ENTRY.c.kind == LEEFGELD_KIND,
            _POSTING.c.account_kind == AccountKind.VAT.value,
            _ENTRY.c.reversal_of.is_(None),
            _ENTRY.c.day.between(since, last),
            in_team(_POSTING.c.household, team),
            _of_codes(_POSTING.c.household, codes),
        )
        .subquery()
    )
    in_month = releases.c.day >= first
    changed = and_(
        in_month, releases.c.previous.is_not(None), releases.c.previous != releases.c.amount
    )
    statement = (
        select(
            releases.c.household,
            func.sum(case((in_month, 1), else_=0)),
            func.sum(case((changed, 1), else_=0)),
        )
        .group_by(releases.c.household)
        .having(func.sum(case((in_month, 1), else_=0)) > 0)
    )
    return [(r[0], int(r[1]), int(r[2])) for r in uow.read(statement)]


def _on_accounts(column: Any, team: Team) -> ColumnElement[bool]:
    """Rows of a gemeente's own pooled accounts when `team` is one gemeente's."""
    if not isinstance(team, GemeenteTeam):
        return true()
    found: ColumnElement[bool] = column.in_(list(team.accounts))
    return found


def suspense_items(uow: UnitOfWork, last: date, team: Team = None) -> list[tuple[date, Decimal]]:
    """(booking date, amount) of every unknown credit still waiting, booked by `last`
    (on the gemeente's own accounts, for one gemeente's scope)."""
    statement = select(_TX.c.booking_date, _TX.c.amount).where(
        _TX.c.status == "unmatched",
        _TX.c.booking_date <= last,
        _on_accounts(_TX.c.account_iban, team),
    )
    return [(r[0], r[1]) for r in uow.read(statement)]


def bank_closing(uow: UnitOfWork, last: date, team: Team = None) -> tuple[date, Decimal] | None:
    """The closing balance of the latest statement ending on or before `last` (of the
    gemeente's own accounts, for one gemeente's scope)."""
    statement = (
        select(_STATEMENT.c.period_end, _STATEMENT.c.closing)
        .where(
            _STATEMENT.c.period_end <= last,
            _STATEMENT.c.closing.is_not(None),
            _on_accounts(_STATEMENT.c.account_iban, team),
        )
        .order_by(_STATEMENT.c.period_end.desc(), _STATEMENT.c.id.desc())
        .limit(1)
    )
    row = uow.read(statement).first()
    return None if row is None else (row[0], row[1])


POOL_SCOPE = "pool"  # postings without a household: the pooled account's own accounts
ORPHAN_SCOPE = "orphan"  # postings of a code that is no household (yet)
TEAM_SCOPE = "team:"


def team_scope(team: str) -> str:
    """The stored scope of the households of `team`."""
    return TEAM_SCOPE + team


def scopes_of(team: str | None) -> list[str] | None:
    """The stored scopes `daily_posting_sums(team)` covers (None: every scope)."""
    return None if team is None else [POOL_SCOPE, team_scope(team)]


def scoped_daily_sums(
    uow: UnitOfWork,
    *,
    days: Sequence[date] | None = None,
    after_seq: int | None = None,
    last: date | None = None,
) -> list[tuple[date, str, str, Decimal]]:
    """(day, scope, account kind, sum) of the postings of `days` (every day: None), of
    the entries after `after_seq` when given, up to `last` when given: what the
    night stores in `report_movement`, by the households' teams of now."""
    scope = case(
        (_POSTING.c.household == "", literal(POOL_SCOPE)),
        (_HH.c.code.is_(None), literal(ORPHAN_SCOPE)),
        else_=literal(TEAM_SCOPE) + _HH.c.team,
    )
    where: list[ColumnElement[bool]] = []
    if days is not None:
        where.append(_ENTRY.c.day.in_(list(days)))
    if after_seq is not None:
        where.append(_POSTING.c.entry_seq > after_seq)  # the index on entry_seq
    if last is not None:
        where.append(_ENTRY.c.day <= last)
    statement = (
        select(_ENTRY.c.day, scope, _POSTING.c.account_kind, func.sum(_POSTING.c.amount))
        .select_from(
            _POSTING.join(_ENTRY, _ENTRY.c.seq == _POSTING.c.entry_seq).outerjoin(
                _HH, _HH.c.code == _POSTING.c.household
            )
        )
        .where(*where)
        .group_by(_ENTRY.c.day, scope, _POSTING.c.account_kind)
    )
    return [(r[0], str(r[1]), str(r[2]), r[3]) for r in uow.read(statement)]


def days_booked_after(uow: UnitOfWork, seq: int) -> list[date]:
    """The booking days of the entries after `seq` (the days a late booking touched)."""
    statement = select(_ENTRY.c.day).where(_ENTRY.c.seq > seq).distinct()
    return sorted(r[0] for r in uow.read(statement))


def households_booked_after(uow: UnitOfWork, seq: int, last: date) -> list[str]:
    """The households with a posting in an entry after `seq` booked on or before `last`
    (of any team: a team filter here would make SQLite walk the team's postings)."""
    statement = (
        select(_POSTING.c.household)
        .select_from(_POSTING.join(_ENTRY, _ENTRY.c.seq == _POSTING.c.entry_seq))
        .where(
            _POSTING.c.entry_seq > seq,  # a range of the index on entry_seq: few rows
            _ENTRY.c.day <= last,
            _POSTING.c.household != "",
        )
    )  # no DISTINCT: SQLite would walk the index on household for it, every posting
    return sorted({r[0] for r in uow.read(statement)})


def last_seq(uow: UnitOfWork) -> int:
    """The `seq` of the latest journal entry (0: none)."""
    return int(uow.read(select(func.coalesce(func.max(_ENTRY.c.seq), 0))).scalar_one())


def memberships(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(code, team) of every household, in code order."""
    statement = select(_HH.c.code, _HH.c.team).order_by(_HH.c.code)
    return [(r[0], r[1]) for r in uow.read(statement)]
