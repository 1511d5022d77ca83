"""What every connector's dedupe keys share: counting repeats within one file.

Two real bookings that look the same (the same bank reference repeated, or
the same date, amount, counterparty and description) must get two keys, so
each connector counts how often a key came up before in the file and puts that
count into the dedupe key. What counts as "the same" stays with each format.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from typing import Generic, TypeVar

_Key = TypeVar("_Key", bound=Hashable)


class Occurrences(Generic[_Key]):
    """How often each key has come up so far in one file."""

    def __init__(self) -> None:
        self._seen: Counter[_Key] = Counter()

    def count(self, key: _Key) -> int:
        """How often `key` came before this one (0 the first time); counts this one too."""
        seen = self._seen[key]
        self._seen[key] += 1
        return seen


def repeat_suffix(seen: int) -> str:
    """The reference key suffix: "" for a bank reference's first booking, "#2", "#3", … after."""
    return f"#{seen + 1}" if seen else ""
