"""Issue 12 point 11: the small things (dropdown highlight, folders keep the selection, a
context menu, long fields read from their start, the title's accent)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from ui_harness import PAYEES, Desk, open_voucher, open_window, settle, voucher

from treasury_desktop.domain.voucher import Payee
from treasury_desktop.store.records import Folder
from treasury_desktop.ui.launch import FONT
from treasury_desktop.ui.style import STYLE_SHEET


@contextmanager
def app_look() -> Iterator[None]:
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


def test_the_highlighted_form_in_the_dropdown_is_readable(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1))
    with app_look(), open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        combo = window.editor.form_choice
        combo.showPopup()
        view = combo.view()
        qtbot.waitUntil(view.isVisible)
        view.setCurrentIndex(combo.model().index(1, 0))
        rect = view.visualRect(combo.model().index(1, 0))
        image = view.viewport().grab().toImage()
        x = min(rect.right(), image.width() - 1) - 3  # past the text: the row's background
        background = QColor(image.pixel(QPoint(x, rect.center().y())))
        assert background.lightness() < 245  # not white on white
        combo.hidePopup()
        settle(qtbot, window)


def test_switching_folders_keeps_the_selected_voucher(qtbot: QtBot, desk: Desk) -> None:
    made = [desk.add(voucher(i)) for i in range(4)]
    chosen = made[2]
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, chosen.id)
        window.folders.choose(Folder.TO_SIGN)  # complete drafts wait for signatures
        settle(qtbot, window)
        assert window.list_pane.current_id() == chosen.id
        window.folders.choose(Folder.ALL)
        settle(qtbot, window)
        assert window.list_pane.current_id() == chosen.id
        assert window.editing.voucher_id == chosen.id


def test_the_list_has_a_context_menu_with_its_actions(qtbot: QtBot, desk: Desk) -> None:
    desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        table = window.list_pane.table
        texts = [a.text() for a in table.actions() if not a.isSeparator()]
        assert window.action_map["copy"].text() in texts
        assert "Ký (Kế toán trưởng)" in texts and "Ký (Chủ tài khoản)" in texts
        assert window.action_map["delete"].text() in texts


def test_a_long_payee_reads_from_its_start_and_the_title_has_room_for_accents(
    qtbot: QtBot, desk: Desk,
) -> None:
    long_name = "Công ty Trách nhiệm hữu hạn Một thành viên Thương mại và Dịch vụ Thái Nguyên"
    payee = Payee(name=long_name, account=PAYEES[0].account, bank=PAYEES[0].bank)
    v = desk.add(voucher(1, payee=payee))
    with app_look(), open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        name = window.editor.widget("payee.name")
        assert isinstance(name, QLineEdit)
        assert name.text() == long_name and name.cursorPosition() == 0
        title = window.editor.title
        metrics = QFontMetrics(title.font())
        # Room above the capitals for the hook of Ủ: the label is taller than its font.
        assert title.height() >= metrics.height() + 6


def _arrow(style: object, sort: object) -> object:
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QStyle, QStyleOptionHeader

    image = QImage(16, 16, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    option = QStyleOptionHeader()
    option.rect = image.rect()
    option.sortIndicator = sort  # type: ignore[assignment]
    painter = QPainter(image)
    style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorHeaderArrow, option, painter)  # type: ignore[attr-defined]
    painter.end()
    return image


def test_the_sort_arrow_points_down_for_newest_first(qtbot: QtBot, desk: Desk) -> None:
    from PySide6.QtWidgets import QStyleFactory, QStyleOptionHeader

    from treasury_desktop.ui.header_arrows import HeaderArrows

    desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        header = window.list_pane.table.horizontalHeader()
        assert isinstance(window.list_pane.arrows, HeaderArrows)
        name = window.list_pane.arrows.baseStyle().name()
        base = QStyleFactory.create(name)
        up, down = (QStyleOptionHeader.SortIndicator.SortUp,
                    QStyleOptionHeader.SortIndicator.SortDown)
        assert _arrow(base, up) != _arrow(base, down)  # the style draws two arrows
        # What Qt calls SortUp (a descending column) is drawn as the base style's ▼.
        assert _arrow(window.list_pane.arrows, up) == _arrow(base, down)
        assert _arrow(window.list_pane.arrows, down) == _arrow(base, up)
        assert header.sortIndicatorOrder().name == "DescendingOrder"
