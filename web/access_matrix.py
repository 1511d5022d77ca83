"""Who may use which route: the one route × audience table that the authorization
matrix test (`tests/test_web_authz.py`) walks for every role and the DPIA's "who
sees what" table in docs/privacy.md is generated from (`hhb privacy dpia-tables`).

Every route of the app is in `ROUTE_AUDIENCES`; a route missing here fails
`test_every_route_is_in_the_matrix`, and a route whose behaviour differs from its
audience fails `test_authorization_matrix`. Routes with `<code>` in them read or
change one household's data, and need-to-know narrows them further: a medewerker
and a teamleider reach only their own team's households (another team's only with
a reason, which is logged); `tests/test_need_to_know.py` walks those. Before all of
that, the gemeente: staff see only their own gemeente's households (a regional
account every gemeente's); `tests/test_gemeente_isolation.py` walks every route here
for every staff role of two gemeenten (issue 22).
"""

from __future__ import annotations

from enum import StrEnum

from huishoudboekje.services.user_accounts import ROLE_NAMES_NL, Role

__all__ = [
    "AREA_DATA",
    "AUDIENCE_ROLES",
    "ROUTE_AUDIENCES",
    "Audience",
    "household_route",
    "matrix_markdown",
    "routes_markdown",
]


class Audience(StrEnum):
    """Who a route is for."""

    PUBLIC = "public"  # anyone, also without logging in (login, invite)
    HOUSEHOLD = "household"  # a household, always its own data only
    STAFF = "staff"  # the roles that work with households' data
    ADMIN = "admin"  # the beheerder only
    VIEW_LOG = "view_log"  # who reads the view log
    SETTINGS = "settings"  # who manages the gemeente's settings and accounts
    LEAD = "lead"  # the team dashboard: teamleider and beheerder


ALL_ROLES = frozenset(Role)
AUDIENCE_ROLES: dict[Audience, frozenset[Role]] = {
    Audience.PUBLIC: ALL_ROLES,
    Audience.HOUSEHOLD: frozenset({Role.HOUSEHOLD}),
    Audience.STAFF: frozenset(r for r in Role if r.sees_household_data),
    Audience.ADMIN: frozenset({Role.ADMIN}),
    Audience.VIEW_LOG: frozenset({Role.ADMIN, Role.PRIVACY_OFFICER}),
    Audience.SETTINGS: frozenset({Role.ADMIN, Role.FUNCTIONEEL_BEHEERDER}),
    Audience.LEAD: frozenset(r for r in Role if r.may_approve),
}

# What the routes of an audience show, with (True) or without (False) a household
# code in the URL: the rows of the DPIA's role × data table.
AREA_DATA: dict[tuple[Audience, bool], str] = {
    (Audience.PUBLIC, False): "login, second factor, invite (no household data)",
    (Audience.HOUSEHOLD, False): "the household's own pages: vandaag, betaald, overzicht, "
    "verzoek, wie keek mee (bekeken)",
    (Audience.STAFF, True): "one household's data: its page, rules, transactions, "
    "signals, letters, exit, access reason, inzage export",
    (Audience.STAFF, False): "staff work: caseload, work lists, approvals, requests, "
    "audit log, assigning bank transactions",
    (Audience.ADMIN, True): "one household's raw repeat rules (geavanceerd)",
    (Audience.ADMIN, False): "bank reconciliation (afstemming)",
    (Audience.VIEW_LOG, False): "the view log (inzagelog) of every household of the gemeente",
    (Audience.SETTINGS, False): "gemeente settings and the gemeente's login accounts",
    (Audience.LEAD, False): "team dashboard (figures per team)",
}


def household_route(rule: str) -> bool:
    """Whether a route reads or changes one household's data named in its URL."""
    return "<code>" in rule


