"""Latency of the household page "Vandaag" and the staff caseload with many
households, against a trivial endpoint (issue 24: pages read the read model).

Builds a database (a temporary SQLite file, or --database, e.g. PostgreSQL) with
the demo gemeente plus extra households up to each of `--households` (a comma list,
default 10 000; the database grows from one size to the next), stores the statuses
as a night leaves them (the demo households' computed by `services.read_model`, the
extra households' rows copied from HH-0001's with their own code, name, caseworker,
team, signals and buffer days), logs in as the demo household and as a medewerker
and times `--requests` requests (default 300) on `--today` (default 2026-03-04) of

* baseline: `/bench/ping`, a trivial view added to the same app (same session,
  identity lookup, security headers and error handling);
* `/vandaag`: the real page, viewed again (a reload);
* `/vandaag first view`: the same page with every per-process cache dropped before
  each request (`domain.kept`), as for a household's first view after a night;
* `/vandaag computed`: for comparison, the page with no stored status for today
  (planned inside the request, as before the read model);
* `/medewerker/ (caseload)`: the staff caseload, all households, by urgency, page 1;
* `/medewerker/ by name, page 100`: a deep page (OFFSET 4 950; for information).

Requests go through the WSGI app in-process (Flask's test client), so the network
is not measured. Goals (issue 24): p95 of /vandaag, first view and viewed again,
≤ 2 × p95 of the trivial endpoint; p95 of the caseload ≤ 5 × the trivial endpoint,
and the caseload's p95 at the largest size within 1.5 × of that at the smallest.

`--history` first books HH-0001's nights from its start up to the day before
`--today` (simulated incomes as expected, as the web tests do), e.g. `--today
2026-11-30 --history` for the last demo day with three months of journal behind it.

    python bench/web_latency.py [--households N[,N...]] [--requests N] [--database URL]
                                [--today YYYY-MM-DD] [--history] [--json]

--json includes the uniform "summary" rows that bench/report.py collects.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, update  # noqa: E402

from bench.staff_login import staff_client  # noqa: E402
from huishoudboekje.adapters.config import load_config  # noqa: E402
from huishoudboekje.adapters.persistence import (  # noqa: E402
    UnitOfWork,
    household_codes,
    load_household,
    open_database,
)
from huishoudboekje.adapters.persistence.status_repo import (  # noqa: E402
    NO_DAYS,
    SEARCH,
    STATUS,
    search_tokens,
)
from huishoudboekje.adapters.persistence.tables import HouseholdRow, table_of  # noqa: E402
from huishoudboekje.adapters.persistence.user_repo import list_users  # noqa: E402
from huishoudboekje.domain.kept import forget_kept_results  # noqa: E402
from huishoudboekje.services.configuration import apply_config  # noqa: E402
from huishoudboekje.services.read_model import store_computed  # noqa: E402
from huishoudboekje.services.user_accounts import Role, create_user  # noqa: E402
from tests.web_fixtures import seed_history  # noqa: E402
from web import create_app  # noqa: E402
from web.identity import Argon2Hasher  # noqa: E402

DEMO = ROOT / "sample_statements" / "voorbeeldstad.yaml"
PASSWORD = "bench-wachtwoord-2026"
FAST = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
TODAY = date(2026, 3, 4)
PING = "/bench/ping"
VANDAAG = "/vandaag"
FIRST_VIEW = "/vandaag first view"
COMPUTED = "/vandaag computed"
CASELOAD = "/medewerker/ (caseload)"
DEEP = "/medewerker/ by name, page 100"
HOUSEHOLD_PAGES = {PING: PING, VANDAAG: VANDAAG, FIRST_VIEW: VANDAAG, COMPUTED: VANDAAG}
STAFF_PAGES = {
    CASELOAD: "/medewerker/?wie=alle",
    DEEP: "/medewerker/?wie=alle&sorteer=naam&pagina=100",
}
VANDAAG_GOAL = 2  # × trivial endpoint, first view and viewed again
CASELOAD_GOAL = 5  # × trivial endpoint
SIZE_SLACK = 1.5  # caseload p95 at the largest size / at the smallest
CHUNK = 2_000
SURNAMES = ("Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder")
STAFF = ("mira", "mats", "bench-medewerker", "sara", "joost")


def build(url: str, households: int) -> int:
    """The demo config, extra households up to `households` (bulk: the caseload's
    cost is the question here, not how they got there) and two logins. Idempotent:
    a second call with a larger number adds the difference. Returns how many extra
    households the database holds."""
    engine = open_database(url)
    now = datetime.now(UTC)
    table = table_of(HouseholdRow)
    with UnitOfWork(engine) as uow:
        if load_household(uow, "HH-0001") is None:
            apply_config(uow, load_config(DEMO), actor="bench")
        template = dict(uow.read(select(table).where(table.c.code == "HH-0001")).mappings().one())
        have = uow.read(select(func.count()).where(table.c.code.like("HB-%"))).scalar() or 0
        rng = random.Random(households)
        for start in range(have, households, CHUNK):
            rows = []
            for number in range(start, min(start + CHUNK, households)):
                code = f"HB-{number:06d}"
                name = f"{rng.choice(SURNAMES)} {number}"
                worker = rng.choice(STAFF)
                rows.append(
                    {**template, "code": code, "name": name, "caseworker": worker, "team": "Noord"}
                )
            uow.session.execute(insert(table), rows)
            words = [
                {"token": token, "household": row["code"]}
                for row in rows
                for token in search_tokens(row["code"], row["name"])
            ]
            uow.session.execute(insert(SEARCH), words)
            uow.commit()
        if not list_users(uow, household="HH-0001"):
            hasher = Argon2Hasher(**FAST)
            for username, role, household in (
                ("bench-huishouden", Role.HOUSEHOLD, "HH-0001"),
                ("bench-medewerker", Role.MEDEWERKER, None),
            ):
                create_user(
                    uow,
                    hasher,
                    actor="bench",
                    username=username,
                    display_name="Bench",
                    role=role,
                    household=household,
                    password=PASSWORD,
                    now=now,
                    team="" if household else "Noord",
                )
    engine.dispose()
    return households


def store_statuses(url: str, today: date, households: int) -> None:
    """The read model as a night on `today` leaves it: the demo households' statuses
    computed and stored by `services.read_model`; each extra household a copy of
    HH-0001's row with its own code, name, caseworker, team and ranks (a fifth with
    a signal, buffer days spread), written in bulk."""
    engine = open_database(url)
    with UnitOfWork(engine) as uow:
        demo = [c for c in household_codes(uow) if not c.startswith("HB-")]
        store_computed(uow, demo, today)
        uow.commit()
    with UnitOfWork(engine) as uow:
        row = dict(uow.read(select(STATUS).where(STATUS.c.household == "HH-0001")).mappings().one())
        table = table_of(HouseholdRow)
        extra = uow.read(
            select(table.c.code, table.c.name, table.c.caseworker, table.c.team)
            .where(table.c.code.like("HB-%"))
            .order_by(table.c.code)
        ).all()
        stored = set(
            uow.read(select(STATUS.c.household).where(STATUS.c.household.like("HB-%"))).scalars()
        )
        rng = random.Random(7)
        signal = [{"key": "x", "kind": "buffer_laag", "severity": "warning", "message": "laag"}]
        for start in range(0, len(extra), CHUNK):
            rows = []
            for code, name, caseworker, team in extra[start : start + CHUNK]:
                if code in stored:
                    continue
                days = rng.choice((None, *range(0, 400, 3)))
                flagged = rng.random() < 0.2
                rows.append(
                    {
                        **row,
                        "household": code,
                        "name": name,
                        "caseworker": caseworker,
                        "team": team,
                        "buffer_days": days,
                        "buffer_rank": NO_DAYS if days is None else days,
                        "urgency_rank": 1 if flagged else 3,
                        "signal_count": 1 if flagged else 0,
                        "signals": json.dumps(
                            [{**signal[0], "key": f"{code}:x"}] if flagged else []
                        ),
                    }
                )
            if rows:
                uow.session.execute(insert(STATUS), rows)
            uow.commit()
    engine.dispose()


def book_history(url: str, code: str, today: date) -> int:
    """Book the household's nights from its start up to the day before `today`
    (incomes arrive as expected), as the web tests do. Returns the number of entries."""
    engine = open_database(url)
    try:
        with UnitOfWork(engine) as uow:
            household = load_household(uow, code)
        assert household is not None
        last = today - timedelta(days=1)
        if last < household.start:
            return 0
        return seed_history(engine, code, household.start, last)
    finally:
        engine.dispose()


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` (0.95 for p95) of the sorted values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _time(
    get: Callable[[str], Any], path: str, requests: int, before: Callable[[], None] | None
) -> dict[str, float]:
    for _ in range(10):  # warm up
        get(path)
    times = []
    for _ in range(requests):
        if before is not None:
            before()
        start = time.perf_counter()
        response = get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
    }


def _stale(engine: Any, stale: bool) -> None:
    """Mark HH-0001's stored status stale (the page then plans) or fresh again."""
    with UnitOfWork(engine) as uow:
        version = uow.read(select(STATUS.c.version).where(STATUS.c.household == "HH-0002"))
        uow.session.execute(
            update(STATUS)
            .where(STATUS.c.household == "HH-0001")
            .values(version=0 if stale else version.scalar())
        )
        uow.commit()


