"""Removing a household's personal data from every table that holds it (issue 20.3),
and reading everything stored about a household for an inzage (issue 20.4).

Each table that holds text about a household has one step below. A new table with
personal data gets a step here; `tests/test_privacy_purge.py` scans every text
column of every table for the purged household's name, IBAN and address, so a
table without a step fails there. Amounts, dates, kinds, codes and the journal's
structure stay: the pooled account still reconciles after a purge.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, Executable, delete, or_, select, update

from huishoudboekje.adapters.persistence.exit_tables import ExitCheckRow, ExitRow
from huishoudboekje.adapters.persistence.journal import load_journal_entries
from huishoudboekje.adapters.persistence.nightly_tables import (
    BankTransactionRow,
    PaymentInstructionRow,
    SignalRow,
)
from huishoudboekje.adapters.persistence.privacy_tables import ViewLogRow
from huishoudboekje.adapters.persistence.tables import (
    AuditLogRow,
    EngineStateRow,
    JournalEntryRow,
    table_of,
)
from huishoudboekje.adapters.persistence.team_tables import HandoverRow, ProposalRow
from huishoudboekje.adapters.persistence.uow import UnitOfWork
from huishoudboekje.adapters.persistence.web_tables import (
    ChangeRequestRow,
    HouseholdRequestRow,
    InviteRow,
    LoginAttemptRow,
    SignalNoteRow,
    UserRow,
)
from huishoudboekje.domain.retention import ANONYMOUS_NAME

# Journal entries whose description the engine writes from codes and ids only; every
# other kind (a bank description, a remittance text, a returned payment's reason)
# may name people and is replaced.
GENERATED_DESCRIPTION_KINDS = frozenset(
    {
        "instruct_charge",
        "instruct_leefgeld",
        "advance",
        "repayment",
        "reserve",
        "reserve_release",
    }
)
# The engine_state key that records when a household was anonymised.
PURGED_KEY = "privacy_purged"

_TX = table_of(BankTransactionRow)
_INSTRUCTION = table_of(PaymentInstructionRow)
_SIGNAL = table_of(SignalRow)
_ENTRY = table_of(JournalEntryRow)
_AUDIT = table_of(AuditLogRow)
_STATE = table_of(EngineStateRow)
_CHANGE = table_of(ChangeRequestRow)
_REQUEST = table_of(HouseholdRequestRow)
_NOTE = table_of(SignalNoteRow)
_USER = table_of(UserRow)
_INVITE = table_of(InviteRow)
_ATTEMPT = table_of(LoginAttemptRow)
_VIEWS = table_of(ViewLogRow)
_EXIT = table_of(ExitRow)
_EXIT_CHECK = table_of(ExitCheckRow)
_HANDOVER = table_of(HandoverRow)
_PROPOSAL = table_of(ProposalRow)


@dataclass(frozen=True, slots=True)
class PurgeCounts:
    """How many rows of each kind one household's purge changed or removed."""

    transactions: int = 0
    instructions: int = 0
    journal_entries: int = 0
    signals: int = 0
    requests: int = 0
    audit_events: int = 0
    accounts: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts by name, for the purge report and its audit event."""
        return {
            "transactions": self.transactions,
            "instructions": self.instructions,
            "journal_entries": self.journal_entries,
            "signals": self.signals,
            "requests": self.requests,
            "audit_events": self.audit_events,
            "accounts": self.accounts,
        }


def _changed(uow: UnitOfWork, statement: Executable) -> int:
    """Run an UPDATE or DELETE; how many rows it changed."""
    result = uow.session.execute(statement)
    return result.rowcount if isinstance(result, CursorResult) else 0


def _dedupe_keys(meta: Iterable[tuple[str, str]]) -> list[str]:
    return [value for key, value in meta if key == "dedupe_key"]


def purge_household_rows(uow: UnitOfWork, code: str) -> PurgeCounts:
    """Replace or remove the personal data of household `code` in every table but the
    household's own row (the service saves the anonymised household). Not committed."""
    entries = load_journal_entries(uow, household=code)
    keys = sorted({key for entry in entries for key in _dedupe_keys(entry.meta)})
    transactions = _changed(
        uow,
        update(_TX)
        .where(or_(_TX.c.household == code, _TX.c.dedupe_key.in_(keys)))
        .values(
            counterparty_name="",
            counterparty_iban="",
            counterparty_bic="",
            description="",
            structured_reference="",
            match_reasons=None,
        ),
    )
    instructions = _changed(
        uow,
        update(_INSTRUCTION)
        .where(_INSTRUCTION.c.household == code)
        .values(
            payee_name=ANONYMOUS_NAME,
            payee_iban="",
            payee_bic="",
            remittance="",
            structured_reference="",
            reason="",
        ),
    )
    journal = 0
    for entry in entries:
        if entry.kind not in GENERATED_DESCRIPTION_KINDS:
            journal += _changed(
                uow,
                update(_ENTRY)
                .where(_ENTRY.c.entry_id == entry.id)
                .values(description=f"{entry.kind or 'boeking'} ({ANONYMOUS_NAME.lower()})"),
            )
    signals = _changed(
        uow, update(_SIGNAL).where(_SIGNAL.c.household == code).values(message=ANONYMOUS_NAME)
    )
    signals += _changed(uow, update(_NOTE).where(_NOTE.c.household == code).values(note=""))
    requests = _changed(
        uow,
        update(_CHANGE)
        .where(_CHANGE.c.household == code)
        .values(summary=ANONYMOUS_NAME, reasons=[], before=None, after=None, note=""),
    )
    requests += _changed(
        uow, update(_REQUEST).where(_REQUEST.c.household == code).values(reason="", answer="")
    )
    # the exit's reason and the notes on its checklist (issue 19.6)
    requests += _changed(
        uow, update(_EXIT).where(_EXIT.c.household == code).values(reason=ANONYMOUS_NAME)
    )
    requests += _changed(
        uow, update(_EXIT_CHECK).where(_EXIT_CHECK.c.household == code).values(note="")
    )
    # hand-over notes between staff and the changes the household was asked about
    # (issue 19.4 and 19.7): the notes, the reasons and the household data go
    requests += _changed(
        uow, update(_HANDOVER).where(_HANDOVER.c.household == code).values(note="")
    )
    requests += _changed(
        uow,
        update(_PROPOSAL)
        .where(_PROPOSAL.c.household == code)
        .values(lines=[], why=ANONYMOUS_NAME, before={}, after={}, answer_message=""),
    )
    run = uow.session.execute
    users = list(run(select(_USER.c.id, _USER.c.username).where(_USER.c.household == code)))
    names = {str(u.username) for u in users}
    audit = _purge_audit(uow, code, names)
    if names:
        run(delete(_ATTEMPT).where(_ATTEMPT.c.username.in_(sorted(names))))
    for user in users:
        run(delete(_INVITE).where(_INVITE.c.user_id == user.id))
        # the member's user name (often their own name) as who did something
        pseudonym = f"verwijderd-{user.id}"
        run(update(_AUDIT).where(_AUDIT.c.actor == user.username).values(actor=pseudonym))
        run(
            update(_REQUEST)
            .where(_REQUEST.c.created_by == user.username)
            .values(created_by=pseudonym)
        )
        run(
            update(_PROPOSAL)
            .where(_PROPOSAL.c.answered_by == user.username)
            .values(answered_by=pseudonym)
        )
        run(
            update(_USER)
            .where(_USER.c.id == user.id)
            .values(
                username=pseudonym,
                display_name=ANONYMOUS_NAME,
                password_hash=None,
                active=False,
            )
        )
    return PurgeCounts(
        transactions=transactions,
        instructions=instructions,
        journal_entries=journal,
        signals=signals,
        requests=requests,
        audit_events=audit,
        accounts=len(users),
    )


