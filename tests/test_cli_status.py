"""`hhb status` and `hhb plan` driven as an operator would, on a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from huishoudboekje.adapters.persistence import UnitOfWork, create_engine_from_url, load_ledger
from huishoudboekje.adapters.persistence.engine_state import load_household_state

SAMPLE = Path(__file__).resolve().parent / "samples" / "voorbeeldstad_basis.yaml"


@pytest.fixture
def configured(db_url: str) -> str:
    assert main(["config", "apply", str(SAMPLE), "--database", db_url]) == 0
    return db_url


def test_status_json_has_the_documented_keys(configured: str, capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    code = main(["status", "HH-0001", "--date", "2026-03-10", "--json", "--database", configured])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "household",
        "date",
        "vat",
        "advance_used",
        "advance_limit",
        "reserves",
        "leefgeld",
        "upcoming",
        "forecast_lowest",
        "signals",
        "learned_income",
        "charges",
        # issue 23: the vat split, the target it is compared with, the participation
        "buffer_free",
        "set_aside",
        "set_aside_for",
        "next_income",
        "buffer_target",
        "buffer_phase",
        "participation",
        "buffer_days",
    }
    assert data["learned_income"] == []  # no irregular income in the sample
    assert data["household"] == "HH-0001"
    assert data["vat"] == "0.00"
    assert set(data["leefgeld"]) == {"rate", "cadence", "next"}
    assert set(data["leefgeld"]["next"]) == {"date", "amount", "reason"}
    assert data["leefgeld"]["next"]["reason"]
    huur = [u for u in data["upcoming"] if u["kind"] == "huur"]
    assert huur and huur[0]["amount"] == "725.40"
    assert huur[0]["date"] == "2026-04-01"
    for item in data["upcoming"]:
        assert set(item) >= {"date", "kind", "payee", "amount", "covered"}
        assert isinstance(item["covered"], bool)
    assert set(data["forecast_lowest"]) == {"date", "balance"}
    for signal in data["signals"]:
        assert set(signal) == {"kind", "severity", "message"}


def test_status_text_is_dutch(configured: str, capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    assert main(["status", "HH-0001", "--date", "2026-03-10", "--database", configured]) == 0
    out = capsys.readouterr().out
    assert "Volgende uitbetaling" in out
    assert "€ 725,40" in out
    assert "woensdag 1 april" in out


def test_unknown_household_exits_2(configured: str, capsys: pytest.CaptureFixture[str]):
    assert main(["status", "HH-9999", "--database", configured]) == 2
    assert "HH-9999" in capsys.readouterr().err


def test_plan_shows_and_changes_nothing(configured: str, capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    assert main(["plan", "--date", "2026-03-31", "--json", "--database", configured]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["date"] == "2026-03-31"
    codes = [h["household"] for h in data["households"]]
    assert "HH-0001" in codes
    jansen = next(h for h in data["households"] if h["household"] == "HH-0001")
    # the rent due 1 April is instructed the business day before it executes
    rent = [i for i in jansen["instructions"] if i["subject"] == "huur"]
    assert rent and rent[0]["amount"] == "725.40" and rent[0]["execution_date"] == "2026-04-01"
    engine = create_engine_from_url(configured)
    with UnitOfWork(engine) as uow:
        assert load_ledger(uow).entries == ()
        assert load_household_state(uow, "HH-0001") == {}
    engine.dispose()


def test_bad_date_is_rejected(configured: str, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exc:
        main(["plan", "--date", "31-03-2026", "--database", configured])
    assert exc.value.code == 2
    assert "2026-03-01" in capsys.readouterr().err


def test_status_all_lists_every_household(configured: str, capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    assert (
        main(["status", "--all", "--date", "2026-03-10", "--json", "--database", configured]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [d["household"] for d in data] == ["HH-0001", "HH-0002", "HH-0003"]
    assert main(["status", "--database", configured]) == 2
