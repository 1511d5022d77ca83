"""Issue 18 points 2, 7 and 9: bounded resources on any bank file, liberal where it does
not matter, and only the digits 0-9 in amounts.

The memory tests run the parser in a subprocess with `resource.setrlimit(RLIMIT_AS)`,
so a parser that grows without bound kills that process, never the test run.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bench.camt_file import generate
from cli.main import main
from connectors.base import ConnectorError
from connectors.camt import parse_camt
from connectors.ofx import parse_ofx
from connectors.registry import detect, importer_by_name
from connectors.render import to_json
from huishoudboekje.domain.limits import LIMIT_VARIABLES, InputLimits, input_limits
from tests.golden import SAMPLES_DIR, check_golden

ROOT = Path(__file__).resolve().parents[1]
NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
MEMORY_CAP = 512 * 1024 * 1024
HEAD = (
    f'<?xml version="1.0"?><Document xmlns="{NS}"><BkToCstmrStmt><GrpHdr><MsgId>X</MsgId></GrpHdr>'
).encode()
TAIL = b"</BkToCstmrStmt></Document>"
ARABIC_ONE = "\u0661"  # ١

# Parse a file in a child process whose address space is capped; print the outcome
# and the peak resident memory growth (KB) over a warm-up parse of another file.
CHILD = """
import json, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))
from connectors.base import ConnectorError
from connectors.registry import importer_by_name
importer = importer_by_name("camt053")
importer.extract(Path(sys.argv[2]))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    importer.extract(Path(sys.argv[1]))
    outcome = "accepted"
