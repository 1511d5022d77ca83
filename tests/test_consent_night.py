"""No consent, no plan (issue 19.3): with `consent_required`, `hhb nightly` does not
plan a household without a recorded consent (no charges, no leefgeld, one signal),
still books its incomes to it, and plans it once a consent is recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from huishoudboekje.adapters.persistence import UnitOfWork, create_engine_from_url
from huishoudboekje.adapters.persistence.instruction_repo import instruction_rows
from huishoudboekje.adapters.persistence.nightly_repo import transactions
from huishoudboekje.domain.consent import Consent
from huishoudboekje.services.consent import save_consent
from huishoudboekje.services.night_worklists import night_signals
from tests.nightly_bank import Bank
from tests.nightly_support import SAMPLE, days, hhb, incomes_on, nightly

CONSENT = '    consent: {signed_on: 2026-01-01, signed_by: "A. de Vries", document: paper}\n'


def _config(tmp_path: Path) -> Path:
    """The sample file, requiring consent; HH-0002 and HH-0003 have one, HH-0001 not."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    out: list[str] = []
    for line in lines:
        out.append(line)
        if line.startswith("  bic: ABNANL2A"):
            out.append("  consent_required: true\n")
        if line.startswith("    start: 2026-0") and len(out) > 0:
            code = next(x for x in reversed(out) if x.startswith("  - code:")).split()[-1]
            if code != "HH-0001":
                out.append(CONSENT)
    path = tmp_path / "gemeente.yaml"
    path.write_text("".join(out), encoding="utf-8")
    return path


def _open(db: str) -> dict[str, object]:
    engine = create_engine_from_url(db)
    try:
        with UnitOfWork(engine) as uow:
            rows = instruction_rows(uow)
            return {
                "instructed": sorted({r.household for r in rows}),
                "signals": [(s.household, s.kind) for s in night_signals(uow)],
                "credits": sorted({t.household for t in transactions(uow) if t.household}),
            }
    finally:
        engine.dispose()


def test_a_household_without_consent_is_not_planned_until_one_is_recorded(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("connectors.pain001")
    assert hhb("config", "apply", str(_config(tmp_path)), db=db_url) == 0
    var, bank = tmp_path / "var", Bank()
    for night in days(date(2026, 2, 18), date(2026, 2, 27)):
        day = night - timedelta(days=1)
        bank.statement(day, incomes_on(day), var / "inbox")
        nightly(night, db_url, var, capsys)
        bank.collect(var / "outbox")
    seen = _open(db_url)
    assert "HH-0001" not in seen["instructed"]  # no charge, no leefgeld
    assert "HH-0002" in seen["instructed"]
    assert "HH-0001" in seen["credits"]  # its zorgtoeslag is still booked to it
    assert seen["signals"].count(("HH-0001", "geen_toestemming")) == 1  # one, not one a night
    assert not [s for s in seen["signals"] if s[1] == "geen_toestemming" and s[0] != "HH-0001"]

    engine = create_engine_from_url(db_url)
    try:
        save_consent(
            engine,
            "HH-0001",
            Consent(date(2026, 2, 27), "J. Jansen"),
            upload=None,
            actor="mira",
            now=datetime(2026, 2, 27, 9, tzinfo=UTC),
        )
    finally:
        engine.dispose()
    for night in days(date(2026, 2, 28), date(2026, 3, 3)):
        day = night - timedelta(days=1)
        bank.statement(day, incomes_on(day), var / "inbox")
        nightly(night, db_url, var, capsys)
        bank.collect(var / "outbox")
    seen = _open(db_url)
    assert "HH-0001" in seen["instructed"]
    assert ("HH-0001", "geen_toestemming") not in seen["signals"]  # closed by itself
