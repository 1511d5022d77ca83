"""The caseload and contact fields every staff-day, privacy and letters feature builds
on: a household's team, medewerker (caseworker), contact preference and postal address,
a staff member's team and the gemeente's letterhead. From YAML to the domain and back,
stored and loaded on SQLite and PostgreSQL, and kept by a migration of an older database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from huishoudboekje.adapters.config import ConfigError, dump_config, parse_config
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    create_engine_from_url,
    load_gemeente,
    load_household,
    migrate,
    save_household,
)
from huishoudboekje.adapters.persistence.context import load_household_context
from huishoudboekje.adapters.persistence.db import alembic_config
from huishoudboekje.adapters.persistence.repository import save_gemeente
from huishoudboekje.adapters.persistence.user_repo import find_user, insert_user
from huishoudboekje.domain.household import Contact, Letterhead, PostalAddress

ROOT = Path(__file__).resolve().parent.parent

CONFIG = """\
gemeente:
  name: Voorbeeldstad
  account_iban: NL90INGB0005550001
  account_name: Gemeente Voorbeeldstad Huishoudboekje
  letterhead:
    sender: "Gemeente Voorbeeldstad, Budgetbeheer"
    return_address: ["Postbus 1234", "9999 ZZ  VOORBEELDSTAD"]
    phone: "14 099"
households:
  - code: HH-0001
    name: Fam. Jansen
    iban: NL44RABO0123456789
    team: Team Noord
    caseworker: mira
    contact: post
    address: {street: "Lindelaan 12", postcode: "9991ab", city: Voorbeeldstad}
  - code: HH-0002
    name: Mw. Yilmaz
    iban: NL44RABO0123456789
"""


def test_yaml_gives_the_fields_and_writes_them_back_unchanged() -> None:
    config = parse_config(CONFIG)
    first, second = config.households
    assert (first.team, first.caseworker, first.contact) == ("Team Noord", "mira", Contact.POST)
    assert first.address == PostalAddress("Lindelaan 12", "9991 AB", "Voorbeeldstad")
    assert first.address.lines() == ("Lindelaan 12", "9991 AB  VOORBEELDSTAD")
    # omitted: no team, nobody's caseload yet, the overview online, no address
    assert (second.team, second.caseworker, second.contact, second.address) == (
        "",
        "",
        Contact.ONLINE,
        None,
    )
    assert config.gemeente.letterhead == Letterhead(
        sender="Gemeente Voorbeeldstad, Budgetbeheer",
        return_address=("Postbus 1234", "9999 ZZ  VOORBEELDSTAD"),
        phone="14 099",
    )
    again = parse_config(dump_config(config.gemeente, config.households))
    assert again.households == config.households
    assert again.gemeente == config.gemeente


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            (
                '    contact: post\n    address: {street: "Lindelaan 12", '
                'postcode: "9991ab", city: Voorbeeldstad}\n',
                "    contact: post\n",
            ),
            "contact: post needs an address",
        ),
        (("9991ab", "999 AB"), "is not a Dutch postcode; write it as 1234 AB"),
        (("contact: post", "contact: brief"), 'unknown contact "brief"'),
        (("city: Voorbeeldstad}", "city: Voorbeeldstad, land: NL}"), 'unknown field "land"'),
    ],
)
def test_bad_contact_fields_are_refused_with_their_place(
    change: tuple[str, str], problem: str
) -> None:
    old, new = change
    assert old in CONFIG
    with pytest.raises(ConfigError) as caught:
        parse_config(CONFIG.replace(old, new), "gemeente.yaml")
    assert problem in str(caught.value)
    assert "households[0]" in str(caught.value) or "households.0" in str(caught.value)


def test_stored_and_loaded_with_the_household(engine: Engine) -> None:
    config = parse_config(CONFIG)
    now = datetime(2026, 12, 5, tzinfo=UTC)
    with UnitOfWork(engine) as uow:
        save_gemeente(uow, config.gemeente, at=now)
        for household in config.households:
            save_household(uow, household, at=now)
        insert_user(
            uow,
            username="mira",
            display_name="Mira",
            role="medewerker",
            household=None,
            password_hash=None,
            at=now,
            team="Team Noord",
        )
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert load_household(uow, "HH-0001") == config.households[0]
        assert load_household(uow, "HH-0002") == config.households[1]
        assert load_gemeente(uow) == config.gemeente
        context = load_household_context(uow, "HH-0001")
        assert context is not None and context.household == config.households[0]
        assert context.gemeente == config.gemeente
        user = find_user(uow, "mira")
        assert user is not None and user.team == "Team Noord"
        # the caseload columns are real columns, for lists filtered in SQL
        rows = uow.session.execute(
            text("SELECT code FROM household WHERE caseworker = 'mira' AND team = 'Team Noord'")
        ).all()
        assert [r.code for r in rows] == ["HH-0001"]


def test_an_older_database_keeps_its_households_and_gets_empty_fields(db_url: str) -> None:
    engine = create_engine_from_url(db_url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "0005")
            connection.execute(
                text(
                    "INSERT INTO household (code, name, iban, bic, members, start_date,"
                    " rules, created_at, updated_at) VALUES ('HH-0009', 'Dhr. de Boer',"
                    " 'NL44RABO0123456789', '', 1, :start, '{}', :now, :now)"
                ),
                {"start": date(2026, 9, 1), "now": datetime(2026, 9, 1, tzinfo=UTC)},
            )
        migrate(engine)
        with UnitOfWork(engine) as uow:
            household = load_household(uow, "HH-0009")
            assert household is not None
            assert (household.team, household.caseworker, household.contact) == (
                "",
                "",
                Contact.ONLINE,
            )
            assert household.address is None
    finally:
        engine.dispose()


def test_the_demo_sends_some_overviews_by_post() -> None:
    demo = (ROOT / "sample_statements" / "voorbeeldstad.yaml").read_text(encoding="utf-8")
    config = parse_config(demo)
    by_post = [h.code for h in config.households if h.contact is Contact.POST]
    assert by_post and all(h.address is not None for h in config.households)
    assert config.gemeente.letterhead.sender
    assert {h.caseworker for h in config.households} == {"medewerker"}
