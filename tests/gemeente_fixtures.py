"""Two gemeenten in one installation (issue 22.1), for the isolation tests.

The demo gemeente becomes gemeente A (id 1, code "a") with HH-0001 (Jansen) and
HH-0003 (Bakker); gemeente B (id 2, code "b") is added directly through the
persistence layer and gets HH-0002 (de Vries). Each gemeente has: journal history,
open signals, a household's request, a four-eyes change waiting, money that matched
no household on its own pooled account, view-log rows and audit events; and its own
staff in every role. Both gemeenten use the same team name (none), so a test also
shows that a team of the same name in another gemeente sees nothing of it.
`regio` is a regional beheerder (no gemeente), `regiofien` a regional functioneel
beheerder and `regiopia` a regional privacy officer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    household_codes,
    load_household,
    save_household,
)
from huishoudboekje.adapters.persistence.nightly_tables import (
    BankTransactionRow,
    ImportedFileRow,
    StatementRow,
)
from huishoudboekje.adapters.persistence.signal_repo import upsert_signals
from huishoudboekje.adapters.persistence.tables import GemeenteRow, HouseholdRow, PooledAccountRow
from huishoudboekje.adapters.persistence.web_tables import UserRow
from huishoudboekje.domain.household import Contact, PostalAddress
from huishoudboekje.domain.money import Money
from huishoudboekje.domain.signals import Severity, Signal, SignalKind
from huishoudboekje.services.access_control import record_view
from huishoudboekje.services.household_requests import submit_request
from huishoudboekje.services.read_model import store_computed
from huishoudboekje.services.reports_store import store_report_figures
from huishoudboekje.services.rule_changes import propose_household
from huishoudboekje.services.user_accounts import Role
from tests.web_fixtures import (
    HISTORY_FROM,
    TODAY,
    WebEnv,
    add_test_user,
    make_app,
    seed_history,
)
from tests.web_fixtures import seed as seed_demo

A_IBAN, B_IBAN = "NL91ABNA0417164300", "NL39RABO0300065264"  # the pooled accounts
A_HOUSEHOLDS, B_HOUSEHOLDS = ("HH-0001", "HH-0003"), ("HH-0002",)
A_CODE, B_CODE = "HH-0001", "HH-0002"  # the household each side's routes are tried on
# What of each gemeente must never reach the other's staff: household codes, names,
# the households' own IBANs, a request's words, an unknown payer and its IBAN (and
# B's staff by name: A's lists of colleagues and accounts hold none of them).
MARKERS = {
    "a": ("HH-0001", "HH-0003", "Dhr. Bakker", "NL44RABO0123456789", "NL76ASNB0712345678",
          "Astad-huishouden", "Astadgever", "NL02ABNA0123456789", "Astadvoorstel"),
    "b": ("HH-0002", "de Vries", "NL12TRIO0198765432", "Bstad-huishouden", "Bstadgever",
          "NL55INGB0000000555", "Bstadvoorstel", "Bmira", "Btom", "Bada", "Bfien", "Bpia",
          "bmira", "btom", "bfien", "bpia"),
}  # fmt: skip
STAFF = {
    # username: (gemeente code or None for regional, role)
    "mira": ("a", Role.MEDEWERKER),
    "tom": ("a", Role.APPROVER),
    "ada": ("a", Role.ADMIN),
    "fien": ("a", Role.FUNCTIONEEL_BEHEERDER),
    "pia": ("a", Role.PRIVACY_OFFICER),
    "bmira": ("b", Role.MEDEWERKER),
    "btom": ("b", Role.APPROVER),
    "bada": ("b", Role.ADMIN),
    "bfien": ("b", Role.FUNCTIONEEL_BEHEERDER),
    "bpia": ("b", Role.PRIVACY_OFFICER),
    "regio": (None, Role.ADMIN),
    "regiofien": (None, Role.FUNCTIONEEL_BEHEERDER),
    "regiopia": (None, Role.PRIVACY_OFFICER),
}
GEMEENTE_IDS = {"a": 1, "b": 2}
NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def add_second_gemeente(engine: Engine) -> None:
    """Gemeente B next to the demo's A: rows, pooled accounts, HH-0002 moved to B."""
    with UnitOfWork(engine) as uow:
        first = uow.session.get(GemeenteRow, 1)
        assert first is not None
        first.code = "a"
        values = first.model_dump()
        values.update(
            id=2, code="b", name="Bstad", account_iban=B_IBAN, account_name="Gemeente Bstad"
        )
        uow.session.add(first)
        uow.session.add(GemeenteRow(**values))
        # merge: `hhb config apply` already stored the first gemeente's pooled account
        uow.session.merge(
            PooledAccountRow(iban=A_IBAN, gemeente_id=1, name="Voorbeeldstad", bic="")
        )
        uow.session.merge(PooledAccountRow(iban=B_IBAN, gemeente_id=2, name="Bstad", bic=""))
        for code in B_HOUSEHOLDS:
            row = uow.session.get(HouseholdRow, code)
            assert row is not None
            row.gemeente_id = 2
            uow.session.add(row)
        devries = uow.session.exec(select(UserRow).where(UserRow.username == "devries")).one()
        devries.gemeente_id = 2
        uow.session.add(devries)
        uow.commit()


