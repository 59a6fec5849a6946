"""Issue 12 point 2: code pickers that can be read (wide popup, names in view, F4 lookup)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_voucher, open_window, settle, voucher

from treasury_desktop.domain.catalog import CatalogKind
from treasury_desktop.ui.code_lookup import CodeLookup
from treasury_desktop.ui.fields import CodeLine
from treasury_desktop.ui.main_window import MainWindow


def edit_cell(window: MainWindow, col: int, name: str) -> CodeLine:
    grid = window.editor.grid()
    grid.setFocus()
    grid.setCurrentCell(0, col)
    grid.editItem(grid.item(0, col))
    cell = grid.findChild(CodeLine, f"cell_{name}")
    assert cell is not None
    return cell


def test_the_ndkt_popup_is_wide_enough_for_the_longest_code_and_name(
    qtbot: QtBot, desk: Desk,
) -> None:
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        cell = edit_cell(window, 1, "ndkt")
        cell.selectAll()
        qtbot.keyClicks(cell, "65")
        popup = cell.picker.popup()
        assert popup is not None and popup.isVisible()
        rows = popup.model().rowCount()
        assert rows > 3
        metrics = QFontMetrics(popup.font())
        texts = [popup.model().index(r, 0).data() for r in range(rows)]
        longest = max(metrics.horizontalAdvance(text) for text in texts)
        assert popup.viewport().width() >= longest  # every "code — name" shows whole
        assert popup.width() > cell.width() * 3
        qtbot.keyClick(cell, Qt.Key.Key_Escape)
        settle(qtbot, window)


def test_code_cells_and_the_line_name_their_codes(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1))
    catalog = desk.ctx.catalog(2026)
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        grid = window.editor.grid()
        grid.setCurrentCell(0, 4)
        settle(qtbot, window)
        source = catalog.name_of(CatalogKind.SOURCE, "13")
        industry = catalog.name_of(CatalogKind.INDUSTRY, "072")
        assert source and industry
        assert grid.item(0, 4).toolTip() == f"13 — {source}"
        assert grid.item(0, 3).toolTip() == f"072 — {industry}"
        shown = window.editor.lines.names.text()  # beside the grid, in plain view
        assert f"13 — {source}" in shown and f"072 — {industry}" in shown


def test_f4_opens_a_searchable_lookup_and_types_the_code_chosen(
    qtbot: QtBot, desk: Desk,
) -> None:
    v = desk.add(voucher(1))
    catalog = desk.ctx.catalog(2026)
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        cell = edit_cell(window, 4, "source")
        seen: list[int] = []

        def choose() -> None:
            lookup = QApplication.activeModalWidget()
            assert isinstance(lookup, CodeLookup)
            seen.append(lookup.list.count())
            assert lookup.chosen() == "13"  # opens on the code in the cell, the whole list
            lookup.search.setText("12")
            assert lookup.chosen() == "12"
            lookup.accept()

        QTimer.singleShot(50, choose)
        qtbot.keyClick(cell, Qt.Key.Key_F4)
        assert seen == [len(catalog.codes(CatalogKind.SOURCE))]
        assert cell.text() == "12"
        assert cell.toolTip() == f"12 — {catalog.name_of(CatalogKind.SOURCE, '12')}"
        qtbot.keyClick(cell, Qt.Key.Key_Return)  # Enter commits the cell
        settle(qtbot, window)
        assert window.editor.grid().item(0, 4).text() == "12"
