"""Retention purge and inzage export (issue 20, points 3 and 4), as the privacy officer
and the household would check them.

The demo gemeente runs its nights from 1 September to 15 October once (enough for
every kind of record; the whole demo is `test_demo.py`'s); each test works on a copy
of that database. A purged household's name, own IBAN, address and its ex-partner's
IBAN must be gone from every text column of every table, while the ledger adds up
to exactly what it did before. On PostgreSQL the same purge runs on the web tests'
smaller gemeente.
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import JSON, Engine, String, Text, cast, func, inspect, or_, select, text
from sqlalchemy import Table as CoreTable

from cli.main import main
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    create_engine_from_url,
    load_audit_events,
    load_household,
    load_journal_entries,
    load_ledger,
    save_household,
)
from huishoudboekje.adapters.persistence.tables import HhbTable
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.ledger import trial_balance_is_zero
from huishoudboekje.domain.retention import (
    document_purge_date,
    financial_purge_date,
)
from huishoudboekje.services.privacy import export_household, purge
from huishoudboekje.services.user_accounts import Role, create_user
from sample_statements.run_demo import DemoRun, run_demo
from scheduler.context import NightPaths
from scheduler.process import PURGE_JOB_ID, build_scheduler
from tests.web_fixtures import seed
from web.identity import Argon2Hasher

VISSER = "HH-0006"  # Mw. Visser: salary, alimentatie from her ex-partner, toeslag
VISSER_END = date(2026, 11, 30)
# what must be gone: her name (also her ex-partner's, "R. Visser"), her own IBAN,
# her street, her ex-partner's IBAN, and her user name
TRACES = ("visser", "NL44RABO0377445566", "0377445566", "kerkpad", "NL63TRIO0212345678")
AFTER_RETENTION = date(2035, 1, 1)
DEMO_UNTIL = date(2026, 10, 15)  # settlement ends 2027; 7 full fiscal years later


@pytest.fixture(scope="module")
def demo_database() -> Iterator[Path]:
    shm = Path("/dev/shm")
    root = Path(tempfile.mkdtemp(prefix="hhb-privacy-", dir=shm if shm.is_dir() else None))
    run = DemoRun(root, f"sqlite:///{root / 'hhb.sqlite3'}")
    try:
        run_demo(run, until=DEMO_UNTIL)
        yield root / "hhb.sqlite3"
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def demo(demo_database: Path, tmp_path: Path) -> Iterator[Engine]:
    """A copy of the demo database, with Mw. Visser's participation ended on 30
    November and a login account for her."""
    copy = tmp_path / "hhb.sqlite3"
    shutil.copyfile(demo_database, copy)
    engine = create_engine_from_url(f"sqlite:///{copy}")
    with UnitOfWork(engine) as uow:
        household = load_household(uow, VISSER)
        assert household is not None
        save_household(uow, dataclasses.replace(household, end=VISSER_END))
        uow.commit()
    with UnitOfWork(engine) as uow:
        create_user(
            uow,
            Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),
            actor="test",
            username="rvisser",
            display_name="Rianne Visser",
            role=Role.HOUSEHOLD,
            household=VISSER,
            password="correct-horse-battery",
            now=datetime(2026, 9, 2, tzinfo=UTC),
        )
    try:
        yield engine
    finally:
        engine.dispose()


def traces_in_database(engine: Engine, needles: tuple[str, ...]) -> list[str]:
    """Every `table.column` whose text holds one of `needles` (case-insensitive), over
    every table of the schema, including those added after this test was written."""
    found = []
    metadata_tables = {t.name: t for t in HhbTable.metadata.sorted_tables}
    with engine.connect() as connection:
        for name in inspect(engine).get_table_names():
            table = metadata_tables.get(name)
            if table is None:
                continue
            for column in table.columns:
                if not isinstance(column.type, String | Text | JSON):
                    continue
                as_text = func.lower(cast(column, Text))
                match = or_(*(as_text.like(f"%{n.lower()}%") for n in needles))
                count = connection.execute(
                    select(func.count()).select_from(table).where(match)
                ).scalar_one()
                if count:
                    found.append(f"{name}.{column.name}: {count}")
    return found


def everything(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, for 'changes nothing' checks."""
    rows = {}
    with engine.connect() as connection:
        for table in HhbTable.metadata.sorted_tables:
            if isinstance(table, CoreTable) and inspect(engine).has_table(table.name):
                ordered = select(table).order_by(*table.primary_key.columns)
                rows[table.name] = [tuple(r) for r in connection.execute(ordered)]
    return rows


