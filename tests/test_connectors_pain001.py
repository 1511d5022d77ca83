"""pain.001 exporter: golden files, XSD validity, EPC text, errors, writing, MsgId, round trip."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from schwifty import IBAN

from connectors import pain001
from connectors.base import ConnectorError
from connectors.epc import betalingskenmerk_check_digit, epc_text, is_betalingskenmerk
from connectors.pain001 import (
    PAIN_VERSIONS,
    Pain001Message,
    ParsedPain001,
    build_pain001,
    read_pain001,
    write_pain001,
)
from connectors.pain001_schema import fast_schema, schema, schema_errors
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.payments import Debtor, PaymentInstruction
from tests.golden import check_golden, corpus_file

CREATED = datetime(2024, 4, 1, 2, 30, tzinfo=UTC)
DEBTOR = Debtor("Gemeente Voorbeeldstad – Derdengelden", "NL74 BNGH 0285 1345 96", "BNGHNL2G")
NS = {version: {"p": f"urn:iso:std:iso:20022:tech:xsd:{version}"} for version in PAIN_VERSIONS}
VALID_KENMERK = "5000056789012345"  # the Betaalvereniging's published example


def instruction(
    e2e: str,
    amount: str,
    day: date,
    *,
    name: str = "Woonstichting De Linde",
    iban: str = "NL56RABO9314170586",
    bic: str = "RABONL2U",
    remittance: str = "",
    reference: str = "",
) -> PaymentInstruction:
    return PaymentInstruction(
        end_to_end_id=e2e,
        household="HH-001",
        kind="charge",
        charge_id="huur",
        payee_name=name,
        payee_iban=iban,
        payee_bic=bic,
        amount=Money(amount),
        execution_date=day,
        remittance=remittance,
        structured_reference=reference,
        reason="",
    )


def fixed_batch() -> list[PaymentInstruction]:
    """Three dates, structured and unstructured remittance, accents, no BIC, a bad kenmerk."""
    return [
        instruction("HH-001-huur-20240402", "725.40", date(2024, 4, 2), reference=VALID_KENMERK),
        instruction(
            "HH-002-energie-20240402",
            "112.05",
            date(2024, 4, 2),
            name="Énergie Zuid B.V. & Zonen",
            iban="NL91ABNA0417164300",
            bic="",
            remittance="Termijn april – klant 4711 (€ 112,05)",
        ),
        instruction(
            "HH-001-leefgeld-20240403",
            "85.00",
            date(2024, 4, 3),
            name="Jürgen Groß-Öztürk",
            iban="NL07RABO0000012345",
            remittance="Leefgeld week 14 2024",
        ),
        instruction(
            "HH-003-water-20240405",
            "31.17",
            date(2024, 4, 5),
            name="Waterbedrijf Noord",
            iban="DE47500500000000012345",
            bic="HELADEFFXXX",
            remittance="Voorschot water " + "x" * 200,
            reference="5000056789012346",  # check digit wrong → unstructured
        ),
    ]


def build(
    version: str = PAIN_VERSIONS[0], batch: list[PaymentInstruction] | None = None
) -> Pain001Message:
    return build_pain001(batch or fixed_batch(), DEBTOR, created_at=CREATED, version=version)


# -- golden files and the XSD -------------------------------------------------------


@pytest.mark.parametrize("version", PAIN_VERSIONS)
def test_fixed_batch_matches_golden_xml(version: str) -> None:
    check_golden(f"pain001__{version}", build(version).xml.decode("utf-8"))


@pytest.mark.parametrize("version", PAIN_VERSIONS)
def test_output_validates_against_xsd_with_two_validators(version: str) -> None:
    xml = build(version).xml
    schema(version).validate(xml.decode("utf-8"))
    # an independent validator (libxml2) on the same XSD file
    xsd = etree.XMLSchema(etree.parse(schema(version).url))
    xsd.assertValid(etree.fromstring(xml))


BROKEN = {  # an XPath in a valid message, and what is done to it
    "amount with six decimals": ("//p:InstdAmt", lambda e: setattr(e, "text", "1.000001")),
    "empty end-to-end id": ("//p:EndToEndId", lambda e: setattr(e, "text", "")),
    "no debtor account": ("//p:DbtrAcct", lambda e: e.getparent().remove(e)),
    "unknown element": ("//p:GrpHdr", lambda e: etree.SubElement(e, f"{{{e.nsmap[None]}}}Extra")),
    "bad currency": ("//p:InstdAmt", lambda e: e.set("Ccy", "euro")),
    "name too long": ("//p:Cdtr/p:Nm", lambda e: setattr(e, "text", "x" * 141)),
}


@pytest.mark.parametrize("version", PAIN_VERSIONS)
@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_libxml2_and_xmlschema_refuse_the_same_broken_message(version: str, broken: str) -> None:
    """`schema_errors` asks libxml2 (fast) and, only for a refused message, xmlschema
    (for the XPath and the reason): both must refuse what is broken, and the error
    that reaches the reader is xmlschema's."""
    path, damage = BROKEN[broken]
    root = etree.fromstring(build(version).xml)
    found = root.xpath(path, namespaces={"p": root.nsmap[None]})
    assert isinstance(found, list) and isinstance(found[0], etree._Element)
    damage(found[0])
    assert not fast_schema(version).validate(root)
    assert not schema(version).is_valid(root)
    errors = schema_errors(root, version)
    assert errors and errors[0][0].startswith("/")  # an XPath, not libxml2's line
    with pytest.raises(ConnectorError, match="does not validate"):
        read_pain001(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


@pytest.mark.parametrize("version", PAIN_VERSIONS)
def test_totals_and_one_payment_information_per_date(version: str) -> None:
    message = build(version)
    root = etree.fromstring(message.xml)
    ns = NS[version]
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=ns) == "4"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=ns) == "953.62"
    blocks = root.findall("p:CstmrCdtTrfInitn/p:PmtInf", namespaces=ns)
    date_path = "p:ReqdExctnDt" if version.endswith("03") else "p:ReqdExctnDt/p:Dt"
    summary = [
        (
            block.findtext(date_path, namespaces=ns),
            block.findtext("p:NbOfTxs", namespaces=ns),
            block.findtext("p:CtrlSum", namespaces=ns),
        )
        for block in blocks
    ]
    assert summary == [
        ("2024-04-02", "2", "837.45"),
        ("2024-04-03", "1", "85.00"),
        ("2024-04-05", "1", "31.17"),
    ]
    assert message.number_of_transactions == 4
    assert message.control_sum == Money("953.62")
    assert message.execution_dates == (date(2024, 4, 2), date(2024, 4, 3), date(2024, 4, 5))
    bic_tag = "p:BIC" if version.endswith("03") else "p:BICFI"
    assert root.findtext(f".//p:DbtrAgt/p:FinInstnId/{bic_tag}", namespaces=ns) == "BNGHNL2G"


