"""The column mapping of an import: which column holds which field.

The importer proposes one from the header row; a saved mapping file (``--mapping FILE``, or
"Lưu ánh xạ" in the window) names fields by header text, so it still fits when the accountant
moves columns around. A mapping may be used as it is only when it is complete: every column
recognised once, and every required field present.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.sheets.columns import (
    FIELDS_BY_KIND,
    IGNORED,
    REQUIRED,
    SALARY_PREFIX,
    SheetKind,
    candidates,
)
from treasury_desktop.sheets.reading import SheetRow

HEADER_SEARCH_ROWS = 10
MAPPING_FORMAT = "treasury-desktop/column-mapping"


@dataclass(frozen=True)
class ColumnMapping:
    """The header row and, per column, the field it holds (``None``: not recognised)."""

    kind: SheetKind
    header_row: int
    headers: tuple[str, ...]
    fields: tuple[str | None, ...]

    def column_of(self, field: str) -> int | None:
        """The index of the column holding ``field``, if one does."""
        try:
            return self.fields.index(field)
        except ValueError:
            return None

    def with_field(self, column: int, field: str | None) -> ColumnMapping:
        """The same mapping with one column changed (the window's dialog)."""
        fields = list(self.fields)
        fields[column] = field
        return ColumnMapping(self.kind, self.header_row, self.headers, tuple(fields))

    def to_file(self, path: str | Path) -> None:
        """Save the mapping for the next import of a sheet like this one."""
        data = {
            "format": MAPPING_FORMAT,
            "version": 1,
            "kind": self.kind.value,
            "columns": {h: f for h, f in zip(self.headers, self.fields, strict=True) if h},
        }
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


@dataclass(frozen=True)
class MappingCheck:
    """What keeps a mapping from being used as it is; empty when it is complete."""

    unknown: tuple[str, ...]  # header texts no field fits
    ambiguous: tuple[str, ...]  # header texts that fit several fields, or share one field
    missing: tuple[str, ...]  # required fields no column holds

    @property
    def complete(self) -> bool:
        """Every column recognised once and every required field present."""
        return not (self.unknown or self.ambiguous or self.missing)


@dataclass(frozen=True)
class SavedMapping:
    """A mapping file: field per header text."""

    kind: SheetKind
    columns: Mapping[str, str | None]


def load_mapping(path: str | Path) -> SavedMapping:
    """Read a mapping file written by :meth:`ColumnMapping.to_file`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != MAPPING_FORMAT:
            raise ValueError("format")
        kind = SheetKind(data["kind"])
        columns = data["columns"]
        if not isinstance(columns, dict) or not all(
            isinstance(f, str | None) for f in columns.values()
        ):
            raise ValueError("columns")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise ExpectedError("excel.mapping_unreadable", path=str(path)) from None
    return SavedMapping(kind, dict(columns))


def _header_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def _recognised(row: SheetRow, kind: SheetKind) -> int:
    return sum(1 for cell in row.cells if candidates(cell, kind))


def find_header(rows: Iterable[SheetRow], kind: SheetKind) -> SheetRow | None:
    """The header row: of the first non-blank rows, the one with most recognised headers."""
    best: SheetRow | None = None
    best_count = 0
    seen = 0
    for row in rows:
        if row.is_blank():
            continue
        count = _recognised(row, kind)
        if count > best_count:
            best, best_count = row, count
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return best


def propose(
    header: SheetRow, kind: SheetKind, saved: SavedMapping | None = None
) -> tuple[ColumnMapping, MappingCheck]:
    """The mapping read from ``header`` (a saved mapping's columns win), and what it lacks."""
    headers = tuple(_header_text(c) for c in header.cells)
    while headers and not headers[-1]:
        headers = headers[:-1]
    fields: list[str | None] = []
    unknown: list[str] = []
    ambiguous: list[str] = []
    for text in headers:
        if not text:
            fields.append(IGNORED)
            continue
        if saved is not None and text in saved.columns:
            fields.append(saved.columns[text] or IGNORED)
            continue
        found = candidates(text, kind)
        if len(found) == 1:
            fields.append(found[0])
        else:
            fields.append(None)
            (ambiguous if found else unknown).append(text)
    mapping = ColumnMapping(kind, header.number, headers, tuple(fields))
    return mapping, check(mapping, unknown, ambiguous)


def check(
    mapping: ColumnMapping, unknown: Sequence[str] = (), ambiguous: Sequence[str] = ()
) -> MappingCheck:
    """Whether a mapping can be used: unrecognised, doubly used and missing fields."""
    unknown_list = list(unknown)
    ambiguous_list = list(ambiguous)
    allowed = FIELDS_BY_KIND[mapping.kind]
    seen: dict[str, str] = {}
    for text, field in zip(mapping.headers, mapping.fields, strict=True):
        if field is None:
            if text not in unknown_list and text not in ambiguous_list:
                unknown_list.append(text)
            continue
        if field == IGNORED:
            continue
        if field not in allowed and not (
            mapping.kind is SheetKind.PAYROLL and field.startswith(SALARY_PREFIX)
        ):
            unknown_list.append(text)
            continue
        if field in seen:
            for name in (seen[field], text):
                if name not in ambiguous_list:
                    ambiguous_list.append(name)
        seen[field] = text
    missing = [f for f in REQUIRED[mapping.kind] if f not in seen]
    if mapping.kind is SheetKind.PAYROLL and not any(f.startswith(SALARY_PREFIX) for f in seen):
        missing.append(SALARY_PREFIX)
    return MappingCheck(tuple(unknown_list), tuple(ambiguous_list), tuple(missing))
