"""Several gemeenten in one configuration file (issue 22.1): the list `gemeenten:`,
located errors, apply/export round trips of both forms, SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from huishoudboekje.adapters.config import (
    ConfigError,
    household_from_data,
    household_to_data,
    parse_config,
)
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_gemeente,
    load_gemeenten,
    load_household,
    save_household,
)
from huishoudboekje.adapters.persistence.repository import household_gemeenten
from huishoudboekje.adapters.persistence.tables import GemeenteRow, PooledAccountRow
from huishoudboekje.domain.household import PooledAccount, code_from_name
from huishoudboekje.services.configuration import apply_config, export_config

ROOT = Path(__file__).resolve().parents[1]
REGIO = ROOT / "docs" / "examples" / "regio.yaml"
BASIS = ROOT / "tests" / "samples" / "voorbeeldstad_basis.yaml"


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, file="f.yaml")
    return [str(p) for p in caught.value.problems]


def test_the_example_reads_as_two_gemeenten_with_their_households() -> None:
    config = parse_config(REGIO.read_text(encoding="utf-8"))
    assert config.regional
    assert [g.effective_code for g in config.gemeenten] == ["westdorp", "oosterveen"]
    west, oost = config.gemeenten
    assert west.code == ""  # the code made from the name is held as ""
    assert oost.extra_accounts == (
        PooledAccount("NL45BUNQ2000111222", "Gemeente Oosterveen Reserve", "BUNQNL2A"),
    )
    assert [a.iban for a in oost.pooled_accounts] == ["NL41RABO0123400001", "NL45BUNQ2000111222"]
    assert {h.code: config.gemeente_of(h).name for h in config.households} == {
        "W-0001": "Westdorp",
        "O-0001": "Oosterveen",
    }
    assert west.extra_closing_days != oost.extra_closing_days
    assert oost.max_days_early == 5


def test_a_one_gemeente_file_is_read_as_before() -> None:
    config = parse_config(BASIS.read_text(encoding="utf-8"))
    assert not config.regional
    assert config.others == ()
    assert config.gemeente.code == ""
    assert config.gemeente.effective_code == "voorbeeldstad"
    assert {h.gemeente_id for h in config.households} == {1}


def test_codes_come_from_names_like_the_migration() -> None:
    assert code_from_name("Den Haag") == "den-haag"
    assert code_from_name("Súdwest-Fryslân") == "sudwest-fryslan"
    assert code_from_name("'s-Hertogenbosch") == "s-hertogenbosch"


GEMEENTE = """  - code: {code}
    name: {name}
    account_iban: {iban}
    account_name: X
    households:
      - {{code: {household}, name: N, iban: {household_iban}}}
