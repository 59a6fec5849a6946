"""Issue 12 points 4, 11, 12 on a 1366×768 and a 1280×720 laptop: nothing the accountant reads
is cut — folder names with their counts, the unit's account number, a long state in the list
(drawn smaller, never "Trả lại để bổ s…"); the amount and the state come before the texts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_voucher, open_window, settle, voucher

from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.ui.amount_cells import PADDING, font_to_fit
from treasury_desktop.ui.list_model import STATUS_COLUMN, TOTAL_COLUMN
from treasury_desktop.ui.screen_fit import place_window


@pytest.mark.parametrize("screen", [QSize(1366, 768), QSize(1280, 720)])
def test_names_accounts_and_states_show_whole(qtbot: QtBot, desk: Desk, screen: QSize) -> None:
    returned = desk.add(voucher(3), VoucherState.SENT)
    desk.repo.set_status(returned.id, VoucherState.RETURNED, actor=desk.ctx.actor,
                         reason="Thiếu hợp đồng")
    for i in range(12):
        desk.add(voucher(10 + i), VoucherState.SIGNED_HOLDER)
    with open_window(qtbot, desk) as window:
        place_window(window, None, QRect(0, 0, screen.width(), screen.height() - 40))
        settle(qtbot, window)
        open_voucher(qtbot, window, returned.id)
        QApplication.processEvents()
        folders = window.folders
        metrics = folders.fontMetrics()
        for row in range(folders.count()):
            shown = folders.visualItemRect(folders.item(row))
            assert metrics.horizontalAdvance(folders.item(row).text()) <= shown.width(), \
                folders.item(row).text()
        account = window.editor.widget("unit.account")
        assert isinstance(account, QLineEdit)
        room = account.contentsRect().width() - 8  # the style sheet's padding and cursor
        assert account.fontMetrics().horizontalAdvance(account.text()) <= room
        table = window.list_pane.table
        model = window.list_pane.model
        index = model.index(model.row_of(returned.id), STATUS_COLUMN)
        words = model.data(index)
        assert words == "Trả lại để bổ sung"
        width = table.columnWidth(STATUS_COLUMN) - PADDING
        fitted = font_to_fit(table.font(), words, width)
        assert QFontMetrics(fitted).horizontalAdvance(words) <= width
        header = table.horizontalHeader()
        assert header.visualIndex(TOTAL_COLUMN) < header.visualIndex(2)  # before the payee
        assert header.visualIndex(STATUS_COLUMN) < header.visualIndex(2)
        right = header.sectionViewportPosition(STATUS_COLUMN) + header.sectionSize(STATUS_COLUMN)
        assert right <= table.viewport().width()  # the state in sight without scrolling
        settle(qtbot, window)