def test_remittance_structured_for_a_valid_kenmerk_else_unstructured() -> None:
    parsed = read_pain001(build().xml)
    by_id = {p.end_to_end_id: p for p in parsed.payments}
    assert by_id["HH-001-huur-20240402"].structured_reference == VALID_KENMERK
    assert by_id["HH-001-huur-20240402"].remittance == ""
    water = by_id["HH-003-water-20240405"]
    assert water.structured_reference == ""
    assert water.remittance.startswith("5000056789012346 Voorschot water xxx")
    assert len(water.remittance) == 140
    energy = by_id["HH-002-energie-20240402"]
    assert energy.remittance == "Termijn april - klant 4711 (EUR 112,05)"
    assert energy.creditor_name == "Energie Zuid B.V. + Zonen"
    assert energy.creditor_bic == ""
    assert by_id["HH-001-leefgeld-20240403"].creditor_name == "Jurgen Gross-Ozturk"
    root = etree.fromstring(build().xml)
    ns = NS[PAIN_VERSIONS[0]]
    (kind,) = root.findall(".//p:CdtrRefInf/p:Tp", namespaces=ns)
    assert kind.findtext("p:CdOrPrtry/p:Cd", namespaces=ns) == "SCOR"
    assert kind.findtext("p:Issr", namespaces=ns) == "CUR"


# -- EPC text and the betalingskenmerk ----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Café Øresund", "Cafe Oresund"),
        ("Straße 5", "Strasse 5"),
        ("€ 12,50", "EUR 12,50"),
        ("Jansen & Zn", "Jansen + Zn"),
        ("“quoted” – dash", "'quoted' - dash"),
        ("ÆØÅ æøå", "AEOA aeoa"),
        ("tab\tnew\nline  spaces", "tab new line spaces"),
        ("mail@example.nl #12 50% *", "mail.example.nl .12 50. ."),
        ("emoji 😀 ok", "emoji . ok"),
        ("Ǆemal ﬁx", "DZemal fix"),
        ("Zoë Çelik-Ñúñez", "Zoe Celik-Nunez"),
        ("allowed /-?:().,'+", "allowed /-?:().,'+"),
        ("ＦＵＬＬ", "FULL"),
    ],
)
def test_epc_transliteration(raw: str, expected: str) -> None:
    assert epc_text(raw, 140) == expected


