"""A payment file that cannot be made is one problem and one signal per pooled
account (issue 22): two gemeenten whose files both fail on the same day get two
signals, not one that the second overwrites."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import select

from huishoudboekje.adapters.persistence import UnitOfWork, open_database
from huishoudboekje.adapters.persistence.nightly_tables import SignalRow
from huishoudboekje.services.night_export import record_export_problem
from scheduler.context import NightContext, NightPaths

NIGHT = date(2026, 3, 18)
DAY = date(2026, 3, 19)


def _signals(ctx: NightContext) -> list[str]:
    with UnitOfWork(ctx.engine) as uow:
        return sorted(row.message for row in uow.session.exec(select(SignalRow)))


def test_two_pooled_accounts_failing_on_one_day_are_two_signals(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'hhb.sqlite3'}")
    try:
        ctx = NightContext(engine, NIGHT, NightPaths.under(tmp_path))
        record_export_problem(ctx, DAY, "IBAN NL00 geweigerd", "NL91ABNA0417164300")
        record_export_problem(ctx, DAY, "BIC ontbreekt", "NL41RABO0123400001")
        messages = _signals(ctx)
    finally:
        engine.dispose()
    assert len(messages) == 2, messages
    assert any("IBAN NL00 geweigerd" in m for m in messages)
    assert any("BIC ontbreekt" in m for m in messages)
    assert ctx.problems == [
        "betaalbestand van rekening NL91ABNA0417164300 voor 2026-03-19 niet gemaakt: "
        "IBAN NL00 geweigerd",
        "betaalbestand van rekening NL41RABO0123400001 voor 2026-03-19 niet gemaakt: BIC ontbreekt",
    ]


def test_one_gemeente_keeps_its_problem_text(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'hhb.sqlite3'}")
    try:
        ctx = NightContext(engine, NIGHT, NightPaths.under(tmp_path))
        record_export_problem(ctx, DAY, "IBAN NL00 geweigerd")
        assert len(_signals(ctx)) == 1
    finally:
        engine.dispose()
    assert ctx.problems == ["betaalbestand voor 2026-03-19 niet gemaakt: IBAN NL00 geweigerd"]
