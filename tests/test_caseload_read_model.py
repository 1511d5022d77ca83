"""The caseload reads the stored statuses with SQL (issue 24): filter (mine, team,
all; signals; buffer days below N), sort (urgency, buffer days, name), a page of
50; search by the start of a word of the code or the name, through an index; no
household is planned to show it.

The filter/sort/page tests fill the read model's columns directly (the caseload
reads nothing else) and compare with the same selection done in Python.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text, update

from huishoudboekje.adapters.persistence import UnitOfWork, save_household
from huishoudboekje.adapters.persistence.caseload_repo import (
    CaseloadFilter,
    CaseloadSort,
    caseload_statement,
)
from huishoudboekje.adapters.persistence.status_json import VERSION
from huishoudboekje.adapters.persistence.status_repo import NO_DAYS, NONE_RANK, STATUS
from huishoudboekje.services.caseload import PAGE_SIZE, CaseloadQuery, Scope, caseload
from huishoudboekje.services.user_accounts import Role, create_user
from tests.factories import household
from web.identity import Argon2Hasher

DAY = date(2026, 3, 4)
SURNAMES = ("Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters")
SEVERITY = {0: "high", 1: "warning", 2: "info"}
STAFF = ("mira", "mats", "ada")
TEAMS = ("Noord", "Zuid", "")


@dataclass(frozen=True)
class Stored:
    code: str
    name: str
    caseworker: str
    team: str
    urgency_rank: int
    buffer_days: int | None
    fresh: bool


def _rows(seed: int, count: int) -> list[Stored]:
    rng = random.Random(seed)
    rows = []
    for number in range(count):
        rows.append(
            Stored(
                code=f"HH-{number:04d}",
                name=f"{rng.choice(SURNAMES)} {rng.choice('ABCDEFGH')}",
                caseworker=rng.choice((*STAFF, "")),
                team=rng.choice(TEAMS),
                urgency_rank=rng.choice((0, 1, 2, NONE_RANK, NONE_RANK)),
                buffer_days=rng.choice((None, *range(0, 200, 7))),
                fresh=rng.random() > 0.1,
            )
        )
    return rows


def _fill(engine: Engine, rows: list[Stored]) -> None:
    with UnitOfWork(engine) as uow:
        for row in rows:
            save_household(
                uow,
                household(row.code, name=row.name, caseworker=row.caseworker, team=row.team),
            )
        for row in rows:
            signals = (
                []
                if row.urgency_rank == NONE_RANK
                else [
                    {
                        "key": f"{row.code}:test",
                        "kind": "buffer_laag",
                        "severity": SEVERITY[row.urgency_rank],
                        "message": "buffer laag",
                    }
                ]
            )
            uow.session.execute(
                update(STATUS)
                .where(STATUS.c.household == row.code)
                .values(
                    day=DAY,
                    version=VERSION if row.fresh else 0,
                    buffer_days=row.buffer_days,
                    buffer_rank=NO_DAYS if row.buffer_days is None else row.buffer_days,
                    urgency_rank=row.urgency_rank,
                    signal_count=len(signals),
                    signals=json.dumps(signals),
                    vat=Decimal("12.34"),
                    leefgeld_rate=Decimal("80.00"),
                )
            )
        create_user(
            uow,
            Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),
            actor="test",
            username="mira",
            display_name="Mira",
            # a beheerder (sees every team, issue 20) with a caseload of her own
            role=Role.ADMIN,
            household=None,
            password="wachtwoord-voor-tests",
            now=datetime(2026, 3, 1, tzinfo=UTC),
            team="Noord",
        )
        uow.commit()


ROWS = _rows(24, 130)


@pytest.fixture
def filled(engine: Engine) -> Iterator[Engine]:
    _fill(engine, ROWS)
    yield engine


def expected(query: CaseloadQuery, scope: Scope) -> list[str]:
    """The codes of the page `query` asks for, selected and sorted in Python."""
    rows = list(ROWS)
    if scope is Scope.MINE:
        rows = [r for r in rows if r.caseworker == query.user]
    if scope is Scope.TEAM:
        rows = [r for r in rows if r.team == "Noord"]
    if query.with_signals:
        rows = [r for r in rows if r.urgency_rank < NONE_RANK]
    if query.buffer_below is not None:
        below = query.buffer_below
        rows = [r for r in rows if r.buffer_days is not None and r.buffer_days < below]

    def rank(r: Stored) -> int:
        return NO_DAYS if r.buffer_days is None else r.buffer_days

    keys: dict[CaseloadSort, Any] = {
        CaseloadSort.URGENCY: lambda r: (r.urgency_rank, rank(r), r.code),
        CaseloadSort.BUFFER: lambda r: (rank(r), r.code),
        CaseloadSort.NAME: lambda r: (r.name, r.code),
    }
    rows.sort(key=keys[query.sort])
    start = (query.page - 1) * PAGE_SIZE
    return [r.code for r in rows[start : start + PAGE_SIZE]]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    scope=st.sampled_from(list(Scope)),
    with_signals=st.booleans(),
    buffer_below=st.one_of(st.none(), st.integers(0, 250)),
    sort=st.sampled_from(list(CaseloadSort)),
    page=st.integers(1, 4),
)
def test_filter_sort_and_page_are_the_database_s_and_right(
    filled: Engine,
    scope: Scope,
    with_signals: bool,
    buffer_below: int | None,
    sort: CaseloadSort,
    page: int,
) -> None:
    query = CaseloadQuery(
        scope=scope,
        user="mira",
        with_signals=with_signals,
        buffer_below=buffer_below,
        sort=sort,
        page=page,
    )
    with UnitOfWork(filled) as uow:
        found = caseload(uow, query)
    assert found.scope is scope
    codes = [row.code for row in found.rows]
    assert codes == expected(query, scope)
    assert found.more == bool(expected(dataclasses.replace(query, page=page + 1), scope))
    by_code = {r.code: r for r in ROWS}
    for row in found.rows:
        stored = by_code[row.code]
        if stored.fresh:  # figures and signals of a fresh status; none of a stale one
            assert row.buffer_days == stored.buffer_days
            assert len(row.signals) == (stored.urgency_rank < NONE_RANK)
        else:
            assert row.vat is None and row.buffer_days is None and row.signals == ()


def test_a_medewerker_with_a_caseload_starts_on_their_own_households(filled: Engine) -> None:
    with UnitOfWork(filled) as uow:
        mine = caseload(uow, CaseloadQuery(user="mira"))
        nobody = caseload(uow, CaseloadQuery(user="tom"))
    assert mine.scope is Scope.MINE and mine.team == "Noord"
    assert {r.code for r in mine.rows} <= {r.code for r in ROWS if r.caseworker == "mira"}
    assert nobody.scope is Scope.ALL


def test_search_finds_the_start_of_any_word_of_the_code_or_the_name(filled: Engine) -> None:
    with UnitOfWork(filled) as uow:
        save_household(uow, household("HH-9001", name="Fam. de Vries-Jansen"))
        uow.commit()

    def codes(search: str) -> set[str]:
        with UnitOfWork(filled) as uow:
            found = caseload(uow, CaseloadQuery(search=search, sort=CaseloadSort.NAME))
        return {r.code for r in found.rows}

    assert codes("hh-9001") == codes("9001") == codes("HH-9001") == {"HH-9001"}
    assert "HH-9001" in codes("vri") and "HH-9001" in codes("jansen")
    assert codes("de vries") == {"HH-9001"}  # every word must match
    assert codes("nergens") == set()
    jansen = {r.code for r in ROWS if r.name.startswith("Jansen")} | {"HH-9001"}
    assert codes("jan") == set(sorted(jansen)[:PAGE_SIZE]) or len(jansen) > PAGE_SIZE


def test_search_uses_an_index_on_sqlite_and_postgresql(filled: Engine) -> None:
    statement = caseload_statement(CaseloadFilter(words=("jans",)), CaseloadSort.URGENCY)
    sql = str(statement.compile(dialect=filled.dialect, compile_kwargs={"literal_binds": True}))
    with filled.connect() as connection:
        if filled.dialect.name == "sqlite":
            plan = " ".join(
                str(r[-1]) for r in connection.execute(text("EXPLAIN QUERY PLAN " + sql))
            )
            assert "SEARCH household_search USING" in plan, plan
            assert "INDEX" in plan and "token>? AND token<?" in plan, plan
        else:
            # on a small table PostgreSQL prefers a scan; forbidden one, it must have an index
            connection.execute(text("SET enable_seqscan = off"))
            plan = " ".join(str(r[0]) for r in connection.execute(text("EXPLAIN " + sql)))
            assert "pk_household_search" in plan, plan
            assert "Seq Scan on household_search" not in plan, plan


def test_the_caseload_page_pages_by_50_and_plans_no_household(
    filled: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.web_fixtures import make_app

    def no_planning(*args: object, **kwargs: object) -> None:
        raise AssertionError("the caseload planned a household")

    for target in (
        "huishoudboekje.domain.status_report.plan",
        "huishoudboekje.services.household_status.status_report",
        "huishoudboekje.services.read_model.status_report",
    ):
        monkeypatch.setattr(target, no_planning)
    from tests.web_fixtures import enrol_test_totp, second_step

    app = make_app(db_url)
    enrol_test_totp(filled, "mira")
    try:
        client = app.test_client()
        login = client.post(
            "/inloggen", data={"username": "mira", "password": "wachtwoord-voor-tests"}
        )
        assert login.status_code == 302, login.data
        assert second_step(app, client, "mira").status_code == 302
        _browse_the_caseload(client)
    finally:
        app.extensions["hhb_engine"].dispose()


def _browse_the_caseload(client: FlaskClient) -> None:
    page = client.get("/medewerker/?wie=alle").data.decode()
    assert page.count('<a href="/medewerker/huishouden/') == PAGE_SIZE
    assert "Volgende 50" in page and "Vorige 50" not in page
    last = client.get("/medewerker/?wie=alle&pagina=3").data.decode()
    assert last.count('<a href="/medewerker/huishouden/') == len(ROWS) - 2 * PAGE_SIZE
    assert "Volgende 50" not in last and "Vorige 50" in last
    mine = client.get("/medewerker/").data.decode()
    assert 'aria-current="page">Mijn huishoudens' in mine
    filtered = client.get("/medewerker/?wie=alle&signalen=1&buffer_onder=30&sorteer=buffer")
    assert filtered.status_code == 200
    for bad in ("buffer_onder=veel", "pagina=-1", "sorteer=x", "wie=iedereen"):
        assert client.get(f"/medewerker/?{bad}").status_code == 200, bad


def test_need_to_know_limits_every_scope_to_the_own_team(filled: Engine) -> None:
    """A medewerker's "Alle" is every household of the own team, plus one opened with
    a reason in this session; a beheerder's is every household (issue 20)."""
    other = next(r.code for r in ROWS if r.team != "Noord")
    with UnitOfWork(filled) as uow:
        everyone = caseload(uow, CaseloadQuery(scope=Scope.ALL, user="mira", page=1))
        assert len(everyone.rows) == PAGE_SIZE
        limited = [
            row.code
            for page in range(1, 5)
            for row in caseload(
                uow,
                CaseloadQuery(
                    scope=Scope.ALL,
                    user="mira",
                    page=page,
                    own_team_only=True,
                    granted=(other,),
                ),
            ).rows
        ]
    noord = {r.code for r in ROWS if r.team == "Noord"}
    assert len(noord) + 1 < len(ROWS)  # the limit really leaves households out
    assert set(limited) == noord | {other}