def test_epc_text_cuts_to_length_without_trailing_space() -> None:
    assert epc_text("ab " * 50, 70) == ("ab " * 24)[:70].rstrip()
    assert len(epc_text("é" * 300, 140)) == 140


@given(st.text(), st.integers(min_value=1, max_value=140))
def test_epc_text_never_emits_an_invalid_character(raw: str, length: int) -> None:
    cleaned = epc_text(raw, length)
    assert len(cleaned) <= length
    assert all(
        c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ "
        for c in cleaned
    )
    assert cleaned == cleaned.strip()


def test_betalingskenmerk_check_digit() -> None:
    assert betalingskenmerk_check_digit("000056789012345") == 5
    assert is_betalingskenmerk(VALID_KENMERK)
    assert not is_betalingskenmerk("5000056789012346")
    assert not is_betalingskenmerk("500005678901234")  # 15 digits
    assert not is_betalingskenmerk("500005678901234A")
    # remainders 1 and 0 map to check digits 1 (C=10) and 0 (C=11)
    digits = [f"{n:015d}" for n in range(200)]
    assert {betalingskenmerk_check_digit(d) for d in digits} <= set(range(10))
    assert any(betalingskenmerk_check_digit(d) == 0 for d in digits)


# -- errors -------------------------------------------------------------------------


def _with_field(tx: PaymentInstruction, **changes: object) -> PaymentInstruction:
    """Bypass the dataclass's own checks, to see that the exporter checks again."""
    copy = dataclasses.replace(tx)
    for field, value in changes.items():
        object.__setattr__(copy, field, value)
    return copy


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"payee_iban": "NL56RABO9314170587"}, "invalid payee IBAN"),
        ({"payee_iban": "not an iban"}, "invalid payee IBAN"),
        ({"payee_bic": "RABONL2"}, "invalid payee BIC"),
        ({"amount": Money("0.00")}, "amount must be positive"),
        ({"amount": Money("-5.00")}, "amount must be positive"),
        ({"amount": Money("1000000000.00")}, "exceeds"),
        ({"payee_name": "\u200b\t "}, "no name"),
    ],
)
def test_bad_instruction_raises_naming_the_end_to_end_id(
    changes: dict[str, object], message: str
) -> None:
    batch = fixed_batch()
    batch[2] = _with_field(batch[2], **changes)
    with pytest.raises(ConnectorError) as caught:
        build(batch=batch)
    assert caught.value.where == "HH-001-leefgeld-20240403"
    assert caught.value.connector == "pain001"
    assert caught.value.file.startswith("HHB-20240402-")
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("debtor", "message"),
    [
        (Debtor("Gemeente", "NL74BNGH0285134597", "BNGHNL2G"), "invalid debtor IBAN"),
        (Debtor("Gemeente", "NL74BNGH0285134596", "BNGH"), "invalid debtor BIC"),
        (Debtor("", "NL74BNGH0285134596"), "no name"),
    ],
)
def test_bad_debtor_raises(debtor: Debtor, message: str) -> None:
    with pytest.raises(ConnectorError, match=message) as caught:
        build_pain001(fixed_batch(), debtor, created_at=CREATED)
    assert caught.value.where == "Dbtr"


def test_empty_batch_duplicate_and_invalid_ids_raise() -> None:
    with pytest.raises(ConnectorError, match="no payment instructions"):
        build_pain001([], DEBTOR, created_at=CREATED)
    batch = fixed_batch()
    with pytest.raises(ConnectorError, match="occurs twice") as caught:
        build(batch=[*batch, batch[0]])
    assert caught.value.where == batch[0].end_to_end_id
    for bad in ("HH_001", "/HH-1", "HH//1", "HH-1/", "HHé1"):
        with pytest.raises(ConnectorError, match="EndToEndId must be"):
            build(batch=[dataclasses.replace(batch[0], end_to_end_id=bad)])


def test_naive_timestamp_and_unknown_version_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="timezone"):
        build_pain001(fixed_batch(), DEBTOR, created_at=datetime(2024, 4, 1))
    with pytest.raises(ValueError, match="unsupported"):
        build_pain001(fixed_batch(), DEBTOR, created_at=CREATED, version="pain.001.001.10")


