"""The YAML configuration: valid files become domain records, every mistake is
reported with file, path and line, and the normalized form round-trips."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huishoudboekje.adapters.config import (
    ConfigError,
    ConfigProblem,
    Configuration,
    dump_config,
    household_from_data,
    household_to_data,
    jsonable,
    load_config,
    parse_config,
)
from huishoudboekje.adapters.config.schema import (
    BufferModel,
    ChargeModel,
    GemeenteModel,
    HouseholdModel,
    IncomeModel,
    LeefgeldModel,
    ReserveModel,
)
from huishoudboekje.domain.household import (
    BufferPolicy,
    Cadence,
    ChargeKind,
    FixedCharge,
    Gemeente,
    Household,
    IncomeKind,
    IncomeStream,
    LeefgeldPolicy,
    LeefgeldPolicyKind,
    Reserve,
)
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.schedule import Schedule
from huishoudboekje.services.rule_editing import check_household, household_data

SAMPLES = Path(__file__).parent / "samples"
DEMO = Path(__file__).parent / "samples" / "voorbeeldstad_basis.yaml"
VALID = (SAMPLES / "config_valid.yaml").read_text(encoding="utf-8")
DEMO_TEXT = DEMO.read_text(encoding="utf-8")


def problems_in(text: str, tmp_path: Path) -> list[ConfigProblem]:
    path = tmp_path / "households.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert all(p.file == str(path) for p in info.value.problems)
    return list(info.value.problems)


def line_of(text: str, fragment: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in text")


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


# ------------------------------------------------------------------ valid files


def test_the_issue_example_becomes_domain_records() -> None:
    config = load_config(SAMPLES / "config_valid.yaml")
    assert config.gemeente == Gemeente(
        name="Voorbeeldstad",
        account_iban="NL91ABNA0417164300",
        account_name="Gemeente Voorbeeldstad Huishoudboekje",
        bic="ABNANL2A",
    )
    (household,) = config.households
    assert household == Household(
        code="HH-0001",
        name="Fam. Jansen",
        iban="NL44RABO0123456789",
        members=3,
        start=date(2026, 1, 1),
        end=None,
        leefgeld=LeefgeldPolicy(
            policy=LeefgeldPolicyKind.SMOOTHED,
            cadence=Cadence.WEEKLY,
            weekday="friday",
            floor=Money("78.00"),
        ),
        buffer=BufferPolicy(target=Money("1200.00"), advance_limit=Money("1200.00")),
        incomes=(
            IncomeStream(
                id="loon",
                kind=IncomeKind.LOON,
                amount=Money("1850.00"),
                schedule=Schedule(date(2026, 1, 8), "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"),
                payer_iban="NL20INGB0001234567",
                payer_name="Bakkerij de Korenschoof",
                terms=("salaris",),
                margin=Decimal("0.05"),
            ),
            IncomeStream(
                id="zorgtoeslag",
                kind=IncomeKind.ZORGTOESLAG,
                amount=Money("131.00"),
                schedule=Schedule(date(2026, 1, 20), "FREQ=MONTHLY;BYMONTHDAY=20"),
                payer_iban="NL86INGB0002445588",
                payer_name="Belastingdienst/Toeslagen",
                terms=("zorgtoeslag",),
            ),
        ),
        charges=(
            FixedCharge(
                id="huur",
                kind=ChargeKind.HUUR,
                payee_name="Woonstichting Voorbeeld",
                payee_iban="NL93RABO0123456780",
                amount=Money("725.40"),
                schedule=Schedule(date(2026, 1, 1), "FREQ=MONTHLY;BYMONTHDAY=1"),
                reference="1234567890123456",
            ),
        ),
        reserves=(
            Reserve(id="energie-jaarafrekening", monthly=Money("25.00"), target=Money("300.00")),
        ),
    )
    assert config.source == str(SAMPLES / "config_valid.yaml")


def test_every_optional_field_is_read() -> None:
    config = load_config(SAMPLES / "config_full.yaml")
    assert config.gemeente.max_days_early == 2
    assert config.gemeente.extra_closing_days == (date(2026, 12, 24), date(2026, 12, 31))
    (h,) = config.households
    assert h.iban == "NL12TRIO0198765432"  # spaces and lower case normalized
    assert (h.bic, h.members, h.end) == ("TRIONL2U", 2, date(2027, 6, 30))
    assert h.leefgeld == LeefgeldPolicy(
        policy=LeefgeldPolicyKind.FIXED,
        cadence=Cadence.MONTHLY,
        weekday="monday",
        floor=Money("250.00"),
        amount=Money("400.00"),
        buildup_months=9,
    )
    assert h.buffer == BufferPolicy(Money("900.00"), Money("300.00"), repay_months=3)
    bijstand, huurtoeslag = h.incomes
    assert (bijstand.margin, bijstand.window_days) == (Decimal("0.025"), 7)
    assert huurtoeslag.margin == Decimal("0.10")
    assert huurtoeslag.schedule.start == date(2026, 1, 20)  # quoted date accepted
    (charge,) = h.charges
    assert (charge.priority, charge.lead_days, charge.reserve) == (15, 3, "energie")
    assert (charge.valid_from, charge.valid_until) == (date(2026, 4, 1), date(2027, 4, 30))
    assert (charge.payee_bic, charge.reference) == ("RABONL2U", "Klantnummer 555-123")
    energie, toeslag = h.reserves
    assert energie.description == "Jaarafrekening"
    assert toeslag == Reserve(id="toeslag-terugbetaling", percent_of_toeslag=Decimal("0.10"))


def test_the_demo_gemeente_is_valid() -> None:
    config = load_config(DEMO)
    assert [h.code for h in config.households] == ["HH-0001", "HH-0002", "HH-0003"]


@pytest.mark.parametrize(
    ("written", "fraction"),
    [('"5%"', "0.05"), ('"0.05"', "0.05"), ('"12.5%"', "0.125"), ('"0%"', "0"), ('"100%"', "1")],
)
def test_margin_is_a_fraction(written: str, fraction: str) -> None:
    text = edit(VALID, 'margin: "5%"', f"margin: {written}")
    assert parse_config(text).households[0].incomes[0].margin == Decimal(fraction)


def test_optional_fields_left_out_take_the_domain_defaults() -> None:
    text = """
