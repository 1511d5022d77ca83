"""Letters by post (issue 21.2) for many households: pages per second.

Builds a SQLite database (or --database URL) with the demo gemeente plus
`--households` copies (default 1 000) of HH-0003, a household by post with an
address, each with the same three months of simulated journal (September to
November 2026, booked once for the template and copied under each code) and
its planner memory. Then times `hhb letters`'s three steps for November:

* data: `services.letters.month_letters` (journal, overview, status per household);
* HTML: `web.letters.letters_html` (the web's month template inside the letter);
* PDF: WeasyPrint (`services.letters.letters_pdf`), in parts of
  `cli.letters_cmd.LETTERS_PER_PART` letters joined into one file, as
  `hhb letters` does.

Baseline from the same run: WeasyPrint on a trivial document with the same
number of A4 pages (one short line each, a page break between), so the ratio
says what our letters cost over WeasyPrint's own floor.

    python bench/letters.py [--households N] [--database URL] [--json]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from cli.letters_cmd import LETTERS_PER_PART  # noqa: E402
from huishoudboekje.adapters.config import load_config  # noqa: E402
from huishoudboekje.adapters.persistence import (  # noqa: E402
    UnitOfWork,
    append_journal_entries,
    load_household,
    open_database,
    save_household,
)
from huishoudboekje.adapters.persistence.planner_memory import save_planner_memory  # noqa: E402
from huishoudboekje.domain.ledger import Account, JournalEntry, Posting  # noqa: E402
from huishoudboekje.domain.simulation import ActualIncome, simulate  # noqa: E402
from huishoudboekje.services.configuration import apply_config  # noqa: E402
from huishoudboekje.services.letters import joined_pdf, letters_pdf, month_letters  # noqa: E402
from web.letters import letters_html  # noqa: E402

DEMO = ROOT / "sample_statements" / "voorbeeldstad.yaml"
TEMPLATE = "HH-0003"
MONTH = date(2026, 11, 1)
PRINTED = date(2026, 12, 1)
FIRST, LAST = date(2026, 9, 1), date(2026, 11, 30)


def _moved(entry: JournalEntry, code: str) -> JournalEntry:
    """The template's entry as the entry of household `code`."""
    postings = tuple(
        Posting(Account(p.account.kind, code, p.account.sub), p.amount)
        if p.account.household == TEMPLATE
        else p
        for p in entry.postings
    )
    return dataclasses.replace(entry, id=f"{code}:{entry.id}", postings=postings)


def build(url: str, households: int) -> None:
    """The demo gemeente and `households` copies of the template with its history."""
    engine = open_database(url)
    now = datetime.now(UTC)
    with UnitOfWork(engine) as uow:
        apply_config(uow, load_config(DEMO), actor="bench")
        template = load_household(uow, TEMPLATE)
        assert template is not None
        incomes = [
            ActualIncome(day, stream.id, stream.amount)
            for stream in template.incomes
            for day in stream.schedule.between(FIRST, LAST)
        ]
        run = simulate(template, incomes, FIRST, LAST)
        for number in range(households):
            code = f"HB-{number:05d}"
            save_household(uow, dataclasses.replace(template, code=code), at=now)
            append_journal_entries(uow, [_moved(entry, code) for entry in run.entries])
            state = dataclasses.replace(run.days[-1].plan.state, code=code)
            save_planner_memory(uow, state, LAST)
            if number % 200 == 199:
                uow.commit()
        uow.commit()
    engine.dispose()


def trivial_pdf_seconds(pages: int) -> float:
    """WeasyPrint's time for a document of `pages` trivial A4 pages."""
    body = "".join(
        f'<p style="break-before: page">Pagina {n + 1}</p>' if n else "<p>Pagina 1</p>"
        for n in range(pages)
    )
    html = f"<!doctype html><html><body>{body}</body></html>"
    start = time.perf_counter()
    pdf = letters_pdf(html)
    seconds = time.perf_counter() - start
    assert len(PdfReader(io.BytesIO(pdf)).pages) == pages
    return seconds


