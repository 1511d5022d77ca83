"""`hhb config check|apply|export` end to end, on SQLite and (when set) PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from huishoudboekje.adapters.config import dump_config, load_config
from huishoudboekje.adapters.persistence import UnitOfWork, load_audit_events, open_database

SAMPLES = Path(__file__).parent / "samples"
DEMO = Path(__file__).parent / "samples" / "voorbeeldstad_basis.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def audit_count(db_url: str) -> int:
    engine = open_database(db_url)
    try:
        with UnitOfWork(engine) as uow:
            return len(load_audit_events(uow))
    finally:
        engine.dispose()


def test_check_a_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "config", "check", str(DEMO))
    assert code == 0
    assert out == f"{DEMO}: OK (gemeente Voorbeeldstad, 3 households)\n"


def test_check_lists_every_problem_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    bad = SAMPLES / "config_invalid.yaml"
    code, out, err = run(capsys, "config", "check", str(bad))
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == (
        f'{bad}:2: gemeente.colour: unknown field "colour"; allowed fields: code, name, '
        "account_iban, account_name, bic, extra_accounts, max_days_early, extra_closing_days, "
        "max_learned_buffer, irregular_step_months, shortage, letterhead, retention_years, "
        "document_retention_months, viewer_shown_as, consent_required"
    )
    assert f'{bad}:13: households[0].charges[0].amount: use a quoted string like "725.40", ' in err
    assert lines[-1] == "8 problems found; nothing was changed."


def test_apply_then_apply_again(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "config", "apply", str(DEMO), "--database", db_url)
    assert code == 0
    assert "HH-0002 Fam. de Vries: added (5 incomes, 4 charges, 2 reserves)" in out
    assert "Households: 3 added, 0 updated, 0 unchanged, 0 not in file." in out
    code, out, _ = run(capsys, "config", "apply", str(DEMO), "--database", db_url)
    assert code == 0
    assert "Households: 0 added, 0 updated, 3 unchanged, 0 not in file." in out
    assert out.endswith("Nothing to change.\n")


def test_a_rent_increase_shows_before_and_after(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "config", "apply", str(DEMO), "--database", db_url)
    raised = tmp_path / "raised.yaml"
    raised.write_text(DEMO.read_text().replace('"725.40"', '"760.00"'), encoding="utf-8")
    code, out, _ = run(capsys, "config", "apply", str(raised), "--database", db_url)
    assert code == 0
    assert "HH-0001 Fam. Jansen: updated\n    charge huur: amount: 725.40 → 760.00\n" in out


def test_a_bad_file_changes_nothing(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "config", "apply", str(DEMO), "--database", db_url)
    _, before, _ = run(capsys, "config", "export", "--database", db_url)
    events = audit_count(db_url)
    # a valid rent increase plus one mistake elsewhere: the increase must not be saved
    bad = tmp_path / "bad.yaml"
    text = DEMO.read_text().replace('"725.40"', '"760.00"').replace('"640.00"', "640.00")
    bad.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "config", "apply", str(bad), "--database", db_url)
    assert code == 2
    assert out == ""
    assert "households[2].charges[0].amount" in err
    assert err.endswith("1 problem found; nothing was changed.\n")
    _, after, _ = run(capsys, "config", "export", "--database", db_url)
    assert after == before
    assert audit_count(db_url) == events


def test_dry_run_saves_nothing(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "config", "apply", str(DEMO), "--dry-run", "--database", db_url)
    assert code == 0
    assert "Households: 3 added" in out
    assert out.endswith("Dry run: nothing was saved.\n")
    code, _, err = run(capsys, "config", "export", "--database", db_url)
    assert code == 1
    assert "no configuration stored yet" in err


def test_export_to_stdout_and_to_a_file_round_trips(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "config", "apply", str(DEMO), "--database", db_url)
    code, out, _ = run(capsys, "config", "export", "--database", db_url)
    assert code == 0
    config = load_config(DEMO)
    assert out == dump_config(config.gemeente, config.households)
    target = tmp_path / "export.yaml"
    code, _, err = run(capsys, "config", "export", "-o", str(target), "--database", db_url)
    assert code == 0
    assert target.read_text(encoding="utf-8") == out
    assert f"written to {target}" in err
    code, out, _ = run(capsys, "config", "apply", str(target), "--database", db_url)
    assert code == 0
    assert out.endswith("Nothing to change.\n")


def test_the_database_comes_from_the_environment(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HHB_DATABASE_URL", db_url)
    code, _, _ = run(capsys, "config", "apply", str(DEMO))
    assert code == 0
    assert audit_count(db_url) == 4  # gemeente + 3 households


def test_config_without_an_action_shows_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "config")
    assert code == 2
    assert "check" in err and "apply" in err and "export" in err
