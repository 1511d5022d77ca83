"""Every message the configuration's validation can produce has Dutch for the staff forms.

Three nets, so a new rule cannot reach a staff member in English:

1. the source: every message written in the configuration's checks
   (`fail(...)`, `ScheduleError(...)`, the reader's problems) is found by reading
   the code, and each must be produced by one of the bad inputs of `CATALOGUE`;
2. pydantic's own errors: the schema may only use building blocks whose errors the
   reader words itself (a plain `int` field would bring pydantic's English);
3. the pages: every field of every staff form, posted with bad values, shows
   only Dutch beside the field and above the form.
"""

from __future__ import annotations

import ast
import copy
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from huishoudboekje.adapters.config import ConfigError, load_config, parse_config
from huishoudboekje.adapters.config.schema import ConfigModel
from tests.web_fixtures import WebEnv, web  # noqa: F401
from web.messages import dutch, translation, where_nl
from web.staff_forms import CHARGE_FORM, HOUSEHOLD_FORM, INCOME_FORM, RESERVE_FORM, FormSpec

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (
    "huishoudboekje/adapters/config/values.py",
    "huishoudboekje/adapters/config/schema.py",
    "huishoudboekje/adapters/config/reader.py",
    "huishoudboekje/domain/schedule.py",
)

# Words that only English has: a message with one of them (outside quoted values) was
# not translated. Dutch words that look English ("is", "in", "per") are left out.
ENGLISH = frozenset(
    re.findall(
        r"\w+",
        """
        a an and are at be before cannot characters checksum country dates digits either empty
        exactly expected field fields file first gives given got here invalid length like line
        lines list long mapping missing more most must needs negative not number one only or
        policy put quotes required reserve rule should single starting structure text than the
        them this time to twice unknown use used valid value values whole with without write
        """,
    )
)


def english_words(text: str) -> set[str]:
    """English words in `text`, leaving out what the user typed (it is quoted)."""
    unquoted = re.sub(r"\"[^\"]*\"|'[^']*'", " ", text)
    return {w for w in re.findall(r"[A-Za-z]+", unquoted) if w.lower() in ENGLISH}


# ------------------------------------------------------------- 1. messages in the source


def _pattern(node: ast.expr) -> str:
    """A regex for the strings an expression can produce: fixed text exactly, every
    computed part as "anything"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(_pattern(part) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _pattern(node.left) + _pattern(node.right)
    if isinstance(node, ast.IfExp):
        return f"(?:{_pattern(node.body)}|{_pattern(node.orelse)})"
    return ".*"


def _message_args(tree: ast.AST) -> Iterator[ast.expr]:
    """Every expression that becomes a problem's message."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in {"fail", "ScheduleError"} and node.args:
                yield node.args[0]
            elif node.func.id == "ConfigProblem" and len(node.args) == 4:
                yield node.args[3]
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "message" for t in node.targets
        ):
            yield node.value
        elif (  # found.append((loc, message))
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "append"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "found"
            and node.args
            and isinstance(node.args[0], ast.Tuple)
            and len(node.args[0].elts) == 2
        ):
            yield node.args[0].elts[1]


def message_sites() -> dict[str, re.Pattern[str]]:
    """ "file:line" → what the message written there looks like."""
    sites: dict[str, re.Pattern[str]] = {}
    for source in SOURCES:
        tree = ast.parse((ROOT / source).read_text(encoding="utf-8"))
        for arg in _message_args(tree):
            pattern = _pattern(arg)
            if pattern.replace(".*", "") == "":
                continue  # passes another message on (str(exc), err["msg"], a variable)
            sites[f"{source}:{arg.lineno}"] = re.compile(pattern, re.S)
    return sites


# messages in the source that no input can produce
UNREACHABLE = {
    # the pattern check before it already refuses what Decimal() cannot read
    r'"{value}" is not a percentage',
}

GEMEENTE = {"name": "Voorbeeldstad", "account_iban": "NL91ABNA0417164300", "account_name": "Gem"}
RULE = {"start": "2026-01-01", "rrule": "FREQ=MONTHLY;BYMONTHDAY=1"}
HOUSEHOLD: dict[str, Any] = {
    "code": "HH-0001",
    "name": "Fam. Jansen",
    "iban": "NL02ABNA0123456789",
    "start": "2026-01-01",
    "leefgeld": {"policy": "smoothed"},
    "buffer": {"target": "1000.00", "advance_limit": "0.00"},
    "incomes": [{"id": "loon", "kind": "loon", "amount": "1800.00", "schedule": RULE}],
    "charges": [
        {
            "id": "huur",
            "kind": "huur",
            "payee_name": "Woonstichting",
            "payee_iban": "NL93RABO0123456780",
            "amount": "725.40",
            "schedule": RULE,
        }
    ],
    "reserves": [
        {"id": "water", "monthly": "20.00"},
        {"id": "toeslag", "percent_of_toeslag": "5%"},
    ],
}