"""


def two(**changes: str) -> str:
    first = {
        "code": "a",
        "name": "A",
        "iban": "NL91ABNA0417164300",
        "household": "HH-1",
        "household_iban": "NL42RABO0300012345",
    }
    second = {
        "code": "b",
        "name": "B",
        "iban": "NL41RABO0123400001",
        "household": "HH-2",
        "household_iban": "NL32ASNB0711122233",
    }
    second.update(changes)
    return "gemeenten:\n" + GEMEENTE.format(**first) + GEMEENTE.format(**second)


def test_a_household_code_is_unique_across_gemeenten() -> None:
    assert problems(two(household="HH-1")) == [
        'f.yaml:13: gemeenten[1].households[0].code: household code "HH-1" is used twice '
        "(also at gemeenten[0].households[0]); a household code must be unique in the whole "
        "installation, across all gemeenten"
    ]


def test_gemeente_codes_and_pooled_accounts_are_used_once() -> None:
    found = problems(two(code="a", iban="NL91ABNA0417164300"))
    assert found == [
        'f.yaml:8: gemeenten[1].code: gemeente code "a" is used twice (also at gemeenten[0])',
        "f.yaml:10: gemeenten[1].account_iban: pooled account NL91ABNA0417164300 is used "
        "twice (also at gemeenten[0].account_iban); statements are routed to their "
        "gemeente by this account",
    ]


def test_a_household_may_not_use_another_gemeentes_pooled_account() -> None:
    found = problems(two(household_iban="NL91ABNA0417164300"))
    assert found == [
        "f.yaml:13: gemeenten[1].households[0].iban: is the gemeente's pooled account "
        "(account_iban); a household needs its own account"
    ]


def test_a_regional_gemeente_needs_a_code_and_the_forms_do_not_mix() -> None:
    text = two().replace("  - code: b\n    name: B", "  - name: B")
    assert problems(text) == ["f.yaml:8: gemeenten[1].code: this field is required but missing"]
    mixed = two() + "households: []\n"
    assert problems(mixed) == [
        "f.yaml:14: households: with gemeenten:, each household goes under its own gemeente "
        "(gemeenten: - code: ... households: ...)"
    ]
    assert problems("households: []\n") == [
        "f.yaml:1: gemeente: this field is required but missing (or give a list gemeenten: "
        "for several gemeenten)"
    ]


def test_an_unknown_field_under_a_regional_gemeente_names_the_allowed_ones() -> None:
    text = two().replace("    account_name: X\n", "    account_name: X\n    colour: red\n", 1)
    (found,) = problems(text)
    assert found.startswith('f.yaml:6: gemeenten[0].colour: unknown field "colour"; allowed')
    assert "extra_accounts" in found and "households" in found


def test_apply_and_export_round_trip_the_regional_form(engine: Engine) -> None:
    config = parse_config(REGIO.read_text(encoding="utf-8"))
    with UnitOfWork(engine) as uow:
        changes = apply_config(uow, config)
    assert [g.status.value for g in (changes.gemeente, *changes.others)] == ["added", "added"]
    with UnitOfWork(engine) as uow:
        gemeenten = load_gemeenten(uow)
        assert {i: g.effective_code for i, g in gemeenten.items()} == {
            1: "westdorp",
            2: "oosterveen",
        }
        assert household_gemeenten(uow) == {"W-0001": 1, "O-0001": 2}
        accounts = {r.iban: r.gemeente_id for r in uow.session.exec(select(PooledAccountRow))}
        assert accounts == {
            "NL91ABNA0417164300": 1,
            "NL41RABO0123400001": 2,
            "NL45BUNQ2000111222": 2,
        }
        codes = {r.id: r.code for r in uow.session.exec(select(GemeenteRow))}
        assert codes == {1: "westdorp", 2: "oosterveen"}  # the column always holds the code
        exported = export_config(uow)
    again = parse_config(exported)
    assert again.gemeenten == config.gemeenten
    assert sorted(again.households, key=lambda h: h.code) == sorted(
        config.households, key=lambda h: h.code
    )
    with UnitOfWork(engine) as uow:
        changes = apply_config(uow, again)
    assert not changes.has_changes


def test_a_gemeente_keeps_its_id_by_code_when_the_order_changes(engine: Engine) -> None:
    config = parse_config(REGIO.read_text(encoding="utf-8"))
    with UnitOfWork(engine) as uow:
        apply_config(uow, config)
    swapped = replace(
        config,
        gemeente=config.others[0],
        others=(config.gemeente,),
        households=tuple(replace(h, gemeente_id=3 - h.gemeente_id) for h in config.households),
    )
    with UnitOfWork(engine) as uow:
        changes = apply_config(uow, swapped)
    assert not changes.has_changes
    with UnitOfWork(engine) as uow:
        assert household_gemeenten(uow) == {"W-0001": 1, "O-0001": 2}


def test_a_household_moves_to_another_gemeente_as_a_visible_change(engine: Engine) -> None:
    config = parse_config(REGIO.read_text(encoding="utf-8"))
    with UnitOfWork(engine) as uow:
        apply_config(uow, config)
    moved = replace(
        config,
        households=tuple(
            replace(h, gemeente_id=2) if h.code == "W-0001" else h for h in config.households
        ),
    )
    with UnitOfWork(engine) as uow:
        changes = apply_config(uow, moved)
    (change,) = [h for h in changes.households if h.code == "W-0001"]
    assert [str(f) for f in change.fields] == ["gemeente: 1 → 2"]
    with UnitOfWork(engine) as uow:
        assert household_gemeenten(uow)["W-0001"] == 2


def test_the_one_gemeente_form_round_trips_unchanged(engine: Engine) -> None:
    text = BASIS.read_text(encoding="utf-8")
    config = parse_config(text)
    with UnitOfWork(engine) as uow:
        apply_config(uow, config)
    with UnitOfWork(engine) as uow:
        exported = export_config(uow)
        assert load_gemeente(uow) == config.gemeente
        assert uow.session.get(GemeenteRow, 1).code == "voorbeeldstad"  # type: ignore[union-attr]
    assert exported.splitlines()[2] == "gemeente:"
    assert "gemeenten" not in exported and "code:" not in exported.split("households:")[0]
    assert parse_config(exported).gemeente == config.gemeente
    with UnitOfWork(engine) as uow:
        assert not apply_config(uow, parse_config(exported)).has_changes


def test_a_one_gemeente_file_is_refused_on_a_regional_installation(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        apply_config(uow, parse_config(REGIO.read_text(encoding="utf-8")))
    with UnitOfWork(engine) as uow, pytest.raises(ConfigError) as caught:
        apply_config(uow, parse_config(BASIS.read_text(encoding="utf-8")))
    assert "holds 2 gemeenten; give them all in a list gemeenten:" in str(caught.value)
    with UnitOfWork(engine) as uow:
        assert household_gemeenten(uow) == {"W-0001": 1, "O-0001": 2}  # nothing changed


def test_the_example_in_the_documentation_is_valid() -> None:
    doc = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    section = doc.split("## Meerdere gemeenten", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    config = parse_config(example)
    assert config.gemeenten == parse_config(REGIO.read_text(encoding="utf-8")).gemeenten
    assert [h.code for h in config.households] == ["W-0001", "O-0001"]


def test_a_household_rebuilt_from_its_data_stays_in_its_gemeente(engine: Engine) -> None:
    """A staff form or a four-eyes request rebuilds a household from its rules, without
    its gemeente: saving it must not move it (only `hhb config apply` does)."""
    with UnitOfWork(engine) as uow:
        apply_config(uow, parse_config(REGIO.read_text(encoding="utf-8")))
    with UnitOfWork(engine) as uow:
        stored = load_household(uow, "O-0001")
        assert stored is not None and stored.gemeente_id == 2
        rebuilt = household_from_data(household_to_data(stored, full=True))
        assert rebuilt.gemeente_id == 1 and rebuilt == stored  # the same household
        save_household(uow, replace(rebuilt, members=5))
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert household_gemeenten(uow)["O-0001"] == 2
        after = load_household(uow, "O-0001")
        assert after is not None and (after.members, after.gemeente_id) == (5, 2)
