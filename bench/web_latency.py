"""Latency of the household "Vandaag" page with many households, against a trivial endpoint.

Builds a SQLite database (or uses --database) with the demo gemeente plus
`--households` copies of HH-0001 (default 10 000), logs in as the demo household
and times `--requests` requests (default 300) on `--today` (default 2026-03-04) of

* baseline: `/bench/ping`, a trivial view added to the same app (same session,
  identity lookup, security headers and error handling);
* `/vandaag`: the real page (status report: plan, forecast, template), viewed
  again: the status report of an unchanged household is kept per exact input
  (`services.status_of`), so a reload or the next page does not plan again;
* `/vandaag` first view: the same page with those kept reports dropped before
  every request, as on a household's first view after a night or a change.

Requests go through the WSGI app in-process (Flask's test client), so the network
is not measured. Goal (issue 6): p95 of /vandaag ≤ 3 × p95 of the trivial endpoint,
for the page viewed again and for its first view.

The demo's HH-0001 starts on 2026-09-01, so on the default day its journal is empty
and the page shows a household that has not started yet. `--history` first books
HH-0001's nights from its start up to the day before `--today` (simulated incomes
as expected, as the web tests do), e.g. `--today 2026-11-30 --history` for the last
demo day with three months of journal behind it.

    python bench/web_latency.py [--households N] [--requests N] [--database URL]
                                [--today YYYY-MM-DD] [--history] [--json]

--json includes the uniform "summary" rows that bench/report.py collects.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from huishoudboekje.adapters.config import load_config  # noqa: E402
from huishoudboekje.adapters.persistence import (  # noqa: E402
    UnitOfWork,
    household_codes,
    load_household,
    open_database,
    save_household,
)
from huishoudboekje.services.configuration import apply_config  # noqa: E402
from huishoudboekje.services.household_status import forget_status_reports  # noqa: E402
from huishoudboekje.services.user_accounts import Role, create_user  # noqa: E402
from tests.web_fixtures import seed_history  # noqa: E402
from web import create_app  # noqa: E402
from web.identity import Argon2Hasher  # noqa: E402

DEMO = ROOT / "sample_statements" / "voorbeeldstad.yaml"
PASSWORD = "bench-wachtwoord-2026"
FAST = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
TODAY = date(2026, 3, 4)
FIRST_VIEW = "/vandaag first view"
PAGES = {"/bench/ping": "/bench/ping", "/vandaag": "/vandaag", FIRST_VIEW: "/vandaag"}


def build(url: str, households: int) -> None:
    """Demo config, `households` extra households and one household login (idempotent)."""
    engine = open_database(url)
    now = datetime.now(UTC)
    with UnitOfWork(engine) as uow:
        apply_config(uow, load_config(DEMO), actor="bench")
        template = load_household(uow, "HH-0001")
        assert template is not None
        existing = set(household_codes(uow))
        for number in range(households):
            code = f"HB-{number:05d}"
            if code not in existing:
                save_household(uow, dataclasses.replace(template, code=code), at=now)
        uow.commit()
        create_user(
            uow,
            Argon2Hasher(**FAST),
            actor="bench",
            username=f"bench-{now.timestamp():.0f}",
            display_name="Bench",
            role=Role.HOUSEHOLD,
            household="HH-0001",
            password=PASSWORD,
            now=now,
        )
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

    @app.get("/bench/ping")
    def ping() -> str:
        return "ok"

    engine = app.extensions["hhb_engine"]
    with UnitOfWork(engine) as uow:
        from huishoudboekje.adapters.persistence.user_repo import list_users

        username = [u.username for u in list_users(uow, household="HH-0001")][-1]
    client = app.test_client()
    response = client.post("/inloggen", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    results: dict[str, Any] = {}
    for name, path in PAGES.items():
        first_view = name == FIRST_VIEW
        for _ in range(10):  # warm up
            client.get(path)
        times = []
        for _ in range(requests):
            if first_view:
                forget_status_reports()
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        results[name] = {
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
        }
    engine.dispose()
    trivial = results["/bench/ping"]["p95_ms"]
    for name, key in (("/vandaag", "p95_ratio"), (FIRST_VIEW, "first_view_p95_ratio")):
        results[key] = round(results[name]["p95_ms"] / trivial, 1)
    results["goal_met"] = max(results["p95_ratio"], results["first_view_p95_ratio"]) <= 3
    return results


def summary(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The uniform rows for bench/report.py's table (see docs/benchmarks.md)."""
    page, first, ping = results["/vandaag"], results[FIRST_VIEW], results["/bench/ping"]
    size = f"{results['households']} households"
    return [
        {
            "metric": f"/vandaag p95 latency, {size}",
            "figure": page["p95_ms"],
            "baseline": ping["p95_ms"],
            "baseline_label": "trivial endpoint",
            "ratio": results["p95_ratio"],
            "unit": "ms",
            "goal": "≤ 3× baseline",
            "met": results["p95_ratio"] <= 3,
        },
        {
            "metric": f"/vandaag first view p95 latency, {size}",
            "figure": first["p95_ms"],
            "baseline": ping["p95_ms"],
            "baseline_label": "trivial endpoint",
            "ratio": results["first_view_p95_ratio"],
            "unit": "ms",
            "goal": "≤ 3× baseline",
            "met": results["first_view_p95_ratio"] <= 3,
        },
        {
            "metric": f"/vandaag p50 latency, {size}",
            "figure": page["p50_ms"],
            "baseline": ping["p50_ms"],
            "baseline_label": "trivial endpoint",
            "unit": "ms",
            "goal": "(for information)",
            "met": None,
        },
    ]


