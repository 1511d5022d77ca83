"""The one cache policy: results kept for speed, and the one way to forget them.

What may be kept
    Only results of pure functions whose arguments are hashable and immutable
    (str, int, date, frozenset, frozen dataclasses holding tuples): the same
    arguments always give the same answer, so a kept result is never stale.
    Nothing that reads the database, the clock, the environment or a file is
    kept here; a result that depends on stored data is kept only when all of
    that data is among its arguments (the status memo keys on the household,
    the gemeente, the planner state and the day).

How big
    Every cache is bounded (`maxsize`, least recently used dropped first), sized
    for what one process asks again: a few thousand schedules and dates, a
    status report per household that is looked at. Kept results are shared
    values: callers must not change them.

Shared or about one household
    Most kept results are shared by every household: parsed schedules and
    their dates, business-day arithmetic, execution dates, planning settings.
    A running process keeps those warm whichever household asks. Results
    about one household (its status report, its EndToEndIds, its week covers)
    are declared `@kept(maxsize=..., per_household=True)`: a household's first
    view in a running process does not find them.

Who forgets, and when
    Nobody needs to for correctness. `forget_kept_results()` drops every cache
    registered here at once (tests that compare a cold and a warm answer).
    `forget_household_results()` drops only the results about one household:
    the web benchmark calls it before each request to time a household's first
    view after a night or a change.

Every speed cache in the domain and the services is declared with `@kept`, so
this module lists them all (`kept_functions()`). Outside those two layers, three
kinds of cache keep to the same rule (pure, bounded) but are not registered here,
because forgetting them never changes what a test or benchmark measures: the
connectors' parsed layouts and XML schemas (`functools.cache` on constants), and
the persistence adapter's checked gemeente and households, kept per exact stored
text (`adapters/persistence/repository.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])

# the lru_cache wrappers in the order they were declared, each with whether it is
# about one household (else shared)
_KEPT: list[tuple[Any, bool]] = []


def kept(maxsize: int, *, per_household: bool = False) -> Callable[[F], F]:
    """Keep up to `maxsize` results of a pure function of hashable, immutable
    arguments (see the module docstring); `per_household` when its results are
    about one household rather than shared by all."""
    if maxsize <= 0:
        raise ValueError("a kept cache needs a positive maxsize")

    def decorate(function: F) -> F:
        cached = lru_cache(maxsize=maxsize)(function)
        _KEPT.append((cached, per_household))
        return cast(F, cached)

    return decorate


def forget_kept_results() -> None:
    """Drop every kept result, shared and per household (tests: a cold start)."""
    for cached, _per_household in _KEPT:
        cached.cache_clear()


def forget_household_results() -> None:
    """Drop the kept results about households, keeping the shared ones (the web
    benchmark: a household's first view in a process that is already running)."""
    for cached, per_household in _KEPT:
        if per_household:
            cached.cache_clear()


def kept_functions(*, per_household: bool | None = None) -> tuple[str, ...]:
    """The qualified names of the functions whose results are kept: all of them,
    or with `per_household` only those that are (True) or are not (False)."""
    return tuple(
        f"{cached.__module__}.{cached.__qualname__}"
        for cached, about_one in _KEPT
        if per_household is None or about_one == per_household
    )
