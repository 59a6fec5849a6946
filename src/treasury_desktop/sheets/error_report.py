"""The refused rows, saved as an .xlsx with an error column beside them, to fix and re-import.

The original header and the refused vouchers' rows are copied as they were (read again as a
stream); the last column says what is wrong on each row. The error column's header is one the
importer reads past, so the fixed file imports as it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from treasury_desktop.i18n import Lang, text
from treasury_desktop.sheets.documents import Reason
from treasury_desktop.sheets.reading import SheetSource


def describe(reason: Reason, lang: Lang | None = None) -> str:
    """One reason as a sentence: where, then what is wrong."""
    message = reason.message.render(lang)
    if reason.column:
        return text("excel.at_column", lang, column=reason.column, message=message)
    return message


def write_error_report(
    source: SheetSource,
    header_row: int,
    refused: Iterable[tuple[tuple[int, ...], tuple[Reason, ...]]],
    path: str | Path,
    lang: Lang | None = None,
) -> int:
    """Write the refused vouchers' rows with their reasons; returns how many rows."""
    from openpyxl import Workbook

    by_row: dict[int, list[str]] = defaultdict(list)
    for numbers, reasons in refused:
        for number in numbers:
            by_row.setdefault(number, [])
        for reason in reasons:
            at = reason.row if reason.row in numbers else numbers[0]
            by_row[at].append(describe(reason, lang))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(source.sheet_name[:31])
    written = 0
    width = 0
    for row in source.rows():
        if row.number == header_row:
            width = len(row.cells)
            sheet.append([*row.cells, text("excel.error_column", lang)])
        elif row.number in by_row:
            cells = list(row.cells) + [None] * max(0, width - len(row.cells))
            sheet.append([*cells, "; ".join(by_row[row.number])])
            written += 1
    workbook.save(Path(path))
    return written
