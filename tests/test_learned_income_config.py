"""Issue 17.4 in the YAML: `irregular: true` on an income, and the gemeente's maximum
learned buffer and step period; read, checked and written back unchanged."""

from __future__ import annotations

from dataclasses import replace

import pytest

from huishoudboekje.adapters.config import ConfigError, dump_config, parse_config
from huishoudboekje.domain.money import Money

YAML = """\
gemeente:
  name: Voorbeeldstad
  account_iban: NL91ABNA0417164300
  account_name: Gemeente Voorbeeldstad Budgetbeheer
  {gemeente_extra}
households:
  - code: HH-0042
    name: Fam. Yilmaz
    iban: NL44RABO0123456789
    start: 2026-09-01
    incomes:
      - id: onderneming
        kind: overig
        amount: "1700.00"
        {income_extra}
        schedule: {{start: 2026-09-28, rrule: "FREQ=MONTHLY;BYMONTHDAY=28"}}
"""


def _text(income_extra: str = "", gemeente_extra: str = "") -> str:
    return YAML.format(income_extra=income_extra, gemeente_extra=gemeente_extra)


def test_irregular_is_read_and_written_back() -> None:
    config = parse_config(
        _text("irregular: true", 'max_learned_buffer: "3000.00"\n  irregular_step_months: 2')
    )
    (income,) = config.households[0].incomes
    assert income.irregular is True
    assert config.gemeente.max_learned_buffer == Money("3000.00")
    assert config.gemeente.irregular_step_months == 2
    text = dump_config(config.gemeente, config.households)
    assert "irregular: true" in text
    assert 'max_learned_buffer: "3000.00"' in text
    again = parse_config(text)
    assert again.households == config.households and again.gemeente == config.gemeente


def test_the_defaults_stay_out_of_the_file() -> None:
    config = parse_config(_text())
    assert config.households[0].incomes[0].irregular is False
    assert config.gemeente.max_learned_buffer == Money("7200.00")
    assert config.gemeente.irregular_step_months == 3
    text = dump_config(config.gemeente, config.households)
    assert "irregular" not in text and "max_learned_buffer" not in text


@pytest.mark.parametrize("value", ["ja", "1", '"true"'])
def test_irregular_must_be_true_or_false(value: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(_text(f"irregular: {value}"))
    assert "expected true or false" in str(error.value)
    assert "irregular" in str(error.value)


def test_the_gemeente_learned_income_settings_are_stored(db_url: str) -> None:
    """max_learned_buffer and irregular_step_months survive `config apply` (migration 0005)."""
    from huishoudboekje.adapters.persistence import load_gemeente, save_gemeente
    from huishoudboekje.adapters.persistence.db import open_database
    from huishoudboekje.adapters.persistence.uow import UnitOfWork
    from huishoudboekje.services.household_status import plan_settings

    gemeente = replace(
        parse_config(YAML.format(gemeente_extra="", income_extra="")).gemeente,
        max_learned_buffer=Money("5000.00"),
        irregular_step_months=2,
    )
    engine = open_database(db_url)
    try:
        with UnitOfWork(engine) as uow:
            save_gemeente(uow, gemeente)
            uow.commit()
        with UnitOfWork(engine) as uow:
            stored = load_gemeente(uow)
        assert stored == gemeente
        assert stored is not None
        settings = plan_settings(stored)
        assert settings.max_learned_buffer == Money("5000.00")
        assert settings.irregular_step_months == 2
    finally:
        engine.dispose()
