"""Stage `extras`'s work: approved household requests (verzoeken) become payments.

Runs after `plan` (charges and leefgeld come first) and before `export`, so the
payment goes out in tonight's pain.001. The decision is the pure
`huishoudboekje.domain.extra_payments.decide_extras`; here we only read and write. Per
household one DB transaction stores the instruction, the journal entry
(vat → in flight), the request's new status "betaald" and the audit event
together, so a re-run (or a run after a crash) pays nothing twice. A request
staff approved again after its payment came back is paid as the next attempt
(`extra_end_to_end_id(id, attempt)`), never while an earlier one still stands.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

from huishoudboekje.adapters.persistence.approvals import (
    HouseholdRequest,
    set_household_request_status,
)
from huishoudboekje.adapters.persistence.audit import record_audit
from huishoudboekje.adapters.persistence.instruction_repo import (
    add_instructions,
    extra_instruction_rows,
)
from huishoudboekje.adapters.persistence.journal import append_journal_entries
from huishoudboekje.adapters.persistence.nightly_tables import PaymentInstructionRow
from huishoudboekje.adapters.persistence.planner_memory import load_planner_state
from huishoudboekje.adapters.persistence.signal_repo import close_signal, upsert_signals
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.domain.bankbook import InstructionStatus
from huishoudboekje.domain.extra_payments import ExtraRequest, decide_extras
from huishoudboekje.domain.household import Household
from huishoudboekje.domain.ids import extra_charge_id, request_of_charge_id, waiting_request_key
from huishoudboekje.domain.occurrences import PlanSettings
from huishoudboekje.services.household_requests import PAID, approved_requests
from huishoudboekje.services.night_work import AMSTERDAM, NightWork, StageResult, plain_problem
from huishoudboekje.services.read_model import store_computed
from huishoudboekje.services.region import load_region

ACTOR = "nachtrun"
SIGNAL_SOURCE = "extras"


log = logging.getLogger("hhb.nightly")


@dataclass(frozen=True)
class ExtrasResult(StageResult):
    """Stage `extras`: approved requests, paid tonight, still waiting, households failed."""

    approved: int
    paid: int
    waiting: int
    failed: int


def pay_extra_requests(work: NightWork) -> ExtrasResult:
    """Pay tonight's approved requests where the vat allows; returns counts."""
    with UnitOfWork(work.engine) as uow:
        region = load_region(uow)  # issue 22: each household with its own gemeente's settings
        waiting = approved_requests(uow)
    by_household: dict[str, list[HouseholdRequest]] = defaultdict(list)
    for request in waiting:
        by_household[request.household].append(request)
    households = {h.code: h for h in work.households()}
    counts = {"approved": len(waiting), "paid": 0, "waiting": 0, "failed": 0}
    for code, requests in sorted(by_household.items()):
        household = households.get(code)
        if household is None or not household.is_active_on(work.night):
            counts["waiting"] += len(requests)
            continue
        try:
            paid, held = _pay_household(work, household, requests, region.settings_of(household))
        except Exception as exc:
            log.exception("%s: extra payments of %s failed", work.night, code)
            work.problem(f"{code}: extra betaling mislukt: {plain_problem(exc)}")
            counts["failed"] += 1
            continue
        counts["paid"] += paid
        counts["waiting"] += held
    return ExtrasResult(**counts)


def _approved_on(request: HouseholdRequest, attempt: int) -> ExtraRequest:
    moment = request.handled_at or request.created_at
    return ExtraRequest(
        id=request.id,
        household=request.household,
        kind=request.kind,
        amount=request.amount,
        approved_on=moment.astimezone(AMSTERDAM).date(),
        attempt=attempt,
    )


def _earlier_payments(
    uow: UnitOfWork, requests: list[HouseholdRequest]
) -> dict[int, list[PaymentInstructionRow]]:
    """Each request's stored payments (attempts), oldest first."""
    out: dict[int, list[PaymentInstructionRow]] = defaultdict(list)
    rows = extra_instruction_rows(uow, charge_ids=[extra_charge_id(r.id) for r in requests])
    for row in rows:
        request_id = request_of_charge_id(row.charge_id)
        if request_id is not None:
            out[request_id].append(row)
    return out


def _pay_household(
    work: NightWork,
    household: Household,
    requests: list[HouseholdRequest],
    settings: PlanSettings,
) -> tuple[int, int]:
    """One household in one transaction; returns (paid, waiting)."""
    with UnitOfWork(work.engine) as uow:
        earlier = _earlier_payments(uow, requests)
        fresh: list[ExtraRequest] = []
        for request in requests:
            rows = earlier.get(request.id, [])
            if any(row.status != InstructionStatus.RETURNED for row in rows):
                set_household_request_status(uow, request.id, PAID)  # paid before; repair status
                continue
            # none yet, or every earlier attempt came back and staff approved paying again
            fresh.append(_approved_on(request, attempt=len(rows) + 1))
        state = load_planner_state(uow, household.code)
        decision = decide_extras(household, state, tuple(fresh), work.night, settings)
        append_journal_entries(uow, decision.entries)
        add_instructions(uow, decision.instructions, work.night)
        for instruction, request_id in zip(decision.instructions, decision.paid, strict=True):
            set_household_request_status(uow, request_id, PAID)
            close_signal(uow, waiting_request_key(household.code, request_id), work.night)
            record_audit(
                uow,
                actor=ACTOR,
                action="extra_payment.instruct",
                object_type="household_request",
                object_id=str(request_id),
                before={"status": "goedgekeurd"},
                after={
                    "status": PAID,
                    "end_to_end_id": instruction.end_to_end_id,
                    "amount": str(instruction.amount),
                    "iban": instruction.payee_iban,
                    "execution_date": instruction.execution_date.isoformat(),
                },
                at=work.created_at,
            )
        upsert_signals(uow, decision.signals, work.night, SIGNAL_SOURCE)
        store_computed(uow, [household.code], work.night, settings)  # the read model
        uow.commit()
    return len(decision.paid), len(decision.waiting)