def measure(url: str) -> dict[str, Any]:
    """Time the three steps and the baseline."""
    engine = open_database(url)
    letters_pdf("<p>warm up: fonts and pango</p>")
    load = round(os.getloadavg()[0], 1)
    cpu = time.process_time()
    start = time.perf_counter()
    with UnitOfWork(engine) as uow:
        batch = month_letters(uow, MONTH, PRINTED)
    data = time.perf_counter() - start
    # as `hhb letters` does it: parts of LETTERS_PER_PART letters, joined
    letters, rendered, pdf_seconds, parts = batch.letters, 0.0, 0.0, []
    for i in range(0, len(letters), LETTERS_PER_PART):
        start = time.perf_counter()
        html = letters_html(letters[i : i + LETTERS_PER_PART])
        rendered += time.perf_counter() - start
        start = time.perf_counter()
        parts.append(letters_pdf(html))
        pdf_seconds += time.perf_counter() - start
    start = time.perf_counter()
    pdf = joined_pdf(parts)
    pdf_seconds += time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    engine.dispose()
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    baseline = trivial_pdf_seconds(pages)
    total = data + rendered + pdf_seconds
    return {
        "letters": len(batch.letters),
        "pages": pages,
        "pdf_mb": round(len(pdf) / 1e6, 1),
        "data_seconds": round(data, 2),
        "html_seconds": round(rendered, 2),
        "pdf_seconds": round(pdf_seconds, 2),
        "total_seconds": round(total, 2),
        "pages_per_second": round(pages / total, 1),
        "cpu_seconds": round(cpu_seconds, 2),
        "pages_per_cpu_second": round(pages / cpu_seconds, 1),
        "load_average": load,
        "ratio": round((pages / total) / (pages / baseline), 2),
        "baseline_seconds": round(baseline, 2),
        "baseline_pages_per_second": round(pages / baseline, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def summary(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The uniform rows for bench/report.py's table (see docs/benchmarks.md)."""
    pps, floor = results["pages_per_second"], results["baseline_pages_per_second"]
    return [
        {
            "metric": f"letters by post, {results['letters']} letters, {results['pages']} pages",
            "figure": pps,
            "baseline": floor,
            "baseline_label": "WeasyPrint, trivial pages",
            "ratio": round(pps / floor, 2),
            "unit": "pages/s",
            "goal": "(for information)",
            "met": None,
        }
    ]


def markdown(results: dict[str, Any]) -> str:
    """The figures as Markdown."""
    r = results
    return "\n".join(
        [
            f"{r['letters']} letters, {r['pages']} pages, {r['pdf_mb']} MB; "
            f"database built in {r['build_seconds']} s.",
            "",
            "| step | seconds |",
            "|---|---:|",
            f"| data (journal, overview, status) | {r['data_seconds']} |",
            f"| HTML (templates) | {r['html_seconds']} |",
            f"| PDF (WeasyPrint, in parts, joined) | {r['pdf_seconds']} |",
            f"| total | {r['total_seconds']} |",
            f"| baseline: WeasyPrint, {r['pages']} trivial pages | {r['baseline_seconds']} |",
            "",
            f"{r['pages_per_second']} pages/s against {r['baseline_pages_per_second']} pages/s "
            f"for trivial pages ({r['ratio']}×); peak memory {r['peak_rss_mb']} MB; "
            f"CPU {r['cpu_seconds']} s of this process for the letters "
            f"({r['pages_per_cpu_second']} pages per CPU second); "
            f"load average at the start {r['load_average']} on {os.cpu_count()} cores.",
        ]
    )


def main() -> int:
    """Build, measure, print (Markdown or --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--database", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        start = time.perf_counter()
        build(url, args.households)
        built = time.perf_counter() - start
        results = measure(url)
    results["build_seconds"] = round(built, 1)
    results["households"] = args.households
    if args.json:
        results["summary"] = summary(results)
        results["sizes"] = {"households": args.households}
        print(json.dumps(results, indent=2))
    else:
        print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