# -- MsgId and writing ---------------------------------------------------------------


def test_msg_id_is_deterministic_and_changes_with_the_batch() -> None:
    first = build()
    shuffled = build(batch=list(reversed(fixed_batch())))
    assert shuffled.msg_id == first.msg_id
    assert shuffled.xml == first.xml
    assert len(first.msg_id) <= 35
    assert first.msg_id.startswith("HHB-20240402-")
    batch = fixed_batch()
    variants = [
        batch[:-1],
        [dataclasses.replace(batch[0], amount=Money("725.41")), *batch[1:]],
        [dataclasses.replace(batch[0], execution_date=date(2024, 4, 3)), *batch[1:]],
        [dataclasses.replace(batch[0], end_to_end_id="HH-001-huur-X"), *batch[1:]],
    ]
    ids = {first.msg_id} | {build(batch=v).msg_id for v in variants}
    ids.add(build(PAIN_VERSIONS[1]).msg_id)
    ids.add(
        build_pain001(
            batch, dataclasses.replace(DEBTOR, iban="NL91ABNA0417164300"), created_at=CREATED
        ).msg_id
    )
    assert len(ids) == len(variants) + 3


def test_write_is_idempotent_and_refuses_different_bytes(tmp_path: Path) -> None:
    message = build()
    path = write_pain001(message, tmp_path)
    assert path == tmp_path / f"pain001-{message.msg_id}.xml"
    assert path.read_bytes() == message.xml
    stamp = path.stat().st_mtime_ns
    assert write_pain001(message, tmp_path) == path
    assert path.stat().st_mtime_ns == stamp
    later = build_pain001(fixed_batch(), DEBTOR, created_at=CREATED + timedelta(hours=1))
    assert later.msg_id == message.msg_id
    with pytest.raises(ConnectorError, match="already exists with different content"):
        write_pain001(later, tmp_path)
    assert path.read_bytes() == message.xml
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda xml: xml.replace(b"<CtrlSum>953.62</CtrlSum>", b"<CtrlSum>953.63</CtrlSum>"),
        lambda xml: xml.replace(b"<PmtMtd>TRF</PmtMtd>", b""),
        lambda xml: xml.replace(b"Woonstichting", b"Woonstichting & Co"),
        lambda xml: xml[: len(xml) // 2],
    ],
    ids=["ctrlsum", "xsd", "not-well-formed", "truncated"],
)
def test_an_invalid_message_is_never_written(tmp_path: Path, tamper) -> None:  # type: ignore[no-untyped-def]
    message = build()
    broken = dataclasses.replace(message, xml=tamper(message.xml))
    assert broken.xml != message.xml
    with pytest.raises(ConnectorError):
        write_pain001(broken, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_msg_id_must_match_the_xml(tmp_path: Path) -> None:
    message = build()
    with pytest.raises(ConnectorError, match="MsgId"):
        write_pain001(dataclasses.replace(message, msg_id="HHB-OTHER"), tmp_path)
    with pytest.raises(ConnectorError, match="file name"):
        write_pain001(dataclasses.replace(message, msg_id="../escape"), tmp_path)
    assert list(tmp_path.iterdir()) == []


# -- reading ------------------------------------------------------------------------


def render(parsed: ParsedPain001) -> str:
    data = {
        "msg_id": parsed.msg_id,
        "version": parsed.version,
        "created_at": parsed.created_at,
        "debtor": _fields(parsed.debtor),
        "payments": [_fields(p) for p in parsed.payments],
    }
    return json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n"


def _fields(record: object) -> dict[str, object]:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    [
        "phpsepa__pain.001.001.03.xml",
        "phpsepa__pain.001.001.09.xml",
        "sepaking__pain.001.001.03.xml",
    ],
)
def test_read_corpus_files(name: str) -> None:
    path = corpus_file(f"pain001/{name}")
    check_golden(
        f"pain001_read__{name.removesuffix('.xml')}", render(read_pain001(path.read_bytes(), name))
    )