gemeente: {name: G, account_iban: NL91ABNA0417164300, account_name: G}
households:
  - code: HH-1
    name: N
    iban: NL44RABO0123456789
"""
    config = parse_config(text)
    assert config.households == (Household(code="HH-1", name="N", iban="NL44RABO0123456789"),)
    assert config.gemeente == Gemeente(
        name="G", account_iban="NL91ABNA0417164300", account_name="G"
    )


PAIRS = [
    (Household, HouseholdModel),
    (IncomeStream, IncomeModel),
    (FixedCharge, ChargeModel),
    (Reserve, ReserveModel),
    (LeefgeldPolicy, LeefgeldModel),
    (BufferPolicy, BufferModel),
    (Gemeente, GemeenteModel),
]


@pytest.mark.parametrize(("record", "model"), PAIRS, ids=[r.__name__ for r, _ in PAIRS])
def test_every_domain_field_can_be_configured(record: type, model: type) -> None:
    """Fails when a field is added to model.py but not to the file format.
    (A household's `gemeente_id` is where it stands in the file: under its gemeente.)"""
    names = {f.name for f in dataclasses.fields(record)} - {"gemeente_id"}
    assert names == set(model.model_fields)


# ------------------------------------------------------------------ rejections

CASES = [
    # (id, base text, old, new, path, message, fragment on the reported line)
    (
        "float amount",
        VALID,
        'amount: "725.40"',
        "amount: 725.40",
        "households[0].charges[0].amount",
        'use a quoted string like "725.40", not a number',
        "id: huur",
    ),
    (
        "whole number amount",
        VALID,
        'amount: "725.40"',
        "amount: 725",
        "households[0].charges[0].amount",
        'use a quoted string like "725.00", not a number',
        "id: huur",
    ),
    (
        "comma amount",
        VALID,
        'amount: "725.40"',
        'amount: "725,40"',
        "households[0].charges[0].amount",
        '"725,40" is not an amount; write euros with a dot and at most two decimals',
        "id: huur",
    ),
    (
        "sub-cent amount",
        VALID,
        'amount: "725.40"',
        'amount: "725.405"',
        "households[0].charges[0].amount",
        '"725.405" is not an amount',
        "id: huur",
    ),
    (
        "negative amount",
        VALID,
        'amount: "725.40"',
        'amount: "-725.40"',
        "households[0].charges[0].amount",
        '"-725.40": an amount here cannot be negative',
        "id: huur",
    ),
    (
        "zero charge",
        VALID,
        'amount: "725.40"',
        'amount: "0.00"',
        "households[0].charges[0].amount",
        "must be more than 0.00",
        "id: huur",
    ),
    (
        "float floor",
        VALID,
        'floor: "78.00"',
        "floor: 78.00",
        "households[0].leefgeld.floor",
        'use a quoted string like "78.00", not a number',
        "leefgeld:",
    ),
    (
        "household IBAN checksum",
        VALID,
        "iban: NL44RABO0123456789",
        "iban: NL02RABO0123456789",
        "households[0].iban",
        'IBAN "NL02RABO0123456789" is not valid (invalid checksum digits)',
        "iban: NL02RABO0123456789",
    ),
    (
        "payee IBAN checksum",
        VALID,
        "payee_iban: NL93RABO0123456780",
        "payee_iban: NL44RABO0123456780",
        "households[0].charges[0].payee_iban",
        'IBAN "NL44RABO0123456780" is not valid (invalid checksum digits)',
        "id: huur",
    ),
    (
        "gemeente IBAN length",
        VALID,
        "account_iban: NL91ABNA0417164300",
        "account_iban: NL91ABNA04171643",
        "gemeente.account_iban",
        'IBAN "NL91ABNA04171643" is not valid',
        "gemeente:",
    ),
    (
        "bad BIC",
        VALID,
        "bic: ABNANL2A",
        "bic: AB",
        "gemeente.bic",
        'BIC "AB" is not valid',
        "gemeente:",
    ),
    (
        "bad rrule",
        VALID,
        'rrule: "FREQ=MONTHLY;BYMONTHDAY=1"',
        'rrule: "FREQ=MONTLY;BYMONTHDAY=1"',
        "households[0].charges[0].schedule.rrule",
        "rrule 'FREQ=MONTLY;BYMONTHDAY=1' is not valid: invalid 'FREQ': MONTLY",
        "id: huur",
    ),
    (
        "rrule without dates",
        VALID,
        'rrule: "FREQ=MONTHLY;BYMONTHDAY=20"',
        'rrule: "FREQ=MONTHLY;BYMONTHDAY=20;UNTIL=20250101"',
        "households[0].incomes[1].schedule.rrule",
        "gives no dates on or after 2026-01-20",
        "id: zorgtoeslag",
    ),
    (
        "hourly rrule",
        VALID,
        'rrule: "FREQ=MONTHLY;BYMONTHDAY=20"',
        'rrule: "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=31"',
        "households[0].incomes[1].schedule.rrule",
        "FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY",
        "id: zorgtoeslag",
    ),
    (
        "DTSTART in rrule",
        VALID,
        'rrule: "FREQ=MONTHLY;BYMONTHDAY=20"',
        'rrule: "DTSTART:20260101\\nRRULE:FREQ=MONTHLY"',
        "households[0].incomes[1].schedule.rrule",
        "put the start date in 'start', not DTSTART in the rule",
        "id: zorgtoeslag",
    ),
    (
        "duplicate household code",
        DEMO_TEXT,
        "code: HH-0003",
        'code: "HH-0001"',
        "households[2].code",
        'household code "HH-0001" is used twice (also at households[0])',
        'code: "HH-0001"',
    ),
    (
        "duplicate income id",
        VALID,
        "id: zorgtoeslag, kind: zorgtoeslag",
        "id: loon, kind: zorgtoeslag",
        "households[0].incomes[1].id",
        'income id "loon" is used twice (also at households[0].incomes[0])',
        "kind: zorgtoeslag",
    ),
    (
        "duplicate charge id",
        DEMO_TEXT,
        "id: energie, kind: energie, payee_name",
        "id: huur, kind: energie, payee_name",
        "households[0].charges[1].id",
        'charge id "huur" is used twice (also at households[0].charges[0])',
        "id: huur, kind: energie",
    ),
    (
        "duplicate reserve id",
        DEMO_TEXT,
        "id: toeslag-terugbetaling",
        "id: water",
        "households[1].reserves[1].id",
        'reserve id "water" is used twice (also at households[1].reserves[0])',
        'id: water, percent_of_toeslag: "5%"',
    ),
    (
        "unknown income kind",
        VALID,
        "id: loon, kind: loon",
        "id: loon, kind: salaris",
        "households[0].incomes[0].kind",
        'unknown kind "salaris"; allowed values: loon, bijstand, ww, zorgtoeslag, huurtoeslag, '
        "kindgebonden_budget, kinderbijslag, alimentatie, overig",
        "kind: salaris",
    ),
    (
        "unknown charge kind",
        VALID,
        "kind: huur",
        "kind: rent",
        "households[0].charges[0].kind",
        'unknown kind "rent"; allowed values: huur, energie, water, zorgpremie, stadsverwarming, '
        "gemeentelijke_belastingen, overig",
        "kind: rent",
    ),
    (
        "unknown policy",
        VALID,
        "policy: smoothed",
        "policy: steady",
        "households[0].leefgeld.policy",
        'unknown policy "steady"; allowed values: smoothed, fixed, monthly_first',
        "leefgeld:",
    ),
    (
        "unknown weekday",
        VALID,
        "weekday: friday",
        "weekday: vrijdag",
        "households[0].leefgeld.weekday",
        'unknown weekday "vrijdag"; allowed values: monday, tuesday',
        "leefgeld:",
    ),
    (
        "extra household field",
        VALID,
        "    members: 3\n",
        "    members: 3\n    pets: 2\n",
        "households[0].pets",
        'unknown field "pets"; allowed fields: code, name, iban, bic, members, start, end, '
        "leefgeld, buffer, incomes, charges, reserves",
        "pets: 2",
    ),
    (
        "extra charge field",
        VALID,
        'reference: "1234567890123456"}',
        'reference: "1234567890123456", colour: red}',
        "households[0].charges[0].colour",
        'unknown field "colour"; allowed fields: id, kind, payee_name, payee_iban, amount',
        "colour: red",
    ),
    (
        "end before start",
        VALID,
        "end: null",
        "end: 2025-12-31",
        "households[0].end",
        "end 2025-12-31 is before start 2026-01-01",
        "end: 2025-12-31",
    ),
    (
        "valid_until before valid_from",
        DEMO_TEXT,
        "valid_until: 2026-11-30",
        "valid_until: 2026-01-15",
        "households[2].charges[1].valid_until",
        "valid_until 2026-01-15 is before valid_from 2026-02-01",
        "id: gemeentebelasting",
    ),
    (
        "missing name",
        VALID,
        "    name: Fam. Jansen\n",
        "",
        "households[0].name",
        "this field is required but missing",
        "- code: HH-0001",
    ),
    (
        "float margin",
        VALID,
        'margin: "5%"',
        "margin: 0.05",
        "households[0].incomes[0].margin",
        'use a quoted string like "5%" or "0.05", not a number',
        "id: loon",
    ),
    (
        "margin above 100%",
        VALID,
        'margin: "5%"',
        'margin: "150%"',
        "households[0].incomes[0].margin",
        '"150%" is more than 100%',
        "id: loon",
    ),
    (
        "margin in words",
        VALID,
        'margin: "5%"',
        'margin: "5 procent"',
        "households[0].incomes[0].margin",
        '"5 procent" is not a percentage; write it like "5%" or "0.05"',
        "id: loon",
    ),
    (
        "unquoted reference",
        VALID,
        'reference: "1234567890123456"',
        "reference: 1234567890123456",
        "households[0].charges[0].reference",
        'expected text; put it in quotes, like "1234567890123456"',
        "id: huur",
    ),
    (
        "yes/no as a name",
        VALID,
        "name: Fam. Jansen",
        "name: no",
        "households[0].name",
        "YAML reads yes/no/true/false/on/off as a yes-or-no; put the text in quotes",
        "name: no",
    ),
    (
        "date with a time",
        VALID,
        "start: 2026-01-01\n",
        "start: 2026-01-01 10:00:00\n",
        "households[0].start",
        "give a date without a time, like 2026-01-01",
        "start: 2026-01-01 10:00:00",
    ),
    (
        "impossible date",
        VALID,
        "start: 2026-01-01\n",
        "start: 2026-02-30\n",
        "households[0].start",
        '"2026-02-30" is not a valid date; write it like 2026-01-01',
        "start: 2026-02-30",
    ),
    (
        "fixed policy without amount",
        VALID,
        "policy: smoothed",
        "policy: fixed",
        "households[0].leefgeld.amount",
        "policy fixed needs an amount",
        "leefgeld:",
    ),
    (
        "amount without fixed policy",
        VALID,
        'floor: "78.00"}',
        'floor: "78.00", amount: "90.00"}',
        "households[0].leefgeld.amount",
        "amount is only used with policy fixed",
        "leefgeld:",
    ),
    (
        "reserve with monthly and percentage",
        VALID,
        'monthly: "25.00"',
        'monthly: "25.00", percent_of_toeslag: "5%"',
        "households[0].reserves[0]",
        "give either monthly or percent_of_toeslag (exactly one of them)",
        "id: energie-jaarafrekening",
    ),
    (
        "charge linked to an unknown reserve",
        DEMO_TEXT,
        "reserve: water}",
        "reserve: waterr}",
        "households[1].charges[2].reserve",
        'reserve "waterr" is not one of this household\'s reserves',
        "id: water, kind: water",
    ),
    (
        "repeated key",
        VALID,
        "    members: 3\n",
        "    members: 3\n    members: 4\n",
        "households[0].members",
        '"members" is given twice (first on line 7)',
        "members: 4",
    ),
    (
        "code with a space",
        VALID,
        "code: HH-0001",
        'code: "HH 0001"',
        "households[0].code",
        '"HH 0001" is not a valid code',
        "code:",
    ),
    (
        "no members",
        VALID,
        "members: 3",
        "members: 0",
        "households[0].members",
        "must be 1 or more",
        "members: 0",
    ),
    (
        "members as text",
        VALID,
        "members: 3",
        'members: "3"',
        "households[0].members",
        "expected a whole number, got '3'",
        "members:",
    ),
    (
        "name too long for SEPA",
        VALID,
        "name: Fam. Jansen",
        "name: " + "J" * 71,
        "households[0].name",
        "is 71 characters long; at most 70 are allowed",
        "name: JJJ",
    ),
    (
        "leefgeld not a mapping",
        VALID,
        'leefgeld: {policy: smoothed, cadence: weekly, weekday: friday, floor: "78.00"}',
        "leefgeld: smoothed",
        "households[0].leefgeld",
        'expected a mapping (lines of "field: value")',
        "leefgeld: smoothed",
    ),
    (
        "incomes not a list",
        VALID,
        "    incomes:\n",
        "    incomes: loon\n    oldincomes:\n",
        "households[0].incomes",
        'expected a list (lines starting with "- ")',
        "incomes: loon",
    ),
]


@pytest.mark.parametrize(
    ("base", "old", "new", "path", "message", "fragment"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_mistake_is_reported_with_path_and_line(
    tmp_path: Path, base: str, old: str, new: str, path: str, message: str, fragment: str
) -> None:
    text = edit(base, old, new)
    problems = problems_in(text, tmp_path)
    matching = [p for p in problems if p.path == path]
    assert matching, [str(p) for p in problems]
    assert any(message in p.message for p in matching), [str(p) for p in problems]
    assert matching[0].line == line_of(text, fragment)


def test_the_issue_message_for_a_float_in_the_third_household(tmp_path: Path) -> None:
    text = edit(DEMO_TEXT, 'amount: "640.00"', "amount: 640.00")
    problems = problems_in(text, tmp_path)
    assert len(problems) == 1
    line = line_of(text, "amount: 640.00")
    assert str(problems[0]) == (
        f"{tmp_path / 'households.yaml'}:{line}: households[2].charges[0].amount: "
        'use a quoted string like "640.00", not a number'
    )


def test_all_problems_are_collected_not_just_the_first() -> None:
    path = SAMPLES / "config_invalid.yaml"
    with pytest.raises(ConfigError) as info:
        load_config(path)
    found = [(p.line, p.path) for p in info.value.problems]
    assert found == [
        (2, "gemeente.colour"),
        (6, "households[0].iban"),
        (8, "households[0].end"),
        (10, "households[0].incomes[0].kind"),
        (10, "households[0].incomes[0].schedule.rrule"),
        (11, "households[0].incomes[1].id"),
        (13, "households[0].charges[0].amount"),
        (14, "households[1].code"),
    ]
    assert str(info.value).count(str(path)) == 8


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("gemeente: {name: x\nhouseholds: []\n", 2, "this is not valid YAML"),
        ("gemeente:\n  name: [x\n", 3, "this is not valid YAML"),
        ("# only a comment\n", None, "the file is empty"),
        ("- a\n- b\n", 1, 'expected a mapping (lines of "field: value")'),
        ("households: []\n", 1, "this field is required but missing"),
        ("gemeente: !!python/object:os.system x\n", 1, "this is not valid YAML"),
    ],
    ids=["unclosed flow", "unclosed list", "empty", "top-level list", "no gemeente", "tag"],
)
def test_unusable_files(tmp_path: Path, text: str, line: int | None, message: str) -> None:
    (problem,) = problems_in(text, tmp_path)
    assert problem.line == line
    assert problem.message.startswith(message)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_config(tmp_path / "nope.yaml")


# ------------------------------------------------------------------ writing


@pytest.mark.parametrize(
    "path", [SAMPLES / "config_valid.yaml", SAMPLES / "config_full.yaml", DEMO]
)
def test_the_normalized_form_round_trips(path: Path) -> None:
    config = load_config(path)
    text = dump_config(config.gemeente, config.households)
    again = parse_config(text)
    assert again.gemeente == config.gemeente
    assert again.households == tuple(sorted(config.households, key=lambda h: h.code))
    assert dump_config(again.gemeente, again.households) == text


def test_the_normalized_form_leaves_defaults_out_and_quotes_amounts() -> None:
    config = load_config(SAMPLES / "config_valid.yaml")
    text = dump_config(config.gemeente, config.households)
    assert "margin" not in text  # 5% is the default
    assert "end:" not in text
    assert 'amount: "725.40"' in text
    assert "terms: [salaris]" in text


def test_households_are_written_sorted_by_code() -> None:
    config = load_config(DEMO)
    text = dump_config(config.gemeente, tuple(reversed(config.households)))
    codes = [line.split()[-1] for line in text.splitlines() if "- code:" in line]
    assert codes == ["HH-0001", "HH-0002", "HH-0003"]


@pytest.mark.parametrize("path", [SAMPLES / "config_full.yaml", DEMO])
def test_plain_data_with_all_defaults_round_trips_through_json(path: Path) -> None:
    for household in load_config(path).households:
        data = jsonable(household_to_data(household, full=True))
        assert household_from_data(data) == household


@pytest.mark.parametrize("path", [SAMPLES / "config_full.yaml", DEMO])
def test_plain_data_with_all_defaults_passes_every_check_of_the_file(path: Path) -> None:
    # staff forms check the full data with the file's cross-field checks too; a reserve
    # that saves a share of the toeslagen must not come back with monthly "0.00" as well
    for household in load_config(path).households:
        assert check_household(household_data(household)) == household


def test_bad_stored_data_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="household HH-1"):
        household_from_data({"code": "HH-1", "name": "N", "iban": "NL00XXXX"})


@settings(max_examples=60, deadline=None)
@given(
    cents=st.integers(min_value=1, max_value=10**8 - 1),
    margin_tenths_percent=st.integers(min_value=0, max_value=1000),
)
def test_any_amount_and_margin_survive_a_round_trip(cents: int, margin_tenths_percent: int) -> None:
    config = load_config(SAMPLES / "config_valid.yaml")
    (household,) = config.households
    charge = dataclasses.replace(household.charges[0], amount=Money.cents(cents))
    income = dataclasses.replace(household.incomes[0], margin=Decimal(margin_tenths_percent) / 1000)
    changed = dataclasses.replace(household, charges=(charge,), incomes=(income,))
    again = parse_config(dump_config(config.gemeente, [changed]))
    assert again == Configuration(config.gemeente, (changed,), source="<config>")


def test_the_full_example_in_the_documentation_is_valid() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "config.md").read_text(encoding="utf-8")
    example = doc.split("## A full example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    config = parse_config(example)
    jansen, bakker = config.households
    assert jansen.charges[1].reserve == "energie-jaarafrekening"
    assert bakker.leefgeld.amount == Money("70.00")
