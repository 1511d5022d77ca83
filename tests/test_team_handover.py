"""Hand-over of a household with a note (issue 19.4): who may, to whom, the note
audit-logged and shown until read, signals and the read model following at once,
and the bulk hand-over of a medewerker who leaves."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from cli.main import main
from huishoudboekje.adapters.persistence import (
    UnitOfWork,
    load_audit_events,
    load_household,
    save_household,
)
from huishoudboekje.adapters.persistence.caseload_repo import has_caseload
from huishoudboekje.adapters.persistence.signal_repo import upsert_signals
from huishoudboekje.adapters.persistence.status_repo import stored_status
from huishoudboekje.adapters.persistence.user_repo import find_user, update_user
from huishoudboekje.domain.signals import Severity, Signal, SignalKind
from huishoudboekje.services.household_handover import (
    HandoverError,
    colleagues_for,
    hand_over,
    hand_over_all,
    latest_handover,
    mark_read,
    unread_codes,
)
from huishoudboekje.services.signal_deadlines import signal_deadlines
from huishoudboekje.services.user_accounts import Role
from tests.web_fixtures import TODAY, WebEnv, web  # noqa: F401

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
NOTE = "Huur is net verhoogd; bel mevrouw op dinsdag, niet op vrijdag."
NOORD, ZUID = "HH-0001", "HH-0002"
# mira and mats work in Team Noord, tom is its teamleider; zoe works in Team Zuid
TEAMS = {"mira": "Team Noord", "mats": "Team Noord", "tom": "Team Noord", "ada": ""}


@pytest.fixture
def teams(web: WebEnv) -> Iterator[WebEnv]:  # noqa: F811
    with UnitOfWork(web.engine) as uow:
        for code, team, worker in ((NOORD, "Team Noord", "mira"), (ZUID, "Team Zuid", "ada")):
            household = load_household(uow, code)
            assert household is not None
            save_household(uow, dataclasses.replace(household, team=team, caseworker=worker))
        for username, team in TEAMS.items():
            user = find_user(uow, username)
            assert user is not None
            update_user(uow, user.id, team=team)
        uow.commit()
    yield web


def test_the_own_medewerker_hands_over_with_a_note(teams: WebEnv) -> None:
    with UnitOfWork(teams.engine) as uow:
        upsert_signals(
            uow,
            [Signal(SignalKind.INCOME_LATE, NOORD, Severity.HIGH, "loon te laat", key="k1")],
            TODAY,
            "event",
        )
        uow.commit()
        assert {s.owner for s in signal_deadlines(uow, TODAY, household=NOORD)} == {"mira"}
        done = hand_over(
            uow, code=NOORD, to_user="mats", note=NOTE, actor="mira", role=Role.MEDEWERKER, now=NOW
        )
    with UnitOfWork(teams.engine) as uow:
        household = load_household(uow, NOORD)
        assert household is not None and household.caseworker == "mats"
        assert household.team == "Team Noord"
        [event] = load_audit_events(uow, action="household.handover")
        assert event.actor == "mira" and event.after["note"] == NOTE
        assert event.before == {"caseworker": "mira", "team": "Team Noord"}
        # open signals follow the household: their owner is now mats
        assert {s.owner for s in signal_deadlines(uow, TODAY, household=NOORD)} == {"mats"}
        # the read model was refreshed in the same transaction
        assert has_caseload(uow, "mats") and not has_caseload(uow, "mira")
        status = stored_status(uow, NOORD)
        assert status is not None and status.report is not None  # fresh, not stale
        assert unread_codes(uow, "mats") == {NOORD} and unread_codes(uow, "mira") == set()
        latest = latest_handover(uow, NOORD)
        assert latest is not None and latest.note == NOTE and latest.from_user == "mira"
        with pytest.raises(HandoverError, match="nieuwe medewerker"):
            mark_read(uow, code=NOORD, handover_id=done.id, actor="mira", now=NOW)
        mark_read(uow, code=NOORD, handover_id=done.id, actor="mats", now=NOW)
        assert unread_codes(uow, "mats") == set()
        assert load_audit_events(uow, action="household.handover_read")[0].actor == "mats"


@pytest.mark.parametrize(
    ("actor", "role", "to_user", "problem"),
    [
        ("mats", Role.MEDEWERKER, "mats", "eigen medewerker"),  # not the household's own
        ("mira", Role.MEDEWERKER, "ada", "ander team"),  # another team: teamleider only
        ("mira", Role.MEDEWERKER, "mira", "al de medewerker"),
        ("mira", Role.MEDEWERKER, "fien", "geen actieve medewerker"),  # sees no data
        ("mira", Role.MEDEWERKER, "nobody", "geen actieve medewerker"),
    ],
)
def test_refusals_change_nothing(
    teams: WebEnv, actor: str, role: Role, to_user: str, problem: str
) -> None:
    with UnitOfWork(teams.engine) as uow, pytest.raises(HandoverError, match=problem):
        hand_over(uow, code=NOORD, to_user=to_user, note=NOTE, actor=actor, role=role, now=NOW)
    with UnitOfWork(teams.engine) as uow:
        household = load_household(uow, NOORD)
        assert household is not None and household.caseworker == "mira"
        assert not load_audit_events(uow, action="household.handover")


def test_a_note_is_required(teams: WebEnv) -> None:
    with UnitOfWork(teams.engine) as uow, pytest.raises(HandoverError, match="notitie"):
        hand_over(
            uow,
            code=NOORD,
            to_user="mats",
            note=" ok ",
            actor="mira",
            role=Role.MEDEWERKER,
            now=NOW,
        )


def test_a_teamleider_moves_a_household_to_another_team(teams: WebEnv) -> None:
    with UnitOfWork(teams.engine) as uow:
        household = load_household(uow, NOORD)
        assert household is not None
        # a medewerker picks from the own team; a teamleider from every team
        assert {c.username for c in colleagues_for(uow, household, Role.MEDEWERKER)} == {
            "mats",
            "tom",
        }
        assert "ada" in {c.username for c in colleagues_for(uow, household, Role.APPROVER)}
        hand_over(
            uow, code=NOORD, to_user="ada", note=NOTE, actor="tom", role=Role.APPROVER, now=NOW
        )
        moved = load_household(uow, NOORD)
    assert moved is not None and (moved.caseworker, moved.team) == ("ada", "")


def test_all_households_of_a_leaver_in_one_go(teams: WebEnv) -> None:
    with UnitOfWork(teams.engine) as uow:
        third = load_household(uow, "HH-0003")
        assert third is not None
        save_household(uow, dataclasses.replace(third, team="Team Noord", caseworker="mira"))
        uow.commit()
        with pytest.raises(HandoverError, match="teamleider"):
            hand_over_all(
                uow,
                from_user="mira",
                to_user="mats",
                note=NOTE,
                actor="mira",
                role=Role.MEDEWERKER,
                now=NOW,
            )
        done = hand_over_all(
            uow,
            from_user="mira",
            to_user="mats",
            note=NOTE,
            actor="tom",
            role=Role.APPROVER,
            now=NOW,
        )
        assert sorted(h.household for h in done) == [NOORD, "HH-0003"]
        assert unread_codes(uow, "mats") == {NOORD, "HH-0003"}
        workers = {load_household(uow, c).caseworker for c in (NOORD, "HH-0003")}  # type: ignore[union-attr]
        assert workers == {"mats"}
        assert len(load_audit_events(uow, action="household.handover")) == 2


def test_the_date_is_kept(teams: WebEnv) -> None:
    with UnitOfWork(teams.engine) as uow:
        done = hand_over(
            uow, code=NOORD, to_user="tom", note=NOTE, actor="mira", role=Role.MEDEWERKER, now=NOW
        )
    assert done.at.date() == date(2026, 3, 4) and done.read_at is None


def test_the_command_line_uses_the_same_service_and_needs_a_note(
    teams: WebEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["overdragen", NOORD, "--aan", "mats", "--database", teams.db_url]
    with pytest.raises(SystemExit):
        main([*base, "--actor", "mira"])  # no --notitie: argparse refuses
    assert main([*base, "--notitie", "kort", "--actor", "mira"]) == 2
    assert "notitie" in capsys.readouterr().err
    assert main([*base, "--notitie", NOTE, "--actor", "mira"]) == 0
    assert "HH-0001: overgedragen van mira aan mats" in capsys.readouterr().out
    with UnitOfWork(teams.engine) as uow:
        household = load_household(uow, NOORD)
        assert household is not None and household.caseworker == "mats"
        [event] = load_audit_events(uow, action="household.handover")
    assert event.actor == "mira" and event.after["note"] == NOTE
    # a medewerker cannot hand over all households of a colleague
    leave = ["overdragen", "--alle-van", "mats", "--aan", "mira", "--notitie", NOTE]
    assert main([*leave, "--actor", "mira", "--database", teams.db_url]) == 2
    assert main([*leave, "--actor", "tom", "--database", teams.db_url]) == 0
