"""Fixtures for the web tests: the demo gemeente, a history for HH-0001, accounts, an app.

`web` gives a `WebEnv`: the Flask app (CSRF off unless asked), its engine and
helpers to log in as one of the accounts below. HH-0001 (Fam. Jansen) has two
months of simulated nights in the journal, so paid charges, leefgeld and the
monthly overview have real content; HH-0002 (Fam. de Vries) is the "other
household" in authorization tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
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
from huishoudboekje.adapters.persistence.user_repo import find_user
from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.simulation import ActualIncome, simulate
from huishoudboekje.services.configuration import apply_config
from huishoudboekje.services.read_model import store_computed
from huishoudboekje.services.second_factor import set_known_totp, totp_code, totp_step
from huishoudboekje.services.user_accounts import Role, create_user
from web import create_app
from web.identity import Argon2Hasher

DEMO_CONFIG = Path(__file__).resolve().parent / "samples" / "voorbeeldstad_basis.yaml"
TODAY = date(2026, 3, 4)  # a Wednesday; HH-0001 gets leefgeld on Fridays
HISTORY_FROM = date(2026, 1, 1)
SESSION_COOKIE = "hhb_session"
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
# Staff log in with a second factor (TOTP); the tests' staff accounts have these.
TOTP_SECRETS = {
    username: f"TESTTOTP{username.upper():A<24}"[:32]
    for username, (role, _) in ACCOUNTS.items()
    if role is not Role.HOUSEHOLD
}


def enrol_test_totp(engine: Engine, username: str) -> str:
    """Give a staff test account its known TOTP secret; returns the secret."""
    secret = TOTP_SECRETS.get(username) or f"TESTTOTP{username.upper():A<24}"[:32]
    with UnitOfWork(engine) as uow:
        set_known_totp(uow, actor="test", username=username, secret=secret, now=datetime.now(UTC))
    return secret


def next_code(engine: Engine, username: str, now: datetime) -> str:
    """A code for `username` that the app accepts at `now`: the code of now, or (when
    that step was used already, by an earlier login in the same 30 seconds) of the
    next step, which a phone running a little ahead would show. The secret is the
    test account's known one (the stored one is encrypted with the app's key)."""
    with UnitOfWork(engine) as uow:
        user = find_user(uow, username)
    assert user is not None and user.totp_secret is not None, username
    secret = TOTP_SECRETS.get(username) or f"TESTTOTP{username.upper():A<24}"[:32]
    step = totp_step(now)
    if user.totp_last_step is not None and user.totp_last_step >= step:
        step = user.totp_last_step + 1
    assert step <= totp_step(now) + 1, f"{username}: no unused TOTP step left at {now}"
    return totp_code(secret, step)


def second_step(app: Flask, client: FlaskClient, username: str) -> Any:
    """Give the TOTP code after a right staff password (with the form's CSRF token)."""
    page = client.get("/inloggen/code").data.decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    now = app.extensions["hhb_settings"].now()
    code = next_code(app.extensions["hhb_engine"], username, now)
    data = {"code": code} | ({"csrf_token": token[1]} if token else {})
    return client.post("/inloggen/code", data=data)


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


def add_test_user(
    uow: UnitOfWork,
    username: str,
    role: Role,
    *,
    now: datetime,
    household: str | None = None,
    team: str = "",
    password: str = PASSWORD,
    display_name: str | None = None,
) -> None:
    """An account for a test, its password hashed with the fast test hasher (commits)."""
    create_user(
        uow,
        Argon2Hasher(**FAST_HASHER),
        actor="test",
        username=username,
        display_name=display_name or username.capitalize(),
        role=role,
        household=household,
        password=password,
        now=now,
        team=team,
    )


def seed(engine: Engine, *, history: bool = True) -> None:
    """Demo config, history for HH-0001 (unless `history` is false), one account per role."""
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with UnitOfWork(engine) as uow:
        apply_config(uow, load_config(DEMO_CONFIG), actor="test")
        for username, (role, household) in ACCOUNTS.items():
            add_test_user(uow, username, role, household=household, now=now)
    for username in TOTP_SECRETS:
        enrol_test_totp(engine, username)
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
    sessions: dict[str, tuple[str, datetime]] = field(default_factory=dict)

    def client(self, username: str | None = None) -> FlaskClient:
        """A test client, logged in as `username` when given.

        Staff log in with password and TOTP code once; later clients of the same
        staff member share that session cookie for a minute of the app's clock (as
        a second browser tab would), because a TOTP code works once per 30 seconds
        and some tests freeze the app's clock."""
        client = self.app.test_client()
        if username is None:
            return client
        now = self.app.extensions["hhb_settings"].now()
        kept = self.sessions.get(username)
        if kept is not None and timedelta(0) <= now - kept[1] <= timedelta(minutes=1):
            client.set_cookie(SESSION_COOKIE, kept[0])
            return client
        with UnitOfWork(self.engine) as uow:
            user = find_user(uow, username)
        if user is not None and user.role != Role.HOUSEHOLD and user.totp_secret is None:
            enrol_test_totp(self.engine, username)  # staff without SSO must have a second factor
        response = client.post("/inloggen", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.data
        if response.headers["Location"] == "/inloggen/code":
            response = second_step(self.app, client, username)
            assert response.status_code == 302, response.data
            cookie = client.get_cookie(SESSION_COOKIE)
            assert cookie is not None
            self.sessions[username] = (cookie.value, now)
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
        # the tests of rule forms written before issue 19.7 expect changes to apply
        # at once; the household's answer is tested with HHB_ASK_HOUSEHOLD="1"
        "HHB_ASK_HOUSEHOLD": "0",
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
