"""Golden-file support: compare a rendering with `tests/golden/<name>.expected`.

Regenerate with `HHB_UPDATE_GOLDEN=1 pytest ...` (then review the diff in git).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).parent / "golden"
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SAMPLES_DIR = Path(__file__).parent / "samples"


def corpus_file(relative: str) -> Path:
    """A file from ../shared/corpus, or skip the test cleanly when shared/ is absent."""
    path = SHARED_CORPUS / relative
    if not path.exists():
        pytest.skip(f"shared corpus not available: {relative}")
    return path


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN_DIR / f"{name}.expected"
    if os.environ.get("HHB_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no golden file {path}; run with HHB_UPDATE_GOLDEN=1 and review it")
    expected = path.read_text(encoding="utf-8")
    if expected != actual:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=str(path),
                tofile="actual",
            )
        )
        pytest.fail(f"golden mismatch for {name}:\n{diff[:6000]}")
