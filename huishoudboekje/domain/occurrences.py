"""When things happen: charge execution dates, leefgeld release dates, expected incomes.

All pure functions of the household's rules, a date range and the business-day calendar.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from huishoudboekje.domain.business_calendar import DEFAULT_CALENDAR, BusinessCalendar
from huishoudboekje.domain.charge_windows import (
    ChargeProgress,
    amount_on,
    capped,
    is_paused,
    progress_by_charge,
)
from huishoudboekje.domain.household import (
    WEEKDAYS,
    Cadence,
    FixedCharge,
    Household,
    IncomeStream,
    LeefgeldPolicyKind,
    Shortage,
)
from huishoudboekje.domain.household_state import IncomeReceipt
from huishoudboekje.domain.ids import (
    MAX_E2E_LENGTH,
    charge_instruction_id,
    readable_release_prefix,
    release_id,
)

# kept importable from here for bench/leefgeld_policies.py and older tests; new code
# imports it from domain.ids
from huishoudboekje.domain.ids import instruction_id as instruction_id
from huishoudboekje.domain.kept import kept
from huishoudboekje.domain.money import Money

EARLY_RECEIPT_DAYS = 7  # an income may arrive this many days before its date


@dataclass(frozen=True, slots=True)
class PlanSettings:
    """Gemeente-wide planning parameters."""

    calendar: BusinessCalendar = DEFAULT_CALENDAR
    max_days_early: int = 3  # a charge never executes more than this many days before it is due
    instruct_ahead: int = 1  # business days between instructing and executing
    protect_days: int = 35  # leefgeld keeps the charges of this many days covered
    forecast_days: int = 60
    shortage: Shortage = Shortage.STRICT  # the gemeente's; a household may set its own


@dataclass(frozen=True, slots=True)
class ChargeDue:
    """One occurrence of a fixed charge."""

    charge: FixedCharge
    due: date
    execution: date
    id: str


@kept(maxsize=65536)  # pure calendar arithmetic; every household's rent is due on the 1st
def execution_date(due: date, lead_days: int, settings: PlanSettings) -> date:
    """Last business day <= due - lead days, but not more than max_days_early before due.

    When no business day lies in that window (a long holiday), on time wins over
    "not too early": the last business day before the due date is used.
    """
    cal = settings.calendar
    target = cal.on_or_before(due - timedelta(days=lead_days))
    earliest = due - timedelta(days=max(settings.max_days_early, lead_days))
    if target >= earliest:
        return target
    later = cal.on_or_after(earliest)
    return later if later <= due else target


def charge_dues(
    household: Household,
    first: date,
    last: date,
    settings: PlanSettings,
    progress: tuple[ChargeProgress, ...] = (),
) -> list[ChargeDue]:
    """Charge occurrences whose execution date lies in [first, last], sorted by date.

    Paused dues are left out, a temporary amount replaces the charge's amount, and a
    charge with a total pays only what `progress` (the state's) says is left of it.
    """
    slack = settings.max_days_early + 14
    result = []
    done = progress_by_charge(progress)
    for charge in household.charges:
        dues = [
            (due, amount_on(charge.amount, charge.temporary, due))
            for due in _due_days(charge, first, last + timedelta(days=slack), done)
            if charge.is_valid_on(due)
            and household.is_active_on(due)
            and not is_paused(charge.pause, due)
        ]
        for due, amount in capped(charge.total, done.get(charge.id), dues):
            execution = execution_date(due, charge.lead_days, settings)
            if first <= execution <= last:
                charge_id = charge_instruction_id(household.code, charge.id, due)
                this = charge if amount == charge.amount else replace(charge, amount=amount)
                result.append(ChargeDue(this, due, execution, charge_id))
    result.sort(key=lambda d: (d.execution, d.charge.effective_priority, d.charge.id))
    return result


def _due_days(
    charge: FixedCharge, first: date, last: date, done: Mapping[str, ChargeProgress]
) -> list[date]:
    """The charge's due dates in [first, last]; for a charge with a total, from the
    day after its progress as well, so that what is left is shared out in order."""
    known = done.get(charge.id)
    if charge.total is not None and known is not None and known.through < first:
        start = known.through + timedelta(days=1)
        return [d for d in charge.schedule.between(start, last) if d > known.through]
    return charge.schedule.between(first, last)


@dataclass(frozen=True, slots=True)
class Release:
    """One leefgeld release: its nominal day and the business day it executes."""

    nominal: date
    execution: date
    id: str


def is_monthly(household: Household) -> bool:
    """Whether leefgeld is released once a month (else once a week)."""
    policy = household.leefgeld
    return policy.cadence is Cadence.MONTHLY or policy.policy is LeefgeldPolicyKind.MONTHLY_FIRST


def release_dates(
    household: Household, first: date, last: date, settings: PlanSettings
) -> list[Release]:
    """Leefgeld releases whose execution date lies in [first, last]."""
    cal = settings.calendar
    policy = household.leefgeld
    monthly = is_monthly(household)
    nominals: list[date] = []
    day = first - timedelta(days=7)
    if monthly:
        month = date(day.year, day.month, 1)
        while month <= last + timedelta(days=7):
            nominals.append(month)
            month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    else:
        weekday = WEEKDAYS.index(policy.weekday)
        day += timedelta(days=(weekday - day.weekday()) % 7)
        while day <= last + timedelta(days=7):
            nominals.append(day)
            day += timedelta(days=7)
    result = []
    for nominal in nominals:
        execution = cal.on_or_after(nominal) if monthly else cal.on_or_before(nominal)
        if first <= execution <= last and household.is_active_on(nominal):
            result.append(Release(nominal, execution, release_id(household.code, nominal)))
    return result


WEEK_DAYS = 7


def uncovered_days(household: Household, release: Release, instructed: frozenset[str]) -> int:
    """How many days of a weekly release's week no other release has paid for (0..7),
    read from the EndToEndIds. Only the fallback for a state without a record of
    released days (`paid_weeks.unpaid_days` answers from the record otherwise).

    Normally the releases around it lie a whole week away, and all 7 days are
    uncovered. After the leefgeld day changes (Friday to Monday), the first
    release on the new day falls inside the week the last release on the old
    day already paid for: only the days after that week are still to be paid
    (Friday 27 February pays up to Thursday 5 March, so Monday 2 March pays 3
    days: 6, 7 and 8 March); a release whose week is paid already pays nothing.
    A monthly release always counts as whole.
    """
    if is_monthly(household):
        return WEEK_DAYS
    return _uncovered(household.code, release.nominal, instructed)


@kept(
    maxsize=1024, per_household=True
)  # the planner and its forecasts ask again for the same state
def _uncovered(code: str, nominal: date, instructed: frozenset[str]) -> int:
    # The closest paid release `before` days earlier covers the first 7 - before
    # days of this week, the closest one `after` days later the last 7 - after
    # days; what lies between is uncovered (7 each when there is none).
    paid = _paid_release_days(code, instructed)
    if paid is None:  # hashed ids: ask for each day around it

        def closest(sign: int) -> int:
            for k in range(1, WEEK_DAYS):
                if release_id(code, nominal + timedelta(days=sign * k)) in instructed:
                    return k
            return WEEK_DAYS

        before, after = closest(-1), closest(+1)
    else:  # the paid days in order: the neighbours on either side
        index = bisect_left(paid, nominal)
        later = index + 1 if index < len(paid) and paid[index] == nominal else index
        before = (nominal - paid[index - 1]).days if index else WEEK_DAYS
        after = (paid[later] - nominal).days if later < len(paid) else WEEK_DAYS
    return max(0, min(before, WEEK_DAYS) + min(after, WEEK_DAYS) - WEEK_DAYS)


@kept(maxsize=256, per_household=True)
def _paid_release_days(code: str, instructed: frozenset[str]) -> tuple[date, ...] | None:
    """The nominal days of the household's instructed leefgeld releases, in order,
    read from their readable EndToEndIds (`instruction_id`); None when those are
    hashed (a long household code), and each day must be asked for by its id."""
    prefix = readable_release_prefix(code)
    if len(prefix) + 8 > MAX_E2E_LENGTH:
        return None
    days = set()
    for key in instructed:
        if len(key) == len(prefix) + 8 and key.startswith(prefix) and key[-8:].isdigit():
            try:
                days.add(date(int(key[-8:-4]), int(key[-4:-2]), int(key[-2:])))
            except ValueError:  # not a date: not a release's id
                continue
    return tuple(sorted(days))


def release_share(amount: Money, days: int) -> Money:
    """The part of a weekly `amount` for `days` days (all of it for a whole week)."""
    if days >= WEEK_DAYS:
        return amount
    return Money.round(amount.amount * days / WEEK_DAYS)


def is_received(
    income: IncomeStream, occurrence: date, receipts: tuple[IncomeReceipt, ...]
) -> bool:
    """Whether a receipt for `income` falls in the window around `occurrence`."""
    lo = occurrence - timedelta(days=EARLY_RECEIPT_DAYS)
    hi = occurrence + timedelta(days=income.window_days)
    return any(r.income_id == income.id and lo <= r.day <= hi for r in receipts)


def expected_incomes(
    household: Household,
    first: date,
    last: date,
    receipts: tuple[IncomeReceipt, ...],
) -> list[tuple[date, IncomeStream, Money]]:
    """Expected incomes in [first, last] that have not been received early.

    An income that is overdue but still inside its window (`window_days`) is
    assumed to arrive on `first`: a few days late is what the buffer absorbs.
    """
    result = []
    for income in household.incomes:
        lookback = first - timedelta(days=income.window_days)
        for day in income.schedule.between(lookback, last):
            if household.is_active_on(day) and not is_received(income, day, receipts):
                result.append((max(day, first), income, income.amount))
    result.sort(key=lambda item: (item[0], item[1].id))
    return result
