"""The team dashboard (issue 21.1) against figures computed by hand on a small fixture.

Four households in the report month November 2026 (today 30 November), a fifth
that starts in December; every journal entry, signal and bank line below is
written out, and every expected figure is worked out in the comments beside it.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from cli.main import main as hhb
from huishoudboekje.adapters.persistence import UnitOfWork, append_journal_entries, save_household
from huishoudboekje.adapters.persistence.nightly_tables import (
    BankTransactionRow,
    ImportedFileRow,
    SignalRow,
    StatementRow,
)
from huishoudboekje.domain import ledger
from huishoudboekje.domain.household import BufferPolicy
from huishoudboekje.domain.ledger import JournalEntry, Posting
from huishoudboekje.domain.money import Money
from huishoudboekje.services.reports import team_report
from huishoudboekje.services.reports_figures import buffer_days, lowest_tenth, outstanding_advances
from huishoudboekje.services.reports_json import report_as_json, report_csv_rows
from huishoudboekje.services.user_accounts import Role, create_user
from tests.factories import household, income
from tests.web_fixtures import FAST_HASHER, PASSWORD, WebEnv, enrol_test_totp, make_app
from web.identity import Argon2Hasher

MONTH = date(2026, 11, 1)
TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
_seq = iter(range(1, 1000))


def _entry(day: date, kind: str, *legs: tuple[ledger.Account, str]) -> JournalEntry:
    postings = tuple(Posting(account, Money(amount)) for account, amount in legs)
    return JournalEntry(f"t{next(_seq)}", day, kind, postings, kind=kind)


def _moves(code: str, day: date, kind: str, amount: str) -> JournalEntry:
    """The household's vat pays `amount` (a charge or leefgeld) into flight."""
    return _entry(day, kind, (ledger.vat(code), amount), (ledger.IN_FLIGHT, f"-{amount}"))


def _advance(code: str, day: date, amount: str) -> JournalEntry:
    """An advance into the vat (negative `amount`: a repayment)."""
    minus = amount[1:] if amount.startswith("-") else f"-{amount}"
    return _entry(day, "advance", (ledger.advance(code), amount), (ledger.vat(code), minus))


def _income(code: str, day: date, amount: str) -> JournalEntry:
    return _entry(day, "income", (ledger.BANK, amount), (ledger.vat(code), f"-{amount}"))


ENTRIES = [
    # A: 2000 in, a charge of 600, leefgeld 100, 100, 120, 120, 100 -> vat 860;
    # paid out in the 91 days to 30 November: 600 + 540 = 1140 -> 860*91/1140 = 68 days.
    # Leefgeld in November: 100 (same as 30 Oct), 120 (change), 120, 100 (change): 2 changes.
    _income("HH-A", date(2026, 9, 5), "2000.00"),
    _moves("HH-A", date(2026, 10, 30), "instruct_leefgeld", "100.00"),
    _moves("HH-A", date(2026, 11, 1), "instruct_charge", "600.00"),
    _moves("HH-A", date(2026, 11, 6), "instruct_leefgeld", "100.00"),
    _moves("HH-A", date(2026, 11, 13), "instruct_leefgeld", "120.00"),
    _moves("HH-A", date(2026, 11, 20), "instruct_leefgeld", "120.00"),
    _moves("HH-A", date(2026, 11, 27), "instruct_leefgeld", "100.00"),
    # B: an advance of 100 on 15 November (15 days old): vat 100, nothing paid out.
    _advance("HH-B", date(2026, 11, 15), "100.00"),
    # C (ended 20 November): an advance of 300 on 1 October (60 days old), spent.
    _advance("HH-C", date(2026, 10, 1), "300.00"),
    _moves("HH-C", date(2026, 10, 1), "instruct_charge", "300.00"),
    # E: 3000 in; an advance of 200 repaid, then 80 on 20 August (102 days old);
    # leefgeld 300 -> vat 3000 + 200 - 200 + 80 - 300 = 2780 -> 2780*91/300 = 843 days.
    _income("HH-E", date(2026, 8, 1), "3000.00"),
    _advance("HH-E", date(2026, 7, 1), "200.00"),
    _advance("HH-E", date(2026, 8, 1), "-200.00"),
    _advance("HH-E", date(2026, 8, 20), "80.00"),
    _moves("HH-E", date(2026, 11, 2), "instruct_leefgeld", "300.00"),
    # an unknown credit of 35 on 25 November waits in suspense (5 days old)
    _entry(date(2026, 11, 25), "unmatched", (ledger.BANK, "35.00"), (ledger.SUSPENSE, "-35.00")),
]


