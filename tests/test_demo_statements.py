"""The demo gemeente's committed statements: reproducible, importable, and telling the story."""

from __future__ import annotations

import importlib.util
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from lxml import etree

from connectors.camt import IMPORTERS as CAMT_IMPORTERS
from connectors.registry import detect
from huishoudboekje.adapters.config import load_config
from huishoudboekje.domain.banking import BankTransaction, Statement
from huishoudboekje.domain.matching import HouseholdIndex, MatchStatus
from huishoudboekje.domain.money import ZERO, Money
from sample_statements.generate import STATEMENTS, differences, render
from sample_statements.incoming import FIRST_DAY, LAST_DAY, bank_days
from tests.golden import corpus_file

ROOT = Path(__file__).resolve().parents[1]
CONFIG = load_config(ROOT / "sample_statements" / "voorbeeldstad.yaml")
HOUSEHOLDS = {h.code: h for h in CONFIG.households}
CODE = re.compile(r"\bHH-\d{4}\b")


def camt_files() -> list[Path]:
    return sorted((STATEMENTS / "camt053").glob("*.xml"))


def statement(path: Path) -> Statement:
    (parsed,) = CAMT_IMPORTERS[0].extract(path)
    return parsed


def credits() -> list[BankTransaction]:
    return [tx for path in camt_files() for tx in statement(path).transactions]


def test_the_generator_reproduces_the_committed_files_byte_for_byte() -> None:
    assert differences() == []
    assert render() == render()  # and it is deterministic within one process too


def test_one_camt_per_bank_day_of_the_demo_period() -> None:
    days = [date.fromisoformat(p.stem) for p in camt_files()]
    assert days == bank_days()
    assert days[0] == FIRST_DAY and days[-1] <= LAST_DAY
    assert date(2026, 9, 5) not in days  # a Saturday


def test_every_camt_imports_on_its_own_with_running_balances() -> None:
    previous = ZERO
    for path in camt_files():
        assert detect(path).name == CAMT_IMPORTERS[0].name
        parsed = statement(path)
        assert parsed.account_iban == CONFIG.gemeente.account_iban
        assert parsed.opening_balance == previous
        total = sum((tx.amount for tx in parsed.transactions), ZERO)
        assert parsed.closing_balance == previous + total
        assert all(tx.booking_date.isoformat() == path.stem for tx in parsed.transactions)
        previous = total + previous


def test_the_camt_files_are_schema_valid() -> None:
    schema = etree.XMLSchema(etree.parse(str(corpus_file("xsd/genkgo__camt.053.001.02.xsd"))))
    for path in camt_files():
        assert schema.validate(etree.parse(str(path))), (path.name, schema.error_log)


def test_bank_references_are_unique() -> None:
    references = [tx.bank_reference for tx in credits()]
    assert len(references) == len(set(references))
    assert len({tx.end_to_end_id for tx in credits()}) == len(references)


def _expected_household(tx: BankTransaction) -> str | None:
    found = CODE.search(tx.description)
    if found:
        return found.group(0)
    owners = {
        h.code for h in CONFIG.households for i in h.incomes if i.payer_iban == tx.counterparty_iban
    }
    return owners.pop() if len(owners) == 1 else None


def test_every_credit_matches_its_household_except_the_unknown_one() -> None:
    index = HouseholdIndex(CONFIG.households)
    unmatched = []
    for tx in credits():
        result = index.match(tx)
        expected = _expected_household(tx)
        if expected is None:
            unmatched.append(tx)
            assert result.status is MatchStatus.UNMATCHED
        else:
            assert result.status is MatchStatus.MATCHED, (tx.description, result.reason)
            assert result.candidate is not None and result.candidate.household == expected
    assert [tx.counterparty_name for tx in unmatched] == ["J. Smit"]


def _paid(code: str, income_id: str) -> list[BankTransaction]:
    index = HouseholdIndex(CONFIG.households)
    out = []
    for tx in credits():
        candidate = index.match(tx).candidate
        if candidate and (candidate.household, candidate.income_id) == (code, income_id):
            out.append(tx)
    return out


def test_the_patterns_are_in_the_data() -> None:
    # a late income: one Jansen salary arrives more than its window after the expected Thursday
    loon = next(i for i in HOUSEHOLDS["HH-0001"].incomes if i.id == "loon")
    expected = loon.schedule.between(FIRST_DAY, LAST_DAY)
    late = [
        tx
        for tx in _paid("HH-0001", "loon")
        if all(abs((tx.booking_date - d).days) > loon.window_days for d in expected)
    ]
    assert len(late) == 1
    # alimentatie stops after October
    assert [tx.booking_date.month for tx in _paid("HH-0006", "alimentatie")] == [9, 10]
    # WW ends, bijstand follows
    assert max(tx.booking_date for tx in _paid("HH-0003", "ww")) < date(2026, 11, 1)
    assert [tx.booking_date.month for tx in _paid("HH-0003", "bijstand")] == [11]
    # nothing comes in for the statushouder after the ontzorgen period
    end = HOUSEHOLDS["HH-0007"].end
    assert end is not None
    tesfay = [tx for tx in credits() if "HH-0007" in tx.description]
    assert tesfay and max(tx.booking_date for tx in tesfay) <= end
    # kinderbijslag once (quarterly), kindgebonden budget every month
    assert len(_paid("HH-0005", "kinderbijslag")) == 1
    assert len(_paid("HH-0005", "kindgebonden-budget")) == 3
    # ZZP: very irregular amounts
    zzp = [tx.amount for tx in _paid("HH-0004", "onderneming")]
    assert len(zzp) >= 4 and max(zzp) > min(zzp) * 5
    # terugvordering: the zorgtoeslag drops below its margin from October
    zorg = next(i for i in HOUSEHOLDS["HH-0008"].incomes if i.id == "zorgtoeslag")
    lower = [tx for tx in _paid("HH-0008", "zorgtoeslag") if tx.amount < zorg.amount]
    assert [tx.booking_date.month for tx in lower] == [10, 11]


def _october() -> list[BankTransaction]:
    return [tx for tx in credits() if tx.booking_date.month == 10]


def _key(tx: BankTransaction) -> tuple[date, Money, str, str]:
    return (tx.booking_date, tx.amount, tx.counterparty_iban, tx.end_to_end_id)


@pytest.mark.parametrize(
    ("module", "path"),
    [("connectors.mt940", "mt940/2026-10.mt940"), ("connectors.csv_banks", "csv/2026-10-ing.csv")],
)
def test_october_in_another_format_holds_the_same_transactions(module: str, path: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not in this checkout yet")
    file = STATEMENTS / path
    parsed = detect(file).extract(file)
    transactions = [tx for s in parsed for tx in s.transactions]
    assert sorted(map(_key, transactions)) == sorted(map(_key, _october()))
    assert all(s.account_iban == CONFIG.gemeente.account_iban for s in parsed)


def test_statement_days_fall_in_the_period() -> None:
    for tx in credits():
        assert FIRST_DAY <= tx.booking_date <= LAST_DAY
        assert tx.booking_date.weekday() < 5
        assert tx.booking_date - tx.value_date == timedelta(0)


def test_hhb_config_check_accepts_the_demo_gemeente(capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    path = ROOT / "sample_statements" / "voorbeeldstad.yaml"
    assert main(["config", "check", str(path)]) == 0
    assert "8 households" in capsys.readouterr().out
    assert len({h.iban for h in CONFIG.households}) == 8
