"""What staff change through the web, each change in one unit of work of its own.

Thin doors onto the services that hold the rules (`nightly`, `split_credit`, `staff`,
`night_worklists`, `decisions`, `user_accounts`, `rule_changes`): each opens a unit
of work on the engine, does exactly what one web request did in one transaction
before, and lets the service it calls commit. A `UserError` leaves nothing written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.services.database import on_engine
from huishoudboekje.services.decisions import answer_request, decide_change
from huishoudboekje.services.households import household_exists, stored_gemeente
from huishoudboekje.services.night_worklists import acknowledge_night_signal
from huishoudboekje.services.nightly import (
    assign_credit,
    credit_with_suggestions,
    teach_credit_term,
)
from huishoudboekje.services.rule_changes import Proposal, propose_household
from huishoudboekje.services.rule_editing import check_household
from huishoudboekje.services.split_credit import parse_parts, split_credit
from huishoudboekje.services.staff import acknowledge_signal
from huishoudboekje.services.user_accounts import create_invite

__all__ = [
    "acknowledge_household_signal",
    "acknowledge_stored_signal",
    "answer_household_request",
    "assign_credit",
    "credit_with_suggestions",
    "decide_four_eyes_change",
    "invite_member",
    "parse_parts",
    "propose_household_data",
    "split_credit",
    "teach_credit_term",
]


def acknowledge_household_signal(engine: Engine, *, household: str, **note: Any) -> bool:
    """Close a computed signal of `household` with a note (the keywords of
    `acknowledge_signal`). False, with nothing written, when the household is unknown."""
    with UnitOfWork(engine) as uow:
        if not household_exists(uow, household):
            return False
        acknowledge_signal(uow, household=household, **note)
    return True


# Close a stored signal of the nightly run (`night_worklists.acknowledge_night_signal`).
acknowledge_stored_signal = on_engine(acknowledge_night_signal)


# Approve or refuse a four-eyes change (`decisions.decide_change`).
decide_four_eyes_change = on_engine(decide_change)


# Answer a household's request (`decisions.answer_request`).
answer_household_request = on_engine(answer_request)


def invite_member(engine: Engine, *, household: str, **invite: Any) -> str | None:
    """A one-time link token for a member of `household` (the keywords of
    `create_invite`); None, with nothing written, when the household is unknown."""
    with UnitOfWork(engine) as uow:
        if not household_exists(uow, household):
            return None
        return create_invite(uow, household=household, **invite)


def propose_household_data(engine: Engine, data: dict[str, Any], **proposal: Any) -> Proposal:
    """Check the household `data` against the stored gemeente and propose it (the
    other keywords of `propose_household`): saved at once or held for four-eyes.

    Raises `HouseholdInvalidError` for data the rules refuse, and `FourEyesError`
    (a `UserError`) when the household exists already, or not.
    """
    with UnitOfWork(engine) as uow:
        after = check_household(data, stored_gemeente(uow))
        return propose_household(uow, after=after, **proposal)