def test_the_purge_dates_follow_the_fiscal_retention_duty() -> None:
    # the settlement of a household that ended 30 November 2026 runs into 2027, so
    # 2027 is its last fiscal year: kept through 2034
    assert financial_purge_date(date(2026, 11, 30), 7) == date(2035, 1, 1)
    # ended 30 September: settled within 2026
    assert financial_purge_date(date(2026, 9, 30), 7) == date(2034, 1, 1)
    assert financial_purge_date(date(2026, 9, 30), 10) == date(2037, 1, 1)
    assert document_purge_date(date(2026, 11, 30), 12) == date(2027, 12, 1)


def test_before_the_period_ends_nothing_is_purged(demo: Engine) -> None:
    before = everything(demo)
    report = purge(demo, date(2034, 12, 31), actor="test")
    assert report.purged == ()
    # Visser, and Tesfay (HH-0007, ended 14 November) are ended but still kept
    assert report.not_yet_due == 2
    assert everything(demo) == before


def test_a_dry_run_names_the_households_and_changes_nothing(demo: Engine) -> None:
    before = everything(demo)
    report = purge(demo, AFTER_RETENTION, dry_run=True, actor="test")
    # Tesfay (HH-0007) ended 14 November: its settlement also ran into 2027
    assert [p.code for p in report.purged] == [VISSER, "HH-0007"]
    assert everything(demo) == before


def test_every_trace_of_the_household_is_gone_and_the_books_still_add_up(demo: Engine) -> None:
    assert traces_in_database(demo, TRACES)  # the needles are really there before
    with UnitOfWork(demo) as uow:
        before = load_ledger(uow)
        entries_before = len(load_journal_entries(uow, household=VISSER))
        original = load_household(uow, VISSER)
        assert original is not None
    report = purge(demo, AFTER_RETENTION, actor="privacy officer")
    assert [p.code for p in report.purged] == [VISSER, "HH-0007"]
    counts = report.purged[0].counts
    assert counts["transactions"] > 0 and counts["instructions"] > 0 and counts["accounts"] == 1
    assert traces_in_database(demo, TRACES) == []
    with UnitOfWork(demo) as uow:
        after = load_ledger(uow)
        # the same entries, postings and balances: only descriptions changed
        assert after.balances() == before.balances()
        assert [e.id for e in after.entries] == [e.id for e in before.entries]
        assert trial_balance_is_zero(after.entries)
        assert len(load_journal_entries(uow, household=VISSER)) == entries_before
        household = load_household(uow, VISSER)
        assert household is not None
        assert household.name == f"Geanonimiseerd {VISSER}" and household.address is None
        # amounts, kinds and schedules stay for the books
        assert [(c.id, c.kind, c.amount, c.schedule) for c in household.charges] == [
            (c.id, c.kind, c.amount, c.schedule) for c in original.charges
        ]
        assert [(i.id, i.amount) for i in household.incomes] == [
            (i.id, i.amount) for i in original.incomes
        ]
        events = load_audit_events(uow)
    purges = [e for e in events if e.action == "privacy.purge"]
    assert [(e.actor, e.object_id) for e in purges] == [
        ("privacy officer", VISSER),
        ("privacy officer", "HH-0007"),
    ]
    # the other households keep their data
    assert traces_in_database(demo, ("Fam. Jansen", "Lindelaan")) != []


def test_the_purge_is_idempotent(demo: Engine) -> None:
    purge(demo, AFTER_RETENTION, actor="test")
    once = everything(demo)
    again = purge(demo, date(2035, 1, 8), actor="test")  # next week's run
    assert again.purged == () and again.already_purged == 2
    assert everything(demo) == once


def test_the_scheduler_runs_the_purge_every_week(tmp_path: Path) -> None:
    scheduler = build_scheduler("sqlite://", NightPaths.under(tmp_path))
    job = scheduler.get_job(PURGE_JOB_ID)
    assert job is not None
    assert "day_of_week='sun'" in str(job.trigger)


