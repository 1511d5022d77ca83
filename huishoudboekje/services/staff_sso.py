"""Staff who log in at the gemeente's own OpenID Connect provider (issue 20.5).

The web validates the ID token (Authlib); this module turns its verified claims
into a local account. The account is found by issuer and subject (`external_id`),
never by a name the provider lets people choose. The role comes from one claim
(`role_claim`, a string or a list such as groups) through a mapping of claim
values to roles; the highest mapped role wins and no value maps to the household
role. The team comes from `team_claim`, the gemeente (issue 22) from `gemeente_claim`
(a gemeente's code, or "regio" for a regional account; see `_place`). Role, name and
team follow the provider at every login (changes audit-logged; the team is `users.team`, the one the
caseload and need-to-know access use); an account with no mapped role is refused.
`now` is always an argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from huishoudboekje.adapters.persistence import record_audit
from huishoudboekje.adapters.persistence.gemeente_scope import (
    gemeente_codes,
    set_user_gemeente,
    user_gemeente,
)
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.user_repo import (
    User,
    find_external_user,
    find_user,
    insert_user,
    record_login_attempt,
    update_user,
)
from huishoudboekje.services.gemeente_scope import REGIONAL_ROLES
from huishoudboekje.services.user_accounts import AccountError, Role

REGIONAL_CLAIM = "regio"  # the gemeente claim of a regional account

# highest first: with several mapped values the account gets the first of these
ROLE_RANK = (
    Role.ADMIN,
    Role.APPROVER,
    Role.MEDEWERKER,
    Role.FUNCTIONEEL_BEHEERDER,
    Role.PRIVACY_OFFICER,
)


@dataclass(frozen=True, slots=True)
class ClaimMapping:
    """How the provider's claims become a role, a team and a user name."""

    role_claim: str
    roles: Mapping[str, Role]
    team_claim: str = ""
    username_claim: str = "preferred_username"
    name_claim: str = "name"
    teams: Mapping[str, str] = field(default_factory=dict)  # claim value -> team name
    # issue 22: the claim with the gemeente's code ("regio": a regional account)
    gemeente_claim: str = ""


@dataclass(frozen=True, slots=True)
class StaffClaims:
    external_id: str  # "<issuer> <subject>"
    username: str
    display_name: str
    role: Role
    team: str
    gemeente: str | None = None  # a gemeente's code, "regio", or None: not given


def parse_role_map(text: str) -> dict[str, Role]:
    """`value=role,value=role` (roles: medewerker, approver, admin) as a mapping;
    `ValueError` with the faulty part for anything else."""
    roles: dict[str, Role] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        value, sep, role = (s.strip() for s in part.rpartition("="))
        if not sep or not value:
            raise ValueError(f"{part!r}: expected claim-value=role")
        try:
            mapped = Role(role)
        except ValueError:
            raise ValueError(f"{part!r}: unknown role {role!r}") from None
        if not mapped.is_staff:
            raise ValueError(f"{part!r}: SSO is for staff; {role!r} is not a staff role")
        roles[value] = mapped
    if not roles:
        raise ValueError("no claim value is mapped to a role")
    return roles


def _values(claim: Any) -> list[str]:
    if isinstance(claim, str):
        return [claim]
    if isinstance(claim, list | tuple):
        return [str(v) for v in claim]
    return []


