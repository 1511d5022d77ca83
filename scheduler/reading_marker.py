"""A file that stopped the night while it was being read is never read again.

Before an inbox file is parsed, a hidden marker `.hhb-reading-<name>` is written
beside it; it is removed once the file was imported or refused. A marker that is
still there when the next night starts means the previous run died while reading
that file (out of memory, killed, a power cut). Reading it again could kill
every following night too, so the file is refused unread and moved to
`rejected/` once, with the reason. An operator who knows better moves it back
into the inbox (the marker is gone by then, so it is read again).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

PREFIX = ".hhb-reading-"
ABORTED = (
    "het lezen van dit bestand is de vorige keer halverwege afgebroken (te groot of te "
    "zwaar?); het wordt niet opnieuw gelezen. Controleer het bestand en zet het terug in "
    "de inbox om het nog eens te proberen"
)


def marker_of(path: Path) -> Path:
    """The hidden marker that says `path` is being read."""
    return path.with_name(PREFIX + path.name)


@contextlib.contextmanager
def reading(path: Path, movable: bool) -> Iterator[None]:
    """Mark `path` as being read for the duration (inbox files only)."""
    if not movable:
        yield
        return
    marker = marker_of(path)
    try:
        marker.write_text(path.name + "\n", encoding="utf-8")
    except OSError:  # a read-only inbox: read the file anyway, just without the guard
        yield
        return
    try:
        yield
    finally:
        marker.unlink(missing_ok=True)


def interrupted(inbox: Path) -> list[Path]:
    """The inbox files whose reading was cut off by an earlier run (markers left behind).

    Markers of files that are no longer there are cleared."""
    if not inbox.is_dir():
        return []
    found: list[Path] = []
    for marker in sorted(inbox.glob(PREFIX + "*")):
        target = marker.with_name(marker.name[len(PREFIX) :])
        if target.is_file():
            found.append(target)
        else:
            marker.unlink(missing_ok=True)
    return found


def clear(path: Path) -> None:
    """Forget that `path` was being read (once it has been dealt with)."""
    marker_of(path).unlink(missing_ok=True)