# (where in the first household, the bad value); a path into a list uses its index
CATALOGUE: list[tuple[str, Any]] = [
    # issue 19.3: a consent's scope is "all" or names this household's incomes and charges
    ("consent", {"signed_on": "2026-01-01", "signed_by": "J. Jansen", "scope": "alles"}),
    (
        "consent",
        {"signed_on": "2026-01-01", "signed_by": "J.", "scope": {"charges": ["water"]}},
    ),
    ("buffer.target", None),  # expected an amount
    ("buffer.target", 725),  # a number, not a quoted string
    ("buffer.target", "-5.00"),
    ("buffer.target", "12,50"),
    ("charges.0.amount", "0.00"),
    ("incomes.0.margin", 5),
    ("incomes.0.margin", ["5%"]),
    ("incomes.0.margin", "veel"),
    ("incomes.0.margin", "150%"),
    ("incomes.0.irregular", "ja"),  # expected true or false
    ("start", datetime(2026, 1, 1, 10, 0)),
    ("start", "2026-02-30"),
    ("start", 5),
    ("name", True),
    ("name", 5),
    ("name", None),
    ("name", ["Jansen"]),
    ("name", ""),
    ("name", "x" * 80),
    ("code", "HH 1"),
    ("iban", "NL00BANK0000000000"),
    ("bic", "ABNANL2"),
    ("members", "twee"),
    ("members", 0),
    ("incomes.0.kind", "salaris"),
    ("incomes.0.terms", "salaris"),
    ("incomes.0.schedule.rrule", "FREQ=HOURLY"),
    ("incomes.0.schedule.rrule", "FREQ=DAILY;UNTIL=20250101"),
    ("incomes.0.schedule.rrule", "DTSTART:20260101T000000\nRRULE:FREQ=DAILY"),
    ("incomes.0.schedule.rrule", "FREQ=ELKE-DAG"),
    ("incomes.0.schedule.rrule", "RRULE:FREQ=DAILY\nEXDATE:20260105T000000"),
    ("charges.0.payee_name", "__missing__"),
    ("buffer.doel", "1000.00"),
    ("leefgeld", "stabiel"),
    ("incomes", "loon"),
    ("reserves.1.monthly", "10.00"),  # both monthly and a percentage
    ("charges.0.reserve", "vakantie"),
    ("leefgeld.policy", "fixed"),
    ("leefgeld.amount", "50.00"),
    ("incomes.0.id", "loon"),  # with a second income of that id, below
    ("end", "2025-12-31"),
    ("shortage", "soms"),
    ("charges.0.total", "0.00"),
    ("charges.0.pause", [{"from": "2026-05-01", "until": "2026-04-01"}]),
    (
        "charges.0.temporary",
        [
            {"from": "2026-03-01", "until": "2026-04-30", "amount": "10.00"},
            {"from": "2026-04-01", "until": "2026-05-31", "amount": "10.00"},
        ],
    ),
    # issue 18: ranges, digits, hidden characters, the pooled account
    ("members", 99),
    ("start", "9999-12-31"),
    ("buffer.target", "1000000.00"),
    ("buffer.target", "\u0661\u0662.00"),
    ("name", "Fam.\u202eJansen"),
    ("iban", "NL91ABNA0417164300"),
    # the caseload foundation: letters by post need an address, a Dutch postcode
    ("contact", "post"),
    ("address", {"street": "Lindelaan 12", "postcode": "999 AB", "city": "Voorbeeldstad"}),
]
YAML_TEXTS = [
    "",  # the file is empty
    "gemeente: [",  # not valid YAML
    "gemeente:\n  name: a\n  name: b\n",  # given twice
    # issue 22: the list gemeenten (whole-file checks; a web form never gives these)
    "households: []\n",  # neither gemeente nor gemeenten
    "gemeente: {}\ngemeenten: []\nhouseholds: []\n",  # both forms, an empty list
    (
        "gemeenten:\n"
        "  - {code: a, name: A, account_iban: NL91ABNA0417164300, account_name: A,\n"
        "     households: [{code: H1, name: N, iban: NL42RABO0300012345}]}\n"
        "  - {code: b, name: B, account_iban: NL91ABNA0417164300, account_name: B,\n"
        "     households: [{code: H1, name: N, iban: NL32ASNB0711122233}]}\n"
    ),  # a pooled account and a household code used twice
]


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    current: Any = data
    for part in parts[:-1]:
        current = current[int(part)] if part.isdigit() else current[part]
    last = parts[-1]
    if value == "__missing__":
        del current[last]
    else:
        current[last] = value


