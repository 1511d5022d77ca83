"""Which gemeente a household, a staff account or a bank transaction belongs to
(issue 22.1, scoping by gemeente).

A regional installation has several rows in `gemeente`; each household has a
`gemeente_id`, each staff account one too (None: a regional account, which sees every
gemeente), and money arrives on a pooled account whose `pooled_account.gemeente_id`
says whose it is. An installation with one gemeente has everything in gemeente 1.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import col, select

from huishoudboekje.adapters.persistence.ledger_export import TO_HOUSEHOLD
from huishoudboekje.adapters.persistence.nightly_tables import (
    BankTransactionRow,
    PaymentInstructionRow,
)
from huishoudboekje.adapters.persistence.tables import GemeenteRow, HouseholdRow, PooledAccountRow
from huishoudboekje.adapters.persistence.uow import UnitOfWork, in_chunks
from huishoudboekje.adapters.persistence.web_tables import UserRow

__all__ = [
    "account_gemeenten",
    "gemeente_codes",
    "gemeente_count",
    "gemeente_household_codes",
    "gemeente_id_of",
    "gemeente_names",
    "household_gemeente",
    "households_gemeenten",
    "set_household_gemeente",
    "set_user_gemeente",
    "supplier_payees_of",
    "transaction_accounts",
    "transaction_gemeente",
    "user_gemeente",
    "usernames_of_gemeente",
    "users_gemeenten",
]


def gemeente_count(uow: UnitOfWork) -> int:
    """How many gemeenten the installation holds."""
    return int(uow.session.exec(select(func.count()).select_from(GemeenteRow)).one())


def gemeente_codes(uow: UnitOfWork) -> dict[str, int]:
    """Every gemeente's code → id (a gemeente without a code is named by its id)."""
    rows = uow.session.exec(select(GemeenteRow.id, GemeenteRow.code).order_by(col(GemeenteRow.id)))
    return {(code or str(gid)): gid for gid, code in rows}


def gemeente_names(uow: UnitOfWork) -> dict[int, tuple[str, str]]:
    """Every gemeente's id → (code, name)."""
    rows = uow.session.exec(select(GemeenteRow.id, GemeenteRow.code, GemeenteRow.name))
    return {gid: (code or str(gid), name) for gid, code, name in rows}


def gemeente_id_of(uow: UnitOfWork, code: str) -> int | None:
    """The id of the gemeente with `code` (or with that id written as a number)."""
    return gemeente_codes(uow).get(code.strip())


def household_gemeente(uow: UnitOfWork, code: str) -> int | None:
    """The gemeente of household `code`, or None when there is no such household."""
    row = uow.session.get(HouseholdRow, code)
    return None if row is None else row.gemeente_id


def households_gemeenten(uow: UnitOfWork) -> dict[str, int]:
    """Every household's code → gemeente id."""
    return dict(uow.session.exec(select(HouseholdRow.code, HouseholdRow.gemeente_id)).all())


def gemeente_household_codes(uow: UnitOfWork, gemeente_id: int) -> frozenset[str]:
    """The codes of the households of gemeente `gemeente_id`."""
    statement = select(HouseholdRow.code).where(col(HouseholdRow.gemeente_id) == gemeente_id)
    return frozenset(uow.session.exec(statement))


def set_household_gemeente(uow: UnitOfWork, code: str, gemeente_id: int) -> None:
    """Put household `code` in gemeente `gemeente_id` (not committed)."""
    row = uow.session.get(HouseholdRow, code)
    if row is not None:
        row.gemeente_id = gemeente_id
        uow.session.add(row)


def user_gemeente(uow: UnitOfWork, username: str) -> tuple[bool, int | None]:
    """(found, gemeente id) of account `username`; the id is None for a regional one."""
    row = uow.session.exec(select(UserRow).where(col(UserRow.username) == username)).first()
    return (False, None) if row is None else (True, row.gemeente_id)


