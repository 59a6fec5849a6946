"""Issue 11: the Bảng kê (Mẫu 07) edited in the window, and the C4-02a/KB line table.

Real widgets, typed with the keyboard (Vietnamese through an input method's commit string,
FACTS.md), over a real SQLite file; what is stored is read back from the file.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_voucher, open_window, settle, voucher

from treasury_desktop.domain.voucher import Payee, PaymentKind, PaymentMethod
from treasury_desktop.domain.voucher_parts import (
    DepositLine,
    IdKind,
    Statement,
    StatementItem,
    StatementKind,
)
from treasury_desktop.ui.lines_grid import BudgetLinesGrid
from treasury_desktop.ui.main_window import MainWindow


def type_unicode(widget: QWidget, text: str) -> None:
    """Type as an input method (Unikey, ibus) does: one commit string (FACTS.md)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def type_cell(qtbot: QtBot, grid: BudgetLinesGrid, row: int, column: str, text: str) -> None:
    """Open a cell with the keyboard (F2), type ``text`` into it, Enter."""
    grid.setFocus()
    grid.setCurrentCell(row, grid.columns.index(column))
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit)
    cell.selectAll()
    if text.isascii():
        qtbot.keyClicks(cell, text)
    else:
        type_unicode(cell, text)
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    focus = QApplication.focusWidget()
    if isinstance(focus, QLineEdit) and grid.isAncestorOf(focus):
        qtbot.keyClick(focus, Qt.Key.Key_Escape)  # Enter opened the next cell: leave it


def saved(qtbot: QtBot, window: MainWindow) -> None:
    window.editing.save_now()
    settle(qtbot, window)
    # Offscreen, the code picker's popup (opened while an NDKT was typed in a cell) leaves the
    # window inactive once it hides, in the voucher's lines grid as well: activate it again so
    # that the keyboard reaches it, as a user's click would.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_statement_rows_are_typed_summed_against_the_total_and_kept_whole(
    qtbot: QtBot, desk: Desk,
) -> None:
    v = desk.add(voucher(1, amount=1_234_000))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        editor = window.editor
        assert "statement" in editor.tab_fields()
        block = editor.statement_block()
        assert not block.grid.isVisible()  # no Bảng kê until one is chosen
        block.kind.buttons["direct"].click()
        grid = block.grid
        assert grid.isVisible() and grid.rowCount() == 1
        type_cell(qtbot, grid, 0, "document_number", "12")
        type_cell(qtbot, grid, 0, "document_date", "05/10/2026")
        type_cell(qtbot, grid, 0, "ndkt", "6501")
        type_cell(qtbot, grid, 0, "content", "Tiền điện tháng 9")
        type_cell(qtbot, grid, 0, "amount", "734000")
        # The running sum against the voucher's total: a mismatch is an error beside it.
        assert "734.000" in block.sum_label.text() and "1.234.000" in block.sum_label.text()
        assert block.mismatch.isVisible() and "khác tổng số tiền" in block.mismatch.text()
        assert grid.rowCount() == 2  # Enter on the last cell opened a new row
        type_cell(qtbot, grid, 1, "document_number", "15")
        type_cell(qtbot, grid, 1, "ndkt", "6551")
        type_cell(qtbot, grid, 1, "content", "Mua giấy in A4")
        type_cell(qtbot, grid, 1, "quantity", "2,5")
        type_cell(qtbot, grid, 1, "unit_price", "200000")
        type_cell(qtbot, grid, 1, "amount", "500000")
        assert not block.mismatch.isVisible()
        assert "1.234.000" in block.sum_label.text()
        assert block.words_label.text().endswith("Một triệu hai trăm ba mươi tư nghìn đồng chẵn")
        saved(qtbot, window)
        assert not block.note.isVisible(), block.note.text()
        assert grid.rowCount() == 3
        grid.setCurrentCell(2, 0)
        block.remove_button.click()
        assert grid.rowCount() == 2
        # Ctrl+Shift+L in the Bảng kê adds a row there, not to the voucher's lines.
        grid.setFocus()
        window.action_map["add_line"].trigger()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        assert grid.rowCount() == 3 and editor.grid().rowCount() == 1
        block.add_button.click()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        assert grid.rowCount() == 4  # empty rows are not rows of the Bảng kê
        settle(qtbot, window)
    stored = desk.repo.get(v.id)
    assert stored is not None and stored.problems == 0
    assert stored.voucher.statement == Statement(StatementKind.DIRECT, (
        StatementItem("12", "2026-10-05", "6501", "Tiền điện tháng 9", None, None, 734_000),
        StatementItem("15", "", "6551", "Mua giấy in A4", 2.5, 200_000, 500_000),
    ))
    # Reopened, the Bảng kê shows whole, as stored.
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        block = window.editor.statement_block()
        assert block.kind.value() == "direct" and block.grid.rowCount() == 2
        assert block.grid.item(0, 1).text() == "05/10/2026"
        assert block.grid.item(1, 4).text() == "2,5"
        assert block.grid.item(1, 5).text() == "200.000"
        shown = window.editor.voucher()
        assert shown is not None and shown.statement == stored.voucher.statement
        settle(qtbot, window)


