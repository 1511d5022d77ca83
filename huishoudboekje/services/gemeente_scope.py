"""Scoping by gemeente (issue 22.1): staff belong to one gemeente, a regional account
sees every gemeente, and every list, page, command and export shows one gemeente.

Who belongs where:

- a household belongs to one gemeente (`household.gemeente_id`);
- a staff account belongs to one gemeente (`user_account.gemeente_id`); an account
  with no gemeente (NULL) is **regional**: it sees every gemeente of the installation.
  Only a beheerder, a functioneel beheerder and a privacy officer can be regional
  (`hhb users add ... --regio`); a medewerker and a teamleider always work for one
  gemeente. A regional account keeps its role: a regional beheerder sees every
  household, a regional functioneel beheerder manages every gemeente's staff, a
  regional privacy officer reads every gemeente's view log;
- money that matched no household belongs to the gemeente of the account it arrived
  on (`bank_transaction.account_iban` → `pooled_account.gemeente_id`).

The gemeente is the first gate of need-to-know (services/access_control.py): staff of
gemeente A never see a household of gemeente B, whatever their role, and cannot open
one with a reason either (waarneming and spoed work within the own gemeente only).

An installation with one gemeente is unchanged: every scope there is the whole
installation, and no command asks for `--gemeente`.

On the command line, a command that shows household or journal data takes
`--gemeente CODE`; in an installation with more than one gemeente it refuses without
one, unless asked for every gemeente at once with `--alle-gemeenten` (the regional
view, said out loud).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence import UnitOfWork
from huishoudboekje.adapters.persistence.gemeente_scope import (
    gemeente_codes,
    gemeente_count,
    gemeente_household_codes,
    gemeente_id_of,
    gemeente_names,
    household_gemeente,
    households_gemeenten,
    load_gemeente_of,
    transaction_gemeente,
    user_gemeente,
    usernames_of_gemeente,
    users_gemeenten,
)
from huishoudboekje.domain.household import Gemeente
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.user_accounts import Role

__all__ = [
    "REGIONAL",
    "REGIONAL_ROLES",
    "GemeenteChoiceError",
    "GemeenteScope",
    "accounts_gemeenten",
    "choose_gemeente",
    "foreign_usernames",
    "gemeente_choices",
    "gemeente_label",
    "gemeente_settings",
    "household_in_scope",
    "scope_codes",
    "scope_of_gemeente",
    "scope_usernames",
    "staff_scope",
    "transactions_in_scope",
]

# The roles an account without a gemeente (a regional account) may have.
REGIONAL_ROLES = frozenset({Role.ADMIN, Role.FUNCTIONEEL_BEHEERDER, Role.PRIVACY_OFFICER})
NOWHERE = -1  # the gemeente of an unknown account: it sees nothing


class GemeenteChoiceError(UserError, ValueError):
    """A command in a regional installation without a (known) gemeente."""


@dataclass(frozen=True, slots=True)
class GemeenteScope:
    """What one person or command sees: one gemeente, or (None) every gemeente."""

    gemeente_id: int | None
    code: str = ""  # the gemeente's code ("" for every gemeente)
    name: str = ""  # the gemeente's name ("" for every gemeente)

    @property
    def regional(self) -> bool:
        return self.gemeente_id is None

    def sees(self, gemeente_id: int | None) -> bool:
        """Whether something of gemeente `gemeente_id` is in this scope (None: of no
        gemeente, which only a regional scope sees)."""
        return self.gemeente_id is None or gemeente_id == self.gemeente_id


REGIONAL = GemeenteScope(None)


def _scope(uow: UnitOfWork, gemeente_id: int | None) -> GemeenteScope:
    if gemeente_id is None:
        return REGIONAL
    code, name = gemeente_names(uow).get(gemeente_id, ("", ""))
    return GemeenteScope(gemeente_id, code, name)


def staff_scope(uow: UnitOfWork, username: str) -> GemeenteScope:
    """The scope of account `username`: its gemeente, or every gemeente for a regional
    account and in an installation with one gemeente (where nothing changes)."""
    if gemeente_count(uow) <= 1:
        return REGIONAL
    found, gemeente_id = user_gemeente(uow, username)
    if not found:
        return GemeenteScope(NOWHERE)
    return _scope(uow, gemeente_id)


def scope_of_gemeente(uow: UnitOfWork, gemeente_id: int | None) -> GemeenteScope:
    """The scope of one gemeente (None: every gemeente)."""
    if gemeente_id is None or gemeente_count(uow) <= 1:
        return REGIONAL
    return _scope(uow, gemeente_id)


def scope_codes(uow: UnitOfWork, scope: GemeenteScope) -> frozenset[str] | None:
    """The household codes in `scope`; None: every household (regional)."""
    if scope.regional:
        return None
    assert scope.gemeente_id is not None
    return gemeente_household_codes(uow, scope.gemeente_id)


def scope_usernames(uow: UnitOfWork, scope: GemeenteScope) -> frozenset[str] | None:
    """The accounts of `scope`'s gemeente; None: every account (regional)."""
    if scope.regional:
        return None
    assert scope.gemeente_id is not None
    return usernames_of_gemeente(uow, scope.gemeente_id)


