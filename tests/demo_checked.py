"""The demo run behind the daily page check (issue 23.4), once per test process.

Every sentence agrees with its data on every demo day:

The demo gemeente (sample_statements/run_demo.py) runs all its nights (1 September to 30
November 2026) in process; after every night, for every household, this test renders
Vandaag, Betaald en gepland, Overzicht and the month overview as the household, the staff
household page as a medewerker, and `hhb status --json` (an in-process CLI call), and
checks the sentences with tests/sentence_checks.py. A failure names the household, the
day, the sentence and the figure. The pure check over a whole year of generated
households is tests/test_consistency_year.py.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import html
import io
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from cli.main import main
from huishoudboekje.adapters.persistence import UnitOfWork, load_households
from huishoudboekje.domain.money import Money
from huishoudboekje.services.households import status_reports
from huishoudboekje.services.user_accounts import Role, create_user
from sample_statements.run_demo import DemoRun, run_demo
from tests.sentence_checks import amounts, check_report_sentences, days
from tests.web_fixtures import FAST_HASHER, PASSWORD, WebEnv, make_app
from web.identity import Argon2Hasher

SENTENCE_BLOCKS = re.compile(
    r'<(?:p|span|li)[^>]*(?:class="(?:why|item-sub|small)"|id="(?:gereserveerd|buffer-vrij|'
    r'buffer-doel|beeindigd|anders-dan-normaal)")[^>]*>(.*?)</(?:p|span|li)>',
    re.S,
)
TAG = re.compile(r"<[^>]+>")


def sentences_of(page: str) -> list[str]:
    out = []
    for block in SENTENCE_BLOCKS.findall(page):
        plain = html.unescape(TAG.sub("", block)).replace("\xa0", " ")
        plain = " ".join(plain.split())
        if plain:
            out.append(plain)
    return out


@dataclass
class Seen:
    problems: list[str] = field(default_factory=list)
    pages: int = 0
    days: int = 0
    ended_days: int = 0


def _scratch() -> Path:
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and shm.stat().st_mode & 0o002 else None
    return Path(tempfile.mkdtemp(prefix="hhb-consistency-", dir=base))


def status_json(db: str, code: str, day: date) -> dict[str, object]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["status", code, "--date", day.isoformat(), "--json", "--database", db]) == 0
    data: dict[str, object] = json.loads(out.getvalue())
    return data


def login(app_client: FlaskClient, username: str) -> FlaskClient:
    response = app_client.post("/inloggen", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.data
    return app_client


def staff_client(app: Flask) -> FlaskClient:
    """Mira, logged in with password and TOTP code at the app's clock: a night is a new
    day, so the staff session of the night before has long run idle."""
    env: WebEnv = app.extensions["hhb_test_env"]
    return env.client("mira")


@functools.cache
def checked_demo() -> tuple[Seen, Flask, str]:
    """Run the demo once per test process with the checks after every night; the app and
    database stay for the example tests (tests/test_sentences_demo.py) until exit."""
    root = _scratch()
    atexit.register(shutil.rmtree, root, True)
    run = DemoRun(root, f"sqlite:///{root / 'hhb.sqlite3'}")
    result = Seen()
    state: dict[str, object] = {}

    def setup() -> None:
        app = make_app(run.database_url)
        engine = app.extensions["hhb_engine"]
        hasher = Argon2Hasher(**FAST_HASHER)
        now = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
        with UnitOfWork(engine) as uow:
            codes = [h.code for h in load_households(uow)]
        with UnitOfWork(engine) as uow:
            for code in codes:
                name = code.lower()
                create_user(
                    uow,
                    hasher,
                    actor="test",
                    username=name,
                    display_name=code,
                    role=Role.HOUSEHOLD,
                    household=code,
                    password=PASSWORD,
                    now=now,
                )
            create_user(
                uow,
                hasher,
                actor="test",
                username="mira",
                display_name="Mira",
                role=Role.MEDEWERKER,
                household=None,
                password=PASSWORD,
                now=now,
                team="Team Noord",  # the demo households are Team Noord's (need-to-know)
            )
        state["app"] = app
        state["codes"] = codes
        state["clients"] = {code: login(app.test_client(), code.lower()) for code in codes}
        app.extensions["hhb_test_env"] = WebEnv(app, engine, run.database_url)

    def after_night(day: date) -> None:
        if "app" not in state:
            setup()
        app = state["app"]
        app.extensions["hhb_settings"] = replace(  # type: ignore[attr-defined]
            app.extensions["hhb_settings"],
            fixed_today=day,  # type: ignore[attr-defined]
        )
        engine = app.extensions["hhb_engine"]  # type: ignore[attr-defined]
        result.days += 1
        reports = {r.household.code: r for r in status_reports(engine, None, day)}
        executions = _executions(engine)
        for code in state["codes"]:  # type: ignore[attr-defined]
            report = reports[code]
            client: FlaskClient = state["clients"][code]  # type: ignore[index]
            pages = {
                "Vandaag": client.get("/vandaag"),
                "Betaald en gepland": client.get("/betaald"),
                "Overzicht": client.get("/overzicht"),
                "maandoverzicht": client.get(f"/overzicht/{day:%Y-%m}"),
                "medewerker": staff_client(app).get(f"/medewerker/huishouden/{code}"),
            }
            data = status_json(run.database_url, code, day)
            result.pages += len(pages) + 1
            for name, response in pages.items():
                assert response.status_code == 200, (code, day, name)
                page = response.get_data(as_text=True)
                said = sentences_of(page)
                for problem in check_report_sentences(report, _about_report(said)):
                    result.problems.append(f"{name}: {problem}")
                result.problems += _payment_rules(code, day, name, said, executions)
                if name == "medewerker" and "Vragen? Bel of mail uw medewerker" in page:
                    result.problems.append(f"{code} on {day}: staff page with the household footer")
                if name == "maandoverzicht":
                    result.problems += _month_dates(code, day, page, executions)
            if report.ended:
                result.ended_days += 1
                leefgeld = data["leefgeld"]
                assert isinstance(leefgeld, dict)
                if leefgeld["rate"] is not None or leefgeld["next"] is not None or data["upcoming"]:
                    result.problems.append(f"{code} on {day}: ended, status {leefgeld}")
                today_page = pages["Vandaag"].get_data(as_text=True)
                if "volgend-leefgeld" in today_page or "Deelname beëindigd op" not in today_page:
                    result.problems.append(f"{code} on {day}: Vandaag does not look ended")
            if Money(str(data["buffer_free"])) + Money(str(data["set_aside"])) != report.state.vat:
                result.problems.append(f"{code} on {day}: buffer_free + set_aside != vat")

    run_demo(run, on_night=after_night)
    app = state["app"]
    atexit.register(app.extensions["hhb_engine"].dispose)  # type: ignore[attr-defined]
    return result, app, run.database_url  # type: ignore[return-value]


PAYMENT_WORDS = ("is betaald", "wordt betaald op", "naar de bank gestuurd", "niet betaald")


def _split(said: list[str]) -> list[str]:
    return [
        part.strip().rstrip(".") + "."
        for block in said
        for part in block.replace("“", "").replace("”", "").split(". ")
        if part.strip()
    ]


def _about_report(said: list[str]) -> list[str]:
    """The sentences built from the status report; a payment's sentence is built from
    the stored payment and checked against it (`_payment_rules`)."""
    return [s for s in _split(said) if not any(w in s for w in PAYMENT_WORDS)]


def _executions(engine: object) -> dict[tuple[str, Money], list[tuple[date, str]]]:
    """Stored payment instructions: (household, amount) -> [(execution date, status)]."""
    out: dict[tuple[str, Money], list[tuple[date, str]]] = {}
    with engine.connect() as conn:  # type: ignore[attr-defined]
        rows = conn.execute(
            text("select household, amount, execution_date, status, kind from payment_instruction")
        )
        for household, amount, execution, status, kind in rows:
            day = execution if isinstance(execution, date) else date.fromisoformat(str(execution))
            cents = Money.cents(int(amount)) if isinstance(amount, int) else Money(str(amount))
            out.setdefault((household, cents), []).append((day, f"{kind}:{status}"))
    return out


def _payment_rules(
    code: str,
    day: date,
    page: str,
    said: list[str],
    executions: dict[tuple[str, Money], list[tuple[date, str]]],
) -> list[str]:
    problems = []
    for sentence in _split(said):
        if any(w in sentence for w in PAYMENT_WORDS):
            for amount in amounts(sentence):
                if (code, amount) not in executions:
                    problems.append(
                        f"{page}: {code} on {day}: {sentence!r}: no payment of {amount}"
                    )
        if "wordt betaald op" in sentence:
            for named in days(sentence, day):
                if named < day:
                    problems.append(f"{page}: {code} on {day}: {sentence!r} names a past day")
        if sentence.endswith("is betaald."):
            for amount in amounts(sentence):
                paid = [when for when, status in executions.get((code, amount), []) if when <= day]
                if not paid:
                    problems.append(
                        f"{page}: {code} on {day}: {sentence!r} but no payment "
                        f"of {amount} executed by then"
                    )
    return problems


MONTH_ROW = re.compile(r"<tr><td>([^<]+)</td><td>leefgeld</td><td class=\"num\">([^<]+)</td></tr>")


def _month_dates(
    code: str, day: date, page: str, executions: dict[tuple[str, Money], list[tuple[date, str]]]
) -> list[str]:
    """Every leefgeld row of the month overview is dated by its execution date."""
    problems = []
    for when, amount in MONTH_ROW.findall(page):
        named = days(html.unescape(when), day)
        money = amounts(html.unescape(amount).replace("\xa0", " "))
        if not named or not money:
            continue
        dates = [
            d for d, status in executions.get((code, money[0]), []) if status.startswith("leefgeld")
        ]
        if named[0] not in dates:
            problems.append(
                f"maandoverzicht: {code} on {day}: leefgeld {money[0]} dated "
                f"{named[0]}, executed on {dates}"
            )
    return problems
