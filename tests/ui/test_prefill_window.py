"""Issue 12 point 11: a new voucher in the window starts with what can be known."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_window, settle, voucher

from treasury_desktop.domain.voucher import BudgetLine


def test_a_new_voucher_gets_the_next_number_the_usual_codes_and_the_level(
    qtbot: QtBot, desk: Desk,
) -> None:
    for i in (7, 8):
        desk.add(voucher(i, budget_level="2"))
    desk.add(voucher(9, budget_level="2").with_changes(lines=(BudgetLine(
        content="Mua sắm", ndkt="6501", chapter="422", industry="073", source="12",
        amount=5_000),)))
    with open_window(qtbot, desk) as window:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: window.editing.status is None
                        and window.editing.voucher_id is not None, timeout=5000)
        settle(qtbot, window)
        editor = window.editor
        number = editor.widget("number")
        level = editor.widget("budget_level")
        assert isinstance(number, QLineEdit) and isinstance(level, QLineEdit)
        assert number.text() == "10"
        assert level.text() == "2"
        assert editor.box("budget_level").hint.text() == "Ngân sách cấp tỉnh"
        (line,) = editor.grid().lines()
        assert (line.chapter, line.industry, line.source) == ("422", "072", "13")
        assert line.amount == 0 and line.ndkt == ""  # the rest is the accountant's
        unit = editor.widget("unit.code")
        assert isinstance(unit, QLineEdit) and unit.text() == "1171277"
        settle(qtbot, window)
