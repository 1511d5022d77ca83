"""When things happen: charge execution dates, leefgeld release dates, expected incomes.

All pure functions of the household's rules, a date range and the business-day calendar.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from huishoudboekje.domain.business_calendar import DEFAULT_CALENDAR, BusinessCalendar
from huishoudboekje.domain.household import (
    MAX_LEARNED_BUFFER,
    WEEKDAYS,
    Cadence,
    FixedCharge,
    Household,
    IncomeStream,
    LeefgeldPolicyKind,
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
from huishoudboekje.domain.learned_income import learn, per_occurrence
from huishoudboekje.domain.money import Money

EARLY_RECEIPT_DAYS = 7  # an income may arrive this many days before its date
# Income receipts are remembered this long (was 120 days): an irregular stream's
# expected amount is learned from 12 whole months of them (`learned_income`), and a
# stopped income's signal names the day it was last received.
RECEIPT_MEMORY_DAYS = 400


@dataclass(frozen=True, slots=True)
class PlanSettings:
    """Gemeente-wide planning parameters."""

    calendar: BusinessCalendar = DEFAULT_CALENDAR
    max_days_early: int = 3  # a charge never executes more than this many days before it is due
    instruct_ahead: int = 1  # business days between instructing and executing
    protect_days: int = 35  # leefgeld keeps the charges of this many days covered
    forecast_days: int = 60
    # a household with an irregular income: its rate steps at most once per this many
    # months, unless the charges would otherwise not be paid (issue 17.4)
    irregular_step_months: int = 3
    # the most a buffer target learned from an irregular income's gaps may grow to
    max_learned_buffer: Money = MAX_LEARNED_BUFFER


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
    household: Household, first: date, last: date, settings: PlanSettings
) -> list[ChargeDue]:
    """Charge occurrences whose execution date lies in [first, last], sorted by date."""
    slack = settings.max_days_early + 14
    result = []
    for charge in household.charges:
        for due in charge.schedule.between(first, last + timedelta(days=slack)):
            if not charge.is_valid_on(due) or not household.is_active_on(due):
                continue
            execution = execution_date(due, charge.lead_days, settings)
            if first <= execution <= last:
                charge_id = charge_instruction_id(household.code, charge.id, due)
                result.append(ChargeDue(charge, due, execution, charge_id))
    result.sort(key=lambda d: (d.execution, d.charge.effective_priority, d.charge.id))
    return result


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
    return is_received_on(income, occurrence, receipt_days(tuple(receipts)).get(income.id, ()))


def is_received_on(income: IncomeStream, occurrence: date, days: tuple[date, ...]) -> bool:
    """`is_received`, given the days `income` was received on, in order
    (`receipt_days`): a bisection instead of a scan."""
    lo = occurrence - timedelta(days=EARLY_RECEIPT_DAYS)
    hi = occurrence + timedelta(days=income.window_days)
    index = bisect_left(days, lo)
    return index < len(days) and days[index] <= hi


@kept(maxsize=1024, per_household=True)  # every forecast of a night asks for the same
def receipt_days(receipts: tuple[IncomeReceipt, ...]) -> dict[str, tuple[date, ...]]:
    """The days each income was received on, in order (read only: shared by callers)."""
    days: dict[str, list[date]] = {}
    for r in receipts:
        days.setdefault(r.income_id, []).append(r.day)
    return {income_id: tuple(sorted(found)) for income_id, found in days.items()}


def income_period_days(income: IncomeStream, today: date) -> int:
    """One of the income's own periods in days (a monthly income: 31, 4-weekly: 29)."""
    per_year = income.schedule.per_year(today)
    if per_year <= 0:
        return 366
    return int((Decimal(365) / per_year).to_integral_value(rounding=ROUND_CEILING))


@dataclass(frozen=True, slots=True)
class StoppedIncome:
    """An expected income that looks stopped: nothing came in for too long."""

    income: IncomeStream
    first_missed: date  # the first expected date after the last receipt that did not come
    last_received: date | None  # None: nothing received since planning began


