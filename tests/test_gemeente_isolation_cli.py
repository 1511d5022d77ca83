"""Issue 22.1, the acceptance test for the command line and the exports: no command
shows another gemeente's data.

Every leaf command of `hhb` (walked from the parser, not listed by hand) is in one
of three tables here: it shows household or journal data and takes `--gemeente`
(DATA), it works on every gemeente at once and says so (REGIONAL), or it shows no
household data (NO_DATA, with the reason). A command added later fails
`test_every_command_is_classified` until someone decides which it is. In an
installation with gemeenten A and B (tests/gemeente_fixtures.py):

- every DATA and REGIONAL command refuses with one line without a choice of gemeente;
- a DATA command with `--gemeente a` prints and writes (a PDF's text, a ZIP's files,
  the XAF and journal files) nothing of B, and vice versa; with `--alle-gemeenten`
  the list commands show both;
- the XAF of one gemeente is its own administration, under its own name.
"""

from __future__ import annotations

import argparse
import io
import json
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from cli.gemeente_option import scoped_commands
from cli.main import build_parser, main
from tests.gemeente_fixtures import A_CODE, B_CODE, leaks, other, two_gemeenten  # noqa: F401
from tests.web_fixtures import WebEnv

CODES = {"a": A_CODE, "b": B_CODE}
DAY = "2026-03-04"
# command → argv ({out}: a folder for files, {code}: the gemeente's own household)
DATA: dict[str, list[str]] = {
    "status": ["status", "--all", "--date", DAY],
    "plan": ["plan", "--date", DAY],
    "signals": ["signals", "--all", "--date", DAY],
    "report": ["report", "--month", "2026-02", "--date", DAY, "--live"],
    "letters": ["letters", "--month", "2026-02", "--date", DAY, "-o", "{out}/brieven.pdf"],
    "privacy export": ["privacy", "export", "{code}", "-o", "{out}/inzage.zip", "--date", DAY],
    "access-log": ["access-log"],
    "export xaf": ["export", "xaf", "--year", "2026", "-o", "{out}/audit.xaf"],
    "export journal": [
        "export", "journal", "--from", "2026-01-01", "--to", DAY, "-o", "{out}/journaal.csv"
    ],
    "users list": ["users", "list"],
}  # fmt: skip
# Commands that work on the whole installation: in a regional installation they run
# only with --alle-gemeenten (the one line says why).
REGIONAL: dict[str, list[str]] = {
    "runs": ["runs"],
    "reconcile": ["reconcile", "--from", "2026-03-01", "--to", "2026-03-03", "--no-signals"],
    "config export": ["config", "export"],
    "privacy purge": ["privacy", "purge", "--dry-run", "--var", "{out}/var", "--date", DAY],
}
NO_DATA = {
    "config check": "checks a YAML file; reads no stored household",
    "config apply": "stores a YAML file; prints counts (region22: per gemeente)",
    "parse": "reads a bank file, not the database",
    "import": "stores bank files (region22 routes them by account)",
    "nightly": "the night (region22: per gemeente); prints counts",
    "scheduler": "runs nights",
    "worker": "plans and exports batches of a running night; prints counts only",
    "assign": "moves one named credit; the service refuses another gemeente's money",
    "learn": "adds a term to one named income",
    "overdragen": "hands over one named household; the service keeps it in its gemeente",
    "handover": "the same as overdragen",
    "users add": "makes an account (with --gemeente or --regio)",
    "users password": "sets a password",
    "users demo": "the demo's accounts",
    "users demo-code": "a TOTP code",
    "users reset-2fa": "removes a second factor",
    "serve": "the web app, scoped per route (tests/test_gemeente_isolation.py)",
    "privacy dpia-tables": "documentation tables, no data",
}


