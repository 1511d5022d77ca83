"""Fixtures for the web tests: the demo gemeente, a history for HH-0001, accounts, an app.

`web` gives a `WebEnv`: the Flask app (CSRF off unless asked), its engine and
helpers to log in as one of the accounts below. HH-0001 (Fam. Jansen) has two
months of simulated nights in the journal, so paid charges, leefgeld and the
monthly overview have real content; HH-0002 (Fam. de Vries) is the "other
household" in authorization tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from huishoudboekje.adapters.config import load_config
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    append_journal_entries,
    household_codes,
    load_household,
    open_database,
)
from huishoudboekje.adapters.persistence.nightly_repo import (
    add_instructions,
    set_instruction_status,
)
from huishoudboekje.adapters.persistence.planner_memory import save_planner_memory
from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.simulation import ActualIncome, simulate
from huishoudboekje.services.configuration import apply_config
from huishoudboekje.services.read_model import store_computed
from huishoudboekje.services.user_accounts import Role, create_user
from web import create_app
from web.identity import Argon2Hasher

DEMO_CONFIG = Path(__file__).resolve().parent / "samples" / "voorbeeldstad_basis.yaml"
TODAY = date(2026, 3, 4)  # a Wednesday; HH-0001 gets leefgeld on Fridays
HISTORY_FROM = date(2026, 1, 1)
PASSWORD = "correct-horse-battery"
ACCOUNTS = {
    # username: (role, household)
    "jansen": (Role.HOUSEHOLD, "HH-0001"),
    "devries": (Role.HOUSEHOLD, "HH-0002"),
    "mira": (Role.MEDEWERKER, None),
    "mats": (Role.MEDEWERKER, None),
    "tom": (Role.APPROVER, None),
    "ada": (Role.ADMIN, None),
    "fien": (Role.FUNCTIONEEL_BEHEERDER, None),
    "pia": (Role.PRIVACY_OFFICER, None),
}
FAST_HASHER = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def seed_history(engine: Engine, code: str, first: date, last: date) -> int:
    """Simulate nights first..last for one household (incomes as expected) and store
    them as the nightly run does: the journal, the planner's memory and the payment
    instructions (paid once the simulated bank executed them); returns the number
    of journal entries booked."""
    with UnitOfWork(engine) as uow:
        household = load_household(uow, code)
        assert household is not None
        incomes = [
            ActualIncome(day, stream.id, stream.amount)
            for stream in household.incomes
            for day in stream.schedule.between(first, last)
        ]
        run = simulate(household, incomes, first, last)
        append_journal_entries(uow, run.entries)
        for night in run.days:
            add_instructions(uow, night.plan.instructions, night.day)
        for execution in run.executions:  # what the simulated bank carried out
            paid = execution.instruction.end_to_end_id
            set_instruction_status(uow, paid, InstructionStatus.PAID)
        save_planner_memory(uow, run.days[-1].plan.state, last)
        uow.commit()
    return len(run.entries)


def seed(engine: Engine, *, history: bool = True) -> None:
    """Demo config, history for HH-0001 (unless `history` is false), one account per role."""
    hasher = Argon2Hasher(**FAST_HASHER)
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with UnitOfWork(engine) as uow:
        apply_config(uow, load_config(DEMO_CONFIG), actor="test")
        for username, (role, household) in ACCOUNTS.items():
            create_user(
                uow,
                hasher,
                actor="test",
                username=username,
                display_name=username.capitalize(),
                role=role,
                household=household,
                password=PASSWORD,
                now=now,
            )
    if history:
        seed_history(engine, "HH-0001", HISTORY_FROM, TODAY - timedelta(days=1))
    # the read model as a night on TODAY leaves it (issue 24): pages read, never plan
    with UnitOfWork(engine) as uow:
        store_computed(uow, household_codes(uow), TODAY)
        uow.commit()


@dataclass
class WebEnv:
    app: Flask
    engine: Engine
    db_url: str

    def client(self, username: str | None = None) -> FlaskClient:
        """A test client, logged in as `username` when given."""
        client = self.app.test_client()
        if username is not None:
            response = client.post("/inloggen", data={"username": username, "password": PASSWORD})
            assert response.status_code == 302, response.data
        return client


def make_app(db_url: str, **overrides: Any) -> Flask:
    """An app on `db_url` for tests (fixed today, fast password hashes)."""
    config: dict[str, Any] = {
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "HHB_DATABASE_URL": db_url,
        "HHB_TODAY": TODAY.isoformat(),
        "HHB_SECRET_KEY": "test-secret",
        "HHB_ARGON2": FAST_HASHER,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def web(db_url: str) -> Iterator[WebEnv]:
    """The demo gemeente with accounts and history, and an app over it."""
    engine = open_database(db_url)
    try:
        seed(engine)
        app = make_app(db_url)
        yield WebEnv(app, app.extensions["hhb_engine"], db_url)
        app.extensions["hhb_engine"].dispose()
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def shared_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    """Like `web`, but one SQLite database for a whole module (for read-mostly tests
    such as the authorization matrix, which would otherwise seed hundreds of times)."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'hhb.sqlite3'}"
    engine = open_database(db_url)
    try:
        seed(engine)
        app = make_app(db_url)
        yield WebEnv(app, app.extensions["hhb_engine"], db_url)
        app.extensions["hhb_engine"].dispose()
    finally:
        engine.dispose()
