"""The strongest isolation test of the night (issue 22.1): two generated gemeenten
(`tests/realistic_gemeente.py`) in one installation give every household the same
night as each gemeente alone in its own installation. SQLite and PostgreSQL.

The two share payers (the same sociale dienst, the same employers) paying the same
norm amounts, so a credit matched across the border, a payment sent from the wrong
pooled account or a plan made with the other gemeente's closing days shows as a
difference: in the credits' households, the statuses (`hhb status --all`), the
payment files' bytes, or what each simulated bank executed.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import select

from cli.main import main
from huishoudboekje.adapters.config import gemeente_to_data, household_to_data, jsonable
from huishoudboekje.adapters.persistence import UnitOfWork, create_engine_from_url
from huishoudboekje.adapters.persistence.nightly_tables import BankTransactionRow
from huishoudboekje.domain.household import Gemeente, Household
from tests.conftest import POSTGRES_ENV, _postgres_schema
from tests.nightly_bank import Bank
from tests.realistic_gemeente import RealisticGemeente, generate

HOUSEHOLDS = 12
FIRST = date(2026, 3, 16)
LAST = date(2026, 4, 3)
OOST_IBAN = "NL41RABO0123400001"


def quiet(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(args))
    return code, out.getvalue()


def _gemeenten() -> tuple[RealisticGemeente, RealisticGemeente]:
    west = generate(HOUSEHOLDS, 2201, FIRST, LAST)
    oost = generate(HOUSEHOLDS, 2202, FIRST, LAST)
    households = tuple(replace(h, code=h.code.replace("HH-", "OV-")) for h in oost.households)
    gemeente = replace(
        oost.gemeente,
        name="Oostrealistad",
        account_iban=OOST_IBAN,
        account_name="Gemeente Oostrealistad Huishoudboekje",
        bic="RABONL2U",
        extra_closing_days=(date(2026, 3, 31), date(2026, 4, 1)),
        max_days_early=4,
    )
    return west, replace(oost, gemeente=gemeente, households=households)


def _alone(gemeente: Gemeente, households: tuple[Household, ...]) -> dict[str, Any]:
    return {
        "gemeente": gemeente_to_data(gemeente),
        "households": [household_to_data(h) for h in households],
    }


def _region(*parts: tuple[str, RealisticGemeente]) -> dict[str, Any]:
    return {
        "gemeenten": [
            {
                "code": code,
                **gemeente_to_data(part.gemeente),
                "households": [household_to_data(h) for h in part.households],
            }
            for code, part in parts
        ]
    }


def _credits(db: str, account: str) -> dict[str, tuple[str, str | None, str | None]]:
    """bank reference -> (status, household, income) of the credits on `account`."""
    engine = create_engine_from_url(db)
    try:
        with UnitOfWork(engine) as uow:
            rows = uow.session.exec(
                select(BankTransactionRow).where(BankTransactionRow.account_iban == account)
            ).all()
            return {
                r.bank_reference: (r.status, r.household, r.income_id) for r in rows if r.amount > 0
            }
    finally:
        engine.dispose()


def _statuses(db: str) -> dict[str, Any]:
    end = LAST + timedelta(days=1)
    code, out = quiet(
        "status", "--all", "--alle-gemeenten", "--date", end.isoformat(), "--json", "--database", db
    )
    assert code == 0, out
    return {s["household"]: s for s in json.loads(out)}


def _month(
    db: str,
    var: Path,
    config: dict[str, Any],
    banks: list[tuple[Bank, RealisticGemeente, Path]],
) -> None:
    """Apply `config`, then run every night with each bank's statement of the day."""
    path = var.parent / f"{var.name}.yaml"
    path.write_text(yaml.safe_dump(jsonable(config), allow_unicode=True), encoding="utf-8")
    var.mkdir(parents=True)
    assert quiet("config", "apply", str(path), "--database", db)[0] == 0
    night = FIRST + timedelta(days=1)
    while night <= LAST + timedelta(days=1):
        day = night - timedelta(days=1)
        for bank, gemeente, _ in banks:
            bank.extra[day] = gemeente.credits_on(day)
            written = bank.statement(day, [], var / "inbox")
            written.rename(written.with_name(f"{bank.account}-{written.name}"))
        code, out = quiet(
            "nightly", "--date", night.isoformat(), "--var", str(var), "--json", "--database", db
        )
        assert code in (0, 1), out
        for bank, _, outbox in banks:
            bank.collect(outbox)
        night += timedelta(days=1)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def three_databases(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[str, str, str]]:
    """West alone, oost alone, and both together: three empty databases of one kind."""
    if request.param == "sqlite":
        west, oost, region = (f"sqlite:///{tmp_path / f'{n}.sqlite3'}" for n in ("w", "o", "r"))
        yield west, oost, region
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    schemas = [_postgres_schema(base) for _ in range(3)]
    west, oost, region = (next(s) for s in schemas)
    yield west, oost, region
    for schema in schemas:
        with contextlib.suppress(StopIteration):
            next(schema)


def test_two_gemeenten_together_give_each_household_the_night_it_has_alone(
    three_databases: tuple[str, str, str], tmp_path: Path
) -> None:
    pytest.importorskip("connectors.pain001")
    west, oost = _gemeenten()
    shared = {(s.payer_iban, s.amount) for h in west.households for s in h.incomes} & {
        (s.payer_iban, s.amount) for h in oost.households for s in h.incomes
    }
    assert shared  # the same payer paying the same amount in both gemeenten
    west_db, oost_db, region_db = three_databases
    alone: dict[str, tuple[Bank, Path]] = {}
    for db, part, name in ((west_db, west, "west"), (oost_db, oost, "oost")):
        var = tmp_path / name
        bank = Bank(account=part.gemeente.account_iban)
        _month(db, var, _alone(part.gemeente, part.households), [(bank, part, var / "outbox")])
        alone[part.gemeente.account_iban] = (bank, var / "outbox")

    var = tmp_path / "regio"
    together = {
        part.gemeente.account_iban: (
            Bank(account=part.gemeente.account_iban),
            var / "outbox" / part.gemeente.account_iban,
        )
        for part in (west, oost)
    }
    _month(
        region_db,
        var,
        _region(("realistad", west), ("oostrealistad", oost)),
        [
            (together[p.gemeente.account_iban][0], p, together[p.gemeente.account_iban][1])
            for p in (west, oost)
        ],
    )

    statuses = _statuses(region_db)
    for db, part in ((west_db, west), (oost_db, oost)):
        account = part.gemeente.account_iban
        # every credit went to the same household (or suspense) as alone
        assert _credits(region_db, account) == _credits(db, account)
        # every household's status (vat, leefgeld, signals, ...) is the same as alone
        own = {h.code for h in part.households}
        assert {c: s for c, s in statuses.items() if c in own} == _statuses(db)
        # the same payment files, byte for byte, and the bank executed the same
        bank, outbox = alone[account]
        region_bank, region_outbox = together[account]
        files = sorted(outbox.glob("pain001-*.xml"))
        assert files
        assert [f.name for f in sorted(region_outbox.glob("pain001-*.xml"))] == [
            f.name for f in files
        ]
        for file in files:
            assert (region_outbox / file.name).read_bytes() == file.read_bytes()
        assert region_bank.executed == bank.executed
        assert region_bank.pending.keys() == bank.pending.keys()
