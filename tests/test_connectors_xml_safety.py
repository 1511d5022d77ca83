"""The DOCTYPE refusal runs on the raw bytes, whatever libxml2 version is installed."""

from __future__ import annotations

import io
import zipfile

import pytest

from connectors.base import ConnectorError
from connectors.camt import parse_camt
from connectors.pain001 import read_pain001
from connectors.xml_safety import doctype_in_prolog
from tests.golden import SAMPLES_DIR

BOMB = SAMPLES_DIR / "camt053_billion_laughs.xml"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<?xml version="1.0"?>\n<!DOCTYPE Document>\n<Document/>', True),
        (b"<!-- note -->\n<!doctype d>\n<d/>", True),
        (b"<!  DOCTYPE d [<!ENTITY e 'x'>]><d>&e;</d>", True),
        (b'<?xml version="1.0"?>\n<Document><Nm>&lt;!DOCTYPE</Nm></Document>', False),
        (b"<Document><!-- <!DOCTYPE x> --></Document>", False),
        (b"", False),
    ],
)
def test_doctype_only_counts_in_the_prolog(head: bytes, expected: bool) -> None:
    assert doctype_in_prolog(head) is expected


def test_bomb_inside_a_zip_member_is_refused_by_name() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("dag1.xml", BOMB.read_bytes())
    with pytest.raises(ConnectorError, match=r"dag1\.xml.*DOCTYPE declaration"):
        parse_camt(buffer.getvalue(), "export.zip")


def test_bomb_as_pain001_is_refused_as_doctype_not_as_syntax() -> None:
    data = BOMB.read_bytes().replace(b"camt.053.001.02", b"pain.001.001.03")
    with pytest.raises(ConnectorError, match="DOCTYPE declaration"):
        read_pain001(data, "bomb.xml")


def test_a_large_camt_still_parses_across_the_prolog_chunk() -> None:
    data = (SAMPLES_DIR / "camt053_v02_zuiderveen.xml").read_bytes()
    padded = data.replace(b"<Document", b"<!--" + b" " * 70_000 + b"-->\n<Document", 1)
    assert len(parse_camt(padded, "padded.xml")) == len(parse_camt(data, "plain.xml"))
