"""The stages' typed results: frozen values whose `as_json()` is the record the night
has always stored, and the stages `hhb import` runs, named rather than counted."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from huishoudboekje.services.database import connect
from huishoudboekje.services.night_book import BookResult
from huishoudboekje.services.night_export import ExportResult
from huishoudboekje.services.night_extras import ExtrasResult
from huishoudboekje.services.night_import import ImportResult
from huishoudboekje.services.night_match import CreditMatchResult
from huishoudboekje.services.night_plan import PlanResult
from huishoudboekje.services.night_reconcile import ReconcileResult
from huishoudboekje.services.night_signal_refresh import SignalRefreshResult
from huishoudboekje.services.night_statements import DedupeResult
from huishoudboekje.services.night_work import StageResult
from scheduler.context import NightContext, NightPaths
from scheduler.nightly import IMPORT_STAGES, STAGES, Stage, run_stages

# the keys of each stage's record, in the order the night has always stored them
RECORDS: list[tuple[StageResult, dict[str, object]]] = [
    (
        ImportResult(3, 1, 1, 1),
        {"files": 3, "parsed": 1, "duplicate": 1, "rejected": 1},
    ),
    (DedupeResult(1, 7), {"files": 1, "new_transactions": 7}),
    (CreditMatchResult(5, 1, 0), {"matched": 5, "unmatched": 1, "after_end": 0}),
    (
        ReconcileResult(2, 1, 0, 1),
        {"settled": 2, "returned": 1, "unknown": 0, "requests_returned": 1},
    ),
    (BookResult(8, None), {"booked": 8, "balance_difference": None}),
    (BookResult(0, "-1.00"), {"booked": 0, "balance_difference": "-1.00"}),
    (
        PlanResult(3, 2, 0, 1, 4),
        {"households": 3, "planned": 2, "skipped": 0, "failed": 1, "instructions": 4},
    ),
    (ExtrasResult(2, 1, 1, 0), {"approved": 2, "paid": 1, "waiting": 1, "failed": 0}),
    (ExportResult(files=1, repaired=0), {"files": 1, "repaired": 0}),
    (
        ExportResult(files=0, skipped="connectors.pain001 ontbreekt"),
        {"skipped": "connectors.pain001 ontbreekt", "files": 0},
    ),
    (SignalRefreshResult(0, 2, 9), {"ageing": 0, "closed": 2, "open": 9}),
]


@pytest.mark.parametrize(("result", "record"), RECORDS)
def test_as_json_is_the_stored_record_key_for_key_in_order(
    result: StageResult, record: dict[str, object]
) -> None:
    assert list(result.as_json().items()) == list(record.items())


@pytest.mark.parametrize(("result", "record"), RECORDS)
def test_a_stage_result_is_frozen(result: StageResult, record: dict[str, object]) -> None:
    name = next(iter(record))
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(result, name, 0)


def test_hhb_import_runs_the_named_stages_in_the_nights_order() -> None:
    assert [s.name for s in IMPORT_STAGES] == ["import", "dedupe", "match", "reconcile", "book"]
    positions = [STAGES.index(s) for s in IMPORT_STAGES]
    assert positions == sorted(positions)


def test_run_stages_records_the_results_json_with_its_seconds(tmp_path: Path) -> None:
    engine = connect("sqlite://")
    try:
        ctx = NightContext(engine, date(2026, 2, 25), NightPaths.under(tmp_path))
        stage = Stage("count", lambda _ctx: DedupeResult(2, 3))
        results, failed = run_stages(ctx, [stage], record=False)
    finally:
        engine.dispose()
    assert not failed
    record = results["count"]
    assert list(record)[:2] == ["files", "new_transactions"]
    assert (record["files"], record["new_transactions"]) == (2, 3)
    assert isinstance(record["seconds"], float)