def stopped_income(
    income: IncomeStream, today: date, receipts: tuple[IncomeReceipt, ...], since: date
) -> StoppedIncome | None:
    """Whether `income` looks stopped on `today` (issue 17.3), and since when.

    It does once an expected date is overdue by the income's window plus one of its
    own periods (a monthly alimentatie due on the 10th: after its 5 days of window
    and one month more, about 15 days into the next month) while nothing was received
    on or after the earliest day that date could have been paid (`EARLY_RECEIPT_DAYS`
    before it). Only dates from `since` (the day planning began) count: what was due
    before was not ours to watch. An irregular stream never "stops" here: a month
    without turnover is learned as a month of 0 (`domain.learned_income`).
    Any receipt for the income ends it at once: the income is counted again.
    """
    if income.irregular:
        return None
    return _stopped(income, today, receipt_days(tuple(receipts)).get(income.id, ()), since)


@kept(maxsize=4096, per_household=True)
def _stopped(
    income: IncomeStream, today: date, days: tuple[date, ...], since: date
) -> StoppedIncome | None:
    overdue = timedelta(days=income.window_days + income_period_days(income, today))
    due = [d for d in income.schedule.between(since, today - overdue) if d >= since]
    if not due or is_received_on(income, due[-1], days):
        return None
    last = days[-1] if days else None
    if last is not None and last >= due[-1] - timedelta(days=EARLY_RECEIPT_DAYS):
        return None
    after = [d for d in due if last is None or d - timedelta(days=EARLY_RECEIPT_DAYS) > last]
    return StoppedIncome(income, after[0] if after else due[-1], last)


def stopped_incomes(
    household: Household, today: date, receipts: tuple[IncomeReceipt, ...], since: date
) -> tuple[StoppedIncome, ...]:
    """The household's incomes that look stopped on `today` (see `stopped_income`)."""
    received = receipt_days(tuple(receipts))
    result = []
    for income in household.incomes:
        if income.irregular:
            continue
        stopped = _stopped(income, today, received.get(income.id, ()), since)
        if stopped is not None:
            result.append(stopped)
    return tuple(result)


def planning_since(household: Household, planned_since: date | None, today: date) -> date:
    """The first day whose incomes the planner watches: the household's start, or the
    first night it was planned when that is later."""
    return max(household.start, planned_since or today)


def expected_amount(
    income: IncomeStream, today: date, receipts: tuple[IncomeReceipt, ...], since: date | None
) -> Money:
    """The amount expected on each date of `income`: the configured amount, or for an
    irregular stream the learned one (`learned_income`) once `since` is known."""
    if not income.irregular or since is None:
        return income.amount
    return per_occurrence(learn(income, receipts, since, today), income, today)


def expected_incomes(
    household: Household,
    first: date,
    last: date,
    receipts: tuple[IncomeReceipt, ...],
    since: date | None = None,
) -> list[tuple[date, IncomeStream, Money]]:
    """Expected incomes in [first, last] that have not been received early.

    An income that is overdue but still inside its window (`window_days`) is
    assumed to arrive on `first`: a few days late is what the buffer absorbs.
    With `since` (the day planning began), an income that looks stopped is not
    expected any more, and an irregular one at its learned amount.
    """
    result = []
    received = receipt_days(tuple(receipts))
    for income in household.incomes:
        days = received.get(income.id, ())
        if since is not None and not income.irregular and _stopped(income, first, days, since):
            continue
        amount = expected_amount(income, first, receipts, since)
        lookback = first - timedelta(days=income.window_days)
        for day in income.schedule.between(lookback, last):
            if household.is_active_on(day) and not is_received_on(income, day, days):
                result.append((max(day, first), income, amount))
    result.sort(key=lambda item: (item[0], item[1].id))
    return result
