"""A catalogue list imported from an .xlsx is offered by the window's code picker at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_voucher, open_window, settle, voucher

from treasury_desktop.domain.catalog import CatalogKind
from treasury_desktop.ui.fields import CodeLine
from treasury_desktop.usecases.catalog_update import CatalogUpdater


def test_an_imported_xlsx_list_is_used_by_the_picker(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in (("Mã", "Tên"), ("6500", "Thanh toán dịch vụ công cộng"),
                    ("6501", "Tiền điện"), ("6509", "Dịch vụ công cộng thử nghiệm (mới)")):
            sheet.append(row)
        book.save(tmp_path / "ndkt.xlsx")
        CatalogUpdater(desk.ctx.data_dir, lambda: date(2026, 11, 20)).import_file(
            tmp_path / "ndkt.xlsx", CatalogKind.NDKT, 2026
        )
        grid = window.editor.grid()
        grid.setFocus()
        grid.setCurrentCell(0, 1)
        grid.editItem(grid.item(0, 1))
        cell = grid.findChild(CodeLine, "cell_ndkt")
        assert cell is not None
        cell.selectAll()
        qtbot.keyClicks(cell, "thu nghiem")
        assert cell.picker.suggestions() == ["6509 — Dịch vụ công cộng thử nghiệm (mới)"]
        qtbot.keyClick(cell, Qt.Key.Key_Escape)
        qtbot.keyClick(cell, Qt.Key.Key_Escape)
        settle(qtbot, window)
