"""CAMT bugs found by the fuzzer (tests/test_connectors_fuzz.py), each pinned by a test.

Before the fixes these inputs escaped as "unexpected error: ValueError / zlib.error"
(still a ConnectorError, but from the catch-all for bugs), now each gets its own
clear rejection.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest

from connectors.base import ConnectorError
from connectors.camt import parse_camt

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
MEMBER = "dag.xml"
CONTENT = f'<Document xmlns="{NS}"><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>'.encode()


def _refused(data: bytes) -> ConnectorError:
    with pytest.raises(ConnectorError) as caught:
        parse_camt(data, "afschrift.xml")
    assert "unexpected error" not in caught.value.message
    return caught.value


@pytest.mark.parametrize(
    "document",
    [
        # the prefix's declaration was dropped from the root element
        b"<?xml version='1.0'?><c:BkToCstmrStmt><c:GrpHdr/></c:BkToCstmrStmt>",
        # the fuzzer's case: {*}Stmt also matches an undeclared c:Stmt, and in a long
        # file that event arrives before libxml2 raises the namespace error
        b"<c:BkToCstmrStmt><c:Stmt>" + b"<c:Id>1</c:Id>" * 5000 + b"</c:Stmt></c:BkToCstmrStmt>",
        f"<c:Document><c:BkToCstmrStmt xmlns:c='{NS}'/></c:Document>".encode(),
        # an undeclared prefix on a child of a Document without statements
        f'<Document xmlns="{NS}"><x:BkToCstmrStmt/></Document>'.encode(),
    ],
)
def test_undeclared_namespace_prefix_is_refused_clearly(document: bytes) -> None:
    # libxml2 reports it as a syntax error when it sees it before our first event,
    # else our own check names it
    error = _refused(document)
    assert re.search(r"prefix '?[cx]'?.* not (declared|defined)", error.message), error.message


def _zip(compression: int = zipfile.ZIP_DEFLATED) -> bytearray:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        archive.writestr(MEMBER, CONTENT * 20)
    return bytearray(buffer.getvalue())


def _data_offset(data: bytearray) -> tuple[int, int]:
    """Start and length of the first member's compressed data."""
    (compressed_size,) = struct.unpack_from("<I", data, 18)
    name_length, extra_length = struct.unpack_from("<HH", data, 26)
    return 30 + name_length + extra_length, compressed_size


def test_zip_member_with_corrupt_compressed_data_is_refused() -> None:
    data = _zip()
    start, length = _data_offset(data)
    data[start : start + length] = b"\xff" * length  # block type 3 does not exist in deflate
    error = _refused(bytes(data))
    assert error.file == f"afschrift.xml!{MEMBER}"
    assert "cannot unpack this member" in error.message


def _set_in_both_headers(
    data: bytearray, local_offset: int, central_offset: int, value: int
) -> None:
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, local_offset, value)
    struct.pack_into("<H", data, central + central_offset, value)


def test_zip_member_with_unknown_compression_method_is_refused() -> None:
    data = _zip()
    _set_in_both_headers(data, 8, 10, 99)  # compression method field
    error = _refused(bytes(data))
    assert "cannot unpack this member" in error.message


def test_encrypted_zip_member_is_refused() -> None:
    data = _zip(zipfile.ZIP_STORED)
    _set_in_both_headers(data, 6, 8, 0x1)  # general purpose flag: encrypted
    error = _refused(bytes(data))
    assert "cannot unpack this member" in error.message
    assert "encrypted" in error.message


# -- amounts beyond Money's range (Money refuses >= 10^15 since main's c72afe7) ------


def _balance(code: str, amount: str) -> str:
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
        "<Dt><Dt>2024-04-02</Dt></Dt></Bal>"
    )


def _entry(amount: str, details: tuple[str, ...] = ()) -> str:
    parts = "".join(
        f'<TxDtls><Amt Ccy="EUR">{each}</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls>'
        for each in details
    )
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
        "<BookgDt><Dt>2024-04-02</Dt></BookgDt>"
        + (f"<NtryDtls>{parts}</NtryDtls>" if parts else "")
        + "</Ntry>"
    )


def _statement(opening: str, closing: str, *entries: str) -> bytes:
    return (
        f'<Document xmlns="{NS}"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId>'
        "<CreDtTm>2024-04-02T18:00:00</CreDtTm></GrpHdr><Stmt><Id>S</Id>"
        "<CreDtTm>2024-04-02T18:00:00</CreDtTm>"
        "<Acct><Id><IBAN>NL74BNGH0285134596</IBAN></Id></Acct>"
        + _balance("OPBD", opening)
        + _balance("CLBD", closing)
        + "".join(entries)
        + "</Stmt></BkToCstmrStmt></Document>"
    ).encode()


BIG = "900000000000000.00"  # 9 * 10^14: valid alone, too large twice


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (_statement("0.00", "1.00", _entry("1000000000000000.00")), "is out of range"),
        (_statement("0.00", "1.00", _entry(BIG), _entry(BIG)), "add up beyond the range"),
        (_statement("0.00", BIG, _entry(BIG, (BIG, BIG))), "add up beyond the range"),
        (_statement(BIG, "1.00", _entry(BIG)), "balances do not reconcile"),
    ],
    ids=["amount", "entries", "batch", "balance"],
)
def test_amounts_beyond_the_money_range_are_refused_clearly(document: bytes, message: str) -> None:
    error = _refused(document)
    assert message in error.message


def test_the_large_but_valid_statement_still_reads() -> None:
    (statement,) = parse_camt(_statement("0.00", BIG, _entry(BIG)), "groot.xml")
    assert str(statement.closing_balance) == BIG