def _audit_about(uow: UnitOfWork, code: str, usernames: set[str]) -> ColumnElement[bool]:
    """The audit events about household `code`: by its code, its accounts, and by the
    ids of its requests, four-eyes changes, bank transactions and signals (whose
    before/after hold a request's reason, a staff member's answer or note)."""
    run = uow.session.execute
    requests = [
        str(i) for i in run(select(_REQUEST.c.id).where(_REQUEST.c.household == code)).scalars()
    ]
    changes = [
        str(i) for i in run(select(_CHANGE.c.id).where(_CHANGE.c.household == code)).scalars()
    ]
    entries = load_journal_entries(uow, household=code)
    keys = {key for entry in entries for key in _dedupe_keys(entry.meta)}
    keys |= {str(k) for k in run(select(_TX.c.dedupe_key).where(_TX.c.household == code)).scalars()}
    # the audit log keeps a signal's key cut to 200 characters
    signals = [
        str(k)[:200]
        for k in run(select(_SIGNAL.c.key).where(_SIGNAL.c.household == code)).scalars()
    ]
    return or_(
        _AUDIT.c.object_id == code,
        _AUDIT.c.object_id.like(f"{code}:%"),
        _AUDIT.c.object_id.like(f"{code}/%"),
        (_AUDIT.c.object_type == "user") & _AUDIT.c.object_id.in_(sorted(usernames)),
        (_AUDIT.c.object_type == "household_request") & _AUDIT.c.object_id.in_(requests),
        (_AUDIT.c.object_type == "change_request") & _AUDIT.c.object_id.in_(changes),
        (_AUDIT.c.object_type == "bank_transaction") & _AUDIT.c.object_id.in_(sorted(keys)),
        (_AUDIT.c.object_type == "signal") & _AUDIT.c.object_id.in_(sorted(set(signals))),
    )


