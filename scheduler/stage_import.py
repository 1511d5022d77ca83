"""Stage `import`: detect and parse each file; reject what cannot be booked.

A rejected file (unreadable, unknown format, a statement of another account than
the pooled accounts of the gemeenten) is moved to ``rejected/`` with
``<name>.error.txt`` beside it, recorded, and raises a staff signal; the other
files go on. A file whose exact bytes were imported before is a duplicate and
goes straight to ``processed/``.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
from pathlib import Path

from connectors.base import ConnectorError
from connectors.registry import detect
from huishoudboekje.domain.banking import Statement
from huishoudboekje.services.night_import import (
    ImportResult,
    pooled_accounts,
    record_if_duplicate,
    record_rejected,
)
from scheduler.context import FileResult, NightContext, ParsedFile, sha256_of
from scheduler.reading_marker import ABORTED, clear, interrupted, reading


def _iban(text: str) -> str:
    return text.replace(" ", "").upper()


# Files still being delivered (an SFTP/rsync upload writes under a temporary
# name and renames when complete) are left alone until they are whole.
IN_TRANSFER_SUFFIXES = (".part", ".partial", ".tmp", ".filepart", ".crdownload")


def _ready(path: Path) -> bool:
    name = path.name
    return not name.startswith(".") and not name.lower().endswith(IN_TRANSFER_SUFFIXES)


def inbox_files(ctx: NightContext) -> list[tuple[Path, bool]]:
    """The files to import, with whether to move them afterwards (inbox files only).

    Hidden files and files still in transfer (`*.part`, `*.tmp`, ...) are skipped.
    """
    if ctx.files is not None:
        return [(path, False) for path in ctx.files]
    if not ctx.paths.inbox.is_dir():
        return []
    names = sorted(p for p in ctx.paths.inbox.iterdir() if p.is_file())
    return [(p, True) for p in names if _ready(p)]


def move(path: Path, folder: Path) -> Path:
    """Move `path` into `folder`. A file of the same name there is replaced only when it
    holds the same bytes (a re-delivery); otherwise this one gets a free name
    (`name.2.xml`, ...), so no earlier bank file is ever lost."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    number = 2
    while target.exists() and not filecmp.cmp(target, path, shallow=False):
        target = folder / f"{path.stem}.{number}{path.suffix}"
        number += 1
    os.replace(path, target)
    return target


def import_files(ctx: NightContext) -> ImportResult:
    """Parse every file; keep the good ones in `ctx.parsed` for `dedupe`."""
    configured = pooled_accounts(ctx.engine)
    parsed = duplicate = rejected = 0
    if ctx.files is None:  # a file an earlier run died reading: refuse it unread, once
        for path in interrupted(ctx.paths.inbox):
            sha = _read_sha(ctx, path, True)  # an unreadable one is refused right there
            if sha is not None:
                reject(ctx, path, sha, "?", ABORTED, True)
            clear(path)
            rejected += 1
    aborted = rejected
    files = inbox_files(ctx)
    for done, (path, movable) in enumerate(files):
        ctx.progress("import", done, len(files))
        sha = _read_sha(ctx, path, movable)
        if sha is None:
            rejected += 1
            continue
        earlier = record_if_duplicate(ctx.engine, ctx.night, path.name, sha)
        if earlier is not None:
            if movable:
                move(path, ctx.paths.processed)
            ctx.results.append(FileResult(path.name, "duplicate", earlier, 0))
            duplicate += 1
            continue
        fmt = "?"
        try:
            with reading(path, movable):
                importer = detect(path)
                fmt = importer.name
                statements = _of_account(importer.extract(path), configured, fmt, path)
        except Exception as exc:  # a connector bug must not halt the night either
            reject(ctx, path, sha, fmt, str(exc), movable)
            rejected += 1
            continue
        ctx.parsed.append(ParsedFile(path, sha, fmt, tuple(statements), movable))
        parsed += 1
    ctx.progress("import", len(files), len(files))
    return ImportResult(len(files) + aborted, parsed, duplicate, rejected)


def _of_account(
    statements: list[Statement], configured: tuple[str, ...], fmt: str, path: Path
) -> list[Statement]:
    """`statements`, when every one is of a pooled account of one of the gemeenten
    (issue 22: the account routes it to its gemeente); else the file is refused."""
    known = {_iban(iban) for iban in configured}
    accounts = ", ".join(configured)
    which = (
        f"de derdengeldenrekening {accounts}"
        if len(configured) == 1
        else f"een derdengeldenrekening van een van de gemeenten ({accounts})"
    )
    for statement in statements:
        if _iban(statement.account_iban) not in known:
            raise ConnectorError(
                fmt,
                path.name,
                f"afschrift {statement.statement_id} is van rekening "
                f"{statement.account_iban}, niet van {which}",
            )
    return statements


def _read_sha(ctx: NightContext, path: Path, movable: bool) -> str | None:
    """The file's SHA-256; an unreadable file (missing, a folder, no permission) is
    rejected like a bad one, so the other files still go on."""
    try:
        return sha256_of(path)
    except OSError as exc:
        error = f"{path.name}: bestand niet te lezen ({exc.strerror or exc})"
        name_hash = hashlib.sha256(str(path).encode("utf-8")).hexdigest()
        reject(ctx, path, name_hash, "?", error, movable and path.is_file())
        return None


def reject(ctx: NightContext, path: Path, sha: str, fmt: str, error: str, movable: bool) -> None:
    """Record the rejection and its signal, then move the file aside with the reason."""
    record_rejected(ctx.engine, ctx.night, path.name, sha, fmt, error)
    if movable:
        target = move(path, ctx.paths.rejected)
        target.with_name(target.name + ".error.txt").write_text(error + "\n", encoding="utf-8")
    ctx.results.append(FileResult(path.name, "rejected", 0, 0, error))
    ctx.problem(f"bestand {path.name} geweigerd: {error}")
