"""Who may use which route: the one route × audience table that the authorization
matrix test (`tests/test_web_authz.py`) walks for every role and the DPIA's "who
sees what" table in docs/privacy.md is generated from (`hhb privacy dpia-tables`).

Every route of the app is in `ROUTE_AUDIENCES`; a route missing here fails
`test_every_route_is_in_the_matrix`, and a route whose behaviour differs from its
audience fails `test_authorization_matrix`. Routes with `<code>` in them read or
change one household's data, and need-to-know narrows them further: a medewerker
and a teamleider reach only their own team's households (another team's only with
a reason, which is logged); `tests/test_need_to_know.py` walks those.
"""

from __future__ import annotations

from enum import StrEnum

from huishoudboekje.services.user_accounts import Role

__all__ = [
    "AUDIENCE_DATA",
    "AUDIENCE_ROLES",
    "ROUTE_AUDIENCES",
    "Audience",
    "household_route",
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

# What the routes of an audience show, for the DPIA (English, Dutch domain words).
AUDIENCE_DATA: dict[Audience, str] = {
    Audience.PUBLIC: "login, second factor, invite (no household data)",
    Audience.HOUSEHOLD: "the household's own pages: vandaag, betaald, overzicht, "
    "verzoek, wie keek mee",
    Audience.STAFF: "staff work: caseload, work lists, approvals, requests, audit log",
    Audience.ADMIN: "bank reconciliation, raw repeat rules of a household",
    Audience.VIEW_LOG: "the view log (inzagelog) of every household",
    Audience.SETTINGS: "gemeente settings and login accounts",
    Audience.LEAD: "team dashboard (figures per team)",
}
HOUSEHOLD_DATA = (
    "one household's data: its page, rules, transactions, signals, letters, exit, inzage export"
)


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
    ("GET", "/medewerker/huishouden/<code>/toegang"): Audience.STAFF,
    ("POST", "/medewerker/huishouden/<code>/toegang"): Audience.STAFF,
    ("GET", "/bekeken"): Audience.HOUSEHOLD,
    ("GET", "/medewerker/inzagelog"): Audience.VIEW_LOG,
    ("GET", "/medewerker/instellingen"): Audience.SETTINGS,
    ("GET", "/medewerker/rapportage"): Audience.LEAD,
    ("GET", "/medewerker/rapportage.csv"): Audience.LEAD,
    ("GET", "/medewerker/huishouden/<code>/brief.pdf"): Audience.STAFF,
}