def _signal(key: str, kind: str, seen: date, closed: date | None) -> SignalRow:
    return SignalRow(
        key=key,
        household=key.split(":")[0] if key.startswith("HH-") else "",
        kind=kind,
        severity="warning",
        message="test",
        data={},
        source="planner",
        first_seen=seen,
        last_seen=closed or TODAY,
        status="closed" if closed else "open",
        closed_on=closed,
    )


def _signals() -> list[SignalRow]:
    return [
        # late incomes: A's and E's loon (same payer) 9 and 8 days, B's toeslag 10 days so far
        _signal(
            "HH-A:inkomen_te_laat:loon:2026-11-03",
            "inkomen_te_laat",
            date(2026, 11, 10),
            date(2026, 11, 12),
        ),
        _signal(
            "HH-E:inkomen_te_laat:loon:2026-11-01",
            "inkomen_te_laat",
            date(2026, 11, 8),
            date(2026, 11, 9),
        ),
        _signal(
            "HH-B:inkomen_te_laat:toeslag:2026-11-20", "inkomen_te_laat", date(2026, 11, 25), None
        ),
        _signal(
            "HH-A:achtergehouden:huur",
            "betaling_achtergehouden",
            date(2026, 11, 2),
            date(2026, 11, 5),
        ),
        _signal("HH-C:voorschot", "voorschot_opgenomen", date(2026, 10, 1), date(2026, 11, 20)),
        _signal("ontbrekend_afschrift:x", "ontbrekend_afschrift", date(2026, 11, 29), None),
    ]


def _bank_lines(uow: UnitOfWork) -> None:
    file = ImportedFileRow(
        name="f",
        sha256="0" * 64,
        format="camt053",
        status="imported",
        error="",
        transactions=2,
        new_transactions=2,
        imported_at=NOW,
    )
    uow.session.add(file)
    uow.session.flush()
    assert file.id is not None
    statement = StatementRow(
        file_id=file.id,
        account_iban="NL90INGB0005550001",
        statement_id="s1",
        source_format="camt053",
        period_start=date(2026, 11, 28),
        period_end=date(2026, 11, 28),
        opening=Decimal("5000.00"),
        closing=Decimal("5000.00"),
        transactions=2,
        new_transactions=2,
    )
    uow.session.add(statement)
    uow.session.flush()
    assert statement.id is not None
    for n, (status, day) in enumerate(
        (("unmatched", date(2026, 11, 25)), ("assigned", date(2026, 11, 3)))
    ):
        uow.session.add(
            BankTransactionRow(
                dedupe_key=f"k{n}",
                fingerprint=f"f{n}",
                source_format="camt053",
                statement_row_id=statement.id,
                account_iban="NL90INGB0005550001",
                booking_date=day,
                value_date=day,
                amount=Decimal("35.00"),
                currency="EUR",
                counterparty_name="Onbekend",
                counterparty_iban="",
                counterparty_bic="",
                description="",
                structured_reference="",
                end_to_end_id="",
                bank_reference="",
                bank_transaction_code="",
                is_reversal=False,
                is_return=False,
                return_reason="",
                original_end_to_end_id="",
                status=status,
            )
        )


def _seed(engine: Engine) -> None:
    loon = income("loon", "1500.00", date(2026, 1, 1), "FREQ=MONTHLY;BYMONTHDAY=1")
    toeslag = income("toeslag", "100.00", date(2026, 1, 1), "FREQ=MONTHLY;BYMONTHDAY=20")
    households = [
        household(
            "HH-A",
            team="Noord",
            start=date(2026, 9, 1),
            incomes=(loon,),
            buffer=BufferPolicy(Money("1000.00")),
        ),
        household(
            "HH-B", team="Noord", start=date(2026, 11, 10), incomes=(toeslag,)
        ),  # target 1200
        household("HH-C", team="Zuid", start=date(2026, 6, 1), end=date(2026, 11, 20)),
        household("HH-D", start=date(2026, 12, 1)),
        household(
            "HH-E",
            team="Zuid",
            start=date(2026, 1, 1),
            incomes=(loon,),
            buffer=BufferPolicy(Money("500.00")),
        ),
    ]
    with UnitOfWork(engine) as uow:
        for h in households:
            save_household(uow, h, at=NOW)
        append_journal_entries(uow, ENTRIES)
        uow.session.add_all(_signals())
        _bank_lines(uow)
        uow.commit()


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    _seed(engine)
    return engine


