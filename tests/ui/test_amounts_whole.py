"""Issue 12 point 5: an amount of a billion or more shows whole in the list."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_window, settle, voucher

from treasury_desktop.ui.amount_cells import PADDING
from treasury_desktop.ui.list_model import TOTAL_COLUMN


def test_amounts_of_billions_show_whole_in_the_list(qtbot: QtBot, desk: Desk) -> None:
    amounts = {3_002_345_678: "3.002.345.678", 987_654_321_000: "987.654.321.000",
               1_234_000: "1.234.000"}
    made = {desk.add(voucher(i, amount=a)).id: shown for i, (a, shown) in
            enumerate(amounts.items(), 1)}
    with open_window(qtbot, desk) as window:
        window.resize(1280, 680)  # a laptop: the list is at its narrowest
        settle(qtbot, window)
        table, model = window.list_pane.table, window.list_pane.model
        delegate = table.itemDelegateForColumn(TOTAL_COLUMN)
        assert delegate is window.list_pane.amounts
        normal = QFontMetrics(table.font())
        assert table.columnWidth(TOTAL_COLUMN) - PADDING >= normal.horizontalAdvance(
            "3.002.345.678")  # a few tỷ at the table's own font
        for voucher_id, shown in made.items():
            index = model.index(model.row_of(voucher_id), TOTAL_COLUMN)
            assert index.data() == shown
            option = QStyleOptionViewItem()
            option.rect = table.visualRect(index)
            option.font = table.font()
            delegate.initStyleOption(option, index)
            assert option.text == shown  # nothing elided
            width = QFontMetrics(option.font).horizontalAdvance(option.text)
            assert width <= option.rect.width() - PADDING, (shown, width, option.rect)
            if shown != "987.654.321.000":
                assert option.font.pointSizeF() == table.font().pointSizeF()
