"""The team dashboard's stored figures (issue 21.1): the night folds the journal, the
page reads the folds (`adapters.persistence.report_tables`).

The live dashboard (`services.reports`) scans the whole journal three times a
view: the balances per day for the trend, every household's vat and outflow for
the buffer days, the leefgeld releases for the changes. The night stores what
those scans give, and the page reads the stored rows and adds only the entries
booked after the night (those above the stored watermark, found by the primary
key), so a stored figure is always exactly the live one:

* movements per day, scope (the pool, or a team) and account kind, as of a
  watermark. The night recomputes the days its new entries touched (a late
  booking in a closed month included) and everything when a household changed
  team (the membership fingerprint); the page adds the movements of later
  entries. A page for a team reads the pool and that team's scope.
* per household, for the night's month (measured on the night's day) and for the
  month before (measured on its last day): the vat, its outflow in the buffer
  window, the leefgeld releases and changes. The night recomputes a stored month's
  households that a later entry touched; the page recomputes live (by code) the
  few households booked after the watermark.

Both are idempotent: a night run twice stores the same rows. Without stored
figures (no night yet, another day, a team change since) the page computes live.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete, insert, select, text, update

from huishoudboekje.adapters.persistence.report_tables import (
    ReportHouseholdRow,
    ReportMovementRow,
    ReportStampRow,
)
from huishoudboekje.adapters.persistence.tables import table_of
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.services import reports_queries as q
from huishoudboekje.services.night_work import NightWork, StageResult
from huishoudboekje.services.overview import month_bounds
from huishoudboekje.services.reports_figures import OUTFLOW_DAYS

log = logging.getLogger("hhb.reports")

_MOVEMENT = table_of(ReportMovementRow)
_HOUSEHOLD = table_of(ReportHouseholdRow)
_STAMP = table_of(ReportStampRow)
MOVEMENTS = "movements"
HOUSEHOLDS = "households:"  # + the month, 2026-11
ZERO = Decimal("0.00")


def households_stamp(month: date) -> str:
    """The stamp name of the stored households of `month`."""
    return f"{HOUSEHOLDS}{month:%Y-%m}"


def membership_of(uow: UnitOfWork) -> str:
    """A fingerprint of which household is in which team (sha256)."""
    digest = hashlib.sha256()
    for code, team in q.memberships(uow):
        digest.update(f"{code}\x00{team}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class HouseholdFigures:
    """The buffer and leefgeld inputs of the households of one month, one team."""

    vats: dict[str, tuple[Decimal, Decimal]]  # as `reports_queries.vat_figures`
    leefgeld: list[tuple[str, int, int]]  # as `reports_queries.leefgeld_change_counts`


def live_household_figures(
    uow: UnitOfWork, first: date, as_of: date, team: q.Team, codes: Sequence[str] | None = None
) -> HouseholdFigures:
    """The figures straight from the journal (of `codes` only, when given)."""
    since = as_of - timedelta(days=OUTFLOW_DAYS - 1)
    return HouseholdFigures(
        vats=q.vat_figures(uow, since, as_of, team, codes),
        leefgeld=q.leefgeld_change_counts(uow, first, as_of, team, codes),
    )


# --- reading (the page) -------------------------------------------------------


def _stamp(uow: UnitOfWork, name: str) -> tuple[date, int, str] | None:
    row = uow.read(
        select(_STAMP.c.day, _STAMP.c.watermark, _STAMP.c.membership).where(_STAMP.c.name == name)
    ).first()
    return None if row is None else (row[0], int(row[1]), str(row[2]))


def _one_watermark(marks: set[int], stamp: int) -> int | None:
    """The watermark of rows read in one statement: their own (all alike), or the
    stamp's when there are none; None when a night wrote in between."""
    if not marks:
        return stamp
    return next(iter(marks)) if len(marks) == 1 else None