def test_every_figure_matches_the_hand_computed_value(seeded: Engine) -> None:
    with UnitOfWork(seeded) as uow:
        report = team_report(uow, MONTH, TODAY)
    now = report.current
    assert (now.active, now.starting, now.ending) == (4, 1, 1)  # A B C E; B starts; C ends
    assert now.in_pool == Money("3740.00")  # 860 + 100 + 0 + 2780
    assert now.advances == Money("480.00")  # 100 + 300 + 80
    assert now.suspense == Money("35.00")
    assert report.ledger_bank == Money("5035.00")  # 2000 + 3000 + 35
    assert report.bank_closing == Money("5000.00") and report.bank_closing_day == date(2026, 11, 28)
    assert report.bank_difference == Money("-35.00")
    assert (report.advances.count, report.advances.total) == (3, Money("480.00"))
    assert report.advances.buckets == (("0-30", 1), ("31-90", 1), ("90+", 1))
    assert report.advances.oldest_days == 102
    # active on 30 November: A (860 < 1000), B (100 < 1200) below target, E not; C ended
    assert (report.buffers_measured, report.buffers_below_target) == (3, 2)
    assert (report.buffer_days_median, report.buffer_days_p10) == (
        68,
        68,
    )  # [68, 843]; B paid nothing
    assert [(p.payer, p.count, p.median_days_late) for p in report.late_payers] == [
        ("Betaler loon", 2, 8),  # 9 and 8 days: the lower middle
        ("Betaler toeslag", 1, 10),  # still away: 20 -> 30 November
    ]
    assert now.held_back == 1 and now.late_incomes == 3
    assert (report.suspense.count, report.suspense.total) == (1, Money("35.00"))
    assert dict(report.suspense.buckets) == {"0-2": 0, "3-9": 1, "10+": 0}
    assert (now.signals_opened, now.signals_closed) == (5, 4)
    assert report.median_days_to_close == 2  # [1, 2, 3, 50]
    assert (report.leefgeld_households, report.leefgeld_changed, report.leefgeld_changes) == (
        2,
        1,
        2,
    )
    october = report.trend[-2]
    assert october.month == date(2026, 10, 1)
    assert (october.active, october.signals_opened, october.signals_closed) == (3, 1, 0)
    assert october.advances == Money("380.00")  # C's 300 and E's 80


def test_the_trend_starts_with_the_first_household(seeded: Engine) -> None:
    with UnitOfWork(seeded) as uow:
        report = team_report(uow, MONTH, TODAY)
    assert report.trend[0].month == date(2026, 1, 1)  # E started in January
    assert [t.month.month for t in report.trend] == list(range(1, 12))


def test_a_month_still_running_is_measured_on_today(seeded: Engine) -> None:
    with UnitOfWork(seeded) as uow:
        report = team_report(uow, MONTH, date(2026, 11, 14))
    assert report.as_of == date(2026, 11, 14)
    assert report.advances.count == 2  # B's advance comes on the 15th
    with UnitOfWork(seeded) as uow, pytest.raises(ValueError, match="toekomst"):
        team_report(uow, date(2026, 12, 1), TODAY)