def measure(url: str, requests: int, today: date = TODAY) -> dict[str, Any]:
    """Time `requests` requests of each page against the database at `url`."""
    app = create_app(
        {
            "HHB_DATABASE_URL": url,
            "HHB_SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "HHB_ARGON2": FAST,
            "HHB_TODAY": today.isoformat(),
        }
    )

    @app.get(PING)
    def ping() -> str:
        return "ok"

    engine = app.extensions["hhb_engine"]
    results: dict[str, Any] = {}
    household = app.test_client()
    response = household.post(
        "/inloggen", data={"username": "bench-huishouden", "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    for name, path in HOUSEHOLD_PAGES.items():
        if name == COMPUTED:
            _stale(engine, True)
        before = forget_kept_results if name in (FIRST_VIEW, COMPUTED) else None
        results[name] = _time(household.get, path, requests, before)
        if name == COMPUTED:
            _stale(engine, False)
    staff = staff_client(app, "bench-medewerker", PASSWORD)
    for name, path in STAFF_PAGES.items():
        results[name] = _time(staff.get, path, requests, None)
    engine.dispose()
    trivial = results[PING]["p95_ms"]
    for name in (VANDAAG, FIRST_VIEW, COMPUTED, CASELOAD, DEEP):
        results[name]["p95_ratio"] = round(results[name]["p95_ms"] / trivial, 2)
    return results


def summary(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The uniform rows for bench/report.py's table (see docs/benchmarks.md)."""
    rows = []
    runs = results["runs"]
    for run in runs:
        size = f"{run['households']} households ({results['backend']})"
        ping = run[PING]["p95_ms"]
        for name, goal in (
            (VANDAAG, VANDAAG_GOAL),
            (FIRST_VIEW, VANDAAG_GOAL),
            (CASELOAD, CASELOAD_GOAL),
        ):
            rows.append(
                {
                    "metric": f"{name} p95 latency, {size}",
                    "figure": run[name]["p95_ms"],
                    "baseline": ping,
                    "baseline_label": "trivial endpoint",
                    "ratio": run[name]["p95_ratio"],
                    "unit": "ms",
                    "goal": f"≤ {goal}× baseline",
                    "met": run[name]["p95_ratio"] <= goal,
                }
            )
        rows.append(
            {
                "metric": f"{COMPUTED} p95 latency (no stored status), {size}",
                "figure": run[COMPUTED]["p95_ms"],
                "baseline": ping,
                "baseline_label": "trivial endpoint",
                "ratio": run[COMPUTED]["p95_ratio"],
                "unit": "ms",
                "goal": "(for information: as before the read model)",
                "met": None,
            }
        )
    if len(runs) > 1:
        first, last = runs[0], runs[-1]
        growth = last[CASELOAD]["p95_ms"] / first[CASELOAD]["p95_ms"]
        rows.append(
            {
                "metric": f"caseload p95 at {last['households']} vs {first['households']}",
                "figure": last[CASELOAD]["p95_ms"],
                "baseline": first[CASELOAD]["p95_ms"],
                "baseline_label": f"at {first['households']}",
                "ratio": round(growth, 2),
                "unit": "ms",
                "goal": f"≤ {SIZE_SLACK}× (independent of size)",
                "met": growth <= SIZE_SLACK,
            }
        )
    return rows


def markdown(results: dict[str, Any]) -> str:
    """A --json result as Markdown (used by bench/report.py)."""
    lines = [
        f"Database: {results['backend']}; requests in-process via Flask's test client; "
        f"today {results.get('today', TODAY.isoformat())}; journal entries of the logged-in "
        f"household: {results.get('journal_entries', 0)}.",
        "",
        "| households | endpoint | p50 ms | p95 ms | p95 × trivial |",
        "|---:|---|---:|---:|---:|",
    ]
    for run in results["runs"]:
        for name in (*HOUSEHOLD_PAGES, *STAFF_PAGES):
            r = run[name]
            lines.append(
                f"| {run['households']} | {name} | {r['p50_ms']} | {r['p95_ms']} "
                f"| {r.get('p95_ratio', 1.0)} |"
            )
    lines += ["", *verdicts(results)]
    return "\n".join(lines)


def verdicts(results: dict[str, Any]) -> list[str]:
    """One line per measure against its goal."""
    return [
        f"{row['metric']}: {row.get('ratio', row['figure'])} ({row['goal']}: "
        f"{'met' if row['met'] else 'NOT met' if row['met'] is False else '-'})"
        for row in summary(results)
    ]


def main() -> int:
    """Build the database, measure the pages and print the figures (Markdown or --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", default="10000", help="extra households, e.g. 10000,100000")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database", default=None, help="default: a temporary SQLite file")
    parser.add_argument(
        "--today", type=date.fromisoformat, default=TODAY, help="the app's today (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--history",
        action="store_true",
        help="book HH-0001's nights from its start up to the day before --today first",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in str(args.households).split(",") if size.strip()]
    results: dict[str, Any] = {"runs": [], "today": args.today.isoformat()}
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        results["backend"] = url.split(":", 1)[0].split("+", 1)[0]
        entries = 0
        for number, size in enumerate(sizes):
            start = time.perf_counter()
            build(url, size)
            if number == 0 and args.history:
                entries = book_history(url, "HH-0001", args.today)
            store_statuses(url, args.today, size)
            built = time.perf_counter() - start
            run = measure(url, args.requests, args.today)
            run["households"] = size + 3
            run["build_seconds"] = round(built, 1)
            results["runs"].append(run)
            if not args.json:
                print(f"{size + 3} households (built in {built:.1f} s)", flush=True)
                for name in (*HOUSEHOLD_PAGES, *STAFF_PAGES):
                    r = run[name]
                    print(f"  {name:32} p50 {r['p50_ms']:7.2f} ms   p95 {r['p95_ms']:7.2f} ms")
    results["journal_entries"] = entries
    results["households"] = results["runs"][-1]["households"]
    if args.json:
        results["sizes"] = {"households": ",".join(str(r["households"]) for r in results["runs"])}
        results["sizes"]["requests"] = args.requests
        results["summary"] = summary(results)
        print(json.dumps(results, indent=2))
        return 0
    print("\n".join(verdicts(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
