"""Issue 18 point 4 and 9: every configuration value has a range that makes sense,
enforced alike by `hhb config check`, the staff forms and the YAML, from one table
(`huishoudboekje.domain.limits`); and a YAML alias bomb is refused fast.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main
from huishoudboekje.adapters.config import ConfigError, household_from_data, parse_config
from huishoudboekje.adapters.config.schema import ConfigModel
from huishoudboekje.domain.limits import DEFAULT_WHOLE_RANGE, WHOLE_RANGES
from huishoudboekje.domain.money import Money
from huishoudboekje.services.rule_editing import HouseholdInvalidError, check_household
from web.parsing import amount_of

ROOT = Path(__file__).resolve().parents[1]
VALID = ROOT / "tests" / "samples" / "config_valid.yaml"
POOLED = "NL91ABNA0417164300"


def edited(old: str, new: str) -> str:
    text = VALID.read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1)


def check(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    path = tmp_path / "households.yaml"
    path.write_text(text, encoding="utf-8")
    code = main(["config", "check", str(path)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# The reproductions and the point-9 items: (old, new, located message).
CASES = {
    "max_days_early huge": (
        "bic: ABNANL2A}",
        "bic: ABNANL2A, max_days_early: 100000000}",
        ":2: gemeente.max_days_early: must be at most 10",
    ),
    "lead_days huge": (
        'reference: "1234567890123456"}',
        'reference: "1234567890123456", lead_days: 1000000000}',
        ":16: households[0].charges[0].lead_days: must be at most 30",
    ),
    "window_days huge": (
        'amount: "131.00"',
        'amount: "131.00", window_days: 100000000000',
        ":14: households[0].incomes[1].window_days: must be at most 31",
    ),
    "members huge": (
        "    members: 3",
        "    members: 99999999999999999999",
        ":7: households[0].members: must be at most 20",
    ),
    "members zero": ("    members: 3", "    members: 0", "members: must be 1 or more"),
    "start far away": (
        "    start: 2026-01-01",
        "    start: 9999-12-31",
        ":8: households[0].start: 9999-12-31 is outside the allowed dates "
        "(2000-01-01 to 2100-12-31)",
    ),
    "schedule start long ago": (
        "schedule: {start: 2026-01-01",
        "schedule: {start: 1066-10-14",
        "charges[0].schedule.start: 1066-10-14 is outside the allowed dates",
    ),
    "amount of a million": (
        '"725.40"',
        '"1000000.00"',
        'charges[0].amount: "1000000.00" must be below 1000000.00',
    ),
    "Arabic-Indic digits": (
        '"725.40"',
        '"\u0667\u0662\u0665.40"',
        "uses the digit U+0667 (arabic-indic digit seven); write amounts with the digits 0-9",
    ),
    "NUL in a name": (
        "name: Fam. Jansen",
        'name: "Fam.\\0 Jansen"',
        ":5: households[0].name: contains the invisible character U+0000",
    ),
    "right-to-left override in a name": (
        "name: Fam. Jansen",
        'name: "Fam. \\u202eJansen"',
        "contains the invisible character U+202E (right-to-left override)",
    ),
    "household IBAN is the pooled account": (
        "iban: NL44RABO0123456789",
        f"iban: {POOLED}",
        ":6: households[0].iban: is the gemeente's pooled account",
    ),
}


@pytest.mark.parametrize(("old", "new", "message"), CASES.values(), ids=CASES.keys())
def test_config_check_refuses_out_of_range_values_with_a_located_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    code, output = check(tmp_path, edited(old, new), capsys)
    assert code == 2, output
    assert message in output, output
    assert "Traceback" not in output


def test_values_at_the_edges_of_their_ranges_are_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = edited("bic: ABNANL2A}", "bic: ABNANL2A, max_days_early: 10}")
    text = text.replace("    members: 3", "    members: 20").replace('"725.40"', '"999999.99"')
    text = text.replace('reference: "1234567890123456"}', 'reference: "12", lead_days: 30}')
    text = text.replace("    end: null", "    end: 2100-12-31")
    code, output = check(tmp_path, text, capsys)
    assert code == 0, output


def test_every_whole_number_field_has_a_range_and_every_range_a_field() -> None:
    # a range for a field that does not exist is a typo that would check nothing
    whole_fields: set[str] = set()

    def walk(model: type) -> None:
        for name, field in model.model_fields.items():  # type: ignore[attr-defined]
            annotation = field.annotation
            if annotation in (int, int | None):
                whole_fields.add(name)
            for arg in (*getattr(annotation, "__args__", ()), annotation):
                if isinstance(arg, type) and hasattr(arg, "model_fields") and arg is not model:
                    walk(arg)

    walk(ConfigModel)
    assert set(WHOLE_RANGES) <= whole_fields, set(WHOLE_RANGES) - whole_fields
    assert DEFAULT_WHOLE_RANGE.high <= 10_000  # unlisted fields are bounded too


def test_the_staff_forms_use_the_same_ranges() -> None:
    household = {
        "code": "HH-0009",
        "name": "Fam. \u202eJansen",
        "iban": POOLED,
        "members": 99999999999999999999,
        "start": "2026-01-01",
    }
    with pytest.raises(HouseholdInvalidError) as caught:
        check_household(household)
    problems = caught.value.by_field()
    assert "invisible character U+202E" in problems["name"]
    assert "pooled account" in problems["iban"]
    assert "must be at most 20" in problems["members"]


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("50", Money("50")),
        ("725,40", Money("725.40")),
        ("€ 1.234,56", Money("1234.56")),
        ("999999,99", Money("999999.99")),
        ("1000000", None),
        ("\u0665\u0660", None),  # Arabic-Indic 50
        ("\uff15\uff10", None),  # full-width 50
        ("1e3", None),
        ("NaN", None),
    ],
)
def test_web_form_amounts_take_only_ascii_digits_below_a_million(
    typed: str, amount: Money | None
) -> None:
    assert amount_of(typed) == amount


# -- YAML: size, nesting and alias expansion -----------------------------------

ALIAS_BOMB = "\n".join(
    [
        "gemeente: {name: X, account_iban: NL91ABNA0417164300, account_name: Y}",
        'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)),
    ]
)


def test_a_yaml_alias_bomb_is_refused_fast_under_a_memory_cap(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(ALIAS_BOMB + "\n", encoding="utf-8")
    assert bomb.stat().st_size < 1000
    child = (
        "import resource, sys\n"
        "cap = 512 * 1024 * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (cap, cap))\n"
        "from cli.main import main\n"
        "sys.exit(main(['config', 'check', sys.argv[1]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", child, str(bomb)],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert "too many values" in done.stderr and "HHB_LIMIT_CONFIG_NODES" in done.stderr


def test_deep_nesting_and_a_large_file_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for depth in (60, 5000):
        with pytest.raises(ConfigError, match="HHB_LIMIT_CONFIG_DEPTH"):
            parse_config("gemeente: " + "[" * depth + "]" * depth + "\n")
    monkeypatch.setenv("HHB_LIMIT_CONFIG_MB", "1")
    with pytest.raises(ConfigError, match="HHB_LIMIT_CONFIG_MB"):
        parse_config(VALID.read_text(encoding="utf-8") + "#" * (1024 * 1024) + "\n")


def test_aliases_within_reason_still_work() -> None:
    text = VALID.read_text(encoding="utf-8")
    shared = text.replace(
        'leefgeld: {policy: smoothed, cadence: weekly, weekday: friday, floor: "78.00"}',
        'leefgeld: &gewoon {policy: smoothed, cadence: weekly, weekday: friday, floor: "78.00"}',
    )
    assert "&gewoon" in shared
    assert parse_config(shared) == parse_config(text)


def test_stored_data_from_before_the_ranges_still_loads() -> None:
    # a household saved before the ranges existed loads as it was accepted (nights go
    # on); the same data as new input is refused, so `config export` + `check` shows it
    stored = {
        "code": "HH-0009",
        "name": "Fam. Jansen",
        "iban": "NL44RABO0123456789",
        "members": 25,
        "start": "1999-12-31",
    }
    household = household_from_data(stored)
    assert household.members == 25
    with pytest.raises(HouseholdInvalidError) as caught:
        check_household(stored)
    assert set(caught.value.by_field()) == {"members", "start"}