def markdown(results: dict[str, Any]) -> str:
    """A --json result as Markdown (used by bench/report.py)."""
    lines = [
        f"Households in the database: {results['households']} "
        f"(built in {results['build_seconds']} s); requests in-process via Flask's test client.",
        f"Today: {results.get('today', TODAY.isoformat())}; journal entries of the logged-in "
        f"household: {results.get('journal_entries', 0)}.",
        "",
        "| endpoint | p50 ms | p95 ms |",
        "|---|---:|---:|",
    ]
    for name in PAGES:
        lines.append(f"| {name} | {results[name]['p50_ms']} | {results[name]['p95_ms']} |")
    lines += ["", *verdicts(results)]
    return "\n".join(lines)


def verdicts(results: dict[str, Any]) -> list[str]:
    """One line per page against the goal."""
    lines = []
    for name, key in (("/vandaag", "p95_ratio"), (FIRST_VIEW, "first_view_p95_ratio")):
        verdict = "met" if results[key] <= 3 else "NOT met"
        lines.append(f"p95 {name} = {results[key]} × trivial endpoint (goal ≤ 3×: {verdict})")
    return lines


def main() -> int:
    """Build the database, measure the pages and print the figures (Markdown or --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
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
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        start = time.perf_counter()
        build(url, args.households)
        entries = book_history(url, "HH-0001", args.today) if args.history else 0
        built = time.perf_counter() - start
        results = measure(url, args.requests, args.today)
    results["households"] = args.households + 3
    results["build_seconds"] = round(built, 1)
    results["today"] = args.today.isoformat()
    results["journal_entries"] = entries
    if args.json:
        results["sizes"] = {"households": results["households"], "requests": args.requests}
        if args.history:
            results["sizes"]["journal_entries"] = entries
        results["summary"] = summary(results)
        print(json.dumps(results, indent=2))
        return 0
    print(f"households in the database: {results['households']} (built in {built:.1f} s)")
    print(f"today {results['today']}, journal entries of the logged-in household: {entries}")
    for name in PAGES:
        r = results[name]
        print(f"{name:20} p50 {r['p50_ms']:7.2f} ms   p95 {r['p95_ms']:7.2f} ms")
    print("\n".join(verdicts(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