except ConnectorError as error:
    outcome = error.message
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"outcome": outcome, "grown_kb": grown}))
""".replace("CAP", str(MEMORY_CAP))


def _capped_parse(
    path: Path, warm_up: Path = SAMPLES_DIR / "camt053_v02_zuiderveen.xml", **env: str
) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(warm_up)],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _unknown_elements(count: int) -> bytes:
    return HEAD + b"<a/>" * count + TAIL


def hostile_zip(path: Path, elements: int = 25_000_000) -> Path:
    """About 100 KB of ZIP holding a CAMT whose BkToCstmrStmt has millions of tiny
    unknown elements (the issue's case: it grew the parser to 3.3 GB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("afschrift.xml", _unknown_elements(elements))
    path.write_bytes(buffer.getvalue())
    return path


def test_the_hostile_zip_is_small_and_refused_under_a_memory_cap(tmp_path: Path) -> None:
    bomb = hostile_zip(tmp_path / "afschrift.zip")
    assert bomb.stat().st_size < 150_000
    result = _capped_parse(bomb)
    assert "HHB_LIMIT_ZIP_RATIO" in str(result["outcome"]), result


def test_unknown_elements_are_dropped_as_they_pass(tmp_path: Path) -> None:
    # 600,000 unknown elements between the entries of a good statement, held in the
    # tree, cost about 80 MB; dropped as they pass they cost nothing
    clean = tmp_path / "schoon.xml"
    generate(clean, 3000)
    junk = tmp_path / "veel-onbekend.xml"
    junk.write_bytes(clean.read_bytes().replace(b"</Ntry>", b"</Ntry>" + b"<a/>" * 200))
    result = _capped_parse(junk, clean)
    assert result["outcome"] == "accepted", result
    assert int(str(result["grown_kb"])) < 30_000, result


def test_a_stretch_of_unknown_elements_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "veel-onbekend.xml"
    plain.write_bytes(_unknown_elements(1_000_000))  # 4 MB without any boundary
    result = _capped_parse(plain)
    assert "HHB_LIMIT_XML_GAP_MB" in str(result["outcome"]), result


def test_each_size_limit_names_its_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = (SAMPLES_DIR / "camt053_v02_zuiderveen.xml").read_bytes()

    def refused(data: bytes, variable: str, value: str) -> str:
        monkeypatch.setenv(variable, value)
        with pytest.raises(ConnectorError) as caught:
            parse_camt(data, "x.zip")
        monkeypatch.delenv(variable)
        assert variable in caught.value.message, caught.value.message
        return caught.value.message

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(3):
            archive.writestr(f"dag{number}.xml", sample)
    archive_bytes = buffer.getvalue()
    assert parse_camt(archive_bytes, "x.zip")  # within the defaults
    assert "3 files" in refused(archive_bytes, "HHB_LIMIT_ZIP_MEMBERS", "2")
    big = HEAD + b"<a>" + b"x" * (2 * 1024 * 1024) + b"</a>" + TAIL
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("groot.xml", big)
    refused(buffer.getvalue(), "HHB_LIMIT_ZIP_MEMBER_MB", "1")
    refused(buffer.getvalue(), "HHB_LIMIT_ZIP_TOTAL_MB", "1")
    megabyte = b"<X/>" * (300 * 1024)  # 1.2 MB of unknown elements
    for where in (b"<MsgId>", b"<Bal>", b"<AcctSvcrRef>", b"</Ntry>", b"</TxDtls>"):
        assert where in sample
        junk = sample.replace(where, megabyte + where, 1)
        assert parse_camt(junk, "x.xml") == parse_camt(sample, "x.xml")  # within 2 MB
        message = refused(junk, "HHB_LIMIT_XML_GAP_MB", "1")
        assert "without a statement, entry or transaction boundary" in message


def test_limits_default_and_a_bad_setting_is_named() -> None:
    assert input_limits({}) == InputLimits()
    assert InputLimits().zip_member_bytes == InputLimits().zip_total_bytes == 200 * 1024**2
    assert input_limits({"HHB_LIMIT_ZIP_MEMBER_MB": "5"}).zip_member_bytes == 5 * 1024**2
    assert set(LIMIT_VARIABLES) == set(InputLimits.__dataclass_fields__)
    for bad in ("0", "-1", "veel", "1e3", ARABIC_ONE):
        with pytest.raises(ValueError, match="HHB_LIMIT_XML_GAP_MB"):
            input_limits({"HHB_LIMIT_XML_GAP_MB": bad})


def test_a_bad_limit_setting_is_one_connector_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HHB_LIMIT_XML_GAP_MB", "veel")
    sample = (SAMPLES_DIR / "camt053_v02_zuiderveen.xml").read_bytes()
    with pytest.raises(ConnectorError, match="HHB_LIMIT_XML_GAP_MB='veel'"):
        parse_camt(sample, "x.xml")


# -- only the digits 0-9 in amounts (point 9) ---------------------------------


@pytest.mark.parametrize(
    ("sample", "old", "new"),
    [
        (
            "camt053_v02_zuiderveen.xml",
            '<Amt Ccy="EUR">1194.78',
            f'<Amt Ccy="EUR">{ARABIC_ONE}194.78',
        ),
        ("mt940_ing_structured.sta", "C1200,00N", f"C{ARABIC_ONE}200,00N"),
        ("csv_ing_semicolon.csv", '"60,00"', f'"{ARABIC_ONE}60,00"'),
        ("ofx2_xml_two_accounts.ofx", "<TRNAMT>389.17", f"<TRNAMT>{ARABIC_ONE}389.17"),
        ("ofx2_xml_two_accounts.ofx", "<TRNAMT>389.17", "<TRNAMT>\uff13\uff18\uff19.17"),
    ],
)
def test_amounts_with_other_digits_are_refused(
    tmp_path: Path, sample: str, old: str, new: str
) -> None:
    data = (SAMPLES_DIR / sample).read_bytes()
    assert old.encode() in data
    path = tmp_path / sample
    path.write_bytes(data.replace(old.encode(), new.encode("utf-8"), 1))
    with pytest.raises(ConnectorError) as caught:
        detect(path).extract(path)
    assert "not" in caught.value.message or "digits 0-9" in caught.value.message


# -- liberal where it does not matter (point 7) -------------------------------


def test_ofx_sign_on_fields_and_trailing_comments_never_refuse_a_file() -> None:
    path = SAMPLES_DIR / "ofx1_sgml_signon_suffix_trailing.ofx"
    data = path.read_bytes()
    assert b"Z-bankserver7" in data and data.rstrip().endswith(b"-->")
    statements = importer_by_name("ofx").extract(path)
    check_golden(f"ofx__{path.stem}", to_json("ofx", statements))
    plain = (SAMPLES_DIR / "ofx1_sgml_sns.ofx").read_bytes()
    assert statements == parse_ofx(plain, path.name)
    xml = (SAMPLES_DIR / "ofx2_xml_two_accounts.ofx").read_bytes()
    odd = xml.replace(b"<DTSERVER>20240131235959.000[+1:CET]", b"<DTSERVER>gisteren", 1)
    assert parse_ofx(odd + b"<!-- a -->\n<!--\nb -->\n\n", "x.ofx") == parse_ofx(xml, "x.ofx")


def test_ofx_still_refuses_what_the_engine_reads_and_real_truncation() -> None:
    xml = (SAMPLES_DIR / "ofx2_xml_two_accounts.ofx").read_bytes()
    with pytest.raises(ConnectorError, match="DTPOSTED 'gisteren' is not a date"):
        parse_ofx(xml.replace(b"<DTPOSTED>20240126", b"<DTPOSTED>gisteren", 1), "x.ofx")
    with pytest.raises(ConnectorError, match="truncated"):
        parse_ofx(xml + b"<!-- a --> en nog wat", "x.ofx")


def test_camt054_without_booking_date_uses_the_value_date_and_skips_pending() -> None:
    path = SAMPLES_DIR / "camt054_v04_value_date_pending.xml"
    (statement,) = importer_by_name("camt054").extract(path)
    (booked,) = statement.transactions
    assert booked.booking_date.isoformat() == booked.value_date.isoformat() == "2024-04-02"
    assert dict(statement.extra)["skipped_entries"] == "1 PDNG"
    # a camt.053 statement entry still needs its booking date
    statement_file = (SAMPLES_DIR / "camt053_v02_zuiderveen.xml").read_bytes()
    no_date = statement_file.replace(
        b"<BookgDt>\n          <Dt>2024-03-25</Dt>\n        </BookgDt>", b"", 1
    )
    with pytest.raises(ConnectorError, match="no booking date"):
        parse_camt(no_date, "x.xml")


def test_xml_comments_and_blank_lines_after_the_closing_tag_are_accepted() -> None:
    sample = (SAMPLES_DIR / "camt053_v02_zuiderveen.xml").read_bytes()
    trailing = sample.rstrip() + b"\n<!-- export 2024-03-26 -->\n\n  \n"
    assert parse_camt(trailing, "x.xml") == parse_camt(sample, "x.xml")


def test_parse_without_balance_check_keeps_json_clean(capsys: pytest.CaptureFixture[str]) -> None:
    path = SAMPLES_DIR / "unbalanced_camt053_v02.xml"
    assert main(["parse", "--json", str(path)]) == 2
    assert "balances do not reconcile" in capsys.readouterr().err
    assert main(["parse", "--no-balance-check", "--json", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("LET OP: de saldi kloppen niet")
    shown = json.loads(captured.out)
    assert sum(len(s["transactions"]) for s in shown["statements"]) == 13
    # a file refused for another reason stays refused
    assert (
        main(["parse", "--no-balance-check", str(SAMPLES_DIR / "camt053_billion_laughs.xml")]) == 2
    )
