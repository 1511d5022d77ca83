"""One `UserError` for what a person can fix, handled in one place: a flash message
and a redirect back. Any other exception raised in a view is a bug and shows the
error page (with the traceback in the log), never a flash message."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from huishoudboekje.services import staff_actions as worklists
from huishoudboekje.services.decisions import ChangeDecision, RequestAnswer
from huishoudboekje.services.errors import NoteError, UnknownSignalError, UserError
from huishoudboekje.services.household_requests import RequestError
from huishoudboekje.services.nightly import AssignmentError
from huishoudboekje.services.rule_changes import FourEyesError
from huishoudboekje.services.rule_editing import HouseholdInvalidError
from huishoudboekje.services.user_accounts import AccountError
from tests.web_fixtures import WebEnv, make_app, web  # noqa: F401

ACKNOWLEDGE = "/medewerker/huishouden/HH-0001/signaal"


def test_every_person_fixable_error_is_a_user_error_and_keeps_its_old_base() -> None:
    for error in (FourEyesError, AccountError, AssignmentError, HouseholdInvalidError, NoteError):
        assert issubclass(error, UserError) and issubclass(error, ValueError)
    assert issubclass(RequestError, UserError) and issubclass(RequestError, ValueError)
    assert issubclass(UnknownSignalError, UserError) and issubclass(UnknownSignalError, LookupError)
    assert not issubclass(UserError, ValueError)  # a bug's ValueError is no UserError


def test_a_bug_in_a_staff_view_gives_the_error_page_not_a_flash(
    web: WebEnv, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("interne details")

    monkeypatch.setattr(worklists, "acknowledge_signal", broken)
    mira = web.client("mira")
    with caplog.at_level(logging.ERROR):
        response = mira.post(ACKNOWLEDGE, data={"key": "k", "note": "Nagebeld"})
    assert response.status_code == 500
    body = response.data.decode()
    assert "Er ging bij ons iets mis" in body and "interne details" not in body
    assert any(record.exc_info for record in caplog.records)
    # nothing was flashed: the next page shows no message about it
    assert "interne details" not in mira.get("/medewerker/huishouden/HH-0001").data.decode()


def test_a_user_error_in_a_staff_view_is_flashed_and_sends_the_person_back(
    web: WebEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    mira = web.client("mira")
    empty = mira.post(ACKNOWLEDGE, data={"key": "k", "note": " "})
    assert empty.status_code == 302
    assert empty.headers["Location"].endswith("/medewerker/huishouden/HH-0001")
    assert "Schrijf een korte notitie" in mira.get(empty.headers["Location"]).data.decode()

    def refused(*_args: object, **_kwargs: object) -> None:
        raise UserError("Dit kan nu niet. Probeer het morgen opnieuw.")

    monkeypatch.setattr(worklists, "acknowledge_signal", refused)
    response = mira.post(ACKNOWLEDGE, data={"key": "k", "note": "Nagebeld", "terug": "werklijst"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/medewerker/werklijsten")
    page = mira.get(response.headers["Location"]).data.decode()
    assert "Dit kan nu niet. Probeer het morgen opnieuw." in page


def test_a_user_error_where_no_view_said_where_back_goes_home(db_url: str) -> None:
    app: Flask = make_app(db_url)

    @app.get("/weigert")
    def refuses() -> str:
        raise UserError("Dat gaat zo niet.")

    response = app.test_client().get("/weigert")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    app.extensions["hhb_engine"].dispose()


def test_form_choices_are_parsed_without_exceptions() -> None:
    assert ChangeDecision.parse("goedkeuren") is ChangeDecision.APPROVE
    assert RequestAnswer.parse("opnieuw") is RequestAnswer.PAY_AGAIN
    assert ChangeDecision.parse("opnieuw") is None
    assert RequestAnswer.parse(None) is None


def test_an_unknown_decision_is_a_bad_request(web: WebEnv) -> None:
    tom = web.client("tom")
    assert tom.post("/medewerker/goedkeuren/1", data={"besluit": "x"}).status_code == 400
    assert tom.post("/medewerker/verzoeken/1", data={"besluit": "x"}).status_code == 400
