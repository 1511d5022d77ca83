"""Fuzzing every connector with mutated real files.

Seeds are the project's own samples (tests/samples/) and the shared corpus
(../shared/corpus, used when present). Each example takes one seed and applies
one to three mutations: bytes flipped, bytes inserted, truncation, an XML
element dropped or duplicated, an amount garbled, a line deleted, duplicated
or swapped, the text re-encoded (UTF-16, BOM, cp1252). Every importer in
`connectors.registry.all_importers()` is fuzzed (new formats are picked up by
name), and so is `read_pain001`.

Allowed outcomes: statements (a list of `Statement`s) or one `ConnectorError`.
Any other exception fails the test, and so does a ConnectorError that reports an
"unexpected error" (the connectors' catch-all that turns a bug into a
rejection), a hang (a hard per-example time limit, `HHB_FUZZ_TIME_LIMIT`
seconds, default 10, via SIGALRM; hypothesis's own deadline is off because
timing on a busy machine would make it flaky) or a memory blow-up (the Python
heap peak per example, traced with tracemalloc, and the growth of the
process's peak RSS are both bounded).

`HHB_FUZZ_EXAMPLES` is the total number of examples over all targets (default
300, `make fuzz` uses 3000); each target gets an equal share, at least 25.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.base import ConnectorError, StatementImporter
from connectors.pain001 import PAIN_VERSIONS, read_pain001
from connectors.pain001_schema import schema
from connectors.registry import all_importers
from huishoudboekje.domain.banking import Statement
from tests.golden import GOLDEN_DIR, SAMPLES_DIR, SHARED_CORPUS

TOTAL_EXAMPLES = int(os.environ.get("HHB_FUZZ_EXAMPLES", "300"))
TIME_LIMIT = float(os.environ.get("HHB_FUZZ_TIME_LIMIT", "10"))
MIN_EXAMPLES_PER_TARGET = 25
PYTHON_HEAP_LIMIT = 64 * 1024 * 1024  # plus 50 bytes per input byte
RSS_GROWTH_LIMIT = 512 * 1024 * 1024
NOT_STATEMENT_FILES = {".json", ".pydata", ".md", ".xsd", ".yaml", ".yml"}


# -- seeds ----------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    name: str
    data: bytes

    def __repr__(self) -> str:  # short, so that a failing example is readable
        return f"Seed({self.name!r}, {len(self.data)} bytes)"


def _files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and path.suffix.lower() not in NOT_STATEMENT_FILES
    )


def _statement_seeds() -> list[Seed]:
    paths = _files(SAMPLES_DIR) + [
        path for path in _files(SHARED_CORPUS) if "pain001" not in path.parts
    ]
    return [Seed(path.name, path.read_bytes()) for path in paths]


def _pain001_seeds() -> list[Seed]:
    paths = _files(SHARED_CORPUS / "pain001") + sorted(GOLDEN_DIR.glob("pain001__*.expected"))
    return [Seed(path.name, path.read_bytes()) for path in paths]


STATEMENT_SEEDS = _statement_seeds()
PAIN001_SEEDS = _pain001_seeds()
IMPORTERS = {importer.name: importer for importer in all_importers()}
EXAMPLES = max(MIN_EXAMPLES_PER_TARGET, TOTAL_EXAMPLES // (len(IMPORTERS) + 1))


def _seeds_for(importer: StatementImporter, directory: Path) -> list[Seed]:
    """The seeds this importer recognises; all seeds when it recognises none."""
    mine = []
    for seed in STATEMENT_SEEDS:
        path = directory / seed.name
        path.write_bytes(seed.data)
        if importer.identify(path):
            mine.append(seed)
        path.unlink()
    return mine or STATEMENT_SEEDS


# -- mutations --------------------------------------------------------------------

_OPEN_TAG = re.compile(rb"<([A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*(?=[\s/>])")
_AMOUNT = re.compile(rb"-?\d{1,15}[.,]\d{0,3}(?!\d)")  # also MT940's "12," and "0,3"
GARBAGE_AMOUNTS = [
    b"",
    b"-",
    b"12,5O",
    b"1e400",
    b"NaN",
    b"Infinity",
    b"-0.00",
    b"0.001",
    b"1.2.3",
    b"999999999999999999999999999.99",
    "١٢٣,٤٥".encode(),
    b"1 000,00",
    b"+-1",
    b"0x10",
]


def _flip(draw: st.DrawFn, data: bytes) -> bytes:
    if not data:
        return data
    buffer = bytearray(data)
    positions = st.lists(st.integers(0, len(buffer) - 1), min_size=1, max_size=8, unique=True)
    for position in draw(positions):
        buffer[position] ^= draw(st.integers(1, 255))
    return bytes(buffer)


def _insert(draw: st.DrawFn, data: bytes) -> bytes:
    position = draw(st.integers(0, len(data)))
    extra = draw(
        st.one_of(
            st.binary(min_size=1, max_size=16),
            st.sampled_from([b"<", b">", b"&", b"&amp;", b"]]>", b"<!--", b"\x00", b"\xff\xfe"]),
            st.sampled_from([b'<!DOCTYPE x [<!ENTITY e "aaaaaaaaaa">]>', b"&e;", b"\r\n", b":61:"]),
        )
    )
    return data[:position] + extra + data[position:]


def _truncate(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: draw(st.integers(0, max(len(data) - 1, 0)))]


def _element_span(draw: st.DrawFn, data: bytes) -> tuple[int, int] | None:
    tags = list(_OPEN_TAG.finditer(data))
    if not tags:
        return None
    tag = draw(st.sampled_from(tags))
    name = tag.group(0)[1:]
    close = data.find(b"</" + name + b">", tag.end())
    if close < 0:
        end = data.find(b"/>", tag.end())
        return (tag.start(), end + 2) if end >= 0 else None
    return tag.start(), close + len(name) + 3


def _drop_element(draw: st.DrawFn, data: bytes) -> bytes:
    span = _element_span(draw, data)
    return data if span is None else data[: span[0]] + data[span[1] :]


def _duplicate_element(draw: st.DrawFn, data: bytes) -> bytes:
    span = _element_span(draw, data)
    if span is None:
        return data
    start, end = span
    return data[:end] + data[start:end] + data[end:]


def _garble_amount(draw: st.DrawFn, data: bytes) -> bytes:
    amounts = list(_AMOUNT.finditer(data))
    if not amounts:
        return data
    match = draw(st.sampled_from(amounts))
    return data[: match.start()] + draw(st.sampled_from(GARBAGE_AMOUNTS)) + data[match.end() :]


def _lines(draw: st.DrawFn, data: bytes, change: Callable[[list[bytes], int], None]) -> bytes:
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    change(lines, draw(st.integers(0, len(lines) - 1)))
    return b"".join(lines)


def _drop_line(draw: st.DrawFn, data: bytes) -> bytes:
    return _lines(draw, data, lambda lines, i: lines.pop(i) and None)


def _duplicate_line(draw: st.DrawFn, data: bytes) -> bytes:
    return _lines(draw, data, lambda lines, i: lines.insert(i, lines[i]))


def _swap_lines(draw: st.DrawFn, data: bytes) -> bytes:
    def swap(lines: list[bytes], i: int) -> None:
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]

    return _lines(draw, data, swap)


def _reencode(draw: st.DrawFn, data: bytes) -> bytes:
    """The same text in another encoding, or behind a byte order mark."""
    text = data.decode("utf-8", errors="replace")
    encoding = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-8-sig", "cp1252", "latin-1"]))
    return text.encode(encoding, errors="replace")


MUTATIONS: dict[str, Callable[[st.DrawFn, bytes], bytes]] = {
    "reencode": _reencode,
    "flip": _flip,
    "insert": _insert,
    "truncate": _truncate,
    "drop_element": _drop_element,
    "duplicate_element": _duplicate_element,
    "garble_amount": _garble_amount,
    "drop_line": _drop_line,
    "duplicate_line": _duplicate_line,
    "swap_lines": _swap_lines,
}


# Mutations that keep an XML file well-formed most of the time, so that half of the
# examples get past the XML parser into the format's own checks.
STRUCTURAL = ("drop_element", "duplicate_element", "garble_amount")


@st.composite
def mutated(draw: st.DrawFn, seeds: list[Seed]) -> tuple[str, bytes]:
    """(file name, bytes) of a seed after one to three mutations."""
    seed = draw(st.sampled_from(seeds))
    data = seed.data
    kinds = draw(st.sampled_from([sorted(MUTATIONS), list(STRUCTURAL)]))
    for name in draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3)):
        data = MUTATIONS[name](draw, data)
    return seed.name, data


# -- limits -----------------------------------------------------------------------


class Hang(BaseException):
    """Raised by the alarm; a BaseException so that no parser's `except Exception` eats it."""


