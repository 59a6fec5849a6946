"""The editor: printed-form order, typing Vietnamese, live total, errors beside fields, grid."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QRadioButton, QWidget
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_voucher, open_window, settle, voucher

from treasury_desktop.domain.catalog import CatalogKind
from treasury_desktop.domain.forms import all_forms
from treasury_desktop.domain.voucher import BudgetLine
from treasury_desktop.ui.editor import VoucherEditor
from treasury_desktop.ui.fields import ChoiceField, CodeLine
from treasury_desktop.ui.main_window import MainWindow
from treasury_desktop.ui.statement_block import StatementBlock


def type_unicode(widget: QWidget, text: str) -> None:
    """Type as an input method (Unikey, ibus) does: one commit string (FACTS.md)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def focus_order(window: MainWindow, steps: int) -> list[str]:
    window.editor.form_choice.setFocus()
    names = []
    for _ in range(steps):
        widget = QApplication.focusWidget()
        assert widget is not None
        names.append(widget.objectName())
        QTestKey.tab(widget)
    return names


class QTestKey:
    qtbot: QtBot

    @staticmethod
    def tab(widget: QWidget) -> None:
        QTestKey.qtbot.keyClick(widget, Qt.Key.Key_Tab)


def expected_tab_order(editor: VoucherEditor) -> list[str]:
    names = ["form"]
    for name in editor.tab_fields():
        widget = editor.widget(name)
        if isinstance(widget, StatementBlock):  # its kind first, then its rows and buttons
            widget = widget.kind
        if isinstance(widget, ChoiceField):
            checked = next(b for b in widget.buttons.values() if b.isChecked())
            names.append(checked.objectName())
        else:
            names.append(name)
    return names


def test_tab_follows_the_printed_form(qtbot: QtBot, desk: Desk) -> None:
    QTestKey.qtbot = qtbot
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        expected = expected_tab_order(window.editor)
        assert expected == [
            "form", "number", "choice_actual", "choice_transfer", "unit.name", "unit.code",
            "unit.account", "unit.treasury", "budget_level", "fiscal_year", "program_name",
            "program_code", "commitment_number", "commitment_contract", "lines", "payee.name",
            "payee.address", "payee.account", "payee.bank", "date", "statement_kind_none",
        ]
        assert focus_order(window, len(expected)) == expected
        # Cash: the payee's identity fields take the place of account and bank.
        cash = window.editor.widget("method")
        assert isinstance(cash, ChoiceField)
        cash.buttons["cash"].click()
        expected = expected_tab_order(window.editor)
        assert expected[-8:-1] == [
            "payee.name", "choice_cccd", "payee.id_kind_name", "payee.id_number",
            "payee.id_date", "payee.id_place", "date",
        ]
        assert focus_order(window, len(expected)) == expected


def test_typing_vietnamese_through_an_input_method(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        editor = window.editor
        name = editor.widget("payee.name")
        assert isinstance(name, QLineEdit)
        name.clear()
        name.setFocus()
        type_unicode(name, "Trạm Y tế xã Động Đạt")
        assert name.text() == "Trạm Y tế xã Động Đạt"
        grid = editor.grid()
        grid.setFocus()
        grid.setCurrentCell(0, 0)
        grid.editItem(grid.item(0, 0))
        cell = grid.findChild(QLineEdit, "cell_content")
        assert cell is not None
        cell.selectAll()
        type_unicode(cell, "Mua thuốc, vật tư y tế quý IV")
        qtbot.keyClick(cell, Qt.Key.Key_Return)
        current = editor.voucher()
        assert current is not None
        assert current.payee.name == "Trạm Y tế xã Động Đạt"
        assert current.lines[0].content == "Mua thuốc, vật tư y tế quý IV"
        settle(qtbot, window)
        stored = desk.repo.get(v.id)
        assert stored is not None
        assert stored.voucher.payee.name == "Trạm Y tế xã Động Đạt"


def test_total_and_words_follow_the_lines(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1, amount=1_000))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        editor = window.editor
        grid = editor.grid()
        grid.setFocus()
        grid.setCurrentCell(0, 5)
        qtbot.keyClick(grid, Qt.Key.Key_1)  # typing starts editing the cell
        qtbot.keyClicks(QApplication.focusWidget(), "234000")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert grid.item(0, 5).text() == "1.234.000"
        assert "1.234.000" in editor.total_label.text()
        assert editor.words_label.text() == (
            "Bằng chữ: Một triệu hai trăm ba mươi tư nghìn đồng chẵn"
        )
        window.action_map["add_line"].trigger()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        grid.setCurrentCell(1, 5)
        qtbot.keyClick(grid, Qt.Key.Key_1)
        qtbot.keyClicks(QApplication.focusWidget(), "050000")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert "2.284.000" in editor.total_label.text()
        assert editor.words_label.text().endswith(
            "Hai triệu hai trăm tám mươi tư nghìn đồng chẵn"
        )
        settle(qtbot, window)


