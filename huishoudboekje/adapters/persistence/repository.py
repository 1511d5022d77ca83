"""Load and save the gemeente and its households (domain records ↔ rows)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Text, cast
from sqlalchemy import select as select_columns
from sqlmodel import col, select

from huishoudboekje.adapters.config import (
    gemeente_from_data,
    gemeente_to_data,
    household_from_data,
    household_to_data,
    jsonable,
)
from huishoudboekje.adapters.persistence.consent_repo import newest_consents
from huishoudboekje.adapters.persistence.crud import upsert
from huishoudboekje.adapters.persistence.status_repo import household_saved
from huishoudboekje.adapters.persistence.tables import (
    GemeenteRow,
    HouseholdRow,
    PooledAccountRow,
    table_of,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork, in_chunks
from huishoudboekje.domain.consent import Consent
from huishoudboekje.domain.household import Gemeente, Household, PooledAccount

GEMEENTE_ROW_ID = 1
_Checked = TypeVar("_Checked")
# Household fields kept as columns; everything else lives in the `rules` JSON.
_COLUMN_FIELDS = (
    "code",
    "name",
    "iban",
    "bic",
    "members",
    "start",
    "end",
    "team",
    "caseworker",
)


def _now(at: datetime | None) -> datetime:
    return at if at is not None else datetime.now(UTC)


# The gemeente's settings as stored in its columns (`updated_at` aside).
GEMEENTE_FIELDS = (
    "code",
    "name",
    "account_iban",
    "account_name",
    "bic",
    "max_days_early",
    "extra_closing_days",
    "shortage",
    "max_learned_buffer",
    "irregular_step_months",
    "letterhead",
    "retention_years",
    "document_retention_months",
    "viewer_shown_as",
    "consent_required",
)


def gemeente_from_columns(
    values: Mapping[str, Any], accounts: Sequence[PooledAccount] = ()
) -> Gemeente:
    """The gemeente from its stored column values (keys: `GEMEENTE_FIELDS`) and its
    pooled accounts besides the first (`accounts`; a household's context leaves them out).

    Checked once per exact stored values, like a household (every page view and
    `hhb status` read the gemeente's settings)."""
    data = {name: values[name] for name in GEMEENTE_FIELDS}
    data["extra_closing_days"] = list(data["extra_closing_days"])
    if accounts:
        data["extra_accounts"] = [{"iban": a.iban, "name": a.name, "bic": a.bic} for a in accounts]
    key = tuple(
        json.dumps(v, sort_keys=True) if isinstance(v, list | dict) else v for v in data.values()
    )
    return _remembered(_GEMEENTES, _GEMEENTES_MAX, key, lambda: gemeente_from_data(data))


def _remembered(
    cache: dict[Any, _Checked],
    limit: int,
    key: Any,
    check: Callable[[], _Checked],
    *,
    remember: bool = True,
) -> _Checked:
    """The checked value for `key`, checked once; the cache is emptied when it is full.
    `remember` False: found in the cache when it is there, but not added to it."""
    found = cache.get(key)
    if found is None:
        found = check()
        if not remember:
            return found
        if len(cache) >= limit:
            cache.clear()
        cache[key] = found
    return found


_GEMEENTES: dict[tuple[Any, ...], Gemeente] = {}  # stored values -> checked Gemeente
_GEMEENTES_MAX = 64


def load_gemeente(uow: UnitOfWork, gemeente_id: int = GEMEENTE_ROW_ID) -> Gemeente | None:
    """The stored gemeente (the first, in a one-gemeente installation the only one),
    or None before the first `hhb config apply`."""
    row = uow.session.get(GemeenteRow, gemeente_id)
    if row is None:
        return None
    return _gemeente_of(row, _extra_accounts(uow).get(gemeente_id, ()))


def load_gemeente_of(uow: UnitOfWork, code: str) -> Gemeente | None:
    """The gemeente household `code` belongs to (issue 22; the first for an unknown code)."""
    found = uow.session.exec(
        select(HouseholdRow.gemeente_id).where(col(HouseholdRow.code) == code)
    ).first()
    return load_gemeente(uow, GEMEENTE_ROW_ID if found is None else found)


def load_gemeenten(uow: UnitOfWork) -> dict[int, Gemeente]:
    """Every stored gemeente by id, in id order (issue 22; one in a one-gemeente
    installation, none before the first `hhb config apply`)."""
    extra = _extra_accounts(uow)
    rows = uow.session.exec(select(GemeenteRow).order_by(col(GemeenteRow.id)))
    return {row.id: _gemeente_of(row, extra.get(row.id, ())) for row in rows}


def _gemeente_of(row: GemeenteRow, accounts: Sequence[PooledAccount]) -> Gemeente:
    return gemeente_from_columns({name: getattr(row, name) for name in GEMEENTE_FIELDS}, accounts)


def _extra_accounts(uow: UnitOfWork) -> dict[int, list[PooledAccount]]:
    """The pooled accounts of each gemeente besides its first, sorted by IBAN."""
    firsts = dict(uow.session.exec(select(GemeenteRow.id, GemeenteRow.account_iban)).all())
    found: dict[int, list[PooledAccount]] = {}
    rows = uow.session.exec(select(PooledAccountRow).order_by(col(PooledAccountRow.iban)))
    for row in rows:
        if firsts.get(row.gemeente_id) != row.iban:
            found.setdefault(row.gemeente_id, []).append(PooledAccount(row.iban, row.name, row.bic))
    return found


def pooled_account_owners(uow: UnitOfWork) -> dict[str, int]:
    """The gemeente (id) of each stored pooled account IBAN: statements are routed by it."""
    rows = uow.session.exec(select(PooledAccountRow.iban, PooledAccountRow.gemeente_id)).all()
    owners = {iban: gemeente_id for iban, gemeente_id in rows}
    # a gemeente saved before its accounts had a table of their own: its first account
    for gemeente_id, iban in uow.session.exec(select(GemeenteRow.id, GemeenteRow.account_iban)):
        owners.setdefault(iban, gemeente_id)
    return owners


def household_gemeenten(uow: UnitOfWork, codes: Sequence[str] | None = None) -> dict[str, int]:
    """The gemeente (id) of every stored household, by code (or of those of `codes`)."""
    statement = select(HouseholdRow.code, HouseholdRow.gemeente_id)
    if codes is None:
        return dict(uow.session.exec(statement).all())
    found: dict[str, int] = {}
    for chunk in in_chunks(list(codes)):
        found.update(uow.session.exec(statement.where(col(HouseholdRow.code).in_(chunk))).all())
    return found


def gemeente_ids(uow: UnitOfWork) -> dict[str, int]:
    """The id of each stored gemeente by its code."""
    return dict(uow.session.exec(select(GemeenteRow.code, GemeenteRow.id)).all())


def save_gemeente(
    uow: UnitOfWork,
    gemeente: Gemeente,
    *,
    at: datetime | None = None,
    gemeente_id: int = GEMEENTE_ROW_ID,
) -> None:
    """Insert or replace a gemeente's settings and its pooled accounts (not committed)."""
    data = jsonable(gemeente_to_data(gemeente, full=True))
    values: dict[str, Any] = {name: data[name] for name in GEMEENTE_FIELDS}
    values["code"] = gemeente.effective_code  # the column always holds the code
    values["updated_at"] = _now(at)
    upsert(uow, GemeenteRow, {"id": gemeente_id}, values)
    accounts = {a.iban: a for a in gemeente.pooled_accounts}
    stored = uow.session.exec(
        select(PooledAccountRow).where(col(PooledAccountRow.gemeente_id) == gemeente_id)
    )
    for row in stored:
        if row.iban not in accounts:
            uow.session.delete(row)
    uow.session.flush()
    for account in accounts.values():
        upsert(
            uow,
            PooledAccountRow,
            {"iban": account.iban},
            {"gemeente_id": gemeente_id, "name": account.name, "bic": account.bic},
        )


def household_from_row(row: Any, *, remember: bool = True) -> Household:
    """The household from a stored row: a `HouseholdRow`, or a plain row with its
    columns (`code`, `name`, `iban`, `bic`, `members`, `start_date`, `end_date`, `team`,
    `caseworker`, `rules`; `rules` decoded, or as the stored JSON text). `remember`
    False: a household checked before is not checked again, but this one is not kept."""
    columns = (
        row.code,
        row.name,
        row.iban,
        row.bic,
        row.members,
        row.start_date,
        row.end_date,
        row.team,
        row.caseworker,
    )
    # Checking the rules (pydantic) costs more than the rest of a page view; a stored
    # household only changes through save_household, which changes its data, so the
    # checked result is kept per exact data: the stored text with the columns, or the
    # decoded data in canonical form (repr keeps a date and its text apart).
    if isinstance(row.rules, str):
        text: str = row.rules
        found = _checked(
            (text, *columns), lambda: _with_columns(json.loads(text), columns), remember
        )
    else:
        data = _with_columns(row.rules, columns)
        found = _checked(json.dumps(data, sort_keys=True, default=repr), lambda: data, remember)
    # issue 22: the gemeente is a column only, never in the rules
    gemeente_id = getattr(row, "gemeente_id", GEMEENTE_ROW_ID)
    return found if gemeente_id == found.gemeente_id else replace(found, gemeente_id=gemeente_id)


def _with_columns(rules: Mapping[str, Any], columns: tuple[Any, ...]) -> dict[str, Any]:
    return {**rules, **dict(zip(_COLUMN_KEYS, columns, strict=True))}


def _checked(
    key: str | tuple[Any, ...], data: Callable[[], dict[str, Any]], remember: bool = True
) -> Household:
    return _remembered(
        _CHECKED, _CHECKED_MAX, key, lambda: household_from_data(data()), remember=remember
    )


_COLUMN_KEYS = _COLUMN_FIELDS
# the household's columns in the table, in the order of `_COLUMN_KEYS`
HOUSEHOLD_COLUMNS = (
    "code",
    "name",
    "iban",
    "bic",
    "members",
    "start_date",
    "end_date",
    "team",
    "caseworker",
    "gemeente_id",
)
_CHECKED: dict[str | tuple[Any, ...], Household] = {}  # stored data -> checked Household
# A night reads every household in `match` and again per plan batch (the night's own
# process finds them here); kept for a large region.
_CHECKED_MAX = 250_000


_HOUSEHOLD = table_of(HouseholdRow)
# Every household as plain columns, the rules as their stored text: no ORM object per
# row, and a household checked before is found by that text without decoding it
# (see household_from_row); the night's match reads all of them.
_ALL_HOUSEHOLDS = select_columns(
    *(_HOUSEHOLD.c[name] for name in HOUSEHOLD_COLUMNS),
    cast(_HOUSEHOLD.c.rules, Text).label("rules"),
).order_by(_HOUSEHOLD.c.code)


def load_households(uow: UnitOfWork) -> tuple[Household, ...]:
    """Every stored household with its newest consent, ordered by code."""
    households = tuple(household_from_row(row) for row in uow.read(_ALL_HOUSEHOLDS))
    consents = newest_consents(uow)
    return tuple(_with_consent(h, consents.get(h.code)) for h in households)


def stored_households(uow: UnitOfWork, codes: Sequence[str]) -> dict[str, Household]:
    """The stored households of `codes` by code (without their consents), read as
    `load_households` reads them: a household it checked is not checked again. The
    others are not kept: a worker's plan batches each hold other households, and
    keeping them all made a worker as large as the night's own process."""
    found: dict[str, Household] = {}
    for chunk in in_chunks(list(codes)):
        for row in uow.read(_ALL_HOUSEHOLDS.where(_HOUSEHOLD.c.code.in_(chunk))):
            found[row.code] = household_from_row(row, remember=False)
    return found


def load_household(uow: UnitOfWork, code: str) -> Household | None:
    """One household by code with its newest consent, or None."""
    row = uow.session.get(HouseholdRow, code)
    if row is None:
        return None
    return _with_consent(household_from_row(row), newest_consents(uow, code).get(code))


def _with_consent(household: Household, consent: Consent | None) -> Household:
    return household if consent is None else replace(household, consent=consent)


def household_codes(uow: UnitOfWork) -> tuple[str, ...]:
    """The codes of all stored households, sorted."""
    return tuple(uow.session.exec(select(HouseholdRow.code).order_by(col(HouseholdRow.code))))


def household_columns(household: Household) -> dict[str, Any]:
    """The household table's columns of `household` that `save_household` writes on
    every save (not the code, the gemeente or the timestamps); the rules as JSON data."""
    data = household_to_data(household, full=True)
    # the consent has a table of its own (`consent_repo`); saving a household never changes it
    rules = jsonable({k: v for k, v in data.items() if k not in _COLUMN_FIELDS and k != "consent"})
    return {
        "name": household.name,
        "iban": household.iban,
        "bic": household.bic,
        "members": household.members,
        "start_date": household.start,
        "end_date": household.end,
        "team": household.team,
        "caseworker": household.caseworker,
        "rules": rules,
    }


def save_household(
    uow: UnitOfWork, household: Household, *, at: datetime | None = None, move: bool = False
) -> None:
    """Insert or replace a household and all its rules (not committed).

    A new household gets `household.gemeente_id`; a stored one keeps its gemeente
    unless `move` (issue 22: only `hhb config apply` moves a household, and a
    household rebuilt from a form or a four-eyes request carries the default)."""
    now = _now(at)
    values = {**household_columns(household), "updated_at": now}
    created: dict[str, Any] = {"created_at": now}
    (values if move else created)["gemeente_id"] = household.gemeente_id
    upsert(uow, HouseholdRow, {"code": household.code}, values, created=created)
    household_saved(uow, household)  # search words; status recomputed