@contextlib.contextmanager
def bounded(input_size: int) -> Iterator[None]:
    """Fail on a hang (SIGALRM after TIME_LIMIT seconds) or a memory blow-up."""

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"no result after {TIME_LIMIT} s")

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    limit = PYTHON_HEAP_LIMIT + 50 * input_size
    assert peak <= limit, f"Python heap peak {peak} bytes for a {input_size}-byte input"
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    assert growth <= RSS_GROWTH_LIMIT, f"peak RSS grew by {growth} bytes"


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    # `make test` replays a fixed set of cases so CI is repeatable; `make fuzz`
    # (HHB_FUZZ_RANDOM=1) explores new ones every run.
    derandomize=os.environ.get("HHB_FUZZ_RANDOM") != "1",
    deadline=None,  # the hard time limit above catches hangs without flaky timing failures
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
)


def _warm_up(importer: StatementImporter, seed: Seed, directory: Path) -> None:
    """One unlimited run first, so one-time costs (imports, caches) do not count as a hang."""
    path = directory / seed.name
    path.write_bytes(seed.data)
    with contextlib.suppress(ConnectorError):
        importer.extract(path)


def _check_rejection(error: ConnectorError) -> None:
    """A rejection must be a deliberate one, not a connector's catch-all for bugs."""
    assert error.connector and error.file and error.message
    assert not error.message.startswith("unexpected error"), f"a bug escaped: {error}"


