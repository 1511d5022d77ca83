"""Hand-over of a household to another medewerker, with a note (issue 19.4).

`hand_over` moves a household to a colleague: its `caseworker` (and, when the
colleague works in another team, its `team`) change, the note for the new
medewerker is stored and audit-logged, and the read model (`household_status`)
is refreshed in the same transaction. Who may: the household's own medewerker,
a teamleider of the household's team, and a beheerder; only a teamleider or a
beheerder may move a household to another team. The new medewerker sees the note
on the household's page and a marker in their caseload until they mark it read
(`mark_read`). Open signals follow by themselves: their owner is the household's
medewerker (`services.signal_deadlines.owner_of`).

`hand_over_all` does the same for every household of a medewerker who leaves,
with one note, in one transaction (teamleider or beheerder).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from huishoudboekje.adapters.persistence import load_household, load_households, record_audit
from huishoudboekje.adapters.persistence.repository import save_household
from huishoudboekje.adapters.persistence.team_repo import (
    StoredHandover,
    handovers_of,
    insert_handover,
    mark_handover_read,
    unread_handovers_to,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import User, find_user, list_users
from huishoudboekje.domain.household import Household
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.gemeente_scope import same_gemeente, works_for
from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.read_model import refresh_statuses
from huishoudboekje.services.user_accounts import Role

__all__ = [
    "Colleague",
    "HandoverError",
    "StoredHandover",
    "colleagues_for",
    "hand_over",
    "hand_over_all",
    "latest_handover",
    "mark_read",
    "may_hand_over",
    "unread_codes",
]

MIN_NOTE = 20  # a few words at least: what the new medewerker must know
MAX_NOTE = 4000
STAFF_ROLES = {Role.MEDEWERKER.value, Role.APPROVER.value, Role.ADMIN.value}


class HandoverError(UserError, ValueError):
    """A hand-over that cannot be done; the message is Dutch, for staff."""


@dataclass(frozen=True, slots=True)
class Colleague:
    """A medewerker a household can be handed to."""

    username: str
    display_name: str
    team: str


def _role(user: User | None) -> Role | None:
    return None if user is None else Role(user.role)


def may_hand_over(uow: UnitOfWork, household: Household, actor: str, role: Role) -> bool:
    """The household's own medewerker, a teamleider of its team, or a beheerder."""
    if role is Role.ADMIN or (role.sees_household_data and actor == household.caseworker):
        return True
    user = find_user(uow, actor)
    return role is Role.APPROVER and user is not None and user.team == household.team


def colleagues_for(uow: UnitOfWork, household: Household, role: Role) -> list[Colleague]:
    """Who `household` can go to: active staff of its team; for a teamleider or a
    beheerder also of other teams (the household then moves team too)."""
    found = [
        Colleague(u.username, u.display_name or u.username, u.team)
        for u in list_users(uow)
        if u.active
        and u.role in STAFF_ROLES
        and u.username != household.caseworker
        and same_gemeente(uow, u.username, household.code)  # issue 22: its own gemeente
    ]
    if not role.may_approve:
        found = [c for c in found if c.team == household.team]
    return sorted(found, key=lambda c: (c.team != household.team, c.team, c.display_name))


def _checked_note(note: str) -> str:
    text = " ".join(note.split())
    if len(text) < MIN_NOTE:
        raise HandoverError(
            "Schrijf een notitie voor de nieuwe medewerker: wat speelt er, wat moet hij of "
            f"zij weten? (minstens {MIN_NOTE} tekens)"
        )
    if len(text) > MAX_NOTE:
        raise HandoverError(f"Houd de notitie korter dan {MAX_NOTE} tekens.")
    return note.strip()


def _target(uow: UnitOfWork, username: str) -> User:
    user = find_user(uow, username)
    if user is None or not user.active or user.role not in STAFF_ROLES:
        raise HandoverError(f"{username or 'Niemand'} is geen actieve medewerker.")
    return user


