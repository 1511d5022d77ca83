"""What staff decide about a four-eyes change or a household's request, as one call.

A form posts its choice as a word ("goedkeuren", "opnieuw"); the entry point turns
it into a `ChangeDecision` or `RequestAnswer` (`parse`, None for any other word)
and hands it here, so which service does what lives in one place and not in a
view. Every function commits through the service it calls; a person-fixable
problem raises a `UserError` (`FourEyesError`, `RequestError`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Self

from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.services.extra_returns import close_returned_request, retry_returned_request
from huishoudboekje.services.household_requests import refuse_request
from huishoudboekje.services.rule_changes import (
    approve_change,
    propose_extra_payment,
    refuse_change,
)


class _Choice(StrEnum):
    @classmethod
    def parse(cls, word: str | None) -> Self | None:
        """The choice a form posted as `word`; None for anything else."""
        return next((choice for choice in cls if choice.value == word), None)


class ChangeDecision(_Choice):
    """A second staff member's decision on a four-eyes change."""

    APPROVE = "goedkeuren"
    REFUSE = "afwijzen"


class RequestAnswer(_Choice):
    """Staff's answer to a household's request, or to one whose payment came back."""

    AGREE = "akkoord"  # then a second staff member approves the payment
    REFUSE = "afwijzen"
    PAY_AGAIN = "opnieuw"  # a returned payment goes out again the next night
    CLOSE = "afsluiten"  # a returned payment stays in the buffer


def decide_change(
    uow: UnitOfWork,
    *,
    request_id: int,
    decision: ChangeDecision,
    decider: str,
    may_approve: bool,
    now: datetime,
    note: str,
) -> None:
    """Approve (the change takes effect) or refuse (nothing changes) a four-eyes change."""
    if decision is ChangeDecision.APPROVE:
        approve_change(
            uow,
            request_id=request_id,
            approver=decider,
            may_approve=may_approve,
            now=now,
            note=note,
        )
    else:
        refuse_change(
            uow, request_id=request_id, decider=decider, may_approve=may_approve, now=now, note=note
        )


def answer_request(
    uow: UnitOfWork,
    *,
    request_id: int,
    answer: RequestAnswer,
    actor: str,
    note: str,
    now: datetime,
    today: date,
) -> None:
    """Do what staff answered to a household's request; `note` is the answer the
    household reads."""
    if answer is RequestAnswer.AGREE:
        propose_extra_payment(uow, actor=actor, request_id=request_id, answer=note, now=now)
    elif answer is RequestAnswer.REFUSE:
        refuse_request(uow, request_id=request_id, actor=actor, answer=note, now=now)
    else:
        handle = (
            retry_returned_request if answer is RequestAnswer.PAY_AGAIN else close_returned_request
        )
        handle(uow, request_id=request_id, actor=actor, note=note, now=now, today=today)
