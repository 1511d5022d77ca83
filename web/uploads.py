"""Room for an uploaded signed consent (PDF) on the few routes that take one.

Every other request keeps the app's small `MAX_CONTENT_LENGTH`. These routes accept
twice the configured document maximum (plus room for the form), so a file that is
somewhat too large reaches the service and gets its own clear message
("Het bestand is te groot …") instead of the general 413 page. Installed before the
CSRF check, which reads the form.
"""

from __future__ import annotations

from flask import request

from web import access

UPLOAD_ENDPOINTS = frozenset({"staff.new_household", "staff.record_consent"})
FORM_ROOM = 1024 * 1024


def allow_uploads() -> None:
    """Raise this request's size limit when its route takes a consent document."""
    if request.endpoint in UPLOAD_ENDPOINTS and request.method == "POST":
        request.max_content_length = 2 * access.settings().consent_max_bytes + FORM_ROOM
