"""`hhb users` and `hhb serve` (the parser; serving itself is covered by the browser tests)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cli.main import build_parser, main
from huishoudboekje.adapters.persistence import UnitOfWork, load_audit_events, open_database
from huishoudboekje.adapters.persistence.user_repo import find_user

DEMO = Path(__file__).resolve().parent / "samples" / "voorbeeldstad_basis.yaml"


def test_users_add_list_password_and_demo(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "apply", str(DEMO), "--database", db_url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("een-lang-wachtwoord\n"))
    args = [
        "users",
        "--database",
        db_url,
        "add",
        "anna",
        "--role",
        "medewerker",
        "--password-stdin",
    ]
    assert main(args) == 0
    # a household account needs an existing household
    bad = ["users", "--database", db_url, "add", "x", "--role", "household", "--household", "HH-9"]
    assert main([*bad, "--no-password"]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert main(["users", "--database", db_url, "password", "anna", "--password-stdin"]) == 2
    assert main(["users", "--database", db_url, "demo"]) == 0
    assert main(["users", "--database", db_url, "demo"]) == 0  # idempotent
    out = capsys.readouterr().out
    assert "jansen" in out and "teamleider" in out and "wachtwoord" in out
    assert main(["users", "--database", db_url, "list"]) == 0
    listing = capsys.readouterr().out
    assert listing.count("\n") == 4 and "anna" in listing
    engine = open_database(db_url)
    with UnitOfWork(engine) as uow:
        user = find_user(uow, "anna")
        created = load_audit_events(uow, action="user.create")
    engine.dispose()
    assert user is not None and user.role == "medewerker"
    assert [e.object_id for e in created] == ["anna", "jansen", "medewerker", "teamleider"]


def test_serve_is_a_command() -> None:
    args = build_parser().parse_args(["serve", "--port", "8123"])
    assert args.port == 8123 and args.host == "127.0.0.1"