def test_cli_json_and_csv_give_the_same_figures(
    seeded: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with UnitOfWork(seeded) as uow:
        report = team_report(uow, MONTH, TODAY)
    code = hhb(
        ["report", "--month", "2026-11", "--date", "2026-11-30", "--json", "--database", db_url]
    )
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == report_as_json(report)
    assert printed["advances"]["total"] == "480.00"
    assert printed["late_incomes"][0] == {
        "payer": "Betaler loon",
        "count": 2,
        "median_days_late": 8,
    }
    rows = report_csv_rows(report)
    assert ("voorschotten bedrag", "2026-11", "480.00") in rows
    assert ("huishoudens actief", "2026-10", "3") in rows


def test_cli_refuses_a_bad_month_in_one_line(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        hhb(["report", "--month", "november", "--database", db_url])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert "geen geldige maand" in err and "Traceback" not in err


def test_buffer_days_round_down_in_cents() -> None:
    assert buffer_days(Decimal("860.00"), Decimal("1140.00")) == 68
    assert buffer_days(Decimal("0.00"), Decimal("10.00")) == 0
    assert buffer_days(Decimal("-5.00"), Decimal("10.00")) == 0
    assert buffer_days(Decimal("10.00"), Decimal("0.00")) is None
    assert buffer_days(Decimal("0.01"), Decimal("0.91")) == 1


def test_lowest_tenth_is_the_nearest_rank() -> None:
    assert lowest_tenth([]) is None
    assert lowest_tenth([5]) == 5
    assert lowest_tenth(list(range(1, 21))) == 2  # 20 values: the 2nd
    assert lowest_tenth(list(range(21, 0, -1))) == 3  # 21 values: the 3rd


def test_an_advance_ages_from_the_last_time_nothing_was_owed() -> None:
    postings = [
        ("H", date(2026, 1, 1), Decimal("100")),
        ("H", date(2026, 2, 1), Decimal("-60")),  # still owes 40: the age goes on
        ("H", date(2026, 3, 1), Decimal("-40")),  # paid off
        ("H", date(2026, 4, 1), Decimal("10")),
    ]
    assert outstanding_advances(postings, date(2026, 4, 11)) == [(10, Money("10"))]
    assert outstanding_advances(postings[:2], date(2026, 2, 11)) == [(41, Money("40"))]


def test_no_household_no_figures(engine: Engine, tmp_path: Path) -> None:
    with UnitOfWork(engine) as uow:
        report = team_report(uow, MONTH, TODAY)
    assert report.current.active == 0 and report.buffer_days_median is None
    assert report.bank_closing is None and report.late_payers == ()


def test_a_team_sees_its_own_households(seeded: Engine) -> None:
    with UnitOfWork(seeded) as uow:
        report = team_report(uow, MONTH, TODAY, team="Noord")
    now = report.current
    assert (now.active, now.starting, now.ending) == (2, 1, 0)  # A and B
    assert now.in_pool == Money("960.00") and now.advances == Money("100.00")
    assert (report.advances.count, report.buffers_measured, report.buffers_below_target) == (
        1,
        2,
        2,
    )
    # the gemeente's own signal ("ontbrekend afschrift") is no team's
    assert (now.signals_opened, now.signals_closed, now.held_back) == (3, 2, 1)
    assert [(p.payer, p.count, p.median_days_late) for p in report.late_payers] == [
        ("Betaler toeslag", 1, 10),
        ("Betaler loon", 1, 9),
    ]
    assert (report.leefgeld_households, report.leefgeld_changed, report.leefgeld_changes) == (
        1,
        1,
        2,
    )
    # the pooled account has no team: the bank and suspense stay gemeente-wide
    assert report.ledger_bank == Money("5035.00") and report.suspense.count == 1
    with UnitOfWork(seeded) as uow:
        nobody = team_report(uow, MONTH, TODAY, team="West")
    assert nobody.current.active == 0 and nobody.advances.count == 0


def test_the_page_shows_a_teamleider_their_team_and_an_admin_all(
    seeded: Engine, db_url: str
) -> None:
    hasher = Argon2Hasher(**FAST_HASHER)
    with UnitOfWork(seeded) as uow:
        for name, role, team in (
            ("tom", Role.APPROVER, "Noord"),
            ("ada", Role.ADMIN, ""),
            ("mira", Role.MEDEWERKER, "Noord"),
        ):
            create_user(
                uow,
                hasher,
                actor="test",
                username=name,
                display_name=name,
                role=role,
                household=None,
                password=PASSWORD,
                now=NOW,
                team=team,
            )
    app = make_app(db_url, HHB_TODAY=TODAY.isoformat())
    try:
        env = WebEnv(app, app.extensions["hhb_engine"], db_url)
        for name in ("tom", "ada", "mira"):  # staff log in with a second factor
            enrol_test_totp(env.engine, name)
        tom, ada = env.client("tom"), env.client("ada")
        page = tom.get("/medewerker/rapportage?maand=2026-11")
        assert page.status_code == 200
        text = page.data.decode()
        assert "team Noord" in text and "2 actief, 1 gestart, 0 gestopt" in text
        assert "data:image/svg+xml;base64," in text and "<script" not in text
        everyone = ada.get("/medewerker/rapportage?maand=2026-11").data.decode()
        assert "4 actief, 1 gestart, 1 gestopt" in everyone and "team Noord" not in everyone
        csv_rows = tom.get("/medewerker/rapportage.csv?maand=2026-11").data.decode().splitlines()
        assert "huishoudens actief,2026-11,2" in csv_rows
        assert "voorschotten bedrag,2026-11,100.00" in csv_rows
        assert (
            "huishoudens actief,2026-11,4"
            in ada.get("/medewerker/rapportage.csv?maand=2026-11").data.decode().splitlines()
        )
        assert env.client("mira").get("/medewerker/rapportage").status_code == 403
        assert tom.get("/medewerker/rapportage?maand=2026-12").status_code == 400
    finally:
        app.extensions["hhb_engine"].dispose()
