"""The purge and the inzage export cover the hand-over notes and the changes the
household was asked about (issue 19.4 and 19.7, found when classifying their tables
for the DPIA): their free text and the household data they copy are about the
household."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from datetime import UTC, date, datetime

from huishoudboekje.adapters.persistence import UnitOfWork, load_household, save_household
from huishoudboekje.domain.household_consent import consent_changes
from huishoudboekje.domain.money import Money
from huishoudboekje.services.household_asking import ConsentAsk, ask_household
from huishoudboekje.services.household_handover import hand_over
from huishoudboekje.services.privacy import EXPORT_JSON, export_household, purge
from huishoudboekje.services.user_accounts import Role
from tests.test_privacy_purge import traces_in_database
from tests.web_fixtures import TODAY, WebEnv, web  # noqa: F401

ZUID = "HH-0002"  # Fam. de Vries
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_purge_empties_hand_over_notes_and_proposed_changes(web: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(web.engine) as uow:
        hand_over(
            uow, code=ZUID, to_user="mira", note="Tante Grietje helpt met de post, bel haar eerst.",
            actor="ada", role=Role.ADMIN, now=NOW,
        )  # fmt: skip
    with UnitOfWork(web.engine) as uow:
        before = load_household(uow, ZUID)
        assert before is not None
        charge = before.charges[0]
        raised = dataclasses.replace(charge, amount=charge.amount + Money("30.00"))
        after = dataclasses.replace(before, charges=(raised, *before.charges[1:]))
        changes = consent_changes(before, after, TODAY)
        assert changes
        ask_household(
            uow, before=before, after=after, changes=changes,
            ask=ConsentAsk("Grietje vroeg of de termijn omhoog kan."), actor="mira", now=NOW,
            today=TODAY, change_request=None,
        )  # fmt: skip
        save_household(uow, dataclasses.replace(before, end=date(2026, 3, 31)), at=NOW)
        uow.commit()
    assert traces_in_database(web.engine, ("grietje",)) != []
    with zipfile.ZipFile(io.BytesIO(export_household(web.engine, ZUID, TODAY, actor="t"))) as z:
        data = json.loads(z.read(EXPORT_JSON))
    assert "Grietje" in data["handovers"][0]["note"]
    assert "Grietje" in data["proposed_changes"][0]["why"]
    assert [p.code for p in purge(web.engine, date(2035, 1, 1), actor="test").purged] == [ZUID]
    assert traces_in_database(web.engine, ("grietje",)) == []
    iban = before.iban.lower()
    assert traces_in_database(web.engine, (iban,)) == []
