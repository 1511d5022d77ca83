"""Issue 22.1: staff belong to one gemeente, a regional account to none; what staff
make and move stays in their gemeente (accounts, SSO, a new household, a hand-over,
four eyes, unknown money). The installation is tests/gemeente_fixtures.py's."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from cli.main import main
from huishoudboekje.adapters.persistence import UnitOfWork, load_household
from huishoudboekje.adapters.persistence.gemeente_scope import household_gemeente, user_gemeente
from huishoudboekje.adapters.persistence.nightly_tables import BankTransactionRow
from huishoudboekje.adapters.persistence.user_repo import find_user
from huishoudboekje.services.errors import UserError
from huishoudboekje.services.household_handover import colleagues_for, hand_over
from huishoudboekje.services.nightly import assign_transaction
from huishoudboekje.services.rule_changes import approve_change, propose_household
from huishoudboekje.services.staff_sso import ClaimMapping, sso_staff_login, staff_claims
from huishoudboekje.services.user_accounts import AccountError, Role
from tests.gemeente_fixtures import two_gemeenten  # noqa: F401
from tests.web_fixtures import TODAY, WebEnv

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
MAPPING = ClaimMapping(
    role_claim="groups",
    roles={"hhb-medewerker": Role.MEDEWERKER, "hhb-beheer": Role.ADMIN},
    gemeente_claim="gemeente",
)


def _hhb(env: WebEnv, monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setenv("HHB_DATABASE_URL", env.db_url)
    return main(list(argv))


def _gemeente_of(env: WebEnv, username: str) -> tuple[bool, int | None]:
    with UnitOfWork(env.engine) as uow:
        return user_gemeente(uow, username)


def test_users_add_needs_a_gemeente_or_regio_in_a_regional_installation(
    two_gemeenten: WebEnv,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = two_gemeenten
    add = ("users", "add")
    assert _hhb(env, monkeypatch, *add, "nieuw1", "--role", "medewerker", "--no-password") == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--gemeente CODE (a, b)" in err, err
    assert _gemeente_of(env, "nieuw1") == (False, None)  # nothing made
    args = ("--role", "medewerker", "--no-password", "--regio")
    assert _hhb(env, monkeypatch, *add, "nieuw2", *args) == 2
    assert "regionaal" in capsys.readouterr().err
    assert _gemeente_of(env, "nieuw2") == (False, None)
    args = ("--role", "medewerker", "--no-password", "--gemeente", "x")
    assert _hhb(env, monkeypatch, *add, "nieuw3", *args) == 2
    assert "bestaat niet" in capsys.readouterr().err
    args = ("--role", "medewerker", "--no-password", "--gemeente", "b")
    assert _hhb(env, monkeypatch, *add, "nieuw4", *args) == 0
    assert _gemeente_of(env, "nieuw4") == (True, 2)
    args = ("--role", "admin", "--no-password", "--regio")
    assert _hhb(env, monkeypatch, *add, "nieuw5", *args) == 0
    assert _gemeente_of(env, "nieuw5") == (True, None)
    capsys.readouterr()
    assert _hhb(env, monkeypatch, "users", "list", "--gemeente", "a") == 0
    listed = capsys.readouterr().out
    assert "mira" in listed and "bmira" not in listed and "nieuw4" not in listed
    assert "devries" not in listed  # B's household account


def test_sso_gives_the_account_the_gemeente_of_its_claim(two_gemeenten: WebEnv) -> None:  # noqa: F811
    env = two_gemeenten

    def login(sub: str, groups: str, gemeente: str | None) -> None:
        claims = {"sub": sub, "preferred_username": f"sso-{sub}", "groups": [groups]}
        if gemeente is not None:
            claims["gemeente"] = gemeente
        who = staff_claims(claims, "https://idp.example", MAPPING)
        with UnitOfWork(env.engine) as uow:
            sso_staff_login(uow, who=who, client="test", now=NOW)

    login("1", "hhb-medewerker", "b")
    assert _gemeente_of(env, "sso-1") == (True, 2)
    login("2", "hhb-beheer", "regio")
    assert _gemeente_of(env, "sso-2") == (True, None)
    for sub, groups, gemeente in (
        ("3", "hhb-medewerker", "regio"),  # a medewerker is never regional
        ("4", "hhb-medewerker", None),  # a new account without a gemeente: refused
        ("5", "hhb-medewerker", "onbekend"),
    ):
        with pytest.raises(AccountError):
            login(sub, groups, gemeente)
        assert _gemeente_of(env, f"sso-{sub}") == (False, None), sub  # nothing made
    login("1", "hhb-medewerker", "a")  # moved at the provider: follows at the next login
    assert _gemeente_of(env, "sso-1") == (True, 1)


def test_a_new_household_is_its_proposers_gemeente_and_waits_for_that_gemeentes_eyes(
    two_gemeenten: WebEnv,  # noqa: F811
) -> None:
    env = two_gemeenten
    with UnitOfWork(env.engine) as uow:
        template = load_household(uow, "HH-0002")
        assert template is not None
        new = dataclasses.replace(template, code="HH-0099", name="Fam. Bstadnieuw")
        proposal = propose_household(
            uow, actor="bmira", after=new, now=NOW, summary="nieuw", is_new=True
        )
    assert proposal.change_request is not None
    change = proposal.change_request.id
    assert "HH-0099" not in env.client("tom").get("/medewerker/goedkeuren").get_data(True)
    assert "HH-0099" in env.client("btom").get("/medewerker/goedkeuren").get_data(True)
    refused = env.client("tom").post(f"/medewerker/goedkeuren/{change}", data={"besluit": "x"})
    assert refused.status_code == 404
    with UnitOfWork(env.engine) as uow:
        approve_change(uow, request_id=change, approver="btom", may_approve=True, now=NOW, note="")
    with UnitOfWork(env.engine) as uow:
        assert household_gemeente(uow, "HH-0099") == 2
    assert env.client("mira").get("/medewerker/huishouden/HH-0099").status_code == 404
    assert env.client("bmira").get("/medewerker/huishouden/HH-0099").status_code == 200
    with UnitOfWork(env.engine) as uow, pytest.raises(UserError, match="regionaal"):
        again = dataclasses.replace(new, code="HH-0098")
        propose_household(uow, actor="regio", after=again, now=NOW, summary="x", is_new=True)


def test_a_household_is_handed_over_within_its_gemeente_only(two_gemeenten: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(two_gemeenten.engine) as uow:
        household = load_household(uow, "HH-0001")
        assert household is not None
        names = {c.username for c in colleagues_for(uow, household, Role.ADMIN)}
        assert "tom" in names and not names & {"bmira", "btom", "bada", "regio"}
        with pytest.raises(UserError, match="andere gemeente"):
            hand_over(
                uow, code="HH-0001", to_user="bmira", note="een lange notitie voor b",
                actor="ada", role=Role.ADMIN, now=NOW,
            )  # fmt: skip
        with pytest.raises(UserError):  # B's beheerder cannot move A's household
            hand_over(
                uow, code="HH-0001", to_user="tom", note="een lange notitie voor a",
                actor="bada", role=Role.ADMIN, now=NOW,
            )  # fmt: skip
        assert find_user(uow, "bmira") is not None


def test_money_on_one_gemeentes_account_goes_to_its_own_households(
    two_gemeenten: WebEnv,  # noqa: F811
) -> None:
    with UnitOfWork(two_gemeenten.engine) as uow:
        row = uow.session.exec(
            select(BankTransactionRow).where(BankTransactionRow.dedupe_key == "dk-bstad")
        ).one()
        with pytest.raises(UserError, match="andere gemeente"):
            assign_transaction(uow, str(row.id), "HH-0001", None, actor="ada", today=TODAY)
    with UnitOfWork(two_gemeenten.engine) as uow:
        row = uow.session.exec(
            select(BankTransactionRow).where(BankTransactionRow.dedupe_key == "dk-bstad")
        ).one()
        assert row.status == "unmatched"
    client = two_gemeenten.client("mira")
    refused = client.post(
        f"/medewerker/transacties/{row.id}/toewijzen", data={"household": "HH-0001"}
    )
    assert refused.status_code == 404
