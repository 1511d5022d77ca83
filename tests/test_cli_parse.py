"""`hhb parse`: table and JSON output, exit codes, no database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from connectors.registry import importer_by_name
from connectors.render import to_json
from tests.golden import SAMPLES_DIR, corpus_file

ZUIDERVEEN = SAMPLES_DIR / "camt053_v02_zuiderveen.xml"


def test_table_lists_every_transaction(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(ZUIDERVEEN)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "camt053: 2 afschrift(en), 13 transactie(s)" in out
    assert "rekening NL88BNGH6091390996" in out
    for amount in ("1194.78", "-725.40", "-150.00", "18.15", "-139.95"):
        assert amount in out
    assert "retour AC04" in out
    assert "storno" in out


def test_json_is_the_normalized_rendering(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(ZUIDERVEEN), "--json"]) == 0
    out, _ = capsys.readouterr()
    expected = to_json("camt053", importer_by_name("camt053").extract(ZUIDERVEEN))
    assert out == expected
    assert json.loads(out)["format"] == "camt053"


def test_explicit_format(capsys: pytest.CaptureFixture[str]) -> None:
    report = SAMPLES_DIR / "camt052_v02_intraday.xml"
    assert main(["parse", str(report), "--format", "camt052", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "camt052"


def test_refused_file_exits_2_with_the_connector_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = SAMPLES_DIR / "camt053_billion_laughs.xml"
    assert main(["parse", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("camt053: camt053_billion_laughs.xml: the file has a DOCTYPE")


def test_refused_corpus_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = corpus_file("invalid/hhb__Wrong_format_CAMT.053_v1.xml")
    assert main(["parse", str(path), "--json"]) == 2
    assert "camt.053.001.01 is not supported" in capsys.readouterr().err


def test_wrong_format_for_the_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(ZUIDERVEEN), "--format", "camt054"]) == 2
    assert "use format camt053" in capsys.readouterr().err


def test_unknown_format_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(ZUIDERVEEN), "--format", "mt9400"]) == 2
    err = capsys.readouterr().err
    assert "unknown format 'mt9400'" in err
    assert "camt053" in err


def test_unrecognised_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notities.txt"
    path.write_text("boodschappenlijst: brood, melk\n", encoding="utf-8")
    assert main(["parse", str(path)]) == 2
    assert "no connector recognises this file format" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(tmp_path / "weg.xml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_parse_never_touches_a_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "hhb.sqlite"
    monkeypatch.setenv("HHB_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.chdir(tmp_path)
    assert main(["parse", str(ZUIDERVEEN), "--json"]) == 0
    capsys.readouterr()
    assert sorted(tmp_path.iterdir()) == []
