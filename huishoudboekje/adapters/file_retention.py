"""The night's files on disk, by age: imported and rejected bank statements and the
pain.001 payment files. Their date is the file's modification time (the moment the
night wrote or moved it), in Amsterdam time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True, slots=True)
class StoredFile:
    path: Path
    day: date
    size: int


def stored_files(folders: Iterable[Path]) -> Iterator[StoredFile]:
    """Every regular file in `folders` (one level deep each; a folder that does not
    exist has none), sorted by path so the outcome is the same on every run."""
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.is_symlink():
                continue
            stat = path.stat()
            day = datetime.fromtimestamp(stat.st_mtime, AMSTERDAM).date()
            yield StoredFile(path, day, stat.st_size)


def remove(path: Path) -> None:
    """Delete one file; a file already gone counts as removed."""
    path.unlink(missing_ok=True)
