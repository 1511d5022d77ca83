"""The household is asked (issue 19.7): a staff change to a household's own fixed
charges or leefgeld becomes a voorgestelde wijziging that takes effect only when
the household agreed (and a teamleider approved where four-eyes applies), unless
staff mark it urgent; "eerst contact" opens a signal with a deadline; a household
by post answers through staff; a proposal whose household changed since is stale."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from huishoudboekje.adapters.persistence import UnitOfWork, load_audit_events, load_household
from huishoudboekje.adapters.persistence.signal_repo import signal_rows
from huishoudboekje.domain.charge_windows import Pause
from huishoudboekje.domain.household import Cadence, Household
from huishoudboekje.domain.household_consent import consent_changes
from huishoudboekje.domain.money import Money
from huishoudboekje.services.household_proposals import (
    ConsentAsk,
    ProposalError,
    answer_proposal,
    proposals_of,
    withdraw_proposal,
)
from huishoudboekje.services.rule_changes import approve_change, propose_household
from huishoudboekje.services.signal_deadlines import signal_deadlines
from tests.web_fixtures import TODAY, WebEnv, web  # noqa: F401

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
CODE = "HH-0001"
WHY = "De woningcorporatie heeft de huur per 1 april verhoogd."


def _household(env: WebEnv) -> Household:
    with UnitOfWork(env.engine) as uow:
        household = load_household(uow, CODE)
    assert household is not None
    return household


def _rent(household: Household, amount: str) -> Household:
    charges = tuple(
        dataclasses.replace(c, amount=Money(amount)) if c.id == "huur" else c
        for c in household.charges
    )
    return dataclasses.replace(household, charges=charges)


def _propose(env: WebEnv, after: Household, ask: ConsentAsk | None = None, actor: str = "mira"):  # type: ignore[no-untyped-def]
    with UnitOfWork(env.engine) as uow:
        return propose_household(
            uow,
            actor=actor,
            after=after,
            now=NOW,
            summary="huur",
            ask=ask or ConsentAsk(WHY),
            today=TODAY,
        )


def _answer(env: WebEnv, pid: int, answer: str, via: str = "online", message: str = "") -> str:
    with UnitOfWork(env.engine) as uow:
        return answer_proposal(
            uow,
            household=CODE,
            proposal_id=pid,
            answer=answer,
            via=via,
            by="jansen",
            message=message,
            now=NOW,
            today=TODAY,
        )


def test_what_the_household_reads() -> None:
    before = dataclasses.replace(Household("X", "X", "NL91ABNA0417164300"))
    assert consent_changes(before, before, TODAY) == []
    after = dataclasses.replace(
        before,
        leefgeld=dataclasses.replace(before.leefgeld, cadence=Cadence.WEEKLY, weekday="monday"),
    )
    [change] = consent_changes(before, after, TODAY)
    assert change.text == (
        "U krijgt uw leefgeld voortaan elke week op maandag (was elke week op vrijdag)."
    )


def test_a_small_rent_change_waits_for_the_household_then_applies(web: WebEnv) -> None:  # noqa: F811
    before = _household(web)
    proposal = _propose(web, _rent(before, "745.40"))  # € 20 more: no four-eyes
    assert proposal.asked and not proposal.applied and proposal.change_request is None
    assert _household(web) == before  # nothing changed yet
    with UnitOfWork(web.engine) as uow:
        [stored] = proposals_of(uow, CODE)
    assert stored.status == "voorgesteld" and stored.why == WHY
    assert stored.lines == (
        "Wij betalen uw huur aan Woonstichting Voorbeeld voortaan € 745,40 (was € 725,40).",
    )
    assert _answer(web, stored.id, "akkoord") == "toegepast"
    rent = next(c for c in _household(web).charges if c.id == "huur")
    assert rent.amount == Money("745.40")
    with UnitOfWork(web.engine) as uow:
        [agreed] = load_audit_events(uow, action="household.proposal_akkoord")
        [update] = load_audit_events(uow, action="household.update")
        assert agreed.actor == "jansen" and agreed.after["via"] == "online"
        assert update.actor == "mira"
        with pytest.raises(ProposalError, match="al geantwoord"):
            answer_proposal(
                uow,
                household=CODE,
                proposal_id=stored.id,
                answer="akkoord",
                via="online",
                by="jansen",
                message="",
                now=NOW,
                today=TODAY,
            )


def test_contact_first_opens_a_signal_with_a_deadline(web: WebEnv) -> None:  # noqa: F811
    _propose(web, _rent(_household(web), "745.40"))
    with UnitOfWork(web.engine) as uow:
        [stored] = proposals_of(uow, CODE)
    assert _answer(web, stored.id, "contact", message="Ik snap het bedrag niet") == "contact"
    with UnitOfWork(web.engine) as uow:
        [signal] = [s for s in signal_deadlines(uow, TODAY) if s.kind == "contact_gevraagd"]
    assert "Ik snap het bedrag niet" in signal.message
    assert signal.due == date(2026, 3, 6)  # two working days after Wednesday 4 March
    # after the talk the household still agrees, and the signal closes
    assert _answer(web, stored.id, "akkoord") == "toegepast"
    with UnitOfWork(web.engine) as uow:
        assert [
            r.status for r in signal_rows(uow, status=None) if r.kind == "contact_gevraagd"
        ] == ["closed"]


def test_four_eyes_and_the_household_both_needed(web: WebEnv) -> None:  # noqa: F811
    before = _household(web)
    proposal = _propose(web, _rent(before, "825.40"))  # € 100 more: four-eyes too
    assert proposal.asked and proposal.change_request is not None
    assert proposal.change_request.kind == "household.consent"
    with UnitOfWork(web.engine) as uow:
        approve_change(
            uow,
            request_id=proposal.change_request.id,
            approver="tom",
            may_approve=True,
            now=NOW,
            note="",
        )
    assert _household(web) == before  # approved, but the household has not answered
    with UnitOfWork(web.engine) as uow:
        [stored] = proposals_of(uow, CODE)
    assert stored.approved_by == "tom"
    assert _answer(web, stored.id, "akkoord") == "toegepast"
    assert next(c for c in _household(web).charges if c.id == "huur").amount == Money("825.40")


def test_agreed_first_then_approved(web: WebEnv) -> None:  # noqa: F811
    proposal = _propose(web, _rent(_household(web), "825.40"))
    assert proposal.change_request is not None
    with UnitOfWork(web.engine) as uow:
        [stored] = proposals_of(uow, CODE)
    assert _answer(web, stored.id, "akkoord") == "akkoord"  # waits for the teamleider
    with UnitOfWork(web.engine) as uow:
        approve_change(
            uow,
            request_id=proposal.change_request.id,
            approver="tom",
            may_approve=True,
            now=NOW,
            note="",
        )
        [stored] = proposals_of(uow, CODE)
    assert stored.status == "toegepast"
    assert next(c for c in _household(web).charges if c.id == "huur").amount == Money("825.40")


def test_urgent_takes_effect_at_once_and_says_why(web: WebEnv) -> None:  # noqa: F811
    with pytest.raises(ProposalError, match="spoed"):
        _propose(web, _rent(_household(web), "745.40"), ConsentAsk(urgent=True))
    proposal = _propose(
        web, _rent(_household(web), "745.40"), ConsentAsk(urgent=True, urgent_reason="Huurschuld")
    )
    assert proposal.applied and not proposal.asked
    assert next(c for c in _household(web).charges if c.id == "huur").amount == Money("745.40")
    with UnitOfWork(web.engine) as uow:
        [stored] = proposals_of(uow, CODE)
    assert stored.status == "spoed" and stored.why == "Huurschuld" and stored.applied_at


def test_a_why_is_required_and_nothing_is_stored_without(web: WebEnv) -> None:  # noqa: F811
    with pytest.raises(ProposalError, match="waarom"):
        _propose(web, _rent(_household(web), "745.40"), ConsentAsk(""))
    with UnitOfWork(web.engine) as uow:
        assert proposals_of(uow, CODE) == []


def test_changes_the_household_is_not_asked_about_apply_as_before(web: WebEnv) -> None:  # noqa: F811
    before = _household(web)
    after = dataclasses.replace(before, members=before.members + 1)
    proposal = _propose(web, after, ConsentAsk(""))
    assert proposal.applied and not proposal.asked


def test_a_post_household_answers_through_staff(web: WebEnv) -> None:  # noqa: F811
    paused = _household(web)
    rent = next(c for c in paused.charges if c.id == "energie")
    pause = Pause(date(2026, 4, 1), date(2026, 5, 31))
    charges = tuple(
        dataclasses.replace(c, pause=(pause,)) if c.id == rent.id else c for c in paused.charges
    )
    _propose(web, dataclasses.replace(paused, charges=charges))
    with UnitOfWork(web.engine) as uow:
        [stored] = proposals_of(uow, CODE)
        assert stored.from_day == date(2026, 4, 1)
        assert stored.lines == (
            "Wij betalen uw energie aan Stroom en Gas Noord niet van 1 april 2026 tot en met "
            "31 mei 2026.",
        )
        status = answer_proposal(
            uow,
            household=CODE,
            proposal_id=stored.id,
            answer="akkoord",
            via="telefonisch",
            by="mira",
            message="Mevrouw belde, akkoord",
            now=NOW,
            today=TODAY,
        )
        [event] = load_audit_events(uow, action="household.proposal_akkoord")
        assert status == "akkoord"  # a pause needs a teamleider too (four-eyes)
        assert stored.change_request is not None
        approve_change(
            uow,
            request_id=stored.change_request,
            approver="tom",
            may_approve=True,
            now=NOW,
            note="",
        )
    assert event.actor == "mira" and event.after["via"] == "telefonisch"
    assert next(c for c in _household(web).charges if c.id == "energie").pause == (pause,)


def test_a_stale_proposal_is_never_applied(web: WebEnv) -> None:  # noqa: F811
    before = _household(web)
    _propose(web, _rent(before, "745.40"))
    # meanwhile staff change something else (urgent)
    other = _propose(web, _rent(before, "730.40"), ConsentAsk(urgent=True, urgent_reason="fout"))
    assert other.applied
    with UnitOfWork(web.engine) as uow:
        first = next(p for p in proposals_of(uow, CODE) if p.status == "voorgesteld")
    with pytest.raises(ProposalError, match="niet meer actueel"):
        _answer(web, first.id, "akkoord")
    assert next(c for c in _household(web).charges if c.id == "huur").amount == Money("730.40")
    with UnitOfWork(web.engine) as uow:
        assert [p.status for p in proposals_of(uow, CODE)] == ["spoed", "verouderd"]


def test_another_household_cannot_answer_and_staff_can_withdraw(web: WebEnv) -> None:  # noqa: F811
    _propose(web, _rent(_household(web), "745.40"))
    with UnitOfWork(web.engine) as uow:
        [stored] = proposals_of(uow, CODE)
        with pytest.raises(ProposalError, match="bestaat niet"):
            answer_proposal(
                uow,
                household="HH-0002",
                proposal_id=stored.id,
                answer="akkoord",
                via="online",
                by="devries",
                message="",
                now=NOW,
                today=TODAY,
            )
        withdraw_proposal(uow, household=CODE, proposal_id=stored.id, actor="mira", now=NOW)
        [stored] = proposals_of(uow, CODE)
    assert stored.status == "ingetrokken"


def test_a_gemeente_that_does_not_ask_applies_at_once(web: WebEnv) -> None:  # noqa: F811
    with UnitOfWork(web.engine) as uow:
        proposal = propose_household(
            uow, actor="mira", after=_rent(_household(web), "745.40"), now=NOW, summary="huur"
        )
        assert proposal.applied and not proposal.asked and proposals_of(uow, CODE) == []
