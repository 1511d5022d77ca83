"""Everything stored about one household that a view of it needs, read at once.

`hhb status`, the household pages and the staff's household page all start from
the same data: the household's rules, the gemeente's settings, the planner's
memory, the balances of its accounts and (part of) its journal. Read one by one
that is five round trips through the ORM; here it is one joined row (household +
gemeente + planner memory) and the journal: either the whole of it (the balances
are summed from the entries), or the balances summed by the database plus only
the entries from a given day on, so a page's cost does not grow with the years
a household takes part.

Nothing is kept between calls: every call reads the database again, so a staff
edit, a new night or new gemeente settings show on the very next view.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Text, and_, bindparam, cast, literal, true
from sqlalchemy import select as select_columns

from huishoudboekje.adapters.persistence.journal import (
    HOUSEHOLD_BALANCES,
    balances_of,
    load_journal_entries,
)
from huishoudboekje.adapters.persistence.planner_memory import (
    MEMORY_KEY,
    memory_from_json,
    with_account_balances,
)
from huishoudboekje.adapters.persistence.repository import (
    GEMEENTE_FIELDS,
    HOUSEHOLD_COLUMNS,
    gemeente_from_columns,
    household_from_row,
)
from huishoudboekje.adapters.persistence.tables import (
    EngineStateRow,
    GemeenteRow,
    HouseholdRow,
    table_of,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.household import Gemeente, Household
from huishoudboekje.domain.household_state import HouseholdState
from huishoudboekje.domain.ledger import Account, JournalEntry
from huishoudboekje.domain.money import Money

_HOUSEHOLD = table_of(HouseholdRow)
_GEMEENTE = table_of(GemeenteRow)
_STATE = table_of(EngineStateRow)
_GEMEENTE_PREFIX = "gemeente_"
_JSON_FIELDS = {"extra_closing_days", "letterhead"}

# One row per account of the household with its balance (one row with NULLs there
# before anything is booked), each with the household's columns, the gemeente's
# settings (NULL before the first `hhb config apply`) and the planner's memory (NULL
# before the first night). Built once; the household code is a bind parameter.
_BALANCES = HOUSEHOLD_BALANCES.subquery("balances")
_CONTEXT = (
    select_columns(
        *(_HOUSEHOLD.c[name] for name in HOUSEHOLD_COLUMNS),
        # the JSON columns as their text: the join repeats them on every account's
        # row, and the household is kept per stored text (see household_from_row)
        cast(_HOUSEHOLD.c.rules, Text).label("rules"),
        *(
            (cast(_GEMEENTE.c[name], Text) if name in _JSON_FIELDS else _GEMEENTE.c[name]).label(
                _GEMEENTE_PREFIX + name
            )
            for name in GEMEENTE_FIELDS
        ),
        cast(_STATE.c.value, Text).label("memory"),
        _BALANCES.c.account_kind,
        _BALANCES.c.sub,
        _BALANCES.c.total,
    )
    .select_from(
        _HOUSEHOLD.outerjoin(_GEMEENTE, _GEMEENTE.c.id == _HOUSEHOLD.c.gemeente_id)
        .outerjoin(
            _STATE,
            and_(_STATE.c.household == _HOUSEHOLD.c.code, _STATE.c.key == literal(MEMORY_KEY)),
        )
        .outerjoin(_BALANCES, true())
    )
    .where(_HOUSEHOLD.c.code == bindparam("code"))
)


@dataclass(frozen=True, slots=True)
class HouseholdContext:
    """One household as stored: rules, gemeente settings, planner state, journal."""

    household: Household
    gemeente: Gemeente | None  # None before the first `hhb config apply`
    state: HouseholdState  # the planner's memory, balances from the journal
    balances: dict[Account, Money]  # every account of the household, natural sign
    entries: tuple[JournalEntry, ...]  # touching the household, booking order ...
    since: date | None = None  # ... all of them, or only those dated `since` or later
    kinds: tuple[str, ...] | None = None  # ... of every kind, or only of these


def load_household_context(
    uow: UnitOfWork,
    code: str,
    *,
    since: date | None = None,
    kinds: tuple[str, ...] | None = None,
) -> HouseholdContext | None:
    """The household `code` with everything a view of it needs, or None when unknown.

    The balances always cover the whole journal; `entries` are all the entries
    touching the household, or with `since` only those dated `since` or later,
    and with `kinds` only entries of those kinds (none at all, unread, for `()`).
    """
    rows = uow.read(_CONTEXT, {"code": code, "household": code}).all()
    if not rows:
        return None
    row = rows[0]
    columns = row._mapping
    gemeente = None
    if columns[_GEMEENTE_PREFIX + "name"] is not None:
        values = {name: columns[_GEMEENTE_PREFIX + name] for name in GEMEENTE_FIELDS}
        for name in _JSON_FIELDS:
            values[name] = json.loads(values[name])
        gemeente = gemeente_from_columns(values)
    sums = ((r.account_kind, r.sub, r.total) for r in rows if r.account_kind is not None)
    balances = balances_of(code, sums)
    entries = (
        load_journal_entries(uow, household=code, since=since, kinds=kinds) if kinds != () else ()
    )
    memory = None if row.memory is None else json.loads(row.memory)
    state = with_account_balances(memory_from_json(code, memory), balances)
    household = household_from_row(row)
    return HouseholdContext(household, gemeente, state, balances, entries, since, kinds)
