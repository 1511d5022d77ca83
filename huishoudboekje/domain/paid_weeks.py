"""Which days of a leefgeld week or month are paid already, from the state's own record.

Every release pays for a period: a weekly one the 7 days from its nominal day, a
monthly one its calendar month. The planner keeps the last day paid for so far
(`LeefgeldState.paid_through`): a release pays only the days of its period after
that day, so a change of leefgeld day or of cadence (weekly to monthly and back)
pays each day once. A release whose period is paid already pays nothing.

The planner keeps the nominal days of the releases it handled in
`HouseholdState.released`, so the week a release covers is a question about
dates. Memory stored before that field existed (and a state built by hand)
has no record: `plan()` then makes it once from the EndToEndIds it remembers
(`released_from_ids`), and until then the old reading of the ids answers.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import date, timedelta

from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ids import release_id
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.occurrences import (
    WEEK_DAYS,
    Release,
    is_monthly,
    uncovered_days,
)

_DAY_DIGITS = 8  # every EndToEndId ends in its day as YYYYMMDD


def released_from_ids(code: str, instructed: frozenset[str]) -> tuple[date, ...]:
    """The nominal days of household `code`'s releases among `instructed`, in order.

    Each id ends in its day, so a key is a release's id exactly when rebuilding
    the release id for that day gives the key back (hashed ids included).
    """
    days = set()
    for key in instructed:
        digits = key[-_DAY_DIGITS:]
        if not digits.isdigit():
            continue
        try:
            day = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:  # not a date: not a release's id
            continue
        if release_id(code, day) == key:
            days.add(day)
    return tuple(sorted(days))


def with_released_record(state: HouseholdState) -> HouseholdState:
    """`state` with its record of released days: made from its ids when it has none,
    and completed from them when it has one.

    The ids stay the source of truth: a build without the record (an older version
    run after a roll-back) adds release ids but no days, and the record must not
    then claim a week is unpaid that an id says was paid.
    """
    from_ids = released_from_ids(state.code, state.instructed)
    if state.released is None:
        return replace(state, released=from_ids)
    if set(from_ids).issubset(state.released):
        return state
    return replace(state, released=tuple(sorted({*state.released, *from_ids})))


def period_end(household: Household, nominal: date) -> date:
    """The last day the release of `nominal` pays for: 6 days on, or the month's end."""
    if is_monthly(household):
        following = date(nominal.year + (nominal.month == 12), nominal.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return nominal + timedelta(days=WEEK_DAYS - 1)


def with_release(
    state: HouseholdState, nominal: date, household: Household | None = None
) -> HouseholdState:
    """`state` remembering that the release of `nominal` is handled (paid or passed),
    and, given the `household` it was released for, that its period is paid."""
    if household is not None:
        end = period_end(household, nominal)
        lg = state.leefgeld
        if lg.paid_through is None or end > lg.paid_through:
            state = replace(state, leefgeld=replace(lg, paid_through=end))
    record = state.released  # completed from the ids once per plan (`plan()`)
    released = record if record is not None else with_released_record(state).released or ()
    if nominal in released:
        return replace(state, released=released)
    index = bisect_left(released, nominal)
    return replace(state, released=(*released[:index], nominal, *released[index:]))


@dataclass(frozen=True, slots=True)
class Portion:
    """The days of a release's period still to be paid (`days`) out of all (`of`)."""

    days: int
    of: int

    @property
    def whole(self) -> bool:
        return self.days >= self.of

    def of_rate(self, rate: Money) -> Money:
        """The part of a rate per period that pays these days (all of it when whole)."""
        if self.whole:
            return rate
        return Money.round(rate.amount * self.days / self.of)


def unpaid_portion(household: Household, state: HouseholdState, release: Release) -> Portion:
    """The days of the release's week or month that no release before it paid for.

    Normally the release before it paid up to the day before its nominal day, and
    the whole period is unpaid. After the leefgeld day changes (Friday to Monday)
    or the cadence (weekly to monthly, monthly to weekly), the first release under
    the new rules falls inside a period paid already: only the days after it are
    still to be paid.
    """
    end = period_end(household, release.nominal)
    of = (end - release.nominal).days + 1
    paid_through = state.leefgeld.paid_through
    if paid_through is None:  # older memory: from the record of release days, as before
        return Portion(_unpaid_without_paid_through(household, state, release), of)
    first = max(release.nominal, paid_through + timedelta(days=1))
    return Portion(max(0, (end - first).days + 1), of)


def _unpaid_without_paid_through(
    household: Household, state: HouseholdState, release: Release
) -> int:
    if is_monthly(household):
        return (period_end(household, release.nominal) - release.nominal).days + 1
    if state.released is None:  # no record yet: read it from the ids, as before
        return uncovered_days(household, release, state.instructed)
    return week_unpaid(state.released, release.nominal)


def unpaid_days(household: Household, state: HouseholdState, release: Release) -> int:
    """How many days of the release's period are still to be paid (`unpaid_portion`)."""
    return unpaid_portion(household, state, release).days


def week_unpaid(released: tuple[date, ...], nominal: date) -> int:
    """The days of the week from `nominal` that the closest releases on either side
    (`released`, in order) do not cover."""
    # The closest release `before` days earlier covers the first 7 - before days of
    # this week, the closest one `after` days later the last 7 - after days; what
    # lies between is unpaid (7 each when there is none).
    index = bisect_left(released, nominal)
    later = index + 1 if index < len(released) and released[index] == nominal else index
    before = (nominal - released[index - 1]).days if index else WEEK_DAYS
    after = (released[later] - nominal).days if later < len(released) else WEEK_DAYS
    return max(0, min(before, WEEK_DAYS) + min(after, WEEK_DAYS) - WEEK_DAYS)
