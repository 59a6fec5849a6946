"""Opening a voucher from the window (outbox, notice, a test) selects its row alone, even while
Ctrl is still held from a shortcut such as Ctrl+D: never added to a selection, never missed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_voucher, open_window, voucher


def test_a_held_ctrl_does_not_turn_opening_into_adding(qtbot: QtBot, desk: Desk) -> None:
    first, second = desk.add(voucher(1)), desk.add(voucher(2))
    with open_window(qtbot, desk) as window:
        table = window.list_pane.table
        # pressed, not yet released (as a shortcut that moved the focus leaves it)
        QTest.keyPress(table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        try:
            assert QApplication.keyboardModifiers() == Qt.KeyboardModifier.ControlModifier
            open_voucher(qtbot, window, first.id)
            open_voucher(qtbot, window, second.id)
            rows = {i.row() for i in table.selectionModel().selectedRows()}
            assert rows == {window.list_pane.model.row_of(second.id)}
        finally:
            QTest.keyRelease(table, Qt.Key.Key_D)
