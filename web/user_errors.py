"""Errors a person can fix (`UserError`), handled in one place for the whole app.

A view that calls a service which may refuse what was asked (four-eyes, a request,
an account, an assignment, a note) first says where the person goes back to
(`back_to`). When the service raises a `UserError`, the handler installed here
flashes its Dutch message and redirects there; the view's unit of work has rolled
back on the way out, so nothing half-done is kept. Any other exception is a bug:
it reaches the error page of `web.security`, which logs the traceback.
"""

from __future__ import annotations

from flask import Flask, flash, g, redirect, url_for
from werkzeug.wrappers import Response as BaseResponse

from huishoudboekje.services.errors import UserError

_BACK = "hhb_user_error_back"


def back_to(url: str, wording: str = "{}") -> None:
    """Where a `UserError` raised later in this request sends the person, and how its
    message is worded (`wording` with `{}` for the error's own text)."""
    setattr(g, _BACK, (url, wording))


def _handle(exc: UserError) -> BaseResponse:
    # a view that did not say where to go back to sends the person home
    url, wording = g.get(_BACK) or (url_for("auth.index"), "{}")
    flash(wording.format(exc), exc.category)
    return redirect(url)


def install(app: Flask) -> None:
    """Handle every `UserError` of every view with a flash message and a redirect."""
    app.register_error_handler(UserError, _handle)