def _purge_audit(uow: UnitOfWork, code: str, usernames: set[str]) -> int:
    """Audit events about the household or its accounts keep who did what and when,
    not the data: their before/after become a marker."""
    about = _audit_about(uow, code, usernames)
    marker = {"geanonimiseerd": True}
    changed = _changed(
        uow,
        update(_AUDIT)
        .where(about, _AUDIT.c.action != "privacy.purge")
        .values(before=marker, after=marker),
    )
    # a household member's user name is often their own name
    uow.session.execute(
        update(_AUDIT)
        .where(_AUDIT.c.object_type == "user", _AUDIT.c.object_id.in_(sorted(usernames)))
        .values(object_id=ANONYMOUS_NAME)
    )
    return changed


def purged_on(uow: UnitOfWork, code: str) -> date | None:
    """The day household `code` was anonymised, or None."""
    value = uow.session.execute(
        select(_STATE.c.value).where(_STATE.c.household == code, _STATE.c.key == PURGED_KEY)
    ).scalar_one_or_none()
    return None if value is None else date.fromisoformat(str(value))


def mark_purged(uow: UnitOfWork, code: str, day: date, at: datetime) -> None:
    """Record that household `code` was anonymised on `day` (not committed)."""
    uow.session.add(
        EngineStateRow(household=code, key=PURGED_KEY, value=day.isoformat(), updated_at=at)
    )


def household_records(uow: UnitOfWork, code: str) -> dict[str, list[dict[str, Any]]]:
    """Every stored row about household `code`, table by table, as plain JSON-safe data
    (password hashes and invite token hashes left out): the inzage export's content."""
    run = uow.session.execute
    entries = load_journal_entries(uow, household=code)
    keys = sorted({key for entry in entries for key in _dedupe_keys(entry.meta)})
    users = [dict(r._mapping) for r in run(select(_USER).where(_USER.c.household == code))]
    names = sorted(str(u["username"]) for u in users)
    user_ids = [u["id"] for u in users]
    about = _audit_about(uow, code, set(names))
    tables: dict[str, list[dict[str, Any]]] = {
        "bank_transactions": _rows(
            run(
                select(_TX)
                .where(or_(_TX.c.household == code, _TX.c.dedupe_key.in_(keys)))
                .order_by(_TX.c.booking_date, _TX.c.id)
            )
        ),
        "payment_instructions": _rows(
            run(
                select(_INSTRUCTION)
                .where(_INSTRUCTION.c.household == code)
                .order_by(_INSTRUCTION.c.execution_date, _INSTRUCTION.c.end_to_end_id)
            )
        ),
        "journal": [
            {
                "id": e.id,
                "day": e.day.isoformat(),
                "kind": e.kind,
                "description": e.description,
                "postings": [
                    {
                        "account": p.account.kind.value,
                        "household": p.account.household,
                        "sub": p.account.sub,
                        "amount": str(p.amount.amount),
                    }
                    for p in e.postings
                ],
            }
            for e in entries
        ],
        "signals": _rows(run(select(_SIGNAL).where(_SIGNAL.c.household == code))),
        "signal_notes": _rows(run(select(_NOTE).where(_NOTE.c.household == code))),
        "change_requests": _rows(
            run(select(_CHANGE).where(_CHANGE.c.household == code).order_by(_CHANGE.c.id))
        ),
        "household_requests": _rows(
            run(select(_REQUEST).where(_REQUEST.c.household == code).order_by(_REQUEST.c.id))
        ),
        "audit_log": _rows(run(select(_AUDIT).where(about).order_by(_AUDIT.c.id))),
        "accounts": [
            {k: v for k, v in _plain(u).items() if k not in ("password_hash", "totp_secret")}
            for u in users
        ],
        "invites": [
            {k: v for k, v in _plain(dict(r._mapping)).items() if k != "token_hash"}
            for r in run(select(_INVITE).where(_INVITE.c.user_id.in_(user_ids)))
        ],
        "engine_state": _rows(run(select(_STATE).where(_STATE.c.household == code))),
        "exit": _rows(run(select(_EXIT).where(_EXIT.c.household == code))),
        "exit_checklist": _rows(run(select(_EXIT_CHECK).where(_EXIT_CHECK.c.household == code))),
        "handovers": _rows(
            run(select(_HANDOVER).where(_HANDOVER.c.household == code).order_by(_HANDOVER.c.id))
        ),
        "proposed_changes": _rows(
            run(select(_PROPOSAL).where(_PROPOSAL.c.household == code).order_by(_PROPOSAL.c.id))
        ),
        # who at the gemeente looked at the household's data (AVG art. 15: recipients)
        "view_log": _rows(
            run(select(_VIEWS).where(_VIEWS.c.household == code).order_by(_VIEWS.c.id))
        ),
    }
    return tables


def _rows(result: Iterable[Any]) -> list[dict[str, Any]]:
    return [_plain(dict(row._mapping)) for row in result]


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe: dates and datetimes as ISO text, amounts as exact strings."""
    return {k: json.loads(json.dumps(v, default=_text)) for k, v in values.items()}


def _text(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)
