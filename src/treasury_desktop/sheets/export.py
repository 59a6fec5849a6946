"""The voucher list as an .xlsx: one row per budget line, totals, and a summary sheet.

Amounts are numbers shown "#,##0" (Excel groups them with dots on a Vietnamese system), dates
are dates, codes are text so their leading zeros stay. The header is frozen and the columns
sized. The summary sheet sums the period per mã NDKT and per mã nguồn, to reconcile with the
treasury's balance report. Written as a stream (openpyxl write-only): memory stays flat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from treasury_desktop.domain.voucher import Voucher
from treasury_desktop.i18n import Lang, text
from treasury_desktop.store.records import VoucherRow

AMOUNT_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"
COLUMNS = (
    ("number", 10), ("date", 12), ("form", 12), ("payee", 34), ("content", 40),
    ("ndkt", 9), ("chapter", 9), ("industry", 10), ("source", 9), ("amount", 16),
    ("status", 18), ("reference", 26),
)
_CODE_COLUMNS = {"number", "ndkt", "chapter", "industry", "source", "reference", "form"}
NameOf = Callable[[str, str], str]  # (kind, code) -> the catalogue's name, or ""


@dataclass
class ExportTotals:
    """What the export wrote: rows, vouchers, the grand total and the sums per code."""

    lines: int = 0
    vouchers: int = 0
    total: int = 0
    by_ndkt: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_source: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _cell(sheet: Any, value: Any, number_format: str | None = None, bold: bool = False) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    return cell


def _day(iso: str) -> date | str:
    try:
        return date.fromisoformat(iso)
    except ValueError:
        return iso


def _lines_of(voucher: Voucher) -> list[tuple[str, str, str, str, str, int]]:
    if voucher.lines:
        return [(ln.content, ln.ndkt, ln.chapter, ln.industry, ln.source, ln.amount)
                for ln in voucher.lines]
    return [(voucher.content, "", "", "", "", voucher.amount)]


def write_export(
    rows: Iterable[tuple[VoucherRow, Voucher]],
    path: str | Path,
    lang: Lang | None = None,
    name_of: NameOf | None = None,
    references: Callable[[str], str] | None = None,
) -> ExportTotals:
    """Write the list to ``path``; returns the totals it wrote."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(text("export.sheet_list", lang))
    sheet.freeze_panes = "A2"
    for index, (_, width) in enumerate(COLUMNS):
        sheet.column_dimensions[_letter(index)].width = width
    sheet.append([_cell(sheet, text(f"export.column.{key}", lang), bold=True)
                  for key, _ in COLUMNS])
    totals = ExportTotals()
    for row, voucher in rows:
        totals.vouchers += 1
        status = text(f"status.{row.status.value}", lang)
        reference = references(row.id) if references else ""
        for content, ndkt, chapter, industry, source, amount in _lines_of(voucher):
            values = {
                "number": voucher.number, "date": _day(voucher.date), "form": voucher.form,
                "payee": voucher.payee.name, "content": content, "ndkt": ndkt,
                "chapter": chapter, "industry": industry, "source": source, "amount": amount,
                "status": status, "reference": reference,
            }
            sheet.append([_styled(sheet, key, values[key]) for key, _ in COLUMNS])
            totals.lines += 1
            totals.total += amount
            totals.by_ndkt[ndkt] += amount
            totals.by_source[source] += amount
    total_row = [_cell(sheet, None) for _ in COLUMNS]
    total_row[0] = _cell(sheet, text("export.total", lang), bold=True)
    amount_at = [key for key, _ in COLUMNS].index("amount")
    total_row[amount_at] = _cell(sheet, totals.total, AMOUNT_FORMAT, bold=True)
    sheet.append(total_row)
    _summary(workbook, totals, lang, name_of)
    workbook.save(Path(path))
    return totals


def _styled(sheet: Any, key: str, value: Any) -> Any:
    if key == "amount":
        return _cell(sheet, value, AMOUNT_FORMAT)
    if key == "date" and isinstance(value, date):
        return _cell(sheet, value, DATE_FORMAT)
    if key in _CODE_COLUMNS:
        return _cell(sheet, value, TEXT_FORMAT)
    return _cell(sheet, value)


def _summary(
    workbook: Any, totals: ExportTotals, lang: Lang | None, name_of: NameOf | None
) -> None:
    sheet = workbook.create_sheet(text("export.sheet_summary", lang))
    for letter, width in (("A", 14), ("B", 48), ("C", 18)):
        sheet.column_dimensions[letter].width = width
    for kind, sums in (("ndkt", totals.by_ndkt), ("source", totals.by_source)):
        sheet.append([_cell(sheet, text(f"export.summary.{kind}", lang), bold=True)])
        sheet.append([_cell(sheet, text(f"export.column.{kind}", lang), bold=True),
                      _cell(sheet, text("export.column.name", lang), bold=True),
                      _cell(sheet, text("export.column.amount", lang), bold=True)])
        for code in sorted(sums):
            name = name_of(kind, code) if name_of and code else ""
            sheet.append([_cell(sheet, code or "—", TEXT_FORMAT), _cell(sheet, name),
                          _cell(sheet, sums[code], AMOUNT_FORMAT)])
        sheet.append([_cell(sheet, text("export.total", lang), bold=True), _cell(sheet, None),
                      _cell(sheet, sum(sums.values()), AMOUNT_FORMAT, bold=True)])
        sheet.append([])


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