def produced_messages(tmp_path: Path) -> list[str]:
    """What the configuration says about every bad input of the catalogue."""
    messages: list[str] = []

    def check(text: str, what: object) -> None:
        try:
            parse_config(text)
        except ConfigError as exc:
            messages.extend(p.message for p in exc.problems)
        else:
            pytest.fail(f"no problem with {what!r}")

    for path, value in CATALOGUE:
        household = copy.deepcopy(HOUSEHOLD)
        if path == "incomes.0.id":
            household["incomes"].append(copy.deepcopy(household["incomes"][0]))
        _put(household, path, value)
        check(yaml.safe_dump({"gemeente": GEMEENTE, "households": [household]}), (path, value))
    for text in YAML_TEXTS:
        check(text, text)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "er-niet.yaml")
    messages.extend(p.message for p in caught.value.problems)
    return messages


def test_the_valid_base_of_the_catalogue_is_valid() -> None:
    parse_config(json.dumps({"gemeente": GEMEENTE, "households": [HOUSEHOLD]}))


def test_every_message_in_the_source_is_produced_by_the_catalogue(tmp_path: Path) -> None:
    messages = produced_messages(tmp_path)
    sites = message_sites()
    assert len(sites) > 40  # the source is really read
    missing = [
        where
        for where, pattern in sites.items()
        if not any(pattern.fullmatch(m) for m in messages)
        and not any(pattern.fullmatch(u.replace("{value}", "x")) for u in UNREACHABLE)
    ]
    assert missing == [], "add a bad input to CATALOGUE that gives the message written there"


def test_every_produced_message_has_dutch_without_english(tmp_path: Path) -> None:
    untranslated = []
    for message in produced_messages(tmp_path):
        dutch_text = translation(message)
        if dutch_text is None or english_words(dutch_text):
            untranslated.append((message, dutch_text))
    assert untranslated == [], "give these messages Dutch in web/messages.py"


# ---------------------------------------------------------------- 2. pydantic's own errors

# Building blocks of the schema and the reader's own words for their errors (missing,
# extra_forbidden, model_type, dict_type, model_attributes_type, list_type, tuple_type);
# the values are checked by our own PlainValidators, whose errors are type "hhb".
WORDED_BY_THE_READER = frozenset(
    {
        "definitions",
        "definition-ref",
        "model",
        "model-fields",
        "model-field",
        "list",
        "nullable",
        "default",
        "function-plain",
        "function-after",
        "any",
    }
)


