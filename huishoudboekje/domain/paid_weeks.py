"""Which days of a leefgeld week are paid already, from the state's own record.

The planner keeps the nominal days of the releases it handled in
`HouseholdState.released`, so the week a release covers is a question about
dates. Memory stored before that field existed (and a state built by hand)
has no record: `plan()` then makes it once from the EndToEndIds it remembers
(`released_from_ids`), and until then the old reading of the ids answers.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from datetime import date

from huishoudboekje.domain.household import Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ids import release_id
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


def with_release(state: HouseholdState, nominal: date) -> HouseholdState:
    """`state` remembering that the release of `nominal` is handled (paid or passed)."""
    record = state.released  # completed from the ids once per plan (`plan()`)
    released = record if record is not None else with_released_record(state).released or ()
    if nominal in released:
        return replace(state, released=released)
    index = bisect_left(released, nominal)
    return replace(state, released=(*released[:index], nominal, *released[index:]))


def unpaid_days(household: Household, state: HouseholdState, release: Release) -> int:
    """How many days of a weekly release's week no other release has paid for (0..7).

    Normally the releases around it lie a whole week away, and all 7 days are
    unpaid. After the leefgeld day changes (Friday to Monday), the first release
    on the new day falls inside the week the last release on the old day already
    paid for: only the days after that week are still to be paid. A monthly
    release always counts as whole.
    """
    if state.released is None:  # no record yet: read it from the ids, as before
        return uncovered_days(household, release, state.instructed)
    if is_monthly(household):
        return WEEK_DAYS
    return week_unpaid(state.released, release.nominal)


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
