"""Run the demo gemeente: apply its configuration, then every demo night in order.

Run: `python sample_statements/run_demo.py [--root var/demo] [--database URL] [--until DATE]`.

For each day from 1 September to 30 November 2026 the simulated bank (bank.py) puts that
day's statement in the inbox, and then `hhb nightly --date DAY` runs in this process.
Each finished night is recorded under <root>/nights/, so a second run skips what is done
and takes seconds; `make demo-reset` (rm -rf var/demo) starts over.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cli.main import main as hhb
from huishoudboekje.domain.dutch_text import eur
from sample_statements.bank import SimulatedBank
from sample_statements.incoming import FIRST_DAY, LAST_DAY

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
CONFIG = HERE / "voorbeeldstad.yaml"
STATEMENTS = HERE / "statements"

TRY_NEXT = """\
Wat u nu kunt proberen (in een andere terminal, met .venv/bin in uw PATH):
  export HHB_DATABASE_URL={database_url}
  hhb status --all --date 2026-11-30        alle huishoudens op de laatste demodag
  hhb status HH-0004 --date 2026-11-30      de zzp'er: onregelmatig inkomen, stabiel leefgeld
  hhb signals                               wat de medewerkers moet opvallen (te laat, retour, ...)
  hhb runs                                  de geschiedenis van alle nachten
  http://127.0.0.1:8000                     de webapp (`make run` start hem na de nachten)
  docs/demo.md                              per huishouden: waar u op moet letten"""


class NightlyUnavailable(RuntimeError):
    """This checkout has no `hhb nightly` yet."""


@dataclass
class DemoRun:
    """Where the demo lives and what it did."""

    root: Path
    database_url: str
    ran: list[date] = field(default_factory=list)
    skipped: list[date] = field(default_factory=list)

    @property
    def inbox(self) -> Path:
        """Where the bank drops the statement files."""
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        """Where the nights leave the payment files for the bank."""
        return self.root / "outbox"

    @property
    def nights(self) -> Path:
        """Where each finished night's `hhb nightly --json` output is recorded."""
        return self.root / "nights"

    @functools.cached_property
    def bank(self) -> SimulatedBank:
        """The simulated bank, keeping its books in <root>/bank."""
        return SimulatedBank(STATEMENTS, self.outbox, self.inbox, self.root / "bank")

    def night_record(self, day: date) -> Path:
        """The file that records that the night of `day` has run."""
        return self.nights / f"{day}.json"

    def load_night(self, day: date) -> dict[str, Any]:
        """The recorded `hhb nightly --json` output of one finished night."""
        result: dict[str, Any] = json.loads(self.night_record(day).read_text())
        return result


def demo_days(until: date = LAST_DAY) -> list[date]:
    """Every calendar day of the demo period, up to and including `until`."""
    return [FIRST_DAY + timedelta(days=n) for n in range((until - FIRST_DAY).days + 1)]


def call_hhb(args: list[str], database_url: str) -> tuple[int, str]:
    """Run one `hhb` command in this process; returns (exit code, standard output)."""
    out = io.StringIO()
    previous = os.environ.get("HHB_DATABASE_URL")
    os.environ["HHB_DATABASE_URL"] = database_url
    try:
        with contextlib.redirect_stdout(out):
            try:
                code = hhb(args)
            except SystemExit as exc:  # argparse refuses unknown commands this way
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        if previous is None:
            del os.environ["HHB_DATABASE_URL"]
        else:
            os.environ["HHB_DATABASE_URL"] = previous
    return code, out.getvalue()


def nightly_available() -> bool:
    """Whether this checkout has the `hhb nightly` command."""
    try:
        import cli.nightly_cmd  # noqa: F401
    except ModuleNotFoundError:
        return False
    return True


def run_night(run: DemoRun, day: date) -> dict[str, Any]:
    """The bank delivers `day`, then the night runs; its JSON result is recorded."""
    run.bank.book_day(day)
    args = ["nightly", "--date", day.isoformat(), "--yes", "--inbox", str(run.inbox)]
    code, out = call_hhb([*args, "--outbox", str(run.outbox), "--json"], run.database_url)
    try:
        result: dict[str, Any] = json.loads(out)
    except json.JSONDecodeError:
        raise RuntimeError(
            f"hhb nightly --date {day} gaf geen JSON (exit {code}):\n{out}"
        ) from None
    result["exit_code"] = code
    run.nights.mkdir(parents=True, exist_ok=True)
    temporary = run.night_record(day).with_suffix(".part")
    temporary.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    temporary.replace(run.night_record(day))
    return result


def run_demo(
    run: DemoRun,
    until: date = LAST_DAY,
    on_night: Callable[[date], None] | None = None,
) -> DemoRun:
    """Apply the configuration, then every night not run yet, in date order."""
    run.root.mkdir(parents=True, exist_ok=True)
    for folder in (run.inbox, run.outbox):  # hhb nightly never creates --inbox/--outbox
        folder.mkdir(parents=True, exist_ok=True)
    code, out = call_hhb(["config", "apply", str(CONFIG)], run.database_url)
    if code != 0:
        raise RuntimeError(f"hhb config apply mislukte (exit {code}):\n{out}")
    if not nightly_available():
        raise NightlyUnavailable("hhb nightly bestaat nog niet in deze versie")
    for day in demo_days(until):
        if run.night_record(day).exists():
            run.skipped.append(day)
        else:
            run_night(run, day)
            run.ran.append(day)
        if on_night is not None:
            on_night(day)
    return run


@contextlib.contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Callable[[date], None]]:
    if not enabled:
        yield lambda day: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns) as progress:
        task = progress.add_task("Nachten draaien", total=total)

        def advance(day: date) -> None:
            progress.update(task, advance=1, description=f"Nacht {day:%d-%m-%Y}")

        yield advance


def summary(run: DemoRun) -> str:
    """A few lines about the run, in Dutch."""
    nights = [run.load_night(d) for d in sorted(run.ran + run.skipped)]
    payments = sum(len(n.get("payments", [])) for n in nights)
    signals = len(nights[-1].get("signals", [])) if nights else 0
    balance = run.bank.balance_on(max(run.ran + run.skipped, default=FIRST_DAY))
    if not run.ran:
        head = f"Alle {len(run.skipped)} nachten waren al gedraaid; er is niets veranderd."
    else:
        head = f"{len(run.ran)} nacht(en) gedraaid, {len(run.skipped)} waren al klaar."
    return (
        f"{head}\n"
        f"Betaalopdrachten: {payments}; open signalen na de laatste nacht: {signals}; "
        f"saldo derdengeldenrekening: {eur(balance)}\n\n"
        + TRY_NEXT.format(database_url=run.database_url)
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: see the module docstring."""
    parser = argparse.ArgumentParser(description="Draai de demogemeente Voorbeeldstad.")
    parser.add_argument("--root", type=Path, default=PROJECT / "var" / "demo")
    parser.add_argument("--database", default=os.environ.get("HHB_DATABASE_URL"))
    parser.add_argument("--until", type=date.fromisoformat, default=LAST_DAY)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    url = args.database or f"sqlite:///{root / 'hhb.sqlite3'}"
    run = DemoRun(root, url)
    days = demo_days(args.until)
    try:
        with _progress(len(days), sys.stdout.isatty()) as advance:
            run_demo(run, args.until, advance)
    except NightlyUnavailable as exc:
        print(f"{exc}; de configuratie is wel toegepast met `hhb config apply`.", file=sys.stderr)
        return 1
    print(summary(run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
