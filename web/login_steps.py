"""A login that is half done: the password was right, the second factor is next.

Between the two steps the session holds only `pending_login` (the account's id,
when the password was given, where to go after); it is no login: `access` sees
no subject. It lasts `PENDING_TTL`; the page of the second step starts the real
session (`sessions.start`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import redirect, session, url_for
from werkzeug.wrappers import Response

from web import access
from web.identity import SecondStep

PENDING = "pending_login"
PENDING_TTL = timedelta(minutes=5)


def await_second_factor(user_id: int, step: SecondStep, target: str | None) -> Response:
    """Remember the right password and send the person to the second step."""
    session.clear()
    session[PENDING] = {
        "user": user_id,
        "at": access.settings().now().timestamp(),
        "next": target or "",
    }
    endpoint = "auth.second_factor" if step is SecondStep.CODE else "auth.enrol"
    return redirect(url_for(endpoint))


def pending() -> dict[str, Any] | None:
    """The half-done login, if there is one and it is not too old."""
    state = session.get(PENDING)
    if not isinstance(state, dict) or not isinstance(state.get("user"), int):
        return None
    age = access.settings().now().timestamp() - float(state.get("at", 0))
    if not 0 <= age <= PENDING_TTL.total_seconds():
        session.pop(PENDING, None)
        return None
    return state
