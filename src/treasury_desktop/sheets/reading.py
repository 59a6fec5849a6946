"""Reading a spreadsheet as a stream of rows: .xlsx (python-calamine) or .csv.

Rows are handed out one at a time and never all held as Python objects. An .xlsx is parsed by
calamine (Rust), which keeps the sheet's cell values compactly while it is read: several
times faster than openpyxl's read-only mode, for about 1 MB per 1,000 rows (README). A .csv
is read line by line; it may be UTF-8 (with or without the BOM Excel writes), UTF-16 (Excel's
"Unicode text") or Windows-1258 (Excel's Vietnamese code page); its delimiter is a comma, a
semicolon or a tab, whichever the first line uses.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from treasury_desktop.i18n import ExpectedError

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv")
CellValue = Any  # str, int, float, datetime, date, bool or None, as the file holds it


@dataclass(frozen=True)
class SheetRow:
    """One row as the file holds it; ``number`` is the row number the spreadsheet shows."""

    number: int
    cells: tuple[CellValue, ...]

    def is_blank(self) -> bool:
        """No cell holds anything but spaces."""
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in self.cells)


def is_sheet_file(path: str | Path) -> bool:
    """Whether the file is read as a spreadsheet (else it is JSON lines)."""
    return Path(path).suffix.lower() in SHEET_SUFFIXES


class SheetSource:
    """A spreadsheet file and the sheet to read; ``rows()`` may be called again (a new pass)."""

    def __init__(self, path: str | Path, sheet: str | None = None) -> None:
        self.path = Path(path)
        self.is_csv = self.path.suffix.lower() == ".csv"
        self._sheet = sheet
        if not self.path.is_file():
            raise ExpectedError("excel.file_missing", path=str(self.path))
        self.sheet_name = self._csv_name() if self.is_csv else self._pick_sheet()

    def _csv_name(self) -> str:
        if self._sheet not in (None, self.path.stem):
            raise ExpectedError("excel.csv_no_sheets", path=str(self.path))
        return self.path.stem

    def _pick_sheet(self) -> str:
        names = self.sheet_names()
        if self._sheet is None:
            return names[0]
        if self._sheet not in names:
            raise ExpectedError(
                "excel.no_such_sheet", sheet=self._sheet, sheets=", ".join(names)
            )
        return self._sheet

    def sheet_names(self) -> list[str]:
        """The workbook's sheets, in order (a .csv has one, named after the file)."""
        if self.is_csv:
            return [self.path.stem]
        workbook = self._open_workbook()
        try:
            return list(workbook.sheet_names)
        finally:
            workbook.close()

    def rows(self) -> Iterator[SheetRow]:
        """Every row of the sheet, one at a time, with the row number Excel shows."""
        if self.is_csv:
            yield from _csv_rows(self.path)
            return
        workbook = self._open_workbook()
        try:
            sheet = workbook.get_sheet_by_name(self.sheet_name)
            # The used range may start below row 1 or right of column A: keep Excel's numbers.
            top, left = sheet.start or (0, 0)
            pad = (None,) * left
            for index, values in enumerate(sheet.iter_rows(), start=top + 1):
                yield SheetRow(index, pad + tuple(values))
        except CalamineError as error:
            raise ExpectedError(
                "excel.unreadable", path=str(self.path), reason=type(error).__name__
            ) from None
        finally:
            workbook.close()

    def _open_workbook(self) -> CalamineWorkbook:
        try:
            return CalamineWorkbook.from_path(str(self.path))
        except (CalamineError, OSError, ValueError) as error:
            raise ExpectedError(
                "excel.unreadable", path=str(self.path), reason=type(error).__name__
            ) from None


_ENCODINGS = ("utf-8", "cp1258")
_SAMPLE = 1 << 16


def sniff_encoding(head: bytes, *, cut: bool = False) -> str:
    """The text encoding of a .csv from its first bytes (a BOM, else UTF-8 if it decodes);
    ``cut``: the sample ends inside the file, perhaps inside a character."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in _ENCODINGS:
        try:
            head.decode(encoding)
        except UnicodeDecodeError as error:
            if cut and encoding == "utf-8" and error.start >= len(head) - 3:
                return encoding  # a multi-byte character cut by the sample's end
            continue
        return encoding
    return "cp1258"


def _csv_rows(path: Path) -> Iterator[SheetRow]:
    with path.open("rb") as raw:
        head = raw.read(_SAMPLE)
    encoding = sniff_encoding(head, cut=len(head) == _SAMPLE)
    try:
        with path.open(encoding=encoding, newline="") as handle:
            first = handle.readline()
            dialect = _delimiter(first)
            handle.seek(0)
            reader = csv.reader(handle, delimiter=dialect)
            for number, cells in enumerate(reader, start=1):
                # Windows-1258 writes tones as combining marks: compose them (NFC).
                yield SheetRow(number, tuple(unicodedata.normalize("NFC", c) for c in cells))
    except UnicodeDecodeError:
        raise ExpectedError("excel.csv_encoding", path=str(path)) from None
    except csv.Error as error:
        raise ExpectedError("excel.unreadable", path=str(path), reason=str(error)) from None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def rows_of_text(text: str) -> Iterator[SheetRow]:
    """Rows of CSV text already in memory (used by tests and the preview)."""
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text.split("\n", 1)[0]))
    for number, cells in enumerate(reader, start=1):
        yield SheetRow(number, tuple(cells))