# (method, url rule) → audience; every route of the app.
ROUTE_AUDIENCES: dict[tuple[str, str], Audience] = {
    ("GET", "/"): Audience.PUBLIC,
    ("GET", "/inloggen"): Audience.PUBLIC,
    ("POST", "/inloggen"): Audience.PUBLIC,
    ("POST", "/uitloggen"): Audience.PUBLIC,
    ("GET", "/inloggen/code"): Audience.PUBLIC,
    ("POST", "/inloggen/code"): Audience.PUBLIC,
    ("GET", "/inloggen/tweede-factor"): Audience.PUBLIC,
    ("POST", "/inloggen/tweede-factor"): Audience.PUBLIC,
    ("GET", "/inloggen/via/<name>"): Audience.PUBLIC,
    ("GET", "/inloggen/via/<name>/terug"): Audience.PUBLIC,
    ("GET", "/opnieuw-inloggen"): Audience.STAFF,
    ("POST", "/opnieuw-inloggen"): Audience.STAFF,
    ("GET", "/uitnodiging/<token>"): Audience.PUBLIC,
    ("POST", "/uitnodiging/<token>"): Audience.PUBLIC,
    ("GET", "/vandaag"): Audience.HOUSEHOLD,
    ("GET", "/betaald"): Audience.HOUSEHOLD,
    ("GET", "/overzicht"): Audience.HOUSEHOLD,
    ("GET", "/overzicht/grafiek.svg"): Audience.HOUSEHOLD,
    ("GET", "/overzicht/<period>"): Audience.HOUSEHOLD,
    ("GET", "/verzoek"): Audience.HOUSEHOLD,
    ("POST", "/verzoek"): Audience.HOUSEHOLD,
    ("GET", "/medewerker/"): Audience.STAFF,
    ("GET", "/medewerker/audit"): Audience.STAFF,
    ("GET", "/medewerker/afstemming"): Audience.ADMIN,
    ("GET", "/medewerker/goedkeuren"): Audience.STAFF,
    ("POST", "/medewerker/goedkeuren/<int:request_id>"): Audience.STAFF,
    ("GET", "/medewerker/huishouden-nieuw"): Audience.STAFF,
    ("POST", "/medewerker/huishouden-nieuw"): Audience.STAFF,
    ("GET", "/medewerker/huishouden/<code>"): Audience.STAFF,
    ("GET", "/medewerker/huishouden/<code>/<section>/<rule_id>"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/<section>/<rule_id>"): Audience.STAFF,
    ("GET", "/medewerker/huishouden/<code>/<section>/<rule_id>/beeindigen"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/<section>/<rule_id>/beeindigen"): Audience.STAFF,
    ("GET", "/medewerker/huishouden/<code>/bewerken"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/bewerken"): Audience.STAFF,
    ("GET", "/medewerker/huishouden/<code>/grafiek.svg"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/signaal"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/uitnodigen"): Audience.STAFF,
    ("GET", "/medewerker/huishouden/<code>/vaste-last/<rule_id>/pauzeren"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/vaste-last/<rule_id>/pauzeren"): Audience.STAFF,
    ("GET", "/medewerker/huishouden/<code>/vaste-last/<rule_id>/tijdelijk"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/vaste-last/<rule_id>/tijdelijk"): Audience.STAFF,
    ("GET", "/medewerker/huishouden/<code>/vaste-last/<rule_id>/totaal"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/vaste-last/<rule_id>/totaal"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/vaste-last/<rule_id>/opheffen"): Audience.STAFF,
    ("GET", "/medewerker/huishouden/<code>/<section>/<rule_id>/geavanceerd"): Audience.ADMIN,
    ("POST", "/medewerker/huishouden/<code>/<section>/<rule_id>/geavanceerd"): Audience.ADMIN,
    ("POST", "/medewerker/huishouden/<code>/inzage-export"): Audience.STAFF,
    ("GET", "/medewerker/verzoeken"): Audience.STAFF,
    ("POST", "/medewerker/verzoeken/<int:request_id>"): Audience.STAFF,
    ("GET", "/medewerker/werklijsten"): Audience.STAFF,
    ("POST", "/medewerker/transacties/<int:tx_id>/toewijzen"): Audience.STAFF,
    ("POST", "/medewerker/transacties/<int:tx_id>/zoekterm"): Audience.STAFF,
    ("POST", "/medewerker/transacties/<int:tx_id>/verdelen"): Audience.STAFF,
    ("GET", "/medewerker/huishouden/<code>/einde"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/einde/afvinken"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/einde/starten"): Audience.STAFF,
    ("GET", "/medewerker/huishouden/<code>/einde/brief/<kind>/<rule_id>"): Audience.STAFF,
    ("POST", "/medewerker/signalen/afhandelen"): Audience.STAFF,
    # issue 19.4: hand-over to a colleague with a note; a leaver's households at once
    ("GET", "/medewerker/huishouden/<code>/overdragen"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/overdragen"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/overdracht/<int:handover_id>/gelezen"): Audience.STAFF,
    ("GET", "/medewerker/overdragen"): Audience.LEAD,
    ("POST", "/medewerker/overdragen"): Audience.LEAD,
    # issue 19.7: the household is asked; staff record a post household's answer
    ("POST", "/medewerker/huishouden/<code>/voorstel/<int:proposal_id>/antwoord"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/voorstel/<int:proposal_id>/intrekken"): Audience.STAFF,
    ("GET", "/wijzigingen"): Audience.HOUSEHOLD,
    ("POST", "/wijzigingen/<int:proposal_id>"): Audience.HOUSEHOLD,
    # issue 19.3: a household's consent: record it, withdraw it, its signed document
    ("GET", "/medewerker/huishouden/<code>/toestemming"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/toestemming"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/toestemming/intrekken"): Audience.STAFF,
    ("GET", "/medewerker/huishouden/<code>/toestemming/<int:consent_id>/document"): Audience.STAFF,
    ("GET", "/medewerker/huishouden/<code>/toegang"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/toegang"): Audience.STAFF,
    ("GET", "/bekeken"): Audience.HOUSEHOLD,
    ("GET", "/medewerker/inzagelog"): Audience.VIEW_LOG,
    ("GET", "/medewerker/instellingen"): Audience.SETTINGS,
    ("GET", "/medewerker/rapportage"): Audience.LEAD,
    ("GET", "/medewerker/rapportage.csv"): Audience.LEAD,
    ("GET", "/medewerker/huishouden/<code>/brief.pdf"): Audience.STAFF,
}


def _areas() -> list[tuple[Audience, bool]]:
    """Each audience, split into routes with and without a household code in them."""
    present = {(a, household_route(rule)) for (_m, rule), a in ROUTE_AUDIENCES.items()}
    return [(a, h) for a in Audience for h in (True, False) if (a, h) in present]


def _cell(audience: Audience, one_household: bool, role: Role) -> str:
    if role not in AUDIENCE_ROLES[audience]:
        return "—"
    if audience is Audience.HOUSEHOLD:
        return "its own only"
    if audience is Audience.STAFF or (one_household and audience is not Audience.PUBLIC):
        if role.sees_every_team:
            return "every household of its gemeente (regional: all)"
        if one_household:
            return "own team; another team only with a logged reason"
        return "own team's households"
    return "yes"


def matrix_markdown() -> str:
    """The DPIA's role × data table, from `ROUTE_AUDIENCES` and `AUDIENCE_ROLES`."""
    roles = list(Role)
    head = "| data | " + " | ".join(f"{ROLE_NAMES_NL[r]} (`{r}`)" for r in roles) + " |"
    lines = [head, "|---" * (len(roles) + 1) + "|"]
    for audience, one_household in _areas():
        data = AREA_DATA[audience, one_household]
        cells = (_cell(audience, one_household, r) for r in roles)
        lines.append(f"| {data} — `{audience}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def routes_markdown() -> str:
    """Every route with its audience: the detail behind `matrix_markdown`."""
    lines = ["| method | route | audience |", "|---|---|---|"]
    for (method, rule), audience in sorted(ROUTE_AUDIENCES.items(), key=lambda i: i[0][::-1]):
        lines.append(f"| {method} | `{rule}` | {audience} |")
    return "\n".join(lines)
