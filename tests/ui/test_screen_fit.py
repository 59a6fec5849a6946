"""Issue 12 point 4 / issue 17: the window on a 1366×768 and a 1280×720 laptop screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication, QScrollArea, QToolBar, QWidget
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_voucher, open_window, settle, voucher

from treasury_desktop.domain.forms import all_forms
from treasury_desktop.ui.main_window import MainWindow
from treasury_desktop.ui.screen_fit import PREFERRED, place_window, remember_size

TASKBAR = 40  # a desktop panel takes this much of the screen's height


def inside(window: MainWindow, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def scroll_to(area: QScrollArea, widget: QWidget) -> None:
    """Scroll as a user would until the whole field shows."""
    body = area.widget()
    assert body is not None
    top, height = widget.mapTo(body, QPoint(0, 0)).y(), widget.height()
    bar, view = area.verticalScrollBar(), area.viewport().height()
    if top + height > bar.value() + view:
        bar.setValue(top + height - view)
    if top < bar.value():
        bar.setValue(top)
    QApplication.processEvents()


def assert_reachable(qtbot: QtBot, window: MainWindow) -> None:
    """Every field of the form lies inside the window and the editor's visible area once
    scrolled to (and never needs a sideways scroll)."""
    editor = window.editor
    area = editor.findChild(QScrollArea)
    assert area is not None
    assert area.horizontalScrollBar().maximum() == 0  # nothing cut at the right
    view = area.viewport()
    for name in editor.tab_fields():
        widget = editor.widget(name)
        if not widget.isVisibleTo(editor):
            continue
        QApplication.processEvents()  # the form laid out first
        scroll_to(area, widget)
        rect = inside(window, widget)
        assert window.rect().contains(rect), (name, rect, window.rect())
        assert inside(window, view).contains(rect), (name, rect, inside(window, view))
    grids = [editor.grid()] if "lines" in editor.spec.field_order else []
    if "statement" in editor.spec.field_order:  # the Bảng kê, with a row to type into
        block = editor.statement_block()
        block.kind.buttons["direct"].click()
        QApplication.processEvents()
        for part in (block.grid, block.add_button, block.remove_button, block.sum_label):
            scroll_to(area, part)
            assert inside(window, view).contains(inside(window, part)), part.objectName()
        grids.append(block.grid)
        right = max(block.grid.columnViewportPosition(c) + block.grid.columnWidth(c)
                    for c in range(block.grid.columnCount()))
        assert right <= block.grid.viewport().width()
        block.kind.buttons[""].click()  # as it was: the next form starts from the same voucher
        grids.pop()
    for grid in grids:  # every column of each grid in sight (the C4-02a/KB line table too)
        right = max(grid.columnViewportPosition(c) + grid.columnWidth(c)
                    for c in range(grid.columnCount()))
        assert right <= grid.viewport().width(), grid.objectName()


@pytest.mark.parametrize("screen", [QSize(1366, 768), QSize(1280, 720)])
def test_the_window_fits_a_laptop_screen_with_every_field_reachable(
    qtbot: QtBot, desk: Desk, screen: QSize,
) -> None:
    room = QRect(0, 0, screen.width(), screen.height() - TASKBAR)
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        place_window(window, None, room)
        settle(qtbot, window)
        open_voucher(qtbot, window, v.id)
        # The frame (with a title bar) fits the available area, and so does the minimum.
        assert window.width() + 16 <= room.width() and window.height() + 40 <= room.height()
        hint = window.minimumSizeHint()
        assert hint.width() <= window.width() and hint.height() <= window.height()
        assert window.rect().contains(inside(window, window.statusBar()))
        # Every toolbar action is in sight: none behind "»".
        for bar in window.findChildren(QToolBar):
            for action in bar.actions():
                if not action.isSeparator() and bar.isVisible():
                    shown = bar.widgetForAction(action)
                    assert shown is not None and shown.isVisible(), action.text()
                    assert window.rect().contains(inside(window, shown)), action.text()
        for spec in all_forms():  # every form, not only the one opened
            index = window.editor.form_choice.findData(spec.code)
            if index >= 0:
                window.editor.form_choice.setCurrentIndex(index)
                qtbot.wait(20)
                assert_reachable(qtbot, window)
        settle(qtbot, window)


def test_the_window_opens_at_its_last_size_within_the_screen(
    qtbot: QtBot, desk: Desk, tmp_path: Path,
) -> None:
    with open_window(qtbot, desk) as window:
        room = QRect(0, 0, 1366, 728)
        place_window(window, tmp_path, room)  # nothing remembered: the default, cut to fit
        assert window.width() == min(PREFERRED.width(), 1366 - 16)
        assert window.height() == 728 - 40
        window.resize(1100, 600)
        remember_size(window, tmp_path)
        place_window(window, tmp_path, room)
        assert (window.width(), window.height()) == (1100, 600)
        place_window(window, tmp_path, QRect(0, 0, 1024, 560))  # a smaller screen now
        assert window.width() <= 1024 - 16 and window.height() <= 560 - 40
        (tmp_path / "window.json").write_text("{not json", encoding="utf-8")
        place_window(window, tmp_path, room)  # unreadable: the default again
        assert window.height() == 728 - 40
        settle(qtbot, window)
