"""One data line of a CSV export → a typed `Row`.

`FileColumns` resolves a layout's column references against one file (its
header or its width); `RowReader` reads the typed values of one line and
names the line and column in every `CsvRejection`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from connectors.csv_layout import (
    TEXT_FIELDS,
    Col,
    CsvLayout,
    CsvRejection,
    normalize_account,
    parse_amount,
    parse_date,
    sign_of,
)
from huishoudboekje.domain.money import Money


@dataclass(frozen=True, slots=True)
class Row:
    """One data line of the export, typed."""

    line: int
    account: str
    currency: str
    booking_date: date
    value_date: date
    amount: Money
    description: str
    texts: dict[str, str]  # TEXT_FIELDS → value ("" when absent)
    balance_before: Money | None
    balance_after: Money | None


class FileColumns:
    """Column references resolved against one file (its header or its width)."""

    def __init__(
        self, layout: CsvLayout, header: list[str] | None, width: int, header_line: int
    ) -> None:
        self.layout = layout
        self.width = width
        self.header_line = header_line
        self.names = [name.strip() for name in header] if header is not None else None
        self.index: dict[str, int] = {}
        for position, name in enumerate(self.names or ()):
            self.index.setdefault(name.casefold(), position)
        # every mapped column resolved once; a required column that is absent rejects here
        self.positions: dict[Col, int | None] = {}
        for column in _all_columns(layout):
            self.positions[column] = self._resolve(column)
        self.mapped = sorted({p for p in self.positions.values() if p is not None})

    def find(self, column: Col | None) -> int | None:
        """The position of `column` in this file, None for an absent optional column."""
        if column is None:
            return None
        if column in self.positions:
            return self.positions[column]
        return self._resolve(column)

    def _resolve(self, column: Col) -> int | None:
        for ref in column.refs:
            if isinstance(ref, int) and self.names is None and ref < self.width:
                return ref
            if isinstance(ref, str) and ref.casefold() in self.index:
                return self.index[ref.casefold()]
        if column.optional:
            return None
        wanted = " or ".join(
            f'"{ref}"' if isinstance(ref, str) else str(ref) for ref in column.refs
        )
        raise CsvRejection(f"column {wanted} is missing", f"line {self.header_line}")

    def label(self, column: Col | None) -> str:
        """How the column is named in messages: its header name, else its number."""
        position = self.find(column)
        return "column ?" if position is None else self.label_at(position)

    def label_at(self, position: int) -> str:
        """The label of the column at `position`."""
        if self.names is not None and self.names[position]:
            return f'column "{self.names[position]}"'
        return f"column {position + 1}"


def _all_columns(layout: CsvLayout) -> list[Col]:
    spec = layout.columns
    found: list[Col] = [*spec.description, *(rule.source for rule in layout.patterns)]
    for name in spec.__slots__:
        value = getattr(spec, name)
        if isinstance(value, Col):
            found.append(value)
    return found


class RowReader:
    """Reads the typed values of one data line."""

    def __init__(self, columns: FileColumns, fields: list[str], line: int) -> None:
        self.columns = columns
        self.layout = columns.layout
        self.fields = fields
        self.where = f"line {line}"
        self.line = line

    def fail(self, column: Col | None, message: str) -> CsvRejection:
        """A rejection naming this line and `column`."""
        return CsvRejection(f"{self.columns.label(column)}: {message}", self.where)

    def raw(self, column: Col | None) -> str:
        """The stripped text of a column ("" when the column is absent)."""
        position = self.columns.find(column)
        if position is None:
            return ""
        return self.fields[position].strip()

    def check_quoting(self) -> None:
        """A mapped field that still has quotes around it was misquoted in the file."""
        quote = self.layout.quotechar
        if not quote:
            return
        for position in self.columns.mapped:
            value = self.fields[position].strip()
            if len(value) > 1 and value[0] == value[-1] == quote:
                label = self.columns.label_at(position)
                raise CsvRejection(
                    f"{label}: {value} is quoted inside an unquoted field "
                    "(a space before the opening quote?)",
                    self.where,
                )

    def text(self, column: Col | None) -> str:
        """A text value: the layout's extra quotes removed, whitespace folded."""
        value = self.raw(column)
        quote = self.layout.text_quote
        if quote and len(value) > 1 and value[0] == value[-1] == quote:
            value = value[1:-1]
        return " ".join(value.split())

    def money(self, column: Col | None, required: bool) -> Money | None:
        """The amount in `column`; None when absent or (if not required) empty."""
        value = self.raw(column)
        if self.columns.find(column) is None or (not value and not required):
            return None
        if not value:
            raise self.fail(column, "the amount is empty")
        try:
            return parse_amount(value, self.layout.amount_styles)
        except ValueError as error:
            raise self.fail(column, str(error)) from None

    def day(self, column: Col | None, required: bool) -> date | None:
        """The date in `column`; None when absent or (if not required) empty."""
        value = self.raw(column)
        if self.columns.find(column) is None or (not value and not required):
            return None
        try:
            if not value:
                raise ValueError("the date is empty")
            return parse_date(value, self.layout.date_formats)
        except ValueError as error:
            raise self.fail(column, f"{error} (expected {self.layout.date_hint()})") from None

    def row(self) -> Row:
        """The whole line as a `Row`."""
        spec = self.layout.columns
        self.check_quoting()
        account = normalize_account(self.raw(spec.account))
        if not account:
            raise self.fail(spec.account, "the account is empty")
        booking = self.day(spec.booking_date, required=True)
        assert booking is not None
        texts = {name: self.text(getattr(spec, name)) for name in TEXT_FIELDS}
        value_date = self._apply_patterns(texts, self.day(spec.value_date, required=False))
        for name in ("counterparty_iban", "counterparty_bic"):
            texts[name] = texts[name].replace(" ", "").upper()
        if re.fullmatch(self.layout.null_reference, texts["bank_reference"]):
            texts["bank_reference"] = ""  # e.g. de Volksbank's "00000000"
        return Row(
            line=self.line,
            account=account,
            currency=self.raw(spec.currency).upper() or self.layout.default_currency,
            booking_date=booking,
            value_date=value_date or booking,
            amount=self._amount(),
            description=" ".join(part for part in map(self.text, spec.description) if part),
            texts=texts,
            balance_before=self.money(spec.balance_before, required=False),
            balance_after=self.money(spec.balance_after, required=False),
        )

    def _amount(self) -> Money:
        spec = self.layout.columns
        amount = self.money(spec.amount, required=True)
        assert amount is not None
        if spec.sign is None:
            return amount
        if self.raw(spec.amount).startswith(("-", "+")):
            raise self.fail(
                spec.amount, f"the amount has a sign while {self.columns.label(spec.sign)} gives it"
            )
        try:
            return amount if sign_of(self.raw(spec.sign), self.layout) > 0 else -amount
        except ValueError as error:
            raise self.fail(spec.sign, str(error)) from None

    def _apply_patterns(self, texts: dict[str, str], value_date: date | None) -> date | None:
        """Fill empty fields from free text (`CsvLayout.patterns`); returns the value date."""
        for rule in self.layout.patterns:
            current = value_date if rule.target == "value_date" else texts[rule.target]
            if current:
                continue
            match = rule.regex.search(self.raw(rule.source))
            if not match:
                continue
            found = " ".join(next((group for group in match.groups() if group), "").split())
            if rule.target != "value_date":
                texts[rule.target] = found
                continue
            try:
                value_date = parse_date(found, self.layout.date_formats)
            except ValueError:
                raise self.fail(rule.source, f'value date "{found}" is not a date') from None
        return value_date
