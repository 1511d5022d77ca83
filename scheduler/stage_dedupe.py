"""Stage `dedupe`: store each parsed file's transactions that are new, one transaction
per file (`services.night_statements`), then move the file to ``processed/``.
"""

from __future__ import annotations

from huishoudboekje.services.night_statements import DedupeResult, store_file
from scheduler.context import FileResult, NightContext
from scheduler.stage_import import move


def store_new_transactions(ctx: NightContext) -> DedupeResult:
    """Store what is new in every parsed file; returns counts."""
    total_new = 0
    for done, parsed in enumerate(ctx.parsed):
        ctx.progress("dedupe", done, len(ctx.parsed))
        total, new = store_file(ctx, parsed)
        total_new += new
        status = "duplicate" if total and not new else "imported"
        ctx.results.append(FileResult(parsed.path.name, status, total, new))
        if parsed.move:
            move(parsed.path, ctx.paths.processed)
    stored = len(ctx.parsed)
    ctx.parsed = []
    return DedupeResult(stored, total_new)
