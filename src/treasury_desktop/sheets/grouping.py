"""Rows that share a voucher key become one voucher: two passes over the stream.

The first pass reads only each row's key and remembers the last row of every key; the second
hands out a voucher's rows as soon as its last row has been read. Memory holds the vouchers
still open, which for a sheet sorted by voucher is one at a time.
A row with an empty key continues the voucher above it (the usual way books list the further
lines of a voucher).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from treasury_desktop.sheets.cells import text
from treasury_desktop.sheets.columns import SheetKind
from treasury_desktop.sheets.mapping import ColumnMapping
from treasury_desktop.sheets.reading import SheetRow

RowSource = Callable[[], Iterable[SheetRow]]


@dataclass(frozen=True)
class RowGroup:
    """The rows of one voucher, in sheet order."""

    key: str
    rows: tuple[SheetRow, ...]

    @property
    def row_numbers(self) -> tuple[int, ...]:
        """The sheet's row numbers of this voucher."""
        return tuple(r.number for r in self.rows)


def data_rows(rows: Iterable[SheetRow], mapping: ColumnMapping) -> Iterator[SheetRow]:
    """The rows below the header that hold anything."""
    for row in rows:
        if row.number > mapping.header_row and not row.is_blank():
            yield row


class _Keys:
    def __init__(self, mapping: ColumnMapping) -> None:
        group = mapping.column_of("group")
        self.column = group if group is not None else mapping.column_of("number")
        self.previous: str | None = None
        self.whole_sheet = mapping.kind is SheetKind.PAYROLL  # a payroll is one voucher

    def of(self, row: SheetRow) -> str:
        if self.whole_sheet:
            return "payroll"
        if self.column is None:
            key = f"#{row.number}"
        else:
            cell = row.cells[self.column] if self.column < len(row.cells) else None
            value = text(cell)
            key = value if value else (self.previous or f"#{row.number}")
        self.previous = key
        return key


def count_and_last_rows(
    rows: Iterable[SheetRow], mapping: ColumnMapping
) -> tuple[int, dict[str, int]]:
    """First pass: how many data rows, and the last row number of each voucher key."""
    keys = _Keys(mapping)
    last: dict[str, int] = {}
    count = 0
    for row in data_rows(rows, mapping):
        last[keys.of(row)] = row.number
        count += 1
    return count, last


def groups(
    rows: Iterable[SheetRow], mapping: ColumnMapping, last: dict[str, int]
) -> Iterator[RowGroup]:
    """Second pass: each voucher's rows, handed out when its last row has been read."""
    keys = _Keys(mapping)
    open_groups: dict[str, list[SheetRow]] = {}
    for row in data_rows(rows, mapping):
        key = keys.of(row)
        open_groups.setdefault(key, []).append(row)
        if last.get(key) == row.number:
            yield RowGroup(key, tuple(open_groups.pop(key)))
    for key, rest in open_groups.items():  # the file changed between the passes
        yield RowGroup(key, tuple(rest))