def _leaves(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _leaves(sub, (*prefix, name))
            return
    yield " ".join(prefix)


def test_every_command_is_classified() -> None:
    found = set(_leaves(build_parser()))
    tables = (set(DATA), set(REGIONAL), set(NO_DATA))
    assert sum(len(t) for t in tables) == len(set().union(*tables)), "in two tables"
    assert found == set().union(*tables), (
        f"new: {sorted(found - set().union(*tables))}; gone: {sorted(set().union(*tables) - found)}"
    )
    build_parser()
    scoped = {name.removeprefix("hhb ") for name in scoped_commands()}
    assert set(DATA) | set(REGIONAL) <= scoped, "a data command without --gemeente"


def _argv(template: list[str], out: Path, side: str) -> list[str]:
    return [part.format(out=out, code=CODES[side]) for part in template]


def _run(
    env: WebEnv,
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[int, str, str]:
    monkeypatch.setenv("HHB_DATABASE_URL", env.db_url)
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _files(out: Path) -> str:
    """The text of every file the command wrote."""
    texts = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data.startswith(b"%PDF"):
            reader = PdfReader(io.BytesIO(data))
            texts.append("\n".join(page.extract_text() or "" for page in reader.pages))
        elif data.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        else:
            texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts)


@pytest.mark.parametrize("command", [*DATA, *REGIONAL])
def test_without_a_gemeente_a_command_refuses_in_one_line(
    two_gemeenten: WebEnv,  # noqa: F811
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    template = DATA.get(command) or REGIONAL[command]
    code, out, err = _run(two_gemeenten, _argv(template, tmp_path, "a"), capsys, monkeypatch)
    assert code == 2, (command, out, err)
    assert len(err.strip().splitlines()) == 1 and "gemeente" in err, err
    assert not out.strip() and not any(tmp_path.rglob("*.*")), (command, out)
    assert not leaks(err, "a") and not leaks(err, "b")


@pytest.mark.parametrize("command", REGIONAL)
def test_a_regional_command_runs_for_every_gemeente_only(
    two_gemeenten: WebEnv,  # noqa: F811
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    argv = _argv(REGIONAL[command], tmp_path, "a")
    code, _, err = _run(two_gemeenten, [*argv, "--gemeente", "a"], capsys, monkeypatch)
    assert code == 2 and "--alle-gemeenten" in err, err
    code, _, err = _run(two_gemeenten, [*argv, "--alle-gemeenten"], capsys, monkeypatch)
    assert code in (0, 1), (command, err)  # 1: reconcile found a difference


@pytest.mark.parametrize("side", ["a", "b"])
@pytest.mark.parametrize("command", DATA)
def test_a_command_for_one_gemeente_shows_nothing_of_the_other(
    two_gemeenten: WebEnv,  # noqa: F811
    command: str,
    side: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    argv = [*_argv(DATA[command], tmp_path, side), "--gemeente", side]
    code, out, err = _run(two_gemeenten, argv, capsys, monkeypatch)
    assert code == 0, (command, err)
    shown = "\n".join((out, err, _files(tmp_path)))
    assert not leaks(shown, other(side)), (command, leaks(shown, other(side)))
    if command != "report":  # figures only; the rest shows the own gemeente's data
        assert leaks(shown, side), (command, "shows nothing of its own gemeente")


@pytest.mark.parametrize("command", ["status", "letters", "export journal", "signals"])
def test_every_gemeente_at_once_shows_both(
    two_gemeenten: WebEnv,  # noqa: F811
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    argv = [*_argv(DATA[command], tmp_path, "a"), "--alle-gemeenten"]
    code, out, err = _run(two_gemeenten, argv, capsys, monkeypatch)
    assert code == 0, err
    shown = "\n".join((out, _files(tmp_path)))
    assert A_CODE in shown and B_CODE in shown, command


def test_another_gemeentes_household_is_refused_by_name(
    two_gemeenten: WebEnv,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for argv in (
        ["status", B_CODE, "--gemeente", "a"],
        ["privacy", "export", B_CODE, "-o", str(tmp_path / "x.zip"), "--gemeente", "a"],
        ["signals", "--household", B_CODE, "--gemeente", "a"],
    ):
        code, out, err = _run(two_gemeenten, argv, capsys, monkeypatch)
        assert code == 2 and "hoort niet bij gemeente a" in err, (argv, err)
        assert not leaks(out, "b")
    assert not (tmp_path / "x.zip").exists()


def test_a_gemeentes_xaf_is_its_own_administration(
    two_gemeenten: WebEnv,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    written = {}
    for side in ("a", "b"):
        target = tmp_path / f"{side}.xaf"
        argv = ["export", "xaf", "--year", "2026", "-o", str(target), "--gemeente", side]
        code, _out, err = _run(two_gemeenten, argv, capsys, monkeypatch)
        assert code == 0, err
        written[side] = target.read_text()
    assert "<companyName>Bstad</companyName>" in written["b"]
    assert "<companyName>Bstad</companyName>" not in written["a"]
    assert "HH-0002" in written["b"] and "HH-0002" not in written["a"]
    assert "HH-0001" in written["a"] and "HH-0001" not in written["b"]


def _report(
    env: WebEnv, scope: list[str], capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
) -> dict[str, Any]:
    argv = ["report", "--month", "2026-03", "--date", DAY, "--json", *scope]
    code, out, err = _run(env, argv, capsys, mp)
    assert code == 0, err
    found: dict[str, Any] = json.loads(out)
    return found


def test_a_gemeentes_dashboard_counts_its_own_households_and_money(
    two_gemeenten: WebEnv,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a = _report(two_gemeenten, ["--gemeente", "a"], capsys, monkeypatch)
    b = _report(two_gemeenten, ["--gemeente", "b"], capsys, monkeypatch)
    every = _report(two_gemeenten, ["--alle-gemeenten"], capsys, monkeypatch)
    assert (a["households"]["active"], b["households"]["active"]) == (2, 1)
    assert every["households"]["active"] == 3
    pool = Decimal(a["pool"]["in_vats_and_reserves"]) + Decimal(b["pool"]["in_vats_and_reserves"])
    assert pool == Decimal(every["pool"]["in_vats_and_reserves"])
    # the unknown money: each gemeente's own (77,77 on each pooled account)
    assert (a["suspense"]["count"], b["suspense"]["count"], every["suspense"]["count"]) == (1, 1, 2)
    # no bank balance against one gemeente's part of the ledger (see docs/privacy.md)
    assert a["pool"]["bank_closing"] is None and b["pool"]["difference"] is None