def household_in_scope(uow: UnitOfWork, scope: GemeenteScope, code: str) -> bool:
    """Whether household `code` exists and is in `scope`."""
    gemeente_id = household_gemeente(uow, code)
    return gemeente_id is not None and scope.sees(gemeente_id)


def transactions_in_scope(
    uow: UnitOfWork, scope: GemeenteScope, transaction_ids: Iterable[int]
) -> frozenset[int]:
    """Those of `transaction_ids` in `scope`: a transaction of a household is its
    gemeente's; one that matched no household is the gemeente's of its account."""
    ids = list(transaction_ids)
    if scope.regional:
        return frozenset(ids)
    return frozenset(t for t, g in transaction_gemeente(uow, ids).items() if scope.sees(g))


def foreign_usernames(uow: UnitOfWork, scope: GemeenteScope) -> frozenset[str]:
    """The accounts of the gemeenten outside `scope` (none for a regional scope)."""
    if scope.regional:
        return frozenset()
    return frozenset(
        u for u, g in users_gemeenten(uow).items() if g is not None and not scope.sees(g)
    )


def accounts_gemeenten(uow: UnitOfWork) -> dict[str, str]:
    """Every account's username → its gemeente's code ("regio" for a regional one)."""
    codes = {gid: code for gid, (code, _) in gemeente_names(uow).items()}
    return {
        u: "regio" if g is None else codes.get(g, str(g)) for u, g in users_gemeenten(uow).items()
    }


def gemeente_settings(uow: UnitOfWork, scope: GemeenteScope) -> Gemeente | None:
    """The settings of `scope`'s gemeente (the first gemeente's for a regional scope)."""
    return load_gemeente_of(uow, 1 if scope.gemeente_id is None else scope.gemeente_id)


def gemeente_choices(engine: Engine) -> dict[str, int]:
    """Every gemeente's code → id (for forms and `--gemeente`)."""
    with UnitOfWork(engine) as uow:
        return gemeente_codes(uow)


def gemeente_label(engine: Engine, scope: GemeenteScope) -> str:
    """The scope in words, for a page or a command's first line."""
    return "alle gemeenten" if scope.regional else f"gemeente {scope.name} ({scope.code})"


def choose_gemeente(engine: Engine, code: str | None, *, every: bool = False) -> GemeenteScope:
    """The scope of a command: `--gemeente CODE`, or every gemeente (`--alle-gemeenten`,
    or an installation with one gemeente). In an installation with more than one, a
    command that names none refuses with `GemeenteChoiceError` (one line)."""
    with UnitOfWork(engine) as uow:
        codes = gemeente_codes(uow)
        several = len(codes) > 1
        listed = ", ".join(sorted(codes))
        if code is not None and every:
            raise GemeenteChoiceError("Kies --gemeente CODE of --alle-gemeenten, niet allebei.")
        if code is not None:
            gemeente_id = gemeente_id_of(uow, code)
            if gemeente_id is None:
                raise GemeenteChoiceError(f"Gemeente {code!r} bestaat niet; kies uit: {listed}.")
            return scope_of_gemeente(uow, gemeente_id)
        if every or not several:
            return REGIONAL
        raise GemeenteChoiceError(
            f"Deze installatie heeft {len(codes)} gemeenten: kies er één met "
            f"--gemeente CODE ({listed}), of alle met --alle-gemeenten."
        )


def households_by_gemeente(engine: Engine) -> dict[str, int]:
    """Every household's code → gemeente id."""
    with UnitOfWork(engine) as uow:
        return households_gemeenten(uow)