def set_user_gemeente(uow: UnitOfWork, username: str, gemeente_id: int | None) -> None:
    """Give account `username` a gemeente (None: regional) (not committed)."""
    row = uow.session.exec(select(UserRow).where(col(UserRow.username) == username)).first()
    if row is not None:
        row.gemeente_id = gemeente_id
        uow.session.add(row)


def users_gemeenten(uow: UnitOfWork) -> dict[str, int | None]:
    """Every account's username → gemeente id (None: regional)."""
    return dict(uow.session.exec(select(UserRow.username, UserRow.gemeente_id)).all())


def usernames_of_gemeente(uow: UnitOfWork, gemeente_id: int) -> frozenset[str]:
    """The accounts of gemeente `gemeente_id` (staff and households)."""
    statement = select(UserRow.username).where(col(UserRow.gemeente_id) == gemeente_id)
    return frozenset(uow.session.exec(statement))


def account_gemeenten(uow: UnitOfWork) -> dict[str, int]:
    """The gemeente of each account money arrives on: the pooled accounts, and each
    gemeente's own `account_iban` (compact, upper case)."""
    found: dict[str, int] = {}
    for gid, iban in uow.session.exec(select(GemeenteRow.id, GemeenteRow.account_iban)):
        found[_compact(iban)] = gid
    for iban, gid in uow.session.exec(select(PooledAccountRow.iban, PooledAccountRow.gemeente_id)):
        found[_compact(iban)] = gid
    return found


def transaction_gemeente(uow: UnitOfWork, transaction_ids: Iterable[int]) -> dict[int, int | None]:
    """The gemeente of each bank transaction: its household's when it has one, else
    the gemeente of the account it arrived on (None: an account of no gemeente, seen
    only regionally). With one gemeente everything is gemeente 1's."""
    ids = list(transaction_ids)
    if not ids:
        return {}
    single = gemeente_count(uow) <= 1
    households = households_gemeenten(uow)
    accounts = account_gemeenten(uow)
    found: dict[int, int | None] = {}
    for chunk in in_chunks(ids):
        statement = select(
            BankTransactionRow.id, BankTransactionRow.household, BankTransactionRow.account_iban
        ).where(col(BankTransactionRow.id).in_(chunk))
        for tid, household, iban in uow.session.exec(statement):
            if tid is None:  # pragma: no cover (a stored row has its id)
                continue
            if single:
                found[tid] = 1
            elif household and household in households:
                found[tid] = households[household]
            else:
                found[tid] = accounts.get(_compact(iban or ""))
    return found


def transaction_accounts(uow: UnitOfWork, dedupe_keys: Iterable[str]) -> dict[str, str]:
    """The account each bank transaction (by `dedupe_key`) arrived on."""
    keys = sorted(set(dedupe_keys))
    found: dict[str, str] = {}
    for chunk in in_chunks(keys):
        statement = select(BankTransactionRow.dedupe_key, BankTransactionRow.account_iban).where(
            col(BankTransactionRow.dedupe_key).in_(chunk)
        )
        found.update({key: _compact(iban) for key, iban in uow.session.exec(statement)})
    return found


def supplier_payees_of(uow: UnitOfWork, codes: Iterable[str]) -> list[tuple[str, str]]:
    """(IBAN, name) of everyone the pool paid on behalf of the households `codes` (not
    the households themselves), one per IBAN, sorted by IBAN."""
    wanted = sorted(set(codes))
    names: dict[str, str] = {}
    for chunk in in_chunks(wanted):
        statement = select(
            PaymentInstructionRow.payee_iban, PaymentInstructionRow.payee_name
        ).where(
            col(PaymentInstructionRow.household).in_(chunk),
            col(PaymentInstructionRow.kind).not_in(TO_HOUSEHOLD),
        )
        for iban, name in uow.session.exec(statement):
            if iban not in names or name < names[iban]:
                names[iban] = name
    return sorted(names.items())


def _compact(iban: str) -> str:
    return "".join(iban.split()).upper()
