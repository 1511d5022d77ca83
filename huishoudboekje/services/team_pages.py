"""The hand-over and the household's answer as pages read them (issue 19.4, 19.7),
and the engine-level doors the web and the CLI call (each one unit of work)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence import load_household, load_households
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import find_user, list_users
from huishoudboekje.domain.household import Contact
from huishoudboekje.services.database import on_engine
from huishoudboekje.services.gemeente_scope import scope_codes, scope_usernames, staff_scope
from huishoudboekje.services.household_handover import (
    STAFF_ROLES,
    Colleague,
    StoredHandover,
    colleagues_for,
    hand_over,
    hand_over_all,
    latest_handover,
    mark_read,
    may_hand_over,
    unread_codes,
)
from huishoudboekje.services.household_proposals import (
    OPEN,
    STATUS_NL,
    VIA_NL,
    StoredProposal,
    answer_proposal,
    is_stale,
    open_proposals,
    proposals_of,
    withdraw_proposal,
)
from huishoudboekje.services.household_status import UnknownHouseholdError
from huishoudboekje.services.user_accounts import Role

__all__ = [
    "BulkForm",
    "HandoverForm",
    "ProposalView",
    "TeamPanel",
    "answer_household_proposal",
    "hand_over_all_households",
    "hand_over_household",
    "handover_form",
    "household_proposal_views",
    "leavers",
    "mark_handover_read",
    "pending_proposals",
    "team_panel",
    "unread_handover_codes",
    "withdraw_household_proposal",
]

RECENT_DAYS = 90  # the household's page shows what was decided in about three months


@dataclass(frozen=True, slots=True)
class ProposalView:
    """A proposal with what a page says about it."""

    proposal: StoredProposal
    household_name: str
    stale: bool
    status_nl: str
    answered_nl: str  # "akkoord, telefonisch (vastgelegd door Mira) op ..." or ""
    proposed_by_name: str

    @property
    def is_open(self) -> bool:
        return self.proposal.status in OPEN and not self.stale


@dataclass(frozen=True, slots=True)
class TeamPanel:
    """What the staff household page shows about hand-over and proposals."""

    handover: StoredHandover | None
    from_name: str
    by_name: str
    to_name: str
    proposals: tuple[ProposalView, ...]
    may_hand_over: bool
    by_post: bool


def _name(uow: UnitOfWork, username: str) -> str:
    user = find_user(uow, username) if username else None
    return username if user is None else (user.display_name or username)


def _view(uow: UnitOfWork, proposal: StoredProposal, name: str) -> ProposalView:
    stale = proposal.status in OPEN and is_stale(uow, proposal)
    status = STATUS_NL["verouderd"] if stale else STATUS_NL[proposal.status]
    answered = ""
    if proposal.answer is not None and proposal.answered_at is not None:
        word = "akkoord" if proposal.answer == "akkoord" else "wil eerst contact"
        via = VIA_NL.get(proposal.answer_via or "", proposal.answer_via or "")
        who = (
            ""
            if proposal.answer_via == "online"
            else (f" (vastgelegd door {_name(uow, proposal.answered_by or '')})")
        )
        answered = f"{word}, {via}{who}"
    return ProposalView(proposal, name, stale, status, answered, _name(uow, proposal.proposed_by))


def team_panel(engine: Engine, code: str, *, actor: str, role: Role) -> TeamPanel:
    with UnitOfWork(engine) as uow:
        household = load_household(uow, code)
        if household is None:
            raise UnknownHouseholdError(code)
        latest = latest_handover(uow, code)
        views = tuple(_view(uow, p, household.name) for p in proposals_of(uow, code))
        return TeamPanel(
            latest,
            "" if latest is None else _name(uow, latest.from_user) or "niemand",
            "" if latest is None else _name(uow, latest.by),
            "" if latest is None else _name(uow, latest.to_user),
            views,
            may_hand_over(uow, household, actor, role),
            household.contact is Contact.POST,
        )


def household_proposal_views(engine: Engine, code: str, today: date) -> list[ProposalView]:
    """For the household's own page: open proposals (not stale) and what was decided
    in the last `RECENT_DAYS` days (applied, urgent, withdrawn)."""
    with UnitOfWork(engine) as uow:
        household = load_household(uow, code)
        name = "" if household is None else household.name
        views = [_view(uow, p, name) for p in proposals_of(uow, code)]
    return [
        v
        for v in views
        if v.is_open
        or (
            not v.stale
            and v.proposal.status in ("toegepast", "spoed", "ingetrokken")
            and (today - v.proposal.proposed_at.date()).days <= RECENT_DAYS
            and (v.proposal.status != "spoed" or v.proposal.applied_at is not None)
        )
    ]


def pending_proposals(engine: Engine) -> list[ProposalView]:
    """Every open proposal (the worklist), oldest first."""
    with UnitOfWork(engine) as uow:
        names = {h.code: h.name for h in load_households(uow)}
        views = [_view(uow, p, names.get(p.household, p.household)) for p in open_proposals(uow)]
    return sorted(views, key=lambda v: v.proposal.proposed_at)


@dataclass(frozen=True, slots=True)
class HandoverForm:
    household_name: str
    caseworker_name: str
    team: str
    colleagues: tuple[Colleague, ...]
    allowed: bool


def handover_form(engine: Engine, code: str, *, actor: str, role: Role) -> HandoverForm:
    with UnitOfWork(engine) as uow:
        household = load_household(uow, code)
        if household is None:
            raise UnknownHouseholdError(code)
        return HandoverForm(
            household.name,
            _name(uow, household.caseworker) if household.caseworker else "",
            household.team,
            tuple(colleagues_for(uow, household, role)),
            may_hand_over(uow, household, actor, role),
        )


@dataclass(frozen=True, slots=True)
class BulkForm:
    """The bulk hand-over: medewerkers with households the actor may move (and how
    many), and the active colleagues to move them to."""

    leavers: tuple[tuple[Colleague, int], ...]
    targets: tuple[Colleague, ...]


def leavers(engine: Engine, *, actor: str, role: Role) -> BulkForm:
    with UnitOfWork(engine) as uow:
        own = find_user(uow, actor)
        team = "" if own is None else own.team
        scope = staff_scope(uow, actor)  # issue 22: the own gemeente's only
        within = scope_codes(uow, scope)
        counts = Counter(
            h.caseworker
            for h in load_households(uow)
            if h.caseworker
            and (role is Role.ADMIN or h.team == team)
            and (within is None or h.code in within)
        )
        colleagues = scope_usernames(uow, scope)
        users = {
            u.username: u
            for u in list_users(uow)
            if colleagues is None or u.username in colleagues or u.username in counts
        }
    people = tuple(
        (Colleague(name, users[name].display_name if name in users else name, ""), counts[name])
        for name in sorted(counts)
    )
    targets = tuple(
        Colleague(u.username, u.display_name or u.username, u.team)
        for u in users.values()
        if u.active
        and u.role in STAFF_ROLES
        and (role is Role.ADMIN or u.team == team)
        and (colleagues is None or u.username in colleagues)
    )
    return BulkForm(people, targets)


def unread_handover_codes(engine: Engine, username: str) -> frozenset[str]:
    with UnitOfWork(engine) as uow:
        return unread_codes(uow, username)


hand_over_household = on_engine(hand_over)
hand_over_all_households = on_engine(hand_over_all)
mark_handover_read = on_engine(mark_read)
answer_household_proposal = on_engine(answer_proposal)
withdraw_household_proposal = on_engine(withdraw_proposal)


def operator_role(engine: Engine, actor: str) -> Role:
    """The role `hhb` acts in for `actor`: the account's own role; an operator without
    a staff account (who holds the database) acts as beheerder."""
    with UnitOfWork(engine) as uow:
        user = find_user(uow, actor)
    return Role.ADMIN if user is None else Role(user.role)
