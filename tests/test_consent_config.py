"""Consent in the YAML file (issue 19.3): `consent:` per household and the gemeente's
`consent_required` round-trip through `hhb config apply` and `hhb config export`; a
consent with an uploaded document exports as `document: upload` (never the document);
a file that leaves a consent out keeps the stored one; a changed consent is a new
record in the history, audit-logged."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cli.main import main
from huishoudboekje.adapters.config import parse_config
from huishoudboekje.adapters.persistence import UnitOfWork, load_audit_events, open_database
from huishoudboekje.domain.consent import Consent, ConsentScope, DocumentKind
from huishoudboekje.services.consent import Upload, history_of, save_consent
from tests.consent_support import signed_pdf
from tests.nightly_support import SAMPLE

JANSEN = (
    '    consent: {signed_on: 2026-01-02, signed_by: "J. Jansen",'
    " scope: {incomes: [loon], charges: [huur, energie]}, document: paper}\n"
)


def _file(tmp_path: Path, consent: str = JANSEN, name: str = "g.yaml") -> Path:
    out = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True):
        out.append(line)
        if line.startswith("  bic: ABNANL2A"):
            out.append("  consent_required: true\n")
        if line.startswith("    start: 2026-01-01") and consent and len(out) < 20:
            out.append(consent)
    path = tmp_path / name
    path.write_text("".join(out), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_consent_round_trips_through_apply_and_export(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _run(capsys, "config", "apply", str(_file(tmp_path)), "--database", db_url)
    assert code == 0
    code, exported = _run(capsys, "config", "export", "--database", db_url)
    assert code == 0
    config = parse_config(exported)
    assert config.gemeente.consent_required
    jansen = config.households[0]
    assert jansen.consent == Consent(
        date(2026, 1, 2), "J. Jansen", ConsentScope(("loon",), ("huur", "energie"))
    )
    assert config.households[1].consent is None
    again = tmp_path / "export.yaml"
    again.write_text(exported, encoding="utf-8")
    code, out = _run(capsys, "config", "apply", str(again), "--database", db_url)
    assert out.endswith("Nothing to change.\n")

    # left out of a file: kept (withdrawing is done on the household's page)
    code, out = _run(capsys, "config", "apply", str(_file(tmp_path, "")), "--database", db_url)
    assert out.endswith("Nothing to change.\n"), out
    engine = open_database(db_url)
    try:
        assert len(history_of(engine, "HH-0001")) == 1
        # an uploaded document: the file says `document: upload`, never the PDF
        save_consent(
            engine,
            "HH-0001",
            Consent(date(2026, 2, 1), "J. Jansen", document=DocumentKind.UPLOAD),
            upload=Upload("t.pdf", signed_pdf()),
            actor="mira",
            now=datetime(2026, 2, 1, tzinfo=UTC),
        )
        code, exported = _run(capsys, "config", "export", "--database", db_url)
        assert "document: upload" in exported and "%PDF" not in exported
        assert "scope: all" in exported
        # a changed consent in the file is a new record, audit-logged as config-apply
        changed = JANSEN.replace("2026-01-02", "2026-03-01")
        _run(capsys, "config", "apply", str(_file(tmp_path, changed)), "--database", db_url)
        history = history_of(engine, "HH-0001")
        assert [h.consent.signed_on for h in history] == [
            date(2026, 3, 1),
            date(2026, 2, 1),
            date(2026, 1, 2),
        ]
        with UnitOfWork(engine) as uow:
            events = load_audit_events(uow, object_id="HH-0001", action="consent.record")
        assert sorted(e.approved_by or "" for e in events) == ["", "config-apply", "config-apply"]
    finally:
        engine.dispose()


def test_a_scope_naming_a_rule_the_household_lacks_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = JANSEN.replace("energie]", "gas]")
    code, out = _run(capsys, "config", "check", str(_file(tmp_path, bad)))
    assert code == 2
    assert 'charge "gas" is not one of this household\'s charges' in out
