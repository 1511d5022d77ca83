"""An ended household for the exit tests (issue 19.6): the demo gemeente with HH-0001
(Fam. Jansen) whose participation ended on Friday 13 February 2026, two months of
nights simulated up to TODAY (Wednesday 4 March), its salary still arriving on
2 March (imported and matched as the night does), and a letterhead."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_gemeente,
    load_household,
    open_database,
    save_gemeente,
    save_household,
)
from huishoudboekje.domain.banking import BankTransaction
from huishoudboekje.domain.household import Letterhead
from huishoudboekje.domain.money import Money
from scheduler.context import NightPaths
from tests.staff_gemeente import camt, import_and_book
from tests.web_fixtures import HISTORY_FROM, TODAY, WebEnv, make_app, seed, seed_history

LAST_DAY = date(2026, 2, 13)  # a Friday
LATE_SALARY = date(2026, 3, 2)
LETTERHEAD = Letterhead(
    sender="Gemeente Voorbeeldstad, Budgetbeheer",
    return_address=("Postbus 100", "1000 AA Voorbeeldstad"),
    phone="14 020",
    email="budgetbeheer@voorbeeldstad.nl",
)


def salary(day: date) -> BankTransaction:
    return BankTransaction(
        booking_date=day,
        value_date=day,
        amount=Money("1850.00"),
        counterparty_name="Bakkerij de Korenschoof",
        counterparty_iban="NL20INGB0001234567",
        description="Salaris februari HH-0001 Fam. Jansen",
        bank_reference="SAL-0302",
    )


def ended_gemeente(db_url: str, folder: Path) -> None:
    engine = open_database(db_url)
    try:
        seed(engine, history=False)
        with UnitOfWork(engine) as uow:
            household = load_household(uow, "HH-0001")
            gemeente = load_gemeente(uow)
            assert household is not None and gemeente is not None
            save_household(uow, replace(household, end=LAST_DAY, caseworker="mira"))
            save_gemeente(uow, replace(gemeente, letterhead=LETTERHEAD))
            uow.commit()
        seed_history(engine, "HH-0001", HISTORY_FROM, date(2026, 3, 1))
        paths = NightPaths.under(folder / "var")
        paths.create()
        statement = camt(folder / "in", LATE_SALARY, "0.00", [salary(LATE_SALARY)])
        import_and_book(engine, paths, LATE_SALARY, statement)
    finally:
        engine.dispose()


@pytest.fixture
def ended(db_url: str, tmp_path: Path) -> Iterator[WebEnv]:
    """The app over the gemeente with an ended HH-0001 (CSRF off)."""
    ended_gemeente(db_url, tmp_path)
    app = make_app(db_url)
    yield WebEnv(app, app.extensions["hhb_engine"], db_url)
    app.extensions["hhb_engine"].dispose()


__all__ = ["LAST_DAY", "TODAY", "ended", "ended_gemeente"]