def test_read_corpus_incorrect_file_is_refused() -> None:
    path = corpus_file("pain001/hhb__incorrect.xml")
    with pytest.raises(ConnectorError, match="EndToEndId occurs more than once") as caught:
        read_pain001(path.read_bytes(), path.name)
    assert caught.value.file == "hhb__incorrect.xml"
    assert caught.value.where == "NOTPROVIDED"


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda x: x.replace(b"<NbOfTxs>4</NbOfTxs>", b"<NbOfTxs>5</NbOfTxs>"), "NbOfTxs says 5"),
        (
            lambda x: x.replace(b"<CtrlSum>85.00</CtrlSum>", b"<CtrlSum>85.01</CtrlSum>"),
            "CtrlSum says",
        ),
        (lambda x: x.replace(b'Ccy="EUR">85.00', b'Ccy="USD">85.00'), "not EUR"),
        (
            lambda x: x.replace(b">85.00</InstdAmt>", b">85.001</InstdAmt>"),
            "not an amount in cents",
        ),
        (lambda x: x.replace(b"pain.001.001.03", b"pain.001.001.02"), "is not pain.001.001.03"),
        (lambda x: x.replace(b"<PmtMtd>TRF</PmtMtd>", b""), "does not validate"),
        (lambda x: x.replace(b"</Document>", b""), "not well-formed"),
        (
            lambda x: x.replace(
                b'<?xml version="1.0" encoding="UTF-8"?>',
                b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
            ),
            "DOCTYPE",
        ),
    ],
)
def test_read_refuses_bad_files(tamper, message: str) -> None:  # type: ignore[no-untyped-def]
    xml = build().xml
    with pytest.raises(ConnectorError, match=message):
        read_pain001(tamper(xml), "bad.xml")


# -- round trip ---------------------------------------------------------------------

_KENMERK_BODY = st.from_regex(r"[0-9]{15}", fullmatch=True)
valid_kenmerk = _KENMERK_BODY.map(lambda body: f"{betalingskenmerk_check_digit(body)}{body}")
wrong_kenmerk = _KENMERK_BODY.map(
    lambda body: f"{(betalingskenmerk_check_digit(body) + 1) % 10}{body}"
)
ibans = st.builds(
    lambda country, bank, account: str(
        IBAN.generate(country, bank_code=bank, account_code=account)
    ),
    st.just("NL"),
    st.sampled_from(["ABNA", "RABO", "INGB", "BNGH", "TRIO", "SNSB"]),
    st.from_regex(r"[0-9]{10}", fullmatch=True),
) | st.sampled_from(["DE47500500000000012345", "BE96001001234505", "NL56 rabo 9314 1705 86"])
names = st.text(min_size=1, max_size=90).filter(lambda n: epc_text(n, 70) != "")


