"""A tiny gemeente for the staff tests (teach a term, split a credit, ageing).

Two households receive zorgtoeslag of the same amount from the same payer IBAN,
and neither income has a term that tells it apart: a credit for either goes to
suspense as "twijfel" until staff assign it (and teach a term).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence import UnitOfWork, open_database
from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.money import Money
from huishoudboekje.services.user_accounts import Role
from scheduler.context import NightContext, NightPaths
from scheduler.nightly import STAGES, run_stages
from tests.camt_writer import CamtStatement, write_camt053
from tests.nightly_bank import GEMEENTE_IBAN
from tests.nightly_support import hhb
from tests.web_fixtures import (
    WebEnv,
    add_test_user,
    enrol_test_totp,
    make_app,
)

TOESLAGEN_IBAN = "NL86INGB0002445588"
TOESLAGEN = "Belastingdienst/Toeslagen"

YAML = """
gemeente:
  name: Voorbeeldstad
  account_iban: NL91ABNA0417164300
  account_name: "Gemeente Voorbeeldstad Huishoudboekje"
  bic: ABNANL2A
households:
  - code: HH-0001
    name: Fam. de Vries
    iban: NL44RABO0123456789
    start: 2026-01-01
    incomes:
      - {id: zorgtoeslag, kind: zorgtoeslag, payer_iban: NL86INGB0002445588, amount: "154.00",
         payer_name: Belastingdienst/Toeslagen,
         schedule: {start: 2026-01-20, rrule: "FREQ=MONTHLY;BYMONTHDAY=20"}}
      - {id: huurtoeslag, kind: huurtoeslag, payer_iban: NL86INGB0002445588, amount: "300.00",
         payer_name: Belastingdienst/Toeslagen,
         schedule: {start: 2026-01-20, rrule: "FREQ=MONTHLY;BYMONTHDAY=20"}}
    charges: []
  - code: HH-0002
    name: Fam. Bakker
    iban: NL20INGB0001234567
    start: 2026-01-01
    incomes:
      - {id: zorgtoeslag, kind: zorgtoeslag, payer_iban: NL86INGB0002445588, amount: "154.00",
         payer_name: Belastingdienst/Toeslagen,
         schedule: {start: 2026-01-20, rrule: "FREQ=MONTHLY;BYMONTHDAY=20"}}
    charges: []
"""


def configure(db_url: str, folder: Path, *, generic_term: bool = False) -> None:
    """Store the two-household gemeente in the database at `db_url`; with
    `generic_term` both zorgtoeslag incomes have the term "zorgtoeslag" (a word every
    such credit has, which tells nobody apart)."""
    path = folder / "staff-gemeente.yaml"
    text = YAML
    if generic_term:
        text = text.replace('amount: "154.00",', 'amount: "154.00", terms: [zorgtoeslag],')
    path.write_text(text, encoding="utf-8")
    assert hhb("config", "apply", str(path), db=db_url) == 0


def toeslag(day: date, amount: str, number: str, ref: str) -> BankTransaction:
    """A zorgtoeslag credit with toeslagnummer `number`, written as the payer writes it."""
    return BankTransaction(
        booking_date=day,
        value_date=day,
        amount=Money(amount),
        counterparty_name=TOESLAGEN,
        counterparty_iban=TOESLAGEN_IBAN,
        description=f"{number} ZORGTOESLAG {day:%m-%Y}",
        bank_reference=ref,
    )


def camt(folder: Path, day: date, opening: str, txs: list[BankTransaction]) -> Path:
    """The day's CAMT.053 of the gemeente's account, written into `folder`."""
    statement = CamtStatement(
        GEMEENTE_IBAN, Money(opening), tuple((tx,) for tx in txs), f"STMT-{day:%Y%m%d}"
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"camt053-{day:%Y%m%d}.xml"
    path.write_bytes(write_camt053([statement]))
    return path


def import_and_book(
    engine: Engine, paths: NightPaths, night: date, *files: Path, upto: int = 5
) -> None:
    """Stages import → book (or the first `upto`) for `files` (the ones `hhb import` runs)."""
    ctx = NightContext(engine, night, paths, files=list(files))
    run_stages(ctx, STAGES[:upto], record=False)


def staff_web(db_url: str, folder: Path, today: date) -> WebEnv:
    """The two-household gemeente with staff member "mira", and an app over it on `today`."""
    configure(db_url, folder)
    engine = open_database(db_url)
    try:
        with UnitOfWork(engine) as uow:
            add_test_user(uow, "mira", Role.MEDEWERKER, now=datetime(2026, 1, 1, 9, 0, tzinfo=UTC))
        enrol_test_totp(engine, "mira")
    finally:
        engine.dispose()
    app = make_app(db_url, HHB_TODAY=today.isoformat())
    return WebEnv(app, app.extensions["hhb_engine"], db_url)
