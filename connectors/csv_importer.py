"""`CsvImporter`: a `StatementImporter` made of one or more `CsvLayout`s."""

from __future__ import annotations

from pathlib import Path

from connectors.base import guarded, read_whole
from connectors.csv_layout import CsvLayout, CsvRejection
from connectors.csv_reader import SNIFF_BYTES, decode, decode_head, read_rows, sniff
from connectors.csv_statements import build_statements
from huishoudboekje.domain.banking import Statement

MAX_BYTES = 256 * 2**20  # far beyond any bank's CSV download; the file is read whole


class CsvImporter:
    """One bank's CSV exports; `layouts` are its variants, tried in order."""

    def __init__(self, name: str, layouts: tuple[CsvLayout, ...]) -> None:
        self.name = name
        self.layouts = layouts

    def identify(self, path: Path) -> bool:
        """Sniff the first 4 KB: a layout's header signature or headerless row shape."""
        try:
            with path.open("rb") as stream:
                head = stream.read(SNIFF_BYTES)
            truncated = len(head) == SNIFF_BYTES
            text = decode_head(head)
            return any(sniff(text, layout, truncated) is not None for layout in self.layouts)
        except Exception:  # a sniff never raises: unreadable means "not mine"
            return False

    def extract(self, path: Path) -> list[Statement]:
        """Parse the whole file or raise one `ConnectorError`; never a partial result."""
        return self.parse(read_whole(self.name, path, MAX_BYTES), path.name)

    def extract_unchecked(self, path: Path) -> list[Statement]:
        """As `extract`, without the running-balance checks (diagnostics only)."""
        return self.parse(read_whole(self.name, path, MAX_BYTES), path.name, reconcile=False)

    def parse(self, data: bytes, filename: str, *, reconcile: bool = True) -> list[Statement]:
        """The pure parser: file contents in, statements out (or `ConnectorError`).

        `reconcile=False` skips the running-balance checks (diagnostics and tests only).
        """
        return guarded(self.name, filename, lambda: self._parse(data, reconcile), CsvRejection)

    def _parse(self, data: bytes, reconcile: bool) -> list[Statement]:
        if not data.strip():
            raise CsvRejection("the file is empty")
        text = decode(data)
        for layout in self.layouts:
            delimiter = sniff(text, layout)
            if delimiter is not None:
                rows = read_rows(text, layout, delimiter)
                return build_statements(rows, layout, self.name, reconcile)
        names = [layout.name for layout in self.layouts]
        either = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        raise CsvRejection(f"the first lines do not match the {either} layout")
