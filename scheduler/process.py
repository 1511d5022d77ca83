"""`hhb scheduler`: its own process (never inside web workers) that runs the night.

APScheduler 3 `BlockingScheduler` with a cron job at 02:00 Europe/Amsterdam for the
night, and one on Sunday at 04:00 for the privacy purge (`hhb privacy purge`).
On start it first catches up missed nights (`run_nights` runs every night since
the last completed one, in date order). A failing night is logged and recorded
(`night_run.status = failed`) and the process waits for the next night. SIGTERM
and SIGINT stop it cleanly: no new night starts, a night in progress runs to its
end (the job thread is joined before the process exits), then the process exits 0.
Killing it harder is safe too: the night is crash-safe and the next start catches up.
"""

from __future__ import annotations

import logging
import signal
from datetime import datetime
from types import FrameType

from apscheduler.events import EVENT_SCHEDULER_STARTED  # type: ignore[import-untyped]
from apscheduler.schedulers.blocking import BlockingScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]

from huishoudboekje.services.database import open_database
from huishoudboekje.services.file_retention import purge_files
from huishoudboekje.services.privacy import PrivacyError, purge
from scheduler.context import AMSTERDAM, NightPaths
from scheduler.lock import NightLockedError
from scheduler.nightly import run_nights

log = logging.getLogger("hhb.scheduler")
JOB_ID = "nightly"
PURGE_JOB_ID = "privacy_purge"


def nightly_job(database: str | None, paths: NightPaths, workers: int = 1) -> str:
    """Run the night for today (and any missed ones). Never raises: returns a status."""
    today = datetime.now(AMSTERDAM).date()
    try:
        engine = open_database(database)
    except Exception:
        log.exception("database not reachable; night %s not run", today)
        return "failed"
    try:
        outcomes = run_nights(engine, today, paths, workers=workers)
    except NightLockedError as exc:
        log.warning("%s", exc)
        return "locked"
    except Exception:
        log.exception("night %s failed", today)
        return "failed"
    finally:
        engine.dispose()
    for outcome in outcomes:
        log.info("night %s: %s", outcome.night, outcome.status)
        for problem in outcome.problems:
            log.warning("night %s: %s", outcome.night, problem)
    return outcomes[-1].status


def purge_job(database: str | None, paths: NightPaths) -> str:
    """The weekly retention purge of households and of old files on disk (idempotent).
    Never raises: returns a status."""
    today = datetime.now(AMSTERDAM).date()
    try:
        engine = open_database(database)
    except Exception:
        log.exception("database not reachable; privacy purge %s not run", today)
        return "failed"
    try:
        report = purge(engine, today, actor="scheduler (privacy purge)")
        files = purge_files(engine, paths.retained, today, actor="scheduler (privacy purge)")
    except PrivacyError as exc:
        log.warning("privacy purge %s: %s", today, exc)
        return "skipped"
    except Exception:
        log.exception("privacy purge %s failed", today)
        return "failed"
    finally:
        engine.dispose()
    log.info(
        "privacy purge %s: %d anonymised, %d earlier, %d ended but still kept; "
        "%d old files removed, %d kept",
        today,
        len(report.purged),
        report.already_purged,
        report.not_yet_due,
        len(files.removed),
        files.kept,
    )
    for problem in files.problems:
        log.warning("privacy purge %s: %s", today, problem)
    return "done"


def build_scheduler(database: str | None, paths: NightPaths, workers: int = 1) -> BlockingScheduler:
    """The scheduler with its cron jobs: the night (02:00 Amsterdam) and the weekly
    privacy purge (Sunday 04:00, after the night), each one instance, coalesced."""
    scheduler = BlockingScheduler(timezone=AMSTERDAM)
    scheduler.add_job(
        nightly_job,
        CronTrigger(hour=2, minute=0, timezone=AMSTERDAM),
        args=(database, paths, workers),
        id=JOB_ID,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=6 * 3600,
    )
    scheduler.add_job(
        purge_job,
        CronTrigger(day_of_week="sun", hour=4, minute=0, timezone=AMSTERDAM),
        args=(database, paths),
        id=PURGE_JOB_ID,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=24 * 3600,
    )
    return scheduler


def serve(database: str | None, paths: NightPaths, workers: int = 1) -> int:
    """Catch up, then run every night at 02:00 until SIGTERM/SIGINT; `workers` > 1
    spreads stages plan and export over that many processes (PostgreSQL)."""
    scheduler = build_scheduler(database, paths, workers)
    stopping: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        """No new night starts; one in progress runs to its end."""
        log.info("signal %s: stopping the scheduler", signal.Signals(signum).name)
        stopping.append(signum)
        if scheduler.running:
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler started; catching up missed nights")
    nightly_job(database, paths, workers)
    if stopping:
        log.info("scheduler stopped")
        return 0

    def started(_event: object) -> None:
        """Log the next night, or stop at once when a signal came in meanwhile."""
        if stopping:  # a signal came in between the catch-up and the start
            scheduler.shutdown(wait=False)
            return
        log.info("next night at %s", scheduler.get_job(JOB_ID).next_run_time)

    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    scheduler.start()  # blocks until shutdown
    log.info("scheduler stopped")
    return 0