def _move(
    uow: UnitOfWork,
    household: Household,
    target: User,
    note: str,
    *,
    actor: str,
    role: Role,
    now: datetime,
) -> StoredHandover:
    """Move one household (not committed)."""
    if not works_for(uow, actor, household.code) or not may_hand_over(uow, household, actor, role):
        raise HandoverError(
            "Alleen de eigen medewerker, de teamleider of een beheerder kan dit huishouden "
            "overdragen."
        )
    if target.username == household.caseworker:
        raise HandoverError(f"{target.display_name} is al de medewerker van dit huishouden.")
    if not same_gemeente(uow, target.username, household.code):
        raise HandoverError(
            f"{target.display_name} werkt voor een andere gemeente; overdragen kan alleen "
            "aan een medewerker van de gemeente van het huishouden."
        )
    if target.team != household.team and not role.may_approve:
        raise HandoverError(
            "Naar een ander team overdragen kan alleen een teamleider of beheerder."
        )
    moved = replace(household, caseworker=target.username, team=target.team)
    save_household(uow, moved, at=now)
    done = insert_handover(
        uow,
        household=household.code,
        from_user=household.caseworker,
        to_user=target.username,
        from_team=household.team,
        to_team=target.team,
        note=note,
        by=actor,
        at=now,
    )
    record_audit(
        uow,
        actor=actor,
        action="household.handover",
        object_type="household",
        object_id=household.code,
        before={"caseworker": household.caseworker, "team": household.team},
        after={"caseworker": target.username, "team": target.team, "note": note},
        at=now,
    )
    return done


def hand_over(
    uow: UnitOfWork, *, code: str, to_user: str, note: str, actor: str, role: Role, now: datetime
) -> StoredHandover:
    """Hand household `code` over to `to_user` with `note`; commits."""
    household = load_household(uow, code)
    if household is None:
        raise UnknownHouseholdError(code)
    done = _move(
        uow, household, _target(uow, to_user), _checked_note(note), actor=actor, role=role, now=now
    )
    refresh_statuses(uow, [code])  # the read model, in the same transaction
    uow.commit()
    return done


def hand_over_all(
    uow: UnitOfWork,
    *,
    from_user: str,
    to_user: str,
    note: str,
    actor: str,
    role: Role,
    now: datetime,
) -> list[StoredHandover]:
    """Every household of `from_user` to `to_user`, with one note (a medewerker who
    leaves); a teamleider moves those of the own team. All or nothing; commits."""
    if not role.may_approve:
        raise HandoverError("Alle huishoudens overdragen kan alleen een teamleider of beheerder.")
    text = _checked_note(note)
    target = _target(uow, to_user)
    if target.username == from_user:
        raise HandoverError("Kies een andere medewerker dan degene die vertrekt.")
    mine = [
        h
        for h in load_households(uow)
        if h.caseworker == from_user and from_user and works_for(uow, actor, h.code)
    ]
    if role is not Role.ADMIN:
        own = find_user(uow, actor)
        mine = [h for h in mine if own is not None and h.team == own.team]
    if not mine:
        raise HandoverError(f"{from_user or 'Niemand'} heeft geen huishoudens in uw team.")
    done = [_move(uow, h, target, text, actor=actor, role=role, now=now) for h in mine]
    refresh_statuses(uow, [h.code for h in mine])
    uow.commit()
    return done


def latest_handover(uow: UnitOfWork, code: str) -> StoredHandover | None:
    """The last hand-over of household `code` (its note), or None."""
    found = handovers_of(uow, code)
    return found[0] if found else None


def unread_codes(uow: UnitOfWork, username: str) -> frozenset[str]:
    """The households handed to `username` whose note they have not marked read."""
    return frozenset(h.household for h in unread_handovers_to(uow, username))


def mark_read(uow: UnitOfWork, *, code: str, handover_id: int, actor: str, now: datetime) -> None:
    """The new medewerker marks the hand-over note read ("Gelezen"); commits."""
    found = [h for h in handovers_of(uow, code) if h.id == handover_id]
    if not found:
        raise HandoverError("Deze overdracht bestaat niet.")
    if found[0].to_user != actor:
        raise HandoverError("Alleen de nieuwe medewerker kan de overdracht als gelezen markeren.")
    mark_handover_read(uow, handover_id, now)
    record_audit(
        uow,
        actor=actor,
        action="household.handover_read",
        object_type="household",
        object_id=code,
        after={"handover": handover_id},
        at=now,
    )
    uow.commit()
