"""Issue 12 point 10: the form does not jump while typing.

An error under a field takes room that was kept for it: no field moves when it shows or goes,
and Bằng chữ keeps two lines' room. (The panels' steady size: tests/ui/outbox.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLineEdit, QScrollArea
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_voucher, open_window, settle, voucher

from treasury_desktop.ui.launch import FONT
from treasury_desktop.ui.main_window import MainWindow
from treasury_desktop.ui.screen_fit import place_window
from treasury_desktop.ui.style import STYLE_SHEET


@contextmanager
def app_look() -> Iterator[None]:
    """The app's font and style sheet: the notes' height depends on them."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font, sheet = app.font(), app.styleSheet()
    app.setFont(QFont(*FONT))
    app.setStyleSheet(STYLE_SHEET)
    try:
        yield
    finally:
        app.setStyleSheet(sheet)
        app.setFont(font)


def positions(window: MainWindow) -> dict[str, QPoint]:
    """Where every shown field sits in the form."""
    editor = window.editor
    body = editor.findChild(QScrollArea).widget()
    return {name: editor.widget(name).mapTo(body, QPoint(0, 0))
            for name in editor.tab_fields() if editor.widget(name).isVisibleTo(editor)}


def laptop(window: MainWindow, size: QSize) -> None:
    place_window(window, None, QRect(0, 0, size.width(), size.height() - 40))


def test_an_error_under_a_field_does_not_move_the_form(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1, amount=1_000))
    with app_look(), open_window(qtbot, desk) as window:
        laptop(window, QSize(1366, 768))
        open_voucher(qtbot, window, v.id)
        QApplication.processEvents()
        before = positions(window)
        payee = window.editor.widget("payee.name")
        assert isinstance(payee, QLineEdit)
        payee.setFocus()
        payee.selectAll()
        qtbot.keyClick(payee, Qt.Key.Key_Backspace)  # required: an error shows under it
        box = window.editor.box("payee.name")
        qtbot.waitUntil(lambda: box.error != "", timeout=5000)
        QApplication.processEvents()
        assert box.note.isVisible()
        assert box.note.height() <= box.note.fontMetrics().height() + 1  # one kept line
        assert positions(window) == before
        qtbot.keyClicks(payee, "Cong ty A")
        qtbot.waitUntil(lambda: box.error == "", timeout=5000)
        QApplication.processEvents()
        assert positions(window) == before
        # a long message keeps to its line (whole in the tooltip)
        box.set_error("Tên đơn vị nhận tiền quá dài " * 12)
        QApplication.processEvents()
        assert positions(window) == before
        assert box.note.toolTip().startswith("Tên đơn vị nhận tiền quá dài")
        # Bằng chữ growing from one line to two keeps its room
        lines = window.editor.lines
        words = lines.words_label
        lines.show_totals(v)
        QApplication.processEvents()
        height = words.height()
        line = v.lines[0]
        lines.show_totals(v.with_changes(lines=(line.__class__(**{
            **line.__dict__, "amount": 987_654_321_987}),)))
        QApplication.processEvents()
        assert words.heightForWidth(words.width()) > words.fontMetrics().lineSpacing() + 4
        assert words.height() == height
        window.editing.timer.stop()
        settle(qtbot, window)