def stored_daily_sums(
    uow: UnitOfWork, last: date, team: q.Team
) -> list[tuple[date, str, Decimal]] | None:
    """What `reports_queries.daily_posting_sums(last, team)` gives, from the stored
    movements plus the entries booked since; None when nothing usable is stored."""
    if isinstance(team, q.GemeenteTeam):
        return None  # stored by team, not by gemeente: one gemeente's figures are live
    stamp = _stamp(uow, MOVEMENTS)
    if stamp is None or stamp[2] != membership_of(uow):
        return None  # no night yet, or a household changed team since
    scopes = q.scopes_of(team)
    statement = select(
        _MOVEMENT.c.day, _MOVEMENT.c.scope, _MOVEMENT.c.account_kind, _MOVEMENT.c.amount,
        _MOVEMENT.c.watermark,
    ).where(_MOVEMENT.c.day <= last)  # fmt: skip
    if scopes is not None:
        statement = statement.where(_MOVEMENT.c.scope.in_(scopes))
    rows = uow.read(statement).all()
    watermark = _one_watermark({int(r[4]) for r in rows}, stamp[1])
    if watermark is None:
        return None
    sums: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
    for day, _scope, kind, amount, _mark in rows:
        sums[(day, kind)] += amount
    for day, scope, kind, amount in q.scoped_daily_sums(uow, after_seq=watermark, last=last):
        if scopes is None or scope in scopes:
            sums[(day, kind)] += amount
    return [(day, kind, amount) for (day, kind), amount in sums.items()]


def stored_household_figures(
    uow: UnitOfWork, first: date, as_of: date, team: q.Team
) -> HouseholdFigures | None:
    """What `live_household_figures(first, as_of, team)` gives, from the stored rows
    of the month (when measured on `as_of`) with the households booked since
    recomputed live; None when the month is not stored for `as_of`."""
    stamp = _stamp(uow, households_stamp(first))
    if stamp is None or stamp[0] != as_of:
        return None
    statement = select(
        _HOUSEHOLD.c.household, _HOUSEHOLD.c.has_vat, _HOUSEHOLD.c.vat, _HOUSEHOLD.c.outflow,
        _HOUSEHOLD.c.releases, _HOUSEHOLD.c.changes, _HOUSEHOLD.c.watermark,
    ).where(_HOUSEHOLD.c.month == first, q.in_team(_HOUSEHOLD.c.household, team))  # fmt: skip
    rows = uow.read(statement).all()
    watermark = _one_watermark({int(r[6]) for r in rows}, stamp[1])
    if watermark is None:
        return None
    touched = q.households_booked_after(uow, watermark, as_of)  # any team's
    again = set(touched)
    vats = {r[0]: (r[2], r[3]) for r in rows if r[1] and r[0] not in again}
    leefgeld = [(r[0], int(r[4]), int(r[5])) for r in rows if r[4] and r[0] not in again]
    if touched:
        live = live_household_figures(uow, first, as_of, team, touched)
        vats.update(live.vats)
        leefgeld.extend(live.leefgeld)
    return HouseholdFigures(vats, leefgeld)


# --- writing (the night) ------------------------------------------------------


def _freeze_journal(uow: UnitOfWork) -> int:
    """The watermark: the latest entry's `seq`, with every entry up to it committed.

    PostgreSQL hands out `seq` before a transaction commits, so an entry with a
    lower `seq` can still be on its way; a SHARE lock on the journal waits for the
    transactions that are booking and keeps new ones out until this one ends.
    (SQLite has one writer at a time.)"""
    if uow.session.get_bind().dialect.name == "postgresql":
        uow.session.execute(text("LOCK TABLE journal_entry IN SHARE MODE"))
    return q.last_seq(uow)


def _movement_rows(
    sums: Sequence[tuple[date, str, str, Decimal]], watermark: int
) -> list[dict[str, object]]:
    return [
        {"day": d, "scope": s, "account_kind": k, "amount": a, "watermark": watermark}
        for d, s, k, a in sums
    ]


def store_movements(uow: UnitOfWork, watermark: int) -> int:
    """Bring the stored movements up to `watermark` (not committed); returns the
    number of days recomputed."""
    membership = membership_of(uow)
    stamp = _stamp(uow, MOVEMENTS)
    if stamp is not None and stamp[1] == watermark and stamp[2] == membership:
        return 0
    if stamp is None or stamp[2] != membership:
        uow.session.execute(delete(_MOVEMENT))
        sums = q.scoped_daily_sums(uow)
        days = len({d for d, _, _, _ in sums})
    else:
        touched = q.days_booked_after(uow, stamp[1])
        days = len(touched)
        sums = []
        for chunk in _chunks(touched):
            uow.session.execute(delete(_MOVEMENT).where(_MOVEMENT.c.day.in_(chunk)))
            sums.extend(q.scoped_daily_sums(uow, days=chunk))
        if touched:
            uow.session.execute(update(_MOVEMENT).values(watermark=watermark))
    if sums:
        uow.session.execute(insert(_MOVEMENT), _movement_rows(sums, watermark))
    _set_stamp(uow, MOVEMENTS, date.min, watermark, membership)
    return days


def _chunks(days: Sequence[date]) -> list[Sequence[date]]:
    return [days[i : i + 500] for i in range(0, len(days), 500)]