def staff_claims(claims: Mapping[str, Any], issuer: str, mapping: ClaimMapping) -> StaffClaims:
    """The account the verified `claims` describe; `AccountError` (Dutch) when the
    provider gave no subject, no user name or no role this app knows."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise AccountError("De inlogdienst gaf geen vaste gebruikers-id mee.")
    username = str(claims.get(mapping.username_claim) or claims.get("email") or "").strip()
    if not username or len(username) > 100 or any(c.isspace() for c in username):
        raise AccountError("De inlogdienst gaf geen bruikbare gebruikersnaam mee.")
    mapped = {
        mapping.roles[v] for v in _values(claims.get(mapping.role_claim)) if v in mapping.roles
    }
    role = next((r for r in ROLE_RANK if r in mapped), None)
    if role is None:
        raise AccountError(
            "Uw gemeente-account heeft geen rol in Huishoudboekje. Vraag uw beheerder om toegang."
        )
    team_values = _values(claims.get(mapping.team_claim)) if mapping.team_claim else []
    team = team_values[0].strip() if team_values else ""
    return StaffClaims(
        external_id=f"{issuer} {subject}",
        username=username,
        display_name=str(claims.get(mapping.name_claim) or username).strip()[:200],
        role=role,
        team=mapping.teams.get(team, team)[:100],
        gemeente=_gemeente_claim(claims, mapping),
    )


def _gemeente_claim(claims: Mapping[str, Any], mapping: ClaimMapping) -> str | None:
    if not mapping.gemeente_claim:
        return None
    values = [v.strip() for v in _values(claims.get(mapping.gemeente_claim)) if v.strip()]
    return values[0] if values else None


def _place(uow: UnitOfWork, user: User, who: StaffClaims, *, new: bool, now: datetime) -> None:
    """Give the account its gemeente (issue 22): the one the provider names, or none
    ("regio": regional, for the roles that may be). Without a gemeente claim an existing
    account keeps its gemeente; a new one gets the only gemeente, and in an
    installation with several it is refused (never regional by default)."""
    codes = gemeente_codes(uow)
    if who.gemeente is None:
        if new and len(codes) > 1:
            raise AccountError(
                "Huishoudboekje weet niet voor welke gemeente u werkt (de inlogdienst gaf "
                "geen gemeente mee). Vraag uw beheerder."
            )
        return
    if who.gemeente == REGIONAL_CLAIM:
        if who.role not in REGIONAL_ROLES:
            raise AccountError("Alleen een beheerder kan regionaal werken. Vraag uw beheerder.")
        target = None
    elif who.gemeente in codes:
        target = codes[who.gemeente]
    else:
        raise AccountError(
            f"Uw gemeente {who.gemeente!r} is niet bekend in Huishoudboekje. Vraag uw beheerder."
        )
    before = user_gemeente(uow, user.username)[1]
    if new or before != target:
        set_user_gemeente(uow, user.username, target)
        record_audit(
            uow, actor=user.username, action="account.gemeente", object_type="user",
            object_id=user.username, at=now, before=None if new else {"gemeente_id": before},
            after={"gemeente_id": target, "via": "sso"},
        )  # fmt: skip


def sso_staff_login(uow: UnitOfWork, *, who: StaffClaims, client: str, now: datetime) -> User:
    """The local account of a staff member the provider vouched for (created at the
    first login, its role, name and team updated at each), and commit. Raises
    `AccountError` for a deactivated account or a user name a local account holds."""
    user = find_external_user(uow, who.external_id)
    new = user is None
    if user is None:
        if find_user(uow, who.username) is not None:
            raise AccountError(
                f"Er bestaat al een account {who.username!r} dat niet via de gemeente inlogt. "
                "Vraag uw beheerder om het op te lossen."
            )
        user = insert_user(
            uow, username=who.username, display_name=who.display_name, role=who.role.value,
            household=None, password_hash=None, at=now, external_id=who.external_id,
            team=who.team,
        )  # fmt: skip
        record_audit(
            uow, actor=user.username, action="user.create", object_type="user",
            object_id=user.username, at=now,
            after={"role": user.role, "name": user.display_name, "via": "sso", "team": who.team},
        )  # fmt: skip
    elif not user.active:
        raise AccountError("Uw account in Huishoudboekje is uitgezet. Vraag uw beheerder.")
    elif _held(user) != (who.role.value, who.display_name, who.team):
        before = dict(zip(("role", "name", "team"), _held(user), strict=True))
        user = update_user(
            uow, user.id, role=who.role.value, display_name=who.display_name, team=who.team
        )
        record_audit(
            uow, actor=user.username, action="user.sso_update", object_type="user",
            object_id=user.username, at=now, before=before,
            after=dict(zip(("role", "name", "team"), _held(user), strict=True)),
        )  # fmt: skip
    _place(uow, user, who, new=new, now=now)
    record_login_attempt(uow, client=client, username=user.username, success=True, at=now)
    uow.commit()
    return user


def _held(user: User) -> tuple[str, str, str]:
    """What the provider decides about an account: role, name and team."""
    return (user.role, user.display_name, user.team)
