"""Workers of a spread night (issue 22.2): the processes that do `plan` and `export`
batches, on this machine or on others that share the PostgreSQL database.

- `hhb nightly --workers N` (and `hhb scheduler --workers N`) forks N-1 local
  worker processes (`LocalWorkers`) when it takes the night's lock; the
  coordinating process is the N-th worker. They stop when the nights are done.
- `hhb worker` on any machine (a service, like the scheduler) does plan batches
  of whatever night is running on the database (`serve`).

A worker does one batch at a time (`work_one`): it claims it (a row lock held by
its own connection), does the batch's work in transactions of its own, and marks
it done in the claim. kill -9 anywhere leaves the batch open for another worker.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from huishoudboekje.services.database import Engine, connect
from huishoudboekje.services.night_batches import (
    EXPORT,
    PLAN,
    Batch,
    Claim,
    batch_households,
)
from huishoudboekje.services.night_plan import (
    PlanResult,
    add_counts,
    night_region,
    no_counts,
    plan_batch,
)
from huishoudboekje.services.night_work import Fault, no_fault
from scheduler.context import NightContext, NightPaths
from scheduler.stage_export import export_file

log = logging.getLogger("hhb.workers")
WORKERS_ENV = "HHB_NIGHT_WORKERS"  # default of --workers for `hhb nightly` and the scheduler
BATCH_ENV = "HHB_NIGHT_BATCH"  # households per plan batch of a spread night (default 100)
POLL_SECONDS = 0.05  # a local worker looks for a free batch this often
SERVE_POLL_SECONDS = 1.0  # `hhb worker`: how often it looks while no night runs
START_SECONDS = 60.0  # the longest a night waits for its local workers to start
STOP_SECONDS = 30.0  # ... and for them to stop after the last night

AfterWork = Callable[[Batch], None]


def _nothing(_batch: Batch) -> None:
    return None


def worker_name(role: str = "worker") -> str:
    """Who holds a claim: host, process id and role (kept on each done batch)."""
    return f"{socket.gethostname()}:{os.getpid()}:{role}"


def workers_from_env(default: int = 1) -> int:
    """HHB_NIGHT_WORKERS as a number (the default of --workers)."""
    text = os.environ.get(WORKERS_ENV, "").strip()
    return int(text) if text else default


def batch_size_from_env() -> int:
    """HHB_NIGHT_BATCH: households per plan batch of a spread night."""
    from huishoudboekje.services.night_batches import DEFAULT_BATCH

    text = os.environ.get(BATCH_ENV, "").strip()
    return max(1, int(text)) if text else DEFAULT_BATCH


def do_batch(
    engine: Engine, paths: NightPaths, batch: Batch, fault: Fault = no_fault
) -> tuple[dict[str, object], list[str]]:
    """Do one claimed batch; returns its result (the stage's counts) and its problems."""
    ctx = NightContext(engine, batch.night, paths, catching_up_to=batch.real_day, fault=fault)
    if batch.stage == PLAN:
        households = batch_households(engine, batch.households)
        counts = no_counts(len(households))
        add_counts(counts, plan_batch(ctx, households, night_region(ctx, households)))
        result = PlanResult(**counts).as_json()
    elif batch.stage == EXPORT and batch.execution_date is not None:
        result = export_file(ctx, batch.account, batch.execution_date).as_json()
    else:
        raise ValueError(f"onbekende stap {batch.stage!r} in de werktabel")
    return result, list(ctx.problems)


def work_one(
    engine: Engine,
    paths: NightPaths,
    worker: str,
    stages: Sequence[str],
    night: date | None = None,
    *,
    fault: Fault = no_fault,
    after_work: AfterWork = _nothing,
) -> Batch | None:
    """Claim one free batch, do it and mark it done; None when no batch was free."""
    with Claim(engine, worker, stages, night) as claim:
        batch = claim.batch
        if batch is None:
            return None
        log.info("%s: %s batch %d by %s", batch.night, batch.stage, batch.number, worker)
        result, problems = do_batch(engine, paths, batch, fault)
        after_work(batch)
        claim.done(result, problems)
        return batch


def serve(
    engine: Engine,
    paths: NightPaths,
    stages: Sequence[str],
    *,
    once: bool = False,
    stop: threading.Event | None = None,
    poll: float = SERVE_POLL_SECONDS,
    fault: Fault = no_fault,
    after_work: AfterWork = _nothing,
    role: str = "worker",
) -> int:
    """Do free batches of `stages` of the running night until `stop` is set (or, with
    `once`, until none is free); returns how many batches this worker did."""
    stopping = stop or threading.Event()
    name = worker_name(role)
    done = 0
    while not stopping.is_set():
        if work_one(engine, paths, name, stages, fault=fault, after_work=after_work):
            done += 1
            continue
        if once:
            break
        stopping.wait(poll)
    return done


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT end the worker after the batch it is doing."""

    def handler(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


class LocalWorkers:
    """The N-1 worker processes a spread night starts on this machine; the night's
    own process is the N-th worker.

    They are forked (Linux): a child starts in milliseconds with everything already
    imported, and opens its own database connections (psycopg never closes a
    connection of the parent from a child). Each ends when the night closes the pipe
    they share, or when the night's process dies (the pipe closes with it).
    `crash_in`: a test seam, see `run_nights`."""

    def __init__(
        self,
        engine: Engine,
        paths: NightPaths,
        count: int,
        *,
        fault: Fault = no_fault,
        crash_in: str = "",
    ) -> None:
        self.count = count
        context = multiprocessing.get_context("fork")
        reader, self._writer = context.Pipe(duplex=False)
        url = engine.url.render_as_string(hide_password=False)
        self._processes: list[BaseProcess] = []
        for number in range(count):
            process = context.Process(
                target=_local_worker,
                args=(url, paths, reader, self._writer, fault, crash_in),
                name=f"hhb-worker-{number + 1}",
                daemon=True,
            )
            process.start()
            self._processes.append(process)
        reader.close()

    @property
    def processes(self) -> list[BaseProcess]:
        """The worker processes (for tests and logs)."""
        return list(self._processes)

    def wait_exited(self, timeout: float = START_SECONDS) -> None:
        """Wait until every local worker ended (the crash seam)."""
        deadline = time.monotonic() + timeout
        for process in self._processes:
            process.join(max(0.0, deadline - time.monotonic()))

    def stop(self) -> None:
        """Close the pipe (they end after their current batch) and reap them."""
        self._writer.close()
        deadline = time.monotonic() + STOP_SECONDS
        for process in self._processes:
            process.join(max(0.1, deadline - time.monotonic()))
            if process.exitcode is None:
                process.kill()
                process.join()
            if process.exitcode != 0:
                # its batch (if any) was done again by another worker
                log.warning("worker %s ended with %s", process.pid, process.exitcode)


def _local_worker(
    url: str,
    paths: NightPaths,
    reader: Connection,
    writer: Connection,
    fault: Fault,
    crash_in: str,
) -> None:
    """A forked local worker: do free batches of the running night until the pipe closes."""
    writer.close()  # the night's copy is the one that ends us
    stop = threading.Event()

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            reader.recv()  # nothing is ever sent: this returns when the pipe closes
        stop.set()

    threading.Thread(target=watch, name="pipe-watch", daemon=True).start()
    engine = connect(url)
    try:
        serve(
            engine,
            paths,
            (PLAN, EXPORT),
            stop=stop,
            poll=POLL_SECONDS,
            fault=fault,
            after_work=crash_after(crash_in),
            role="lokaal",
        )
    finally:
        engine.dispose()


def crash_after(stage: str) -> AfterWork:
    """The crash seam: SIGKILL this process once the work of a batch of `stage` is
    committed and before the batch is marked done ("" : never)."""

    def after(batch: Batch) -> None:
        if stage and batch.stage == stage:
            os.kill(os.getpid(), signal.SIGKILL)

    return after
