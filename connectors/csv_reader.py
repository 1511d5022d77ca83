"""The one generic reader for every `CsvLayout`: bytes → text → rows.

`decode` detects the encoding, `sniff` tells whether a file's first lines fit a
layout (and with which delimiter), `read_rows` turns every data line into a
typed `Row` (`connectors/csv_row.py`) or raises `CsvRejection` naming the line
and column.
`connectors/csv_statements.py` groups the rows into statements.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from connectors.base import decode_utf8_or_cp1252
from connectors.csv_layout import (
    CsvLayout,
    CsvRejection,
)
from connectors.csv_row import FileColumns, Row, RowReader

UTF8_BOM = b"\xef\xbb\xbf"
SNIFF_BYTES = 4096
SNIFF_LINES = 20


def decode(data: bytes) -> str:
    """UTF-8 with BOM, UTF-8, else cp1252; anything else is refused."""
    if b"\x00" in data:
        raise CsvRejection("the file contains NUL bytes: not a text export (UTF-16 or binary?)")
    if data.startswith(UTF8_BOM):
        try:
            return data[len(UTF8_BOM) :].decode("utf-8")
        except UnicodeDecodeError as error:
            raise CsvRejection(
                f"the file starts with a UTF-8 byte order mark but byte {error.start + 3} "
                "is not UTF-8"
            ) from None
    try:
        return decode_utf8_or_cp1252(data)
    except UnicodeDecodeError as error:
        raise CsvRejection(
            f"the file is neither UTF-8 nor Windows-1252 text (byte {error.start} "
            f"is 0x{data[error.start]:02X})"
        ) from None


def decode_head(head: bytes) -> str:
    """The first bytes of a file as text for sniffing; never raises."""
    head = head.removeprefix(UTF8_BOM)
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # a character cut off at the sniff boundary
            return head[: error.start].decode("utf-8", errors="replace")
        return head.decode("cp1252", errors="replace")


def _records(text: str, layout: CsvLayout, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) per CSV record; csv.Error becomes a rejection."""
    if layout.quotechar is None:
        reader = csv.reader(
            io.StringIO(text, newline=None), delimiter=delimiter, quoting=csv.QUOTE_NONE
        )
    else:
        reader = csv.reader(
            io.StringIO(text, newline=None),
            delimiter=delimiter,
            quotechar=layout.quotechar,
            strict=True,
        )
    line = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CsvRejection(f"broken CSV quoting: {error}", f"line {line}") from None
        yield line, fields
        line = reader.line_num + 1


def _is_skipped(fields: list[str], layout: CsvLayout, delimiter: str, before_data: bool) -> bool:
    if not any(value.strip() for value in fields):
        return True  # blank line
    if layout.comment_prefix and fields[0].startswith(layout.comment_prefix):
        return True
    joined = delimiter.join(fields)
    return before_data and any(re.match(skip, joined) for skip in layout.skip_lines)


def _first_record(text: str, layout: CsvLayout, delimiter: str) -> tuple[int, list[str]] | None:
    for line, fields in _records(text, layout, delimiter):
        if not _is_skipped(fields, layout, delimiter, before_data=True):
            return line, fields
    return None


def _fits(fields: list[str], layout: CsvLayout) -> bool:
    if layout.has_header:
        names = {name.strip().casefold() for name in fields}
        return all(name.casefold() in names for name in layout.header_signature)
    if len(fields) not in layout.column_counts:
        return False
    return all(re.fullmatch(shape, fields[index].strip()) for index, shape in layout.row_shape)


def sniff(text: str, layout: CsvLayout, truncated: bool = False) -> str | None:
    """The delimiter with which `text` (the file's first lines) fits `layout`, else None."""
    lines = text.splitlines(keepends=True)
    if truncated and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut off at the sniff boundary
    head = "".join(lines[:SNIFF_LINES])
    for delimiter in layout.delimiters:
        try:
            first = _first_record(head, layout, delimiter)
        except CsvRejection:
            continue
        if first is not None and _fits(first[1], layout):
            return delimiter
    return None


def read_rows(text: str, layout: CsvLayout, delimiter: str) -> list[Row]:
    """Every data line of `text` as a `Row`, in file order. Raises `CsvRejection`."""
    columns: FileColumns | None = None
    rows: list[Row] = []
    for line, fields in _records(text, layout, delimiter):
        if _is_skipped(fields, layout, delimiter, before_data=columns is None):
            continue
        if columns is None:
            if layout.has_header:
                columns = FileColumns(layout, fields, len(fields), line)
                continue
            columns = FileColumns(layout, None, len(fields), line)
        if len(fields) != columns.width:
            raise CsvRejection(
                f"{len(fields)} columns where the file has {columns.width} "
                "(a truncated or broken line?)",
                f"line {line}",
            )
        rows.append(RowReader(columns, fields, line).row())
    if columns is None:
        raise CsvRejection("the file holds no header and no data lines")
    return rows
