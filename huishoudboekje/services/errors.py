"""Errors a person can fix: one base class, so every entry point handles them alike.

A `UserError` carries a Dutch message in plain words (B1) that says what to do
next ("Schrijf een korte notitie", "Dit verzoek is al behandeld"). The web shows
it as a flash message and sends the person back; the CLI prints it. Any other
exception is a bug: the web shows its error page and logs the traceback.

The subclasses of the services (`FourEyesError`, `RequestError`, `AccountError`,
`AssignmentError`, `HouseholdInvalidError`) also keep their old base
(`ValueError`), so code that caught them by that name still does.
"""

from __future__ import annotations

MAX_NOTE = 2000  # characters in a note staff leave on a signal


class UserError(Exception):
    """Something a person asked that cannot be done as asked; the message says why
    in plain Dutch. `category` is how the web marks it (a flash category) and
    `status` the HTTP status a page showing it would have."""

    category = "fout"
    status = 400


class NoteError(UserError, ValueError):
    """A note on a signal that is empty or too long."""


class UnknownSignalError(UserError, LookupError):
    """A signal that does not exist (any more)."""


def checked_note(note: str) -> str:
    """The note without surrounding spaces; `NoteError` when it is empty or longer
    than `MAX_NOTE` characters (staff always say what they did about a signal)."""
    note = note.strip()
    if not note:
        raise NoteError("Schrijf een korte notitie: wat is er gedaan?")
    if len(note) > MAX_NOTE:
        raise NoteError(f"Gebruik hoogstens {MAX_NOTE} tekens.")
    return note