def _schema_types(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        kind = schema.get("type")
        if isinstance(kind, str):
            yield kind
        for key, value in schema.items():
            if key not in {"metadata", "serialization", "ref", "function"}:
                yield from _schema_types(value)
    elif isinstance(schema, list | tuple):
        for item in schema:
            yield from _schema_types(item)


def test_the_schema_only_raises_errors_the_reader_words_itself() -> None:
    used = set(_schema_types(ConfigModel.__pydantic_core_schema__))
    assert {"model", "list", "function-plain"} <= used  # the walk sees the schema
    unexplained = used - WORDED_BY_THE_READER
    assert unexplained == set(), (
        "these pydantic building blocks bring pydantic's own (English) messages: check "
        "the value with a PlainValidator in config/values.py instead"
    )


# --------------------------------------------------------------------- 3. the staff pages

BAD_VALUES = {
    "text": ["", "x" * 200],
    "amount": ["", "twaalf", "-5", "0", "12.345,678"],
    "int": ["", "nul", "-1"],
    "date": ["", "morgen", "2026-02-30"],
    "select": ["onzin"],
    "fraction": ["veel", "150%"],
    "terms": ["x" * 200],
}
SPECIAL = {
    "code": ["HH 1"],
    "id": ["met spatie"],
    "iban": ["NL00BANK0000000000", "NL91ABNA041716430", "XX91ABNA0417164300", "abc!"],
    "payee_iban": ["NL91ABNA04171643AA"],
    "payer_iban": ["NL00BANK0000000000"],
    "schedule.rrule": [
        "FREQ=HOURLY",
        "ONZIN",
        "DTSTART:20260101T000000",
        "FREQ=DAILY;UNTIL=20250101",
    ],
    "end": ["2025-01-01"],
    "leefgeld.amount": ["50,00"],  # with the stable policy: only for a fixed amount
    "percent_of_toeslag": ["5%"],  # as well as a monthly amount
}
# "0" is a bad amount only where it must be more than € 0,00; here it is fine
ACCEPTED = [
    ("/medewerker/huishouden/HH-0002/bewerken", "leefgeld.floor", "0"),
    ("/medewerker/huishouden/HH-0002/bewerken", "buffer.target", "0"),
    ("/medewerker/huishouden/HH-0002/bewerken", "buffer.advance_limit", "0"),
    ("/medewerker/huishouden/HH-0001/reservering/nieuw", "monthly", "0"),
]
EDIT_HOUSEHOLD_FORM = FormSpec(
    HOUSEHOLD_FORM.title, tuple(f for f in HOUSEHOLD_FORM.fields if not f.only_new)
)
FORMS: list[tuple[str, FormSpec, dict[str, str]]] = [
    (  # a new household comes through the intake (issue 19.3); its fields are these
        "/medewerker/huishouden/HH-0002/bewerken",
        EDIT_HOUSEHOLD_FORM,
        {
            "name": "Fam. Nieuw",
            "iban": "NL44RABO0123456789",
            "members": "2",
            "start": "2026-03-01",
            "leefgeld.policy": "smoothed",
            "leefgeld.cadence": "weekly",
            "leefgeld.weekday": "friday",
            "buffer.target": "1000,00",
            "buffer.advance_limit": "0,00",
        },
    ),
    (
        "/medewerker/huishouden/HH-0001/vaste-last/nieuw",
        CHARGE_FORM,
        {
            "id": "energie2",
            "kind": "energie",
            "payee_name": "Energie BV",
            "payee_iban": "NL93RABO0123456780",
            "amount": "95,00",
            "herhaling": "maand",  # the repeat-rule picker (issue 19)
            "dag": "1",
            "vanaf": "2026-04-01",
        },
    ),
    (
        "/medewerker/huishouden/HH-0001/inkomen/nieuw",
        INCOME_FORM,
        {
            "id": "bijbaan",
            "kind": "loon",
            "amount": "200,00",
            "herhaling": "maand",  # the repeat-rule picker (issue 19)
            "dag": "25",
            "vanaf": "2026-04-01",
        },
    ),
    (
        "/medewerker/huishouden/HH-0001/reservering/nieuw",
        RESERVE_FORM,
        {"id": "fiets", "monthly": "10,00"},
    ),
]


def _texts(page: str) -> list[str]:
    """The problems on a form page: beside fields and in the list above the form."""
    found = re.findall(r'<p class="error"[^>]*>(.*?)</p>', page, re.S)
    notice = re.search(r'<div class="notice notice-fout"[^>]*>(.*?)</div>', page, re.S)
    if notice:
        found += re.findall(r"<li>(.*?)</li>", notice.group(1), re.S)
    return [re.sub(r"\s+", " ", t.replace("&#34;", '"').replace("&#39;", "'")) for t in found]


def test_every_staff_form_field_shows_its_problems_in_dutch(web: WebEnv) -> None:
    client = web.client("mira")
    accepted: list[tuple[str, str, str]] = []
    shown: list[str] = []
    for url, spec, good in FORMS:
        for field in spec.fields:
            for bad in BAD_VALUES.get(field.kind, []) + SPECIAL.get(field.path, []):
                if bad == "" and not field.required:
                    continue
                response = client.post(url, data={**good, field.path: bad})
                if response.status_code == 302:
                    accepted.append((url, field.path, bad))
                    continue
                texts = _texts(response.data.decode())
                assert texts, (url, field.path, bad)
                for text in texts:
                    assert not english_words(text), (url, field.path, bad, text)
                    assert "Deze invoer klopt niet" not in text, (url, field.path, bad, text)
                shown.extend(texts)
    # only values that are fine where they were typed got through
    assert accepted == ACCEPTED
    # the nets caught real problems, not just an empty page
    assert any("klopt niet" in t for t in shown) and any("verplicht" in t for t in shown)


def test_a_problem_away_from_the_form_names_its_place_in_dutch() -> None:
    assert where_nl("charges[1].schedule.rrule") == "vaste last 2, schema, herhaling"
    assert where_nl("incomes[0].schedule.start") == "inkomen 1, schema, eerste keer"
    assert where_nl("reserves[2]") == "reservering 3"
    assert dutch("iets nieuws") == "Deze invoer klopt niet (iets nieuws)."
