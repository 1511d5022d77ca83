"""The committed demo statements import with `hhb import`, each on its own and all together."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("cli.import_cmd", reason="hhb import is not in this checkout yet")

from cli.main import main
from sample_statements.generate import STATEMENTS
from sample_statements.run_demo import CONFIG

OCTOBER = ("mt940/2026-10.mt940", "csv/2026-10-ing.csv", "camt053/2026-10-20.xml")


def configured(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}.sqlite3"
    assert main(["config", "apply", str(CONFIG), "--database", url]) == 0
    return url


def hhb_import(paths: list[Path], url: str, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    code = main(["import", *map(str, paths), "--json", "--database", url])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    return report


def copies(tmp_path: Path, names: list[str]) -> list[Path]:
    out = []
    for name in names:
        target = tmp_path / "files" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STATEMENTS / name, target)
        out.append(target)
    return out


@pytest.mark.parametrize("name", OCTOBER)
def test_each_format_imports_on_its_own(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = configured(tmp_path, "one")
    report = hhb_import(copies(tmp_path, [name]), url, capsys)
    (result,) = report["files"]
    assert result["status"] == "imported" and result["new"] == result["transactions"] > 0


def test_the_same_days_in_three_formats_are_imported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = configured(tmp_path, "three")
    report = hhb_import(copies(tmp_path, list(OCTOBER)), url, capsys)
    first, *others = report["files"]
    assert first["status"] == "imported"
    assert [f["new"] for f in others] == [0, 0]
    assert report["stages"]["match"]["unmatched"] == 1  # J. Smit's payment


def test_all_daily_statements_import_in_one_go(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = configured(tmp_path, "all")
    names = sorted(str(p.relative_to(STATEMENTS)) for p in (STATEMENTS / "camt053").glob("*.xml"))
    report = hhb_import(copies(tmp_path, names), url, capsys)
    assert {f["status"] for f in report["files"]} == {"imported"}
    assert report["stages"]["book"]["balance_difference"] is None