def test_errors_show_beside_their_fields_and_clear_when_fixed(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        editor = window.editor
        code = editor.widget("unit.code")
        assert isinstance(code, QLineEdit)
        assert editor.box("unit.code").error == ""
        code.selectAll()
        qtbot.keyClicks(code, "12")
        settle(qtbot, window)
        box = editor.box("unit.code")
        assert box.error  # e.g. "Mã ĐVQHNS phải có 7 chữ số"
        assert box.note.isVisible()
        assert code.property("invalid") is True
        assert window.list_pane.model.row_record(0).problems == 1
        code.selectAll()
        qtbot.keyClicks(code, "1171277")
        settle(qtbot, window)
        assert box.error == ""
        assert not box.note.isVisible()


def test_line_problems_mark_their_cells(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1).with_changes(lines=(BudgetLine("Điện", "", "422", "072", "13", 5),)),
                 problems=1)
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        grid = window.editor.grid()
        assert grid.item(0, 1).toolTip()  # mã NDKT missing
        assert grid.item(0, 1).background().color().name() == "#fde7e5"
        assert grid.item(0, 0).toolTip() == ""
        assert window.editor.lines_note.text().startswith("Dòng 1:")


def test_enter_moves_through_the_grid_and_adds_a_row(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        grid = window.editor.grid()
        grid.setFocus()
        grid.setCurrentCell(0, 2)
        qtbot.keyClick(grid, Qt.Key.Key_Return)
        assert (grid.currentRow(), grid.currentColumn()) == (0, 3)
        editing = QApplication.focusWidget()
        assert isinstance(editing, QLineEdit)  # the next cell is open for typing
        qtbot.keyClick(editing, Qt.Key.Key_Return)
        assert (grid.currentRow(), grid.currentColumn()) == (0, 4)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert (grid.currentRow(), grid.currentColumn()) == (0, 5)
        assert grid.rowCount() == 1
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # last cell: a new row
        assert grid.rowCount() == 2
        assert (grid.currentRow(), grid.currentColumn()) == (1, 0)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        settle(qtbot, window)


def test_code_picker_offers_code_and_name(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        grid = window.editor.grid()
        grid.setFocus()
        grid.setCurrentCell(0, 1)
        grid.editItem(grid.item(0, 1))
        cell = grid.findChild(CodeLine, "cell_ndkt")
        assert cell is not None
        cell.selectAll()
        qtbot.keyClicks(cell, "6501")
        suggestions = cell.picker.suggestions()
        catalog = desk.ctx.catalog(2026)
        assert suggestions[0] == f"6501 — {catalog.name_of(CatalogKind.NDKT, '6501')}"
        popup = cell.picker.popup()
        assert popup is not None and popup.isVisible()
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        # One Enter takes the suggestion, commits the cell and moves on (issue 12).
        qtbot.waitUntil(lambda: grid.item(0, 1).text() == "6501")  # only the code
        assert grid.currentColumn() == 2
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        grid.setCurrentCell(0, 1)
        grid.editItem(grid.item(0, 1))
        cell = grid.findChild(CodeLine, "cell_ndkt")
        assert cell is not None
        cell.selectAll()
        qtbot.keyClicks(cell, "tien nuoc")  # by name, without diacritics
        assert any(s.startswith("6502 — ") for s in cell.picker.suggestions())
        qtbot.keyClick(cell, Qt.Key.Key_Escape)
        qtbot.keyClick(cell, Qt.Key.Key_Escape)
        # a header code shows its name beside the field
        treasury = window.editor.box("unit.treasury")
        assert treasury.hint.text() == catalog.name_of(CatalogKind.TREASURY, "0011")
        settle(qtbot, window)


def test_cash_payee_fields(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        editor = window.editor
        method = editor.widget("method")
        assert isinstance(method, ChoiceField)
        assert editor.box("payee.account").isVisible()
        assert not editor.box("payee.id_number").isVisible()
        button = method.buttons["cash"]
        assert isinstance(button, QRadioButton)
        button.click()
        assert editor.box("payee.id_number").isVisible()
        assert not editor.box("payee.account").isVisible()
        current = editor.voucher()
        assert current is not None and current.payee.account == ""  # hidden fields are not kept
        settle(qtbot, window)


def test_switching_to_a_payment_order_keeps_the_lines_as_its_line_table(
    qtbot: QtBot, desk: Desk,
) -> None:
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        editor = window.editor
        index = editor.form_choice.findData("C4-02a/KB")
        editor.form_choice.setCurrentIndex(index)
        assert editor.spec.code == "C4-02a/KB"
        assert "amount" not in editor.tab_fields() and "lines" in editor.tab_fields()
        grid = editor.grid()
        assert grid.deposit
        grid.setFocus()
        grid.setCurrentCell(0, 3)
        qtbot.keyClick(grid, Qt.Key.Key_1)  # typing starts editing the cell
        qtbot.keyClicks(QApplication.focusWidget(), "500000")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        assert grid.item(0, 3).text() == "1.500.000"
        settle(qtbot, window)
        stored = desk.repo.get(v.id)
        assert stored is not None
        got = stored.voucher
        assert got.form == "C4-02a/KB" and got.lines == () and got.total == 1_500_000
        assert [line.amount for line in got.deposit_lines] == [1_500_000]
        assert got.deposit_lines[0].budget_year == 2026 and got.deposit_lines[0].source == "13"


@pytest.mark.parametrize("form", [spec.code for spec in all_forms()])
def test_every_form_lays_out_and_tabs_in_its_printed_order(
    qtbot: QtBot, desk: Desk, form: str
) -> None:
    QTestKey.qtbot = qtbot
    v = desk.add(voucher(1, form=form), problems=1)
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        expected = expected_tab_order(window.editor)
        assert len(expected) > 5
        assert focus_order(window, len(expected)) == expected
        shown = window.editor.voucher()
        assert shown is not None and shown.form == form
