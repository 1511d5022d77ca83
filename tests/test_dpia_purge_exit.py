"""Found while classifying every column for the DPIA (issue 20.7): the reason of an
exit (`household_exit.reason`) and the notes on its checklist
(`household_exit_check.note`) are free text about the household, were kept after
the purge and were missing from the inzage export."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime

from huishoudboekje.adapters.persistence import UnitOfWork, load_household
from huishoudboekje.domain.handover import ItemKind, item_key
from huishoudboekje.services.exit_checklist import start_exit, tick
from huishoudboekje.services.privacy import EXPORT_JSON, export_household, purge
from tests.test_privacy_purge import traces_in_database
from tests.web_fixtures import TODAY, WebEnv, web  # noqa: F401

ZUID = "HH-0002"  # Fam. de Vries
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_purge_empties_the_exit_reason_and_the_checklist_notes(web: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(web.engine) as uow:
        start_exit(
            uow, ZUID, date(2026, 3, 31), "verhuist bij tante Grietje", actor="mira", now=NOW
        )
    tick(
        web.engine, ZUID, item_key(ItemKind.OVERVIEW), done=True, actor="mira", now=NOW,
        today=TODAY, note="eindoverzicht aan Grietje gegeven",
    )  # fmt: skip
    with UnitOfWork(web.engine) as uow:
        household = load_household(uow, ZUID)
        assert household is not None and household.end == date(2026, 3, 31)
    assert traces_in_database(web.engine, ("grietje",)) != []
    # the inzage export shows them while they are kept (AVG art. 15)
    with zipfile.ZipFile(io.BytesIO(export_household(web.engine, ZUID, TODAY, actor="t"))) as z:
        data = json.loads(z.read(EXPORT_JSON))
    assert data["exit"][0]["reason"] == "verhuist bij tante Grietje"
    assert data["exit_checklist"][0]["note"] == "eindoverzicht aan Grietje gegeven"
    assert [p.code for p in purge(web.engine, date(2035, 1, 1), actor="test").purged] == [ZUID]
    assert traces_in_database(web.engine, ("grietje",)) == []
