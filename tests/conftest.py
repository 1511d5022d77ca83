"""Shared fixtures.

`db_url` is a fresh, empty database for each test: a SQLite file always, and a
PostgreSQL schema too when HHB_TEST_POSTGRES_URL is set (each test gets its own
schema via search_path, dropped afterwards, so tests never see each other's rows).

`make test` runs the tests in parallel processes (pytest-xdist, `-n`). Each worker
process gets its own PostgreSQL database, `<database>_<worker>` (for example
`hhb_test_gw0`): a night's advisory lock and the migration lock are per database,
so two workers in one database would wait for, or refuse, each other's nights.
The worker's database is created when it is missing (the role needs CREATEDB for
that; .ci/run creates them beforehand).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from huishoudboekje.adapters.persistence.db import open_database

POSTGRES_ENV = "HHB_TEST_POSTGRES_URL"
# a folder for this test run, shared by its xdist workers (made and removed by the
# main process): what is built once per run, not once per worker, lives there
SHARED_ENV = "HHB_TEST_RUN_DIR"

# CI replays the same generated cases every run, so a red build always means a
# change broke something; locally hypothesis keeps exploring (and remembers
# what it found in .hypothesis/).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
SAMPLES = Path(__file__).parent / "samples"


def worker_postgres_url(base_url: str, worker: str) -> str:
    """The URL of xdist worker `worker`'s own database next to `base_url`'s, created
    when missing."""
    url = make_url(base_url)
    name = f"{url.database}_{worker}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
            if found is None:
                try:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
                except DBAPIError as error:
                    raise pytest.UsageError(
                        f"{POSTGRES_ENV}: test worker {worker} needs database {name!r}; "
                        f"create it (owner {url.username}) or grant the role CREATEDB "
                        f"({error.orig})"
                    ) from None
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def pytest_configure(config: pytest.Config) -> None:
    """In an xdist worker, point HHB_TEST_POSTGRES_URL at the worker's own database
    (so do the subprocesses the tests start). In the main process, make the folder
    that every worker of this run shares (`SHARED_ENV`, see tests/demo_once.py)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base_url = os.environ.get(POSTGRES_ENV)
    if worker and base_url:
        os.environ[POSTGRES_ENV] = worker_postgres_url(base_url, worker)
    if not worker:
        shm = Path("/dev/shm")  # SQLite commits are fsyncs; memory-backed is faster
        base = shm if shm.is_dir() and shm.stat().st_mode & 0o002 else None
        os.environ[SHARED_ENV] = tempfile.mkdtemp(prefix="hhb-tests-", dir=base)


def pytest_unconfigure(config: pytest.Config) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER") and SHARED_ENV in os.environ:
        shutil.rmtree(os.environ.pop(SHARED_ENV), ignore_errors=True)


def _backends() -> list[object]:
    params: list[object] = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get(POSTGRES_ENV):
        params.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))
    return params


def _postgres_schema(base_url: str) -> Iterator[str]:
    schema = f"hhb_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _memory_folder(tmp_path: Path) -> Path:
    """A fresh folder in memory (/dev/shm, in this run's folder) for a test's SQLite
    file, else `tmp_path`: every SQLite commit is an fsync, which on a disk cost about
    a tenth of tests/test_web_auth.py's time; in memory it costs nothing, and SQLite
    behaves the same. HHB_TEST_SQLITE_ON_DISK=1 keeps them in `tmp_path`."""
    shared = os.environ.get(SHARED_ENV)
    if (
        os.environ.get("HHB_TEST_SQLITE_ON_DISK")
        or not shared
        or not shared.startswith("/dev/shm/")
    ):
        return tmp_path
    return Path(tempfile.mkdtemp(prefix="db-", dir=shared))


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database (no tables yet)."""
    if request.param == "sqlite":
        folder = _memory_folder(tmp_path)
        try:
            yield f"sqlite:///{folder / 'hhb.sqlite3'}"
        finally:
            if folder != tmp_path:
                shutil.rmtree(folder, ignore_errors=True)
    else:
        yield from _postgres_schema(os.environ[POSTGRES_ENV])


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on `db_url` with the schema migrated to the latest revision."""
    engine = open_database(db_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def samples() -> Path:
    """The folder with sample files (tests/samples)."""
    return SAMPLES


# Test files that share a per-process cache (an expensive run built once per test
# process: tests/demo_checked.py) run in the same xdist worker, so the run is built
# once and not once per worker.
SAME_WORKER = {
    "tests/test_consistency_year_demo.py": "demo_checked",
    "tests/test_sentences_demo.py": "demo_checked",
}


# The longest units first (measured with --durations), so that no worker is left with
# a long one at the end while the other has nothing to do; the rest follow, the files
# with the most tests first (xdist's order).
LONGEST_FIRST = (
    "tests/test_matching_gemeente_night.py::test_a_month_of_a_generated_gemeente_keeps_every_vat_true[postgres]",
    "demo_checked",
    "tests/test_matching_gemeente_night.py::test_a_month_of_a_generated_gemeente_keeps_every_vat_true[sqlite]",
    "tests/test_privacy_purge.py",
    "tests/test_night_failure.py",
    "tests/test_journal_export.py",
    "tests/test_demo.py",
    "tests/test_intake_browser.py",
    "tests/test_read_model.py",
    "tests/test_scheduler_crash.py",
)
# Files whose tests are handed out one by one (long tests, a cheap module fixture), so
# that their SQLite and PostgreSQL runs go to two workers at the same time.
ONE_BY_ONE = {"tests/test_matching_gemeente_night.py"}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadfile` (a test file's tests in one worker, so module fixtures are
    built once), with the files of `SAME_WORKER` as one unit, the tests of `ONE_BY_ONE`
    each a unit, `LONGEST_FIRST` first."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class GroupedFileScheduling(LoadFileScheduling):
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            if path in ONE_BY_ONE:
                return nodeid
            return SAME_WORKER.get(path, path)

        def _assign_work_unit(self, node: Any) -> None:
            if not self.ordered:  # the first call: the queue is complete
                self.ordered = True
                for scope in reversed(LONGEST_FIRST):
                    if scope in self.workqueue:
                        self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return GroupedFileScheduling(config, log)
