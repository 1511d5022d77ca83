"""Format auto-detection over the whole corpus, and `hhb parse` on MT940 and OFX files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from connectors.base import ConnectorError
from connectors.registry import detect, importer_by_name
from connectors.render import to_json
from tests.golden import SAMPLES_DIR, SHARED_CORPUS

MT940 = importer_by_name("mt940")
OFX = importer_by_name("ofx")
NOT_STATEMENTS = (".json", ".pydata", ".yml")


def _corpus() -> list[Path]:
    if not SHARED_CORPUS.exists():
        return []
    return sorted(
        path for path in SHARED_CORPUS.rglob("*") if path.is_file() and path.name != "SOURCES.md"
    )


def _expected(path: Path) -> str | None:
    """The importer a file belongs to, from where the corpus keeps it."""
    folder = path.parent.name
    if path.suffix in NOT_STATEMENTS:
        return None
    if folder == "mt940" or path.name in ("oca__test-wrong-file.940", "zilv__knab_invalid.txt"):
        return "mt940"
    if folder == "ofx" or (folder == "invalid" and path.suffix == ".ofx"):
        return "ofx"
    if folder.startswith("camt") or (folder == "invalid" and "camt" in path.name.lower()):
        return "camt"
    return None


def _detected(path: Path) -> str | None:
    try:
        return detect(path).name
    except ConnectorError:
        return None


def test_corpus_is_present_or_skipped() -> None:
    if not _corpus():
        pytest.skip("shared corpus not available")
    assert len(_corpus()) > 60


@pytest.mark.parametrize("path", _corpus(), ids=lambda path: str(path.relative_to(SHARED_CORPUS)))
def test_each_corpus_file_is_detected_as_its_own_format(path: Path) -> None:
    expected = _expected(path)
    assert MT940.identify(path) == (expected == "mt940")
    assert OFX.identify(path) == (expected == "ofx")
    detected = _detected(path)
    if expected in ("mt940", "ofx"):
        assert detected == expected
    elif expected == "camt":
        assert detected is not None and detected.startswith("camt")
    else:  # CSV, pain.001, XSD, expectations: whatever they are, never MT940 or OFX
        assert detected not in ("mt940", "ofx")


@pytest.mark.parametrize(
    "path",
    sorted(SAMPLES_DIR.glob("camt05*.xml")),
    ids=lambda path: path.name,
)
def test_own_camt_samples_are_not_mt940_or_ofx(path: Path) -> None:
    assert not MT940.identify(path)
    assert not OFX.identify(path)


# -- hhb parse -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "format_name"),
    [
        ("mt940_ing_structured.sta", "mt940"),
        ("mt940_rabobank_structured.txt", "mt940"),
        ("ofx1_sgml_sns.ofx", "ofx"),
        ("ofx2_xml_two_accounts.ofx", "ofx"),
    ],
)
def test_hhb_parse_json_on_own_samples(
    name: str, format_name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = SAMPLES_DIR / name
    assert main(["parse", str(path), "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out == to_json(format_name, importer_by_name(format_name).extract(path))
    assert json.loads(out)["format"] == format_name
    assert main(["parse", str(path), "--format", format_name, "--json"]) == 0
    assert capsys.readouterr().out == out


def test_hhb_parse_table_shows_returns_and_reversals(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SAMPLES_DIR / "mt940_ing_structured.sta")]) == 0
    out = capsys.readouterr().out
    assert "mt940: 1 afschrift(en), 6 transactie(s)" in out
    assert "retour AC04" in out
    assert "storno" in out


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b":20:X\n:25:NL20INGB0001234567\n:60F:C240101EUR1,00\n:61:240101C1,00NTRF\n",
            "kapot.sta",
            "mt940: kapot.sta: statement 1 X (line 1): no closing balance",
        ),
        (
            b"OFXHEADER:100\n\n<OFX><BANKMSGSRSV1>\n",
            "kapot.ofx",
            "ofx: kapot.ofx: the file does not end with </OFX>",
        ),
    ],
)
def test_hhb_parse_bad_file_exits_2_with_the_message(
    tmp_path: Path, data: bytes, name: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["parse", str(path), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(message)


def test_hhb_parse_refuses_the_xxe_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SAMPLES_DIR / "ofx2_xxe.ofx")]) == 2
    assert "the file has a DOCTYPE declaration" in capsys.readouterr().err