def test_a_statement_that_disagrees_is_refused_beside_it_and_row_problems_sit_on_cells(
    qtbot: QtBot, desk: Desk,
) -> None:
    statement = Statement(StatementKind.DIRECT, (
        StatementItem("12", "2026-10-05", "6501", "Tiền điện tháng 9", None, None, 734_000),
        StatementItem("", "", "65x1", "", None, None, 100_000),
    ))
    v = desk.add(voucher(1, amount=1_234_000, statement=statement), problems=3)
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        block = window.editor.statement_block()
        assert block.mismatch.isVisible()
        assert "834.000" in block.mismatch.text() and "1.234.000" in block.mismatch.text()
        assert "Dòng bảng kê 2" in block.note.text()
        assert block.grid.item(1, 2).toolTip()  # the malformed NDKT, on its cell
        assert not window.editor.general.isVisible()  # nothing of it thrown to the top
        settle(qtbot, window)
    stored = desk.repo.get(v.id)
    assert stored is not None and stored.problems > 0


def test_no_statement_chosen_stores_none_and_forms_without_one_show_none(
    qtbot: QtBot, desk: Desk,
) -> None:
    statement = Statement(StatementKind.ADVANCE, (
        StatementItem("1", "", "6501", "Tạm ứng tiền điện", None, None, 1_234_000),))
    v = desk.add(voucher(1, statement=statement, payment_kind=PaymentKind.ADVANCE))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        editor = window.editor
        editor.statement_block().kind.buttons[""].click()
        saved(qtbot, window)
        index = editor.form_choice.findData("C2-02b/NS")  # a form without a Bảng kê
        editor.form_choice.setCurrentIndex(index)
        assert "statement" not in editor.tab_fields()
        settle(qtbot, window)
    stored = desk.repo.get(v.id)
    assert stored is not None and stored.voucher.statement is None


def test_a_cash_payment_order_with_a_line_table(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        editor = window.editor
        editor.form_choice.setCurrentIndex(editor.form_choice.findData("C4-02a/KB"))
        assert editor.spec.code == "C4-02a/KB"
        grid = editor.grid()
        assert grid.deposit and grid.columns == ("content", "source", "budget_year", "amount")
        # The budget line came over as a line of the table, niên độ = the fiscal year.
        assert grid.item(0, 0).text() == "Tiền điện tháng 2/2026"
        assert grid.item(0, 2).text() == "2026" and grid.item(0, 3).text() == "1.234.000"
        type_cell(qtbot, grid, 0, "content", "Hoàn tiền ăn bán trú tháng 10")
        type_cell(qtbot, grid, 0, "source", "00")
        type_cell(qtbot, grid, 0, "amount", "3600000")
        window.action_map["add_line"].trigger()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        type_cell(qtbot, grid, 1, "content", "Hoàn tiền nước uống")
        type_cell(qtbot, grid, 1, "source", "00")
        type_cell(qtbot, grid, 1, "budget_year", "2026")
        type_cell(qtbot, grid, 1, "amount", "400000")
        assert "4.000.000" in editor.total_label.text()
        assert editor.words_label.text().endswith("Bốn triệu đồng chẵn")
        # Cash at the treasury: the payee becomes the person collecting it, with an ID.
        method = editor.widget("method")
        method.buttons["cash"].click()  # type: ignore[attr-defined]
        assert editor.box("payee.name").label.text() == "Người nhận tiền"
        assert editor.box("payee.id_number").isVisible()
        assert not editor.box("payee.account").isVisible()
        name = editor.widget("payee.name")
        assert isinstance(name, QLineEdit)
        name.setFocus()
        name.selectAll()
        type_unicode(name, "Nguyễn Văn An")
        for field, text in (("payee.id_number", "019088001234"), ("payee.id_date", "10/04/2021")):
            widget = editor.widget(field)
            assert isinstance(widget, QLineEdit)
            widget.setFocus()
            qtbot.keyClicks(widget, text)
        place = editor.widget("payee.id_place")
        assert isinstance(place, QLineEdit)
        place.setFocus()
        type_unicode(place, "Cục Cảnh sát QLHC về TTXH")
        saved(qtbot, window)
        assert not editor.general.isVisible(), editor.general.text()
        settle(qtbot, window)
    stored = desk.repo.get(v.id)
    assert stored is not None
    got = stored.voucher
    assert got.form == "C4-02a/KB" and got.method is PaymentMethod.CASH
    assert got.lines == () and got.content == "" and got.amount == 0
    assert got.deposit_lines == (
        DepositLine("Hoàn tiền ăn bán trú tháng 10", "00", 2026, 3_600_000),
        DepositLine("Hoàn tiền nước uống", "00", 2026, 400_000),
    )
    assert got.total == 4_000_000
    assert got.payee == Payee(name="Nguyễn Văn An", id_number="019088001234",
                              id_date="2021-04-10", id_place="Cục Cảnh sát QLHC về TTXH",
                              id_kind=IdKind.CCCD)
    assert stored.problems == 0


def test_an_old_single_amount_payment_order_opens_as_one_line(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1, form="C4-02a/KB", lines=(), content="Chuyển tiền học phí")
                 .with_changes(amount=2_500_000))
    before = desk.repo.get(v.id)
    assert before is not None
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        grid = window.editor.grid()
        assert grid.rowCount() == 1 and grid.item(0, 0).text() == "Chuyển tiền học phí"
        assert grid.item(0, 3).text() == "2.500.000"
        assert "2.500.000" in window.editor.total_label.text()
        settle(qtbot, window)
    stored = desk.repo.get(v.id)  # opening it changed nothing
    assert stored is not None and stored.content_hash == before.content_hash
    assert stored.voucher.amount == 2_500_000 and stored.voucher.deposit_lines == ()
