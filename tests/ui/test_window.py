"""The main window: folders with counts, the paged list, sorting and searching in SQL."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_harness import PAYEES, Desk, open_window, settle, voucher

from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.store.records import Folder, SortKey
from treasury_desktop.ui.folders import ORDER
from treasury_desktop.ui.list_model import FIRST_PAGE


def test_folders_show_their_counts(qtbot: QtBot, desk: Desk) -> None:
    desk.add(voucher(1), problems=2)  # incomplete draft: Nháp
    desk.add(voucher(2))  # complete draft: Chờ ký
    desk.add(voucher(3), VoucherState.SIGNED_CHIEF)  # Chờ ký
    desk.add(voucher(4), VoucherState.QUEUED)  # Chờ gửi
    desk.add(voucher(5), VoucherState.SENT)  # Đã gửi
    desk.add(voucher(6), VoucherState.REJECTED)  # Bị từ chối
    with open_window(qtbot, desk) as window:
        texts = [window.folders.item(row).text() for row in range(len(ORDER))]
        assert texts == [
            "Tất cả  (6)", "Nháp  (1)", "Chờ ký  (2)", "Ký đủ / chờ gửi  (1)", "Đã gửi  (1)",
            "Bị từ chối  (1)",
        ]
        qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
        settle(qtbot, window)
        assert window.list_pane.model.query.folder is Folder.TO_SIGN
        assert window.list_pane.model.rowCount() == 2


def test_list_pages_from_sql_as_it_scrolls(qtbot: QtBot, desk: Desk) -> None:
    desk.bulk(1_050)
    with open_window(qtbot, desk) as window:
        model = window.list_pane.model
        assert model.total == 1_050
        assert model.rowCount() == FIRST_PAGE
        table = window.list_pane.table
        for _ in range(20):  # the view asks the worker for more when scrolled to the bottom
            if model.rowCount() == model.total:
                break
            table.scrollToBottom()
            qtbot.waitUntil(lambda: not model.fetching)
        assert model.rowCount() == 1_050
        ids = {model.voucher_id(row) for row in range(model.rowCount())}
        assert len(ids) == 1_050
        assert window.list_pane.summary.text() == "1.050 chứng từ"


def test_clicking_a_header_sorts_in_sql(qtbot: QtBot, desk: Desk) -> None:
    for i, amount in enumerate((5_000_000, 1_000, 250_000, 99_000_000), start=1):
        desk.add(voucher(i, amount=amount))
    with open_window(qtbot, desk) as window:
        pane = window.list_pane
        header = pane.table.horizontalHeader()
        amount_column = 4
        generation = pane.generation
        header.sectionClicked.emit(amount_column)
        header.setSortIndicator(amount_column, Qt.SortOrder.AscendingOrder)
        qtbot.waitUntil(lambda: pane.answered_generation > generation)
        settle(qtbot, window)
        assert pane.model.query.sort is SortKey.AMOUNT
        assert not pane.model.query.descending
        totals = [pane.model.row_record(r).total for r in range(pane.model.rowCount())]
        assert totals == sorted(totals) == [1_000, 250_000, 5_000_000, 99_000_000]
        assert pane.model.index(0, amount_column).data() == "1.000"
        header.setSortIndicator(2, Qt.SortOrder.AscendingOrder)  # payee
        settle(qtbot, window)
        payees = [pane.model.row_record(r).payee for r in range(pane.model.rowCount())]
        assert payees == sorted(payees, key=str.casefold)


def test_search_answers_as_you_type(qtbot: QtBot, desk: Desk) -> None:
    for i in range(9):
        desk.add(voucher(i, payee=PAYEES[i % 3]))
    with open_window(qtbot, desk) as window:
        pane = window.list_pane
        assert pane.model.rowCount() == 9
        qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert pane.search.hasFocus()
        qtbot.keyClicks(pane.search, "vnpt")
        qtbot.waitUntil(lambda: pane.model.query.text == "vnpt" and pane.model.rowCount() == 3)
        assert {pane.model.row_record(r).payee for r in range(3)} == {"VNPT Thái Nguyên"}
        pane.search.clear()
        qtbot.keyClicks(pane.search, "dien luc")  # without diacritics finds "Điện lực"
        qtbot.waitUntil(lambda: pane.model.query.text == "dien luc")
        assert pane.model.rowCount() == 3


def test_stale_search_answers_are_dropped(qtbot: QtBot, desk: Desk) -> None:
    desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        pane = window.list_pane
        pane.search.setText("vnpt")
        pane.refresh()
        pane.search.setText("zzz-nothing")
        pane.refresh()
        settle(qtbot, window)
        assert pane.model.query.text == "zzz-nothing"
        assert pane.model.rowCount() == 0


def test_a_new_desk_starts_a_voucher_at_once(qtbot: QtBot, desk: Desk) -> None:
    with open_window(qtbot, desk) as window:
        assert window.list_pane.model.rowCount() == 0
        assert window.editing.voucher_id is not None and window.editing.status is None
        assert window.editor.isEnabled()
        assert window.folders.item(0).text() == "Tất cả"


def test_f5_refreshes_list_and_counts(qtbot: QtBot, desk: Desk) -> None:
    desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        assert window.list_pane.model.rowCount() == 1
        desk.add(voucher(2))  # another process (the CLI, an import) added one
        qtbot.keyClick(window, Qt.Key.Key_F5)
        settle(qtbot, window)
        assert window.list_pane.model.rowCount() == 2
        assert window.folders.item(0).text() == "Tất cả  (2)"


def test_enter_in_the_list_goes_to_the_editor(qtbot: QtBot, desk: Desk) -> None:
    desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        table = window.list_pane.table
        table.setFocus()
        table.setCurrentIndex(window.list_pane.model.index(0, 0))
        settle(qtbot, window)
        qtbot.keyClick(table, Qt.Key.Key_Return)
        assert window.editor.widget("number").hasFocus()