def add_staff(engine: Engine) -> None:
    """The staff of B and the regional accounts; A's staff are the demo's."""
    with UnitOfWork(engine) as uow:
        for username, (gemeente, role) in STAFF.items():
            row = uow.session.exec(select(UserRow).where(UserRow.username == username)).first()
            if row is None:
                add_test_user(uow, username, role, now=NOW - timedelta(days=2))
                row = uow.session.exec(select(UserRow).where(UserRow.username == username)).one()
            row.gemeente_id = None if gemeente is None else GEMEENTE_IDS[gemeente]
            uow.session.add(row)
        uow.commit()


def _unmatched(uow: UnitOfWork, account: str, name: str, iban: str, key: str) -> None:
    file = ImportedFileRow(
        name=f"{key}.xml",
        sha256=key * 8,
        format="camt053",
        status="imported",
        error="",
        transactions=1,
        new_transactions=1,
        imported_at=NOW,
    )
    uow.session.add(file)
    uow.session.flush()
    assert file.id is not None
    statement = StatementRow(
        file_id=file.id,
        account_iban=account,
        statement_id=f"st-{key}",
        source_format="camt053",
        period_start=TODAY - timedelta(days=2),
        period_end=TODAY - timedelta(days=2),
        transactions=1,
        new_transactions=1,
    )
    uow.session.add(statement)
    uow.session.flush()
    assert statement.id is not None
    uow.session.add(
        BankTransactionRow(
            dedupe_key=f"dk-{key}",
            fingerprint=f"fp-{key}",
            source_format="camt053",
            statement_row_id=statement.id,
            account_iban=account,
            booking_date=TODAY - timedelta(days=2),
            value_date=TODAY - timedelta(days=2),
            amount=Decimal("77.77"),
            currency="EUR",
            counterparty_name=name,
            counterparty_iban=iban,
            counterparty_bic="",
            description=f"gift van {name}",
            structured_reference="",
            end_to_end_id=f"e2e-{key}",
            bank_reference="",
            bank_transaction_code="",
            is_reversal=False,
            is_return=False,
            return_reason="",
            original_end_to_end_id="",
            status="unmatched",
            night=TODAY - timedelta(days=1),
        )
    )


def add_data(engine: Engine) -> None:
    """Per gemeente: history, signals, a request, a change waiting, unknown money,
    views; then the read model and the report figures as a night leaves them."""
    seed_history(engine, "HH-0002", HISTORY_FROM, TODAY - timedelta(days=1))
    with UnitOfWork(engine) as uow:  # both get their overview by post (hhb letters)
        for code, city in (("HH-0001", "Astad"), ("HH-0002", "Bstad")):
            household = load_household(uow, code)
            assert household is not None
            address = PostalAddress(f"{city}weg 1", "1234 AB", city)
            save_household(
                uow, dataclasses.replace(household, contact=Contact.POST, address=address)
            )
        uow.commit()
    with UnitOfWork(engine) as uow:
        for side, code in (("Astad", "HH-0001"), ("Bstad", "HH-0002")):
            upsert_signals(
                uow,
                [
                    Signal(
                        SignalKind.PAYMENT_RETURNED,
                        code,
                        Severity.HIGH,
                        f"Betaling van {code} kwam terug",
                        key=f"test|{code}|terug",
                    )
                ],
                TODAY - timedelta(days=1),
                "test",
            )
            _unmatched(
                uow,
                A_IBAN if side == "Astad" else B_IBAN,
                f"Onbekende {side}gever",
                "NL02ABNA0123456789" if side == "Astad" else "NL55INGB0000000555",
                side.lower(),
            )
        uow.commit()
    for side, code, who in (("Astad", "HH-0001", "mira"), ("Bstad", "HH-0002", "bmira")):
        with UnitOfWork(engine) as uow:
            submit_request(
                uow,
                household=code,
                actor="test",
                kind="extra_leefgeld",
                amount=Money("45.00"),
                reason=f"Verzoek van {side}-huishouden",
                now=NOW,
            )
        with UnitOfWork(engine) as uow:
            before = load_household(uow, code)
            assert before is not None
            raised = dataclasses.replace(
                before, buffer=dataclasses.replace(before.buffer, advance_limit=Money("2000.00"))
            )
            proposal = propose_household(
                uow, actor=who, after=raised, now=NOW, summary=f"{side}voorstel limiet"
            )
            assert proposal.change_request is not None, "the change must wait for four eyes"
        record_view(engine, actor=who, role="medewerker", household=code, what="test", via="web")
    with UnitOfWork(engine) as uow:
        store_computed(uow, household_codes(uow), TODAY)
        uow.commit()
    with UnitOfWork(engine) as uow:
        store_report_figures(uow, TODAY - timedelta(days=1))


def seed_two_gemeenten(engine: Engine) -> None:
    seed_demo(engine)
    add_second_gemeente(engine)
    add_staff(engine)
    add_data(engine)


@pytest.fixture(scope="module")
def two_gemeenten(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    """An app over an installation with gemeenten A and B (see the module text)."""
    from huishoudboekje.adapters.persistence import open_database

    db_url = f"sqlite:///{tmp_path_factory.mktemp('gemeenten') / 'hhb.sqlite3'}"
    engine = open_database(db_url)
    try:
        seed_two_gemeenten(engine)
        app = make_app(db_url)
        yield WebEnv(app, app.extensions["hhb_engine"], db_url)
        app.extensions["hhb_engine"].dispose()
    finally:
        engine.dispose()


def other(side: str) -> str:
    return "b" if side == "a" else "a"


def leaks(text: str, side: str) -> list[str]:
    """The markers of gemeente `side` found in `text`."""
    return [marker for marker in MARKERS[side] if marker in text]


def today() -> date:
    return TODAY