# -- the targets ------------------------------------------------------------------


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize("name", sorted(IMPORTERS))
def test_importer_survives_mutated_files(name: str, workdir: Path) -> None:
    importer = IMPORTERS[name]
    seeds = _seeds_for(importer, workdir)
    if not seeds:
        pytest.skip("no seed files (tests/samples and ../shared/corpus are empty)")
    _warm_up(importer, seeds[0], workdir)

    @FUZZ_SETTINGS
    @given(case=mutated(seeds))
    def run(case: tuple[str, bytes]) -> None:
        filename, data = case
        path = workdir / filename
        path.write_bytes(data)
        with bounded(len(data)):
            assert isinstance(importer.identify(path), bool)
            try:
                result = importer.extract(path)
            except ConnectorError as error:
                _check_rejection(error)
                return
        assert isinstance(result, list)
        assert all(isinstance(statement, Statement) for statement in result)

    run()


def test_read_pain001_survives_mutated_files() -> None:
    if not PAIN001_SEEDS:
        pytest.skip("no pain.001 seed files")
    for version in PAIN_VERSIONS:  # load the XSDs once, outside the time and memory limits
        schema(version)

    @FUZZ_SETTINGS
    @given(case=mutated(PAIN001_SEEDS))
    def run(case: tuple[str, bytes]) -> None:
        filename, data = case
        with bounded(len(data)):
            try:
                parsed = read_pain001(data, filename)
            except ConnectorError as error:
                assert error.connector == "pain001" and error.file == filename
                _check_rejection(error)
                return
        assert parsed.payments
        assert all(payment.amount.is_positive for payment in parsed.payments)

    run()


def test_the_harness_catches_a_hang() -> None:
    """The time limit fires even inside a parser that catches every Exception."""

    def parser_that_hangs() -> None:
        try:
            while True:
                pass
        except Exception:  # what a careless parser does; Hang is not an Exception
            pass

    global TIME_LIMIT
    saved, TIME_LIMIT = TIME_LIMIT, 0.2
    try:
        with pytest.raises(Hang), bounded(0):
            parser_that_hangs()
    finally:
        TIME_LIMIT = saved


def test_the_harness_catches_a_memory_blow_up() -> None:
    with pytest.raises(AssertionError, match="heap peak"), bounded(10):
        blob = [bytes(1024) for _ in range(80 * 1024)]  # ~90 MB of Python objects
        del blob


def test_mutations_change_the_seed() -> None:
    """Every mutation does something on a typical seed (so the fuzzer is not idle)."""
    seed = '<Doc><Amt Ccy="EUR">12.50</Amt>\n<Nm>é</Nm>\n<Nm>b</Nm>\n</Doc>\n'.encode()

    @settings(max_examples=30, deadline=None)
    @given(data=st.data(), mutation=st.sampled_from(sorted(MUTATIONS)))
    def run(data: st.DataObject, mutation: str) -> None:
        result = MUTATIONS[mutation](data.draw, seed)
        if mutation == "swap_lines":
            assert sorted(result.splitlines()) == sorted(seed.splitlines())
        else:
            assert result != seed

    run()