def test_the_inzage_export_holds_everything_stored_about_the_household(demo: Engine) -> None:
    data = export_household(demo, VISSER, date(2026, 12, 1), actor="mira")
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == ["gegevens.json", "samenvatting.pdf"]
    content = json.loads(archive.read("gegevens.json"))
    with UnitOfWork(demo) as uow:
        entries = load_journal_entries(uow, household=VISSER)
        instructions = uow.session.execute(
            text("SELECT count(*) FROM payment_instruction WHERE household = :h"), {"h": VISSER}
        ).scalar_one()
        events = load_audit_events(uow)
    assert content["household"]["name"] == "Mw. Visser"
    assert content["household"]["address"]["street"] == "Kerkpad 2"
    assert [e["id"] for e in content["journal"]] == [e.id for e in entries]
    assert len(content["payment_instructions"]) == instructions > 0
    assert any(t["counterparty_name"] == "R. Visser" for t in content["bank_transactions"])
    assert [a["username"] for a in content["accounts"]] == ["rvisser"]
    assert all("password_hash" not in a for a in content["accounts"])
    pdf = pypdf.PdfReader(io.BytesIO(archive.read("samenvatting.pdf")))
    words = " ".join(page.extract_text() for page in pdf.pages)
    for expected in ("Uw gegevens bij Huishoudboekje", "Mw. Visser", "NL44RABO0377445566"):
        assert expected in words
    assert "7 jaar" in words and "Alimentatie" in words and "€ 320,00" in words
    exports = [e for e in events if e.action == "privacy.export"]
    assert [(e.actor, e.object_id) for e in exports] == [("mira", VISSER)]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_commands(demo: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = str(demo.url)
    code, out, err = run_cli(
        capsys,
        "privacy",
        "--database",
        url,
        "purge",
        "--dry-run",
        "--date",
        "2035-01-01",
        "--var",
        str(tmp_path / "var"),
    )
    assert code == 0 and err == ""
    assert out.splitlines()[-2] == (
        "2 huishouden(s) zou anonimiseren; 0 al eerder geanonimiseerd; "
        "0 beëindigd maar nog binnen de bewaartermijn."
    )
    code, out, _ = run_cli(
        capsys,
        "privacy",
        "--database",
        url,
        "purge",
        "--json",
        "--date",
        "2035-01-01",
        "--var",
        str(tmp_path / "var"),
    )
    assert code == 0 and json.loads(out)["purged"][0]["household"] == VISSER
    target = tmp_path / "inzage.zip"
    code, out, _ = run_cli(
        capsys, "privacy", "--database", url, "export", "HH-0001", "-o", str(target)
    )
    assert code == 0 and zipfile.is_zipfile(target)
    # bad input: one line, exit 2, nothing written
    code, out, err = run_cli(
        capsys, "privacy", "--database", url, "export", "HH-9999", "-o", str(tmp_path / "x.zip")
    )
    assert (code, out) == (2, "") and err == "hhb privacy export: huishouden HH-9999 bestaat niet\n"
    assert not (tmp_path / "x.zip").exists()
    code, _, err = run_cli(
        capsys, "privacy", "--database", url, "export", "HH-0001", "-o", "/geen/map/x.zip"
    )
    assert code == 2 and err == "hhb privacy export: map /geen/map bestaat niet\n"


def test_the_purge_on_both_databases(engine: Engine) -> None:
    seed(engine)  # the web tests' gemeente: HH-0001 with two months of journal
    with UnitOfWork(engine) as uow:
        household = load_household(uow, "HH-0001")
        assert isinstance(household, Household)
        save_household(uow, dataclasses.replace(household, end=date(2026, 3, 3)))
        uow.commit()
        before = load_ledger(uow).balances()
    traces = (household.name, household.iban)
    assert traces_in_database(engine, traces)
    report = purge(engine, date(2034, 1, 1), actor="test")
    assert [p.code for p in report.purged] == ["HH-0001"]
    assert traces_in_database(engine, traces) == []
    with UnitOfWork(engine) as uow:
        assert load_ledger(uow).balances() == before


def test_the_staff_button_downloads_the_export(demo_database: Path, tmp_path: Path) -> None:
    from tests.web_fixtures import enrol_test_totp, make_app, second_step

    copy = tmp_path / "hhb.sqlite3"
    shutil.copyfile(demo_database, copy)
    url = f"sqlite:///{copy}"
    app = make_app(url)
    engine = create_engine_from_url(url)
    try:
        with UnitOfWork(engine) as uow:
            create_user(
                uow,
                Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),
                actor="test",
                username="mira",
                display_name="Mira",
                role=Role.MEDEWERKER,
                household=None,
                password="correct-horse-battery",
                now=datetime(2026, 9, 2, tzinfo=UTC),
                team="Team Noord",  # the demo households are Team Noord's
            )
        client = app.test_client()
        enrol_test_totp(engine, "mira")  # staff log in with a TOTP code too (issue 20.5)
        client.post("/inloggen", data={"username": "mira", "password": "correct-horse-battery"})
        assert second_step(app, client, "mira").status_code == 302
        page = client.get("/medewerker/huishouden/HH-0003")
        assert "Inzage-export maken" in page.get_data(as_text=True)
        response = client.post("/medewerker/huishouden/HH-0003/inzage-export")
        assert response.status_code == 200
        assert response.mimetype == "application/zip"
        assert "inzage-HH-0003-" in response.headers["Content-Disposition"]
        content = json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("gegevens.json"))
        assert content["household"]["code"] == "HH-0003"
        assert client.post("/medewerker/huishouden/HH-9999/inzage-export").status_code == 404
        with UnitOfWork(engine) as uow:
            events = [e for e in load_audit_events(uow) if e.action == "privacy.export"]
        assert [(e.actor, e.object_id) for e in events] == [("mira", "HH-0003")]
    finally:
        engine.dispose()