def _set_stamp(uow: UnitOfWork, name: str, day: date, watermark: int, membership: str) -> None:
    uow.session.execute(delete(_STAMP).where(_STAMP.c.name == name))
    uow.session.execute(
        insert(_STAMP),
        [{"name": name, "day": day, "watermark": watermark, "membership": membership}],
    )


def _household_rows(
    figures: HouseholdFigures, first: date, as_of: date, watermark: int
) -> list[dict[str, object]]:
    leefgeld = {code: (releases, changes) for code, releases, changes in figures.leefgeld}
    rows = []
    for code in sorted(set(figures.vats) | set(leefgeld)):
        vat, outflow = figures.vats.get(code, (ZERO, ZERO))
        releases, changes = leefgeld.get(code, (0, 0))
        rows.append(
            {
                "month": first, "household": code, "as_of": as_of,
                "has_vat": code in figures.vats, "vat": vat, "outflow": outflow,
                "releases": releases, "changes": changes, "watermark": watermark,
            }
        )  # fmt: skip
    return rows


def store_month_households(uow: UnitOfWork, first: date, as_of: date, watermark: int) -> int:
    """Bring the stored households of the month of `first`, measured on `as_of`, up to
    `watermark` (not committed): all of them when the month is not stored for
    `as_of`, else only those a later entry touched; returns how many were computed."""
    name = households_stamp(first)
    stamp = _stamp(uow, name)
    if stamp is not None and stamp[0] == as_of and stamp[1] == watermark:
        return 0
    if stamp is None or stamp[0] != as_of:
        uow.session.execute(delete(_HOUSEHOLD).where(_HOUSEHOLD.c.month == first))
        figures = live_household_figures(uow, first, as_of, None)
        codes: Sequence[str] = sorted(set(figures.vats) | {c for c, _, _ in figures.leefgeld})
    else:
        codes = q.households_booked_after(uow, stamp[1], as_of)
        figures = live_household_figures(uow, first, as_of, None, codes)
        for chunk in _chunks_of(codes):
            uow.session.execute(
                delete(_HOUSEHOLD).where(
                    _HOUSEHOLD.c.month == first, _HOUSEHOLD.c.household.in_(chunk)
                )
            )
        if codes:  # the rows read by a page must carry one watermark
            uow.session.execute(
                update(_HOUSEHOLD).where(_HOUSEHOLD.c.month == first).values(watermark=watermark)
            )
        # else the rows keep their older watermark: the entries after it that a page
        # finds are none of this month's (booked after `as_of`) until a late one comes
    rows = _household_rows(figures, first, as_of, watermark)
    if rows:
        uow.session.execute(insert(_HOUSEHOLD), rows)
    _set_stamp(uow, name, as_of, watermark, "")
    return len(codes)


def _chunks_of(codes: Sequence[str]) -> list[Sequence[str]]:
    return [codes[i : i + 500] for i in range(0, len(codes), 500)]


def _stored_months(uow: UnitOfWork) -> list[date]:
    statement = select(_STAMP.c.name).where(_STAMP.c.name.startswith(HOUSEHOLDS))
    names = uow.read(statement).scalars()
    return sorted(date.fromisoformat(name[len(HOUSEHOLDS) :] + "-01") for name in names)


@dataclass(frozen=True)
class ReportStoreResult(StageResult):
    """What the night stored for the dashboard."""

    watermark: int
    days_recomputed: int
    households_recomputed: int


def store_report_figures(uow: UnitOfWork, night: date) -> ReportStoreResult:
    """Store the dashboard's figures for `night` and commit: the movements, the
    night's month measured on `night`, the month before measured on its last day,
    and every month stored before brought up to date with late bookings."""
    watermark = _freeze_journal(uow)
    days = store_movements(uow, watermark)
    first = month_bounds(night)[0]
    previous = month_bounds(first - timedelta(days=1))
    households = store_month_households(uow, first, night, watermark)
    households += store_month_households(uow, previous[0], previous[1], watermark)
    for month in _stored_months(uow):
        if month < previous[0]:
            stamp = _stamp(uow, households_stamp(month))
            assert stamp is not None
            households += store_month_households(uow, month, stamp[0], watermark)
    uow.commit()
    log.info("report figures up to entry %s: %s days, %s households", watermark, days, households)
    return ReportStoreResult(watermark, days, households)


def store_report_night(work: NightWork) -> ReportStoreResult:
    """The night's stage: store the figures for the night's day."""
    with UnitOfWork(work.engine) as uow:
        return store_report_figures(uow, work.night)
