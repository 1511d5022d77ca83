"""`hhb status` shows each fixed charge's repeat rule as a Dutch sentence (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main

SAMPLE = Path(__file__).resolve().parent / "samples" / "voorbeeldstad_basis.yaml"


def test_status_text_shows_rules_as_sentences(db_url: str, capsys: pytest.CaptureFixture[str]):
    assert main(["config", "apply", str(SAMPLE), "--database", db_url]) == 0
    capsys.readouterr()
    assert main(["status", "HH-0002", "--date", "2026-03-10", "--database", db_url]) == 0
    out = capsys.readouterr().out
    assert "Vaste lasten:" in out
    assert "elke maand op de 1e, vanaf 1 januari 2026" in out
    assert "elk kwartaal op de 28e van maart, juni, september en december" in out
    assert "FREQ=" not in out
