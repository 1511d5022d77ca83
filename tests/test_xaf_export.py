"""The XAF 3.2 auditfile (issue 21.3): valid against the schema, totals equal to the ledger.

The demo year is exported through `hhb export xaf` and checked three ways: against
the public XSD in ../shared with xmlschema (an independent validator; skipped when
../shared is absent), against the shipped copy with lxml, and by adding up its lines
against the ledger computed in Python from `load_ledger` (not the SQL the export
itself uses). A hypothesis property does the same over generated journals.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from cli.main import main as hhb
from huishoudboekje.adapters.persistence.db import open_database
from huishoudboekje.adapters.persistence.journal import append_journal_entries, load_ledger
from huishoudboekje.adapters.persistence.repository import save_gemeente
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.xaf.check import (
    SCHEMA_FILE,
    AuditfileInvalidError,
    validate_auditfile,
)
from huishoudboekje.domain.gl_accounts import CHART, gl_account
from huishoudboekje.domain.household import Gemeente
from huishoudboekje.domain.ledger import (
    BANK,
    FUND,
    IN_FLIGHT,
    SUSPENSE,
    Account,
    JournalEntry,
    Posting,
    advance,
    reserve,
    vat,
)
from huishoudboekje.domain.money import ZERO, Money
from huishoudboekje.services.xaf_export import export_xaf
from tests.demo_once import demo_database

NS = {"x": "http://www.auditfiles.nl/XAF/3.2"}
SHARED_XSD = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "corpus"
    / "xsd"
    / "XmlAuditfileFinancieel3.2.xsd"
)
SHIPPED_XSD = (
    Path(__file__).resolve().parents[1] / "huishoudboekje" / "adapters" / "xaf" / SCHEMA_FILE
)
needs_shared = pytest.mark.skipif(not SHARED_XSD.is_file(), reason="../shared is absent")


def _money(text: str | None) -> Money:
    return Money(Decimal(text or "0"))


def _lines(tree: etree._ElementTree) -> list[tuple[str, Money, str, str]]:
    """(accID, signed amount, custSupID, docRef) of every trLine."""
    found = []
    for line in tree.iterfind(".//x:trLine", NS):
        amount = _money(line.findtext("x:amnt", namespaces=NS))
        if line.findtext("x:amntTp", namespaces=NS) == "C":
            amount = -amount
        found.append(
            (
                line.findtext("x:accID", namespaces=NS) or "",
                amount,
                line.findtext("x:custSupID", namespaces=NS) or "",
                line.findtext("x:docRef", namespaces=NS) or "",
            )
        )
    return found


def _expected(entries: tuple[JournalEntry, ...], year: int) -> tuple[int, Money, Money]:
    postings = [p.amount for e in entries if e.day.year == year for p in e.postings]
    debit = sum((a for a in postings if a.is_positive), ZERO)
    credit = sum((-a for a in postings if a.is_negative), ZERO)
    return len(postings), debit, credit


@pytest.fixture(scope="module")
def demo_xaf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    database = demo_database()
    folder = tmp_path_factory.mktemp("xaf")
    target = folder / "demo-2026.xml"
    url = f"sqlite:///{database}"
    assert hhb(["export", "xaf", "--year", "2026", "-o", str(target), "--database", url]) == 0
    return target, url, folder


def test_the_shipped_schema_is_the_published_one() -> None:
    digest = hashlib.sha256(SHIPPED_XSD.read_bytes()).hexdigest()
    assert digest == "55001be965337abd67f82c7e54a1853dea2355b653b86ef929cc55e2e286b72f"
    if SHARED_XSD.is_file():
        assert SHARED_XSD.read_bytes() == SHIPPED_XSD.read_bytes()


@needs_shared
def test_the_demo_year_validates_against_the_public_xsd(demo_xaf: tuple[Path, str, Path]) -> None:
    import xmlschema

    schema = xmlschema.XMLSchema(str(SHARED_XSD))
    schema.validate(str(demo_xaf[0]))  # raises with the reason when invalid


def test_the_demo_years_totals_equal_the_ledger(demo_xaf: tuple[Path, str, Path]) -> None:
    path, url, _folder = demo_xaf
    engine = open_database(url)
    try:
        with UnitOfWork(engine) as uow:
            ledger = load_ledger(uow)
    finally:
        engine.dispose()
    tree = etree.parse(str(path))
    etree.XMLSchema(etree.parse(str(SHIPPED_XSD))).assertValid(tree)
    lines = _lines(tree)
    count, debit, credit = _expected(ledger.entries, 2026)
    assert len(lines) == count
    assert sum((a for _i, a, _c, _d in lines if a.is_positive), ZERO) == debit
    assert sum((-a for _i, a, _c, _d in lines if a.is_negative), ZERO) == credit
    stated = tree.find(".//x:transactions", NS)
    assert stated is not None
    assert int(stated.findtext("x:linesCount", namespaces=NS) or 0) == count
    assert _money(stated.findtext("x:totalDebit", namespaces=NS)) == debit
    assert _money(stated.findtext("x:totalCredit", namespaces=NS)) == credit
    # one transaction per journal entry, and every GL account adds up to the ledger's kinds
    assert len(tree.findall(".//x:transaction", NS)) == len(ledger.entries)
    per_account: Counter[str] = Counter()
    for account_id, amount, _c, _d in lines:
        per_account[account_id] += amount.to_cents()
    for account, raw in ledger.debit_balances().items():
        per_account[gl_account(account).id] -= raw.to_cents()
    assert set(per_account.values()) == {0}


def test_households_appear_by_code_only(demo_xaf: tuple[Path, str, Path]) -> None:
    text = demo_xaf[0].read_text(encoding="utf-8")
    for name in ("Jansen", "de Vries", "Bakker", "Yilmaz", "El Amrani", "Visser", "Tesfay"):
        assert name not in text
    # a returned payment's bank text named people ("Contributie Amira en Youssef")
    assert "Amira" not in text
    tree = etree.parse(str(demo_xaf[0]))
    parties = {
        p.findtext("x:custSupID", namespaces=NS): p
        for p in tree.iterfind(".//x:customerSupplier", NS)
    }
    households = [k for k in parties if k and k.startswith("HH-")]
    assert len(households) == 8
    for code in households:
        party = parties[code]
        assert party.find("x:custSupName", NS) is None
        assert party.find("x:bankAccount", NS) is None
    for _account, _amount, party_id, doc in _lines(tree):
        if doc.endswith(":opdracht") and party_id.startswith("NL"):
            assert parties[party_id].findtext("x:custSupTp", namespaces=NS) == "S"


def test_a_broken_file_is_refused_by_the_validator(demo_xaf: tuple[Path, str, Path]) -> None:
    path, _url, folder = demo_xaf
    text = path.read_text(encoding="utf-8")
    wrong_side = folder / "wrong-side.xml"
    wrong_side.write_text(text.replace("<amntTp>C</amntTp>", "<amntTp>X</amntTp>", 1), "utf-8")
    with pytest.raises(AuditfileInvalidError):
        validate_auditfile(wrong_side)
    unbalanced = folder / "unbalanced.xml"
    first = text.index("<trLine>")
    amount = text.index("<amnt>", first)
    end = text.index("</amnt>", amount)
    unbalanced.write_text(text[: amount + 6] + "0.01" + text[end:], "utf-8")
    with pytest.raises(AuditfileInvalidError, match="niet in evenwicht"):
        validate_auditfile(unbalanced)


def test_without_a_gemeente_nothing_is_written(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "leeg.xml"
    code = hhb(["export", "xaf", "--year", "2026", "-o", str(target), "--database", db_url])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith("hhb export xaf: ") and "\n" not in err and "Traceback" not in err
    assert "gemeente" in err
    assert not target.exists() and not (tmp_path / "leeg.xml.part").exists()


def test_a_missing_folder_is_one_dutch_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "bestaat-niet" / "x.xml"
    code = hhb(["export", "xaf", "--year", "2026", "-o", str(target), "--database", "sqlite://"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "bestaat niet" in err and "\n" not in err


# ------------------------------------------------------------------ the property

HOUSEHOLDS = ("HH-0001", "HH-0002", "HH-0003")
ACCOUNTS: tuple[Account, ...] = (
    BANK,
    SUSPENSE,
    IN_FLIGHT,
    FUND,
    *(vat(h) for h in HOUSEHOLDS),
    *(advance(h) for h in HOUSEHOLDS),
    reserve("HH-0001", "energie"),
)
GEMEENTE = Gemeente(name="Proefstad", account_iban="NL90INGB0005550001", account_name="Proefstad")


@st.composite
def journals(draw: st.DrawFn) -> list[JournalEntry]:
    count = draw(st.integers(min_value=0, max_value=25))
    entries = []
    for number in range(count):
        day = draw(st.dates(min_value=date(2025, 11, 1), max_value=date(2027, 2, 28)))
        legs = draw(st.integers(min_value=1, max_value=3))
        postings = []
        for _ in range(legs):
            cents = draw(st.integers(min_value=-(10**9), max_value=10**9))
            postings.append(Posting(draw(st.sampled_from(ACCOUNTS)), Money.cents(cents)))
        rest = -sum((p.amount for p in postings), ZERO)
        postings.append(Posting(draw(st.sampled_from(ACCOUNTS)), rest))
        text = draw(st.text(max_size=30))
        entries.append(JournalEntry(f"gen:{number}", day, text, tuple(postings), "gegenereerd"))
    return entries


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=journals(), year=st.sampled_from([2025, 2026, 2027]))
def test_any_journal_gives_a_valid_file_with_the_ledgers_totals(
    entries: list[JournalEntry], year: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(f"sqlite:///{folder}/hhb.sqlite3")
        try:
            with UnitOfWork(engine) as uow:
                save_gemeente(uow, GEMEENTE)
                append_journal_entries(uow, entries)
                uow.commit()
            target = Path(folder) / "audit.xml"
            summary = export_xaf(engine, year, target, created=date(2027, 3, 1))
        finally:
            engine.dispose()
        count, debit, credit = _expected(tuple(entries), year)
        assert (summary.lines, summary.debit, summary.credit) == (count, debit, credit)
        assert summary.transactions == sum(1 for e in entries if e.day.year == year)
        tree = etree.parse(str(target))
        etree.XMLSchema(etree.parse(str(SHIPPED_XSD))).assertValid(tree)
        lines = _lines(tree)
        assert sum((a for _i, a, _c, _d in lines), ZERO) == ZERO
        # the opening balance is every kind's balance before the year, to the cent
        opening: Counter[str] = Counter()
        for line in tree.iterfind(".//x:obLine", NS):
            amount = _money(line.findtext("x:amnt", namespaces=NS)).to_cents()
            sign = -1 if line.findtext("x:amntTp", namespaces=NS) == "C" else 1
            opening[line.findtext("x:accID", namespaces=NS) or ""] += sign * amount
        for entry in entries:
            if entry.day.year < year:
                for posting in entry.postings:
                    opening[gl_account(posting.account).id] -= posting.amount.to_cents()
        assert set(opening.values()) <= {0}
        assert {a.id for a in CHART} >= set(opening)


def test_payments_to_the_household_itself_name_no_one(tmp_path: Path) -> None:
    """Leefgeld and extra payments go to the household's own account: the payee is the
    household's code, never its name or IBAN as a "supplier"."""
    from huishoudboekje.adapters.persistence.instruction_repo import add_instructions
    from huishoudboekje.domain.payments import PaymentInstruction

    day = date(2026, 5, 4)
    paid = []
    entries = []
    for kind, e2e, payee in (
        ("extra", "HH-0001-X-1", ("Fam. Geheimhouder", "NL91ABNA0417164300")),
        ("leefgeld", "HH-0001-L-1", ("Fam. Geheimhouder", "NL91ABNA0417164300")),
        ("charge", "HH-0001-C-1", ("Woonstichting Thuis", "NL02ABNA0123456789")),
    ):
        amount = Money("40.00")
        paid.append(
            PaymentInstruction(e2e, "HH-0001", kind, "x", *payee, "", amount, day, "", "", "")
        )
        legs = (Posting(vat("HH-0001"), amount), Posting(IN_FLIGHT, -amount))
        entries.append(
            JournalEntry(
                f"{e2e}:opdracht", day, "opdracht", legs, "instruct", meta=(("end_to_end_id", e2e),)
            )
        )
    engine = open_database(f"sqlite:///{tmp_path / 'hhb.sqlite3'}")
    try:
        with UnitOfWork(engine) as uow:
            save_gemeente(uow, GEMEENTE)
            add_instructions(uow, paid, day)
            append_journal_entries(uow, entries)
            uow.commit()
        export_xaf(engine, 2026, tmp_path / "a.xml", created=day)
    finally:
        engine.dispose()
    text = (tmp_path / "a.xml").read_text(encoding="utf-8")
    assert "Geheimhouder" not in text and "NL91ABNA0417164300" not in text
    assert "Woonstichting Thuis" in text
    tree = etree.parse(str(tmp_path / "a.xml"))
    parties = [p for _a, _m, p, _d in _lines(tree)]
    assert parties.count("HH-0001") == 5 and parties.count("NL02ABNA0123456789") == 1
