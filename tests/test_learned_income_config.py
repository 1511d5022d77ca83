"""Issue 17.4 in the YAML: `irregular: true` on an income, and the gemeente's maximum
learned buffer and step period; read, checked and written back unchanged."""

from __future__ import annotations

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
    assert config.gemeente.max_learned_buffer == Money("3600.00")
    assert config.gemeente.irregular_step_months == 3
    text = dump_config(config.gemeente, config.households)
    assert "irregular" not in text and "max_learned_buffer" not in text


@pytest.mark.parametrize("value", ["ja", "1", '"true"'])
def test_irregular_must_be_true_or_false(value: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(_text(f"irregular: {value}"))
    assert "expected true or false" in str(error.value)
    assert "irregular" in str(error.value)