@st.composite
def batches(draw: st.DrawFn) -> list[PaymentInstruction]:
    ids = draw(
        st.lists(
            st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,34}", fullmatch=True),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    start = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 1, 1)))
    result = []
    for e2e in ids:
        result.append(
            PaymentInstruction(
                end_to_end_id=e2e,
                household="HH",
                kind=draw(st.sampled_from(["charge", "leefgeld", "extra"])),
                charge_id="x",
                payee_name=draw(names),
                payee_iban=draw(ibans),
                payee_bic=draw(st.sampled_from(["", "RABONL2U", "ABNANL2A", "INGBNL2AXXX"])),
                amount=Money.cents(draw(st.integers(1, 99_999_999_999))),
                execution_date=start + timedelta(days=draw(st.integers(0, 3))),
                remittance=draw(st.text(max_size=200)),
                structured_reference=draw(st.one_of(st.just(""), valid_kenmerk, wrong_kenmerk)),
                reason="",
            )
        )
    return result


def _expected(tx: PaymentInstruction) -> tuple[object, ...]:
    structured = is_betalingskenmerk(tx.structured_reference)
    return (
        tx.end_to_end_id,
        tx.execution_date,
        tx.amount,
        epc_text(tx.payee_name, 70),
        "".join(tx.payee_iban.split()).upper(),
        tx.payee_bic,
        "" if structured else epc_text(f"{tx.structured_reference} {tx.remittance}", 140),
        tx.structured_reference if structured else "",
    )


@settings(max_examples=int(os.environ.get("HHB_PAIN001_EXAMPLES", "60")), deadline=None)
@given(batch=batches(), version=st.sampled_from(PAIN_VERSIONS))
def test_round_trip(batch: list[PaymentInstruction], version: str) -> None:
    message = build_pain001(batch, DEBTOR, created_at=CREATED, version=version)
    assert schema(version).is_valid(message.xml.decode("utf-8"))
    parsed = read_pain001(message.xml)
    assert parsed.msg_id == message.msg_id
    assert parsed.version == version
    assert parsed.debtor == Debtor(epc_text(DEBTOR.name, 70), "NL74BNGH0285134596", "BNGHNL2G")
    actual = [tuple(_fields(p).values()) for p in parsed.payments]
    expected = [
        _expected(tx) for tx in sorted(batch, key=lambda t: (t.execution_date, t.end_to_end_id))
    ]
    assert actual == expected
    assert parsed.control_sum == message.control_sum
    assert len(message.execution_dates) == len({tx.execution_date for tx in batch})


@pytest.mark.parametrize("version", PAIN_VERSIONS)
def test_debtor_without_bic_gets_notprovided_agent(version: str) -> None:
    debtor = Debtor("Gemeente Voorbeeldstad", "NL74BNGH0285134596")
    message = build_pain001(fixed_batch(), debtor, created_at=CREATED, version=version)
    root = etree.fromstring(message.xml)
    agents = root.findall(".//p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", namespaces=NS[version])
    assert [a.text for a in agents] == ["NOTPROVIDED"] * 3
    assert read_pain001(message.xml).debtor == debtor


def test_write_creates_the_directory_and_reports_os_errors(tmp_path: Path) -> None:
    message = build()
    path = write_pain001(message, tmp_path / "uit" / "2024-04-01")
    assert path.read_bytes() == message.xml
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map")
    with pytest.raises(ConnectorError, match="cannot write"):
        write_pain001(message, blocked)


any_text = st.text(max_size=160)


def rarely(usual: st.SearchStrategy[str], wild: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """`wild` one time in ten, so that most batches still make it to a file."""
    return st.integers(0, 9).flatmap(lambda n: wild if n == 0 else usual)


@st.composite
def wild_instructions(draw: st.DrawFn) -> PaymentInstruction:
    """Instructions with arbitrary text in every free-text field, and now and then in ids."""
    return PaymentInstruction(
        end_to_end_id=draw(
            rarely(
                st.from_regex(r"[A-Za-z0-9-]{1,35}", fullmatch=True),
                st.text(min_size=1, max_size=35),
            )
        ),
        household=draw(any_text),
        kind="charge",
        charge_id=draw(any_text),
        payee_name=draw(rarely(names, any_text)),
        payee_iban=draw(rarely(ibans, any_text)),
        payee_bic=draw(rarely(st.sampled_from(["", "RABONL2U", "rabonl2u"]), any_text)),
        amount=Money.cents(
            draw(st.integers(0, 19).flatmap(lambda n: st.integers(1, 99_999_999_999 + (n == 0))))
        ),
        execution_date=draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))),
        remittance=draw(any_text),
        structured_reference=draw(st.one_of(any_text, valid_kenmerk, wrong_kenmerk)),
        reason=draw(any_text),
    )


@settings(max_examples=60, deadline=None)
@given(
    batch=st.lists(wild_instructions(), min_size=1, max_size=5),
    version=st.sampled_from(PAIN_VERSIONS),
)
def test_any_input_gives_a_valid_file_or_a_connector_error(
    batch: list[PaymentInstruction], version: str
) -> None:
    try:
        message = build_pain001(batch, DEBTOR, created_at=CREATED, version=version)
    except ConnectorError as error:
        assert error.connector == "pain001" and error.message
        return
    text = message.xml.decode("utf-8")
    assert schema(version).is_valid(text)
    body = text.split("?>", 1)[1]
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")
    for node in etree.fromstring(message.xml).iter():
        assert set(node.text or "") - set(" \n") <= allowed, node.text
    assert "&" not in body  # no character needed escaping
    assert read_pain001(message.xml).number_of_transactions == len(batch)


def test_totals_beyond_the_money_range_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    big = [
        instruction(f"HH-{n}", "999999999.99", date(2024, 4, 2), iban="NL91ABNA0417164300")
        for n in range(3)
    ]
    message = build(batch=big)
    # three payments of 9 * 10^14 add up beyond 10^15: read, and build, refuse clearly
    xml = message.xml.replace(b">999999999.99<", b">900000000000000.00<")
    xml = xml.replace(b"<CtrlSum>2999999999.97</CtrlSum>", b"")
    with pytest.raises(ConnectorError, match="add up beyond the range"):
        read_pain001(xml)
    # a million payments of the EPC maximum would do the same to build; lift the
    # maximum instead of building them
    monkeypatch.setattr(pain001, "MAX_AMOUNT", Money("999999999999999.99"))
    huge = [dataclasses.replace(tx, amount=Money("900000000000000.00")) for tx in big]
    with pytest.raises(ConnectorError, match="adds up beyond the range"):
        build(batch=huge)
