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

from huishoudboekje.adapters.persistence import UnitOfWork, load_gemeente, record_audit
from huishoudboekje.adapters.persistence.gemeente_scope import (
    account_gemeenten,
    gemeente_codes,
    gemeente_count,
    gemeente_household_codes,
    gemeente_id_of,
    gemeente_names,
    household_gemeente,
    set_household_gemeente,
    set_user_gemeente,
    transaction_gemeente,
    user_gemeente,
    usernames_of_gemeente,
    users_gemeenten,
)
from huishoudboekje.domain.household import Gemeente
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.reports_queries import GemeenteTeam, Team
from huishoudboekje.services.user_accounts import Role

__all__ = [
    "REGIONAL",
    "REGIONAL_ROLES",
    "GemeenteChoiceError",
    "GemeenteScope",
    "account_gemeente_choice",
    "account_gemeenten_of",
    "accounts_gemeenten",
    "check_money_stays",
    "choose_gemeente",
    "foreign_usernames",
    "gemeente_choices",
    "gemeente_settings",
    "household_in_scope",
    "household_outside",
    "may_create_household",
    "place_account",
    "place_new_household",
    "report_scope",
    "same_gemeente",
    "scope_codes",
    "scope_codes_of",
    "scope_of_gemeente",
    "scope_usernames",
    "staff_scope",
    "transactions_in_scope",
    "works_for",
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
    return load_gemeente(uow, 1 if scope.gemeente_id is None else scope.gemeente_id)


def account_gemeente_choice(
    engine: Engine,
    *,
    role: Role,
    gemeente: str | None,
    regional: bool,
    household: str | None = None,
) -> int | None:
    """The gemeente id a new account gets (None: regional), checked before the account
    is made so that a refusal changes nothing: a household account gets its
    household's gemeente; a staff account the one named with `--gemeente`, none with
    `--regio` (beheerder, functioneel beheerder, privacy officer only), and gemeente 1
    in an installation with one gemeente. Raises `GemeenteChoiceError`."""
    with UnitOfWork(engine) as uow:
        codes = gemeente_codes(uow)
        listed = ", ".join(sorted(codes))
        if gemeente is not None and regional:
            raise GemeenteChoiceError("Kies --gemeente CODE of --regio, niet allebei.")
        if role is Role.HOUSEHOLD:
            if regional:
                raise GemeenteChoiceError("Een huishouden is nooit regionaal.")
            own = household_gemeente(uow, household or "")
            named = None if gemeente is None else gemeente_id_of(uow, gemeente)
            if gemeente is not None and own is not None and named != own:
                raise GemeenteChoiceError(
                    f"Huishouden {household} hoort bij een andere gemeente dan {gemeente!r}."
                )
            return 1 if own is None else own
        if regional:
            if role not in REGIONAL_ROLES:
                raise GemeenteChoiceError(
                    "Alleen een beheerder, functioneel beheerder of functionaris "
                    "gegevensbescherming kan regionaal zijn (--regio); een medewerker "
                    "en een teamleider werken voor één gemeente."
                )
            return None
        if gemeente is not None:
            found = gemeente_id_of(uow, gemeente)
            if found is None:
                raise GemeenteChoiceError(
                    f"Gemeente {gemeente!r} bestaat niet; kies uit: {listed}."
                )
            return found
        if len(codes) > 1:
            raise GemeenteChoiceError(
                f"Deze installatie heeft {len(codes)} gemeenten: geef het account een "
                f"gemeente met --gemeente CODE ({listed}), of --regio voor een regionaal account."
            )
        return next(iter(codes.values()), 1)


def place_account(engine: Engine, *, actor: str, username: str, gemeente_id: int | None) -> None:
    """Put account `username` in gemeente `gemeente_id` (None: regional); audit-logged."""
    with UnitOfWork(engine) as uow:
        found, before = user_gemeente(uow, username)
        if not found:
            raise GemeenteChoiceError(f"Account {username!r} bestaat niet.")
        if before == gemeente_id:
            return
        set_user_gemeente(uow, username, gemeente_id)
        record_audit(
            uow,
            actor=actor,
            action="account.gemeente",
            object_type="user",
            object_id=username,
            before={"gemeente_id": before},
            after={"gemeente_id": gemeente_id},
        )
        uow.commit()


def account_gemeenten_of(engine: Engine) -> dict[str, str]:
    """`accounts_gemeenten` for an entry point that holds an engine."""
    with UnitOfWork(engine) as uow:
        return accounts_gemeenten(uow)


def report_scope(engine: Engine, scope: GemeenteScope, team: str | None) -> Team:
    """What a dashboard of `team` (None: every team) covers within `scope`: the team
    as before for a regional scope, else the gemeente's households (of the team) and
    its own pooled accounts."""
    if scope.regional:
        return team
    assert scope.gemeente_id is not None
    with UnitOfWork(engine) as uow:
        accounts = tuple(
            iban for iban, gid in account_gemeenten(uow).items() if gid == scope.gemeente_id
        )
    return GemeenteTeam(scope.gemeente_id, team, accounts)


def household_outside(engine: Engine, scope: GemeenteScope, code: str) -> bool:
    """Whether household `code` exists and belongs to a gemeente outside `scope`."""
    with UnitOfWork(engine) as uow:
        gemeente_id = household_gemeente(uow, code)
    return gemeente_id is not None and not scope.sees(gemeente_id)


def scope_codes_of(engine: Engine, scope: GemeenteScope) -> frozenset[str] | None:
    """`scope_codes` for an entry point that holds an engine."""
    with UnitOfWork(engine) as uow:
        return scope_codes(uow, scope)


def works_for(uow: UnitOfWork, username: str, code: str) -> bool:
    """Whether account `username` may work on household `code` (issue 22): an account
    of the household's gemeente, or a regional one (always with one gemeente). A name
    that is no account is the operator at the command line (`hhb overdragen` without
    `--actor`), who works for the whole installation."""
    if not user_gemeente(uow, username)[0]:
        return True
    return household_in_scope(uow, staff_scope(uow, username), code)


def same_gemeente(uow: UnitOfWork, username: str, code: str) -> bool:
    """Whether account `username` belongs to the gemeente of household `code` itself
    (not regionally): who a household can be handed over to."""
    if gemeente_count(uow) <= 1:
        return True
    found, gemeente_id = user_gemeente(uow, username)
    return found and gemeente_id is not None and gemeente_id == household_gemeente(uow, code)


def check_money_stays(uow: UnitOfWork, transaction_id: int, codes: Iterable[str]) -> None:
    """Money that came in on one gemeente's account goes to that gemeente's households
    only (issue 22); `GemeenteChoiceError` otherwise. Always fine with one gemeente."""
    if gemeente_count(uow) <= 1:
        return
    arrived = transaction_gemeente(uow, [transaction_id]).get(transaction_id)
    for code in codes:
        owner = household_gemeente(uow, code)
        if owner is not None and arrived is not None and owner != arrived:
            raise GemeenteChoiceError(
                f"dit geld kwam binnen op de rekening van een andere gemeente dan die van "
                f"huishouden {code}"
            )


def place_new_household(uow: UnitOfWork, code: str, *, proposer: str) -> None:
    """A household just created (by intake, or approved) belongs to the gemeente of the
    staff member who proposed it (not committed). A regional proposer, or one that is
    no account (`hhb config apply`), leaves it where it was put."""
    found, gemeente_id = user_gemeente(uow, proposer)
    if found and gemeente_id is not None:
        set_household_gemeente(uow, code, gemeente_id)


def may_create_household(uow: UnitOfWork, proposer: str) -> bool:
    """Whether `proposer` may propose a new household: anyone with one gemeente; with
    several, not a regional account (whose gemeente would it be?)."""
    if gemeente_count(uow) <= 1:
        return True
    found, gemeente_id = user_gemeente(uow, proposer)
    return not found or gemeente_id is not None


def gemeente_choices(engine: Engine) -> dict[str, int]:
    """Every gemeente's code → id (for forms and `--gemeente`)."""
    with UnitOfWork(engine) as uow:
        return gemeente_codes(uow)


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
