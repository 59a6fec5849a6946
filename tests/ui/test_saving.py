"""Autosave on the worker, Ctrl+S, new/copy/delete, signed and read-only vouchers."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from ui_harness import Desk, FakePrompter, open_voucher, open_window, settle, voucher

from treasury_desktop.domain.workflow import VoucherState


def stored_document(desk: Desk, voucher_id: str) -> dict[str, object] | None:
    """Read the voucher through a connection of its own, as another process would."""
    conn = sqlite3.connect(desk.ctx.database_path)
    try:
        row = conn.execute("SELECT document FROM vouchers WHERE id = ?", (voucher_id,)).fetchone()
    finally:
        conn.close()
    return json.loads(row[0]) if row else None


def stored_status(desk: Desk, voucher_id: str) -> str:
    conn = sqlite3.connect(desk.ctx.database_path)
    try:
        return str(conn.execute("SELECT status FROM vouchers WHERE id = ?",
                                (voucher_id,)).fetchone()[0])
    finally:
        conn.close()


def test_autosave_writes_to_sqlite_shortly_after_typing(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        number = window.editor.widget("number")
        assert isinstance(number, QLineEdit)
        number.selectAll()
        qtbot.keyClicks(number, "777")
        assert window.editing.timer.isActive()  # debounced, not saved per keystroke
        qtbot.waitUntil(lambda: (stored_document(desk, v.id) or {}).get("number") == "777")
        settle(qtbot, window)
        assert window.editor.saved_label.text().startswith("Đã lưu ")
        assert window.list_pane.model.row_record(0).number == "777"


def test_ctrl_s_saves_at_once(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        address = window.editor.widget("payee.address")
        assert isinstance(address, QLineEdit)
        qtbot.keyClicks(address, "So 1 Luong Ngoc Quyen")
        qtbot.keyClick(address, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert not window.editing.timer.isActive()
        qtbot.waitUntil(window.session.worker.idle)
        document = stored_document(desk, v.id)
        assert document is not None
        assert document["payee"]["address"] == "So 1 Luong Ngoc Quyen"  # type: ignore[index]


def test_new_draft_with_ctrl_n_is_stored_at_the_first_edit(qtbot: QtBot, desk: Desk) -> None:
    desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        settle(qtbot, window)
        editor = window.editor
        voucher_id = window.editing.voucher_id
        assert voucher_id is not None
        assert window.editing.status is None
        unit_code = editor.widget("unit.code")
        date = editor.widget("date")
        assert isinstance(unit_code, QLineEdit) and isinstance(date, QLineEdit)
        assert unit_code.text() == "1171277"  # the desk's unit, prefilled
        assert date.text() == "20/11/2026"
        assert stored_document(desk, voucher_id) is None
        number = editor.widget("number")
        assert number.hasFocus()
        qtbot.keyClicks(number, "200")
        qtbot.waitUntil(lambda: stored_document(desk, voucher_id) is not None)
        settle(qtbot, window)
        assert window.list_pane.model.row_of(voucher_id) >= 0
        assert window.folders.count_of(window.folders.current_folder()) == 2


def test_copy_as_new_and_delete_the_copy(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1), VoucherState.SENT)
    prompter = FakePrompter(answers=[True])
    with open_window(qtbot, desk, prompter) as window:
        open_voucher(qtbot, window, v.id)
        qtbot.keyClick(window.list_pane.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        settle(qtbot, window)
        copy_id = window.editing.voucher_id
        assert copy_id is not None and copy_id != v.id
        assert not window.editor.read_only
        copied = window.editor.voucher()
        assert copied is not None and copied.lines == v.lines and copied.number == ""
        window.editing.save_now()
        settle(qtbot, window)
        assert stored_status(desk, copy_id) == "draft"
        assert window.list_pane.select(copy_id)
        qtbot.waitUntil(lambda: window.editing.voucher_id == copy_id)
        window.list_pane.table.setFocus()
        qtbot.keyClick(window.list_pane.table, Qt.Key.Key_Delete)
        settle(qtbot, window)
        assert prompter.questions  # asked first
        assert stored_document(desk, copy_id) is None
        assert window.list_pane.model.row_of(copy_id) == -1
        qtbot.waitUntil(lambda: window.editing.voucher_id == v.id)  # the next voucher shows
        settle(qtbot, window)
        assert stored_document(desk, copy_id) is None  # and the deleted one stays deleted


def test_declining_delete_keeps_the_draft(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1))
    prompter = FakePrompter(answers=[False])
    with open_window(qtbot, desk, prompter) as window:
        open_voucher(qtbot, window, v.id)
        window.action_map["delete"].trigger()
        settle(qtbot, window)
        assert prompter.questions
        assert stored_document(desk, v.id) is not None


def test_editing_a_signed_voucher_asks_then_drops_signatures(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1), VoucherState.SIGNED_CHIEF)
    prompter = FakePrompter(answers=[True])
    with open_window(qtbot, desk, prompter) as window:
        open_voucher(qtbot, window, v.id)
        assert window.editor.banner.isVisibleTo(window)
        number = window.editor.widget("number")
        assert isinstance(number, QLineEdit)
        number.end(False)
        qtbot.keyClicks(number, "9")
        qtbot.waitUntil(lambda: stored_status(desk, v.id) == "draft")
        settle(qtbot, window)
        assert len(prompter.questions) == 1
        assert (stored_document(desk, v.id) or {}).get("number") == "19"


def test_declining_keeps_the_signed_content(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1), VoucherState.SIGNED_HOLDER)
    prompter = FakePrompter(answers=[False])
    with open_window(qtbot, desk, prompter) as window:
        open_voucher(qtbot, window, v.id)
        number = window.editor.widget("number")
        assert isinstance(number, QLineEdit)
        qtbot.keyClicks(number, "9")
        qtbot.waitUntil(lambda: len(prompter.questions) == 1)
        settle(qtbot, window)
        assert stored_status(desk, v.id) == "signed_holder"
        assert number.text() == "1"  # the signed content is back in the editor


def test_queued_voucher_opens_read_only(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1), VoucherState.QUEUED)
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        editor = window.editor
        assert editor.read_only
        assert editor.banner.isVisibleTo(window) and "Ctrl+D" in editor.banner.text()
        number = editor.widget("number")
        assert isinstance(number, QLineEdit) and number.isReadOnly()
        qtbot.keyClicks(number, "9")
        assert number.text() == "1"
        assert not window.editing.timer.isActive()
        grid = editor.grid()
        grid.setCurrentCell(0, 0)
        qtbot.keyClick(grid, Qt.Key.Key_X)
        assert grid.state() != grid.State.EditingState
        window.action_map["save"].trigger()
        settle(qtbot, window)
        assert stored_status(desk, v.id) == "queued"


def test_an_absurd_amount_is_a_problem_not_a_crash(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1))
    prompter = FakePrompter()
    with open_window(qtbot, desk, prompter) as window:
        open_voucher(qtbot, window, v.id)
        grid = window.editor.grid()
        grid.setFocus()
        grid.setCurrentCell(0, 5)
        qtbot.keyClick(grid, Qt.Key.Key_9)
        qtbot.keyClicks(QApplication.focusWidget(), "9" * 30)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        window.editing.save_now()
        settle(qtbot, window)
        assert prompter.crashes == [] and prompter.messages == []
        assert "vượt quá mức tối đa" in window.editor.lines_note.text()
        assert window.editor.words_label.text() == ""
        grid.setCurrentCell(0, 5)
        qtbot.keyClick(grid, Qt.Key.Key_5)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        settle(qtbot, window)
        assert (stored_document(desk, v.id) or {}).get("total") == 5  # saving resumes


def test_reopening_shows_a_state_changed_elsewhere(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1), VoucherState.SIGNED_HOLDER)
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        assert not window.editor.read_only
        desk.repo.set_status(v.id, VoucherState.QUEUED, actor=desk.ctx.actor)  # the outbox
        window.editing.open(v.id, force=True)
        settle(qtbot, window)
        assert window.editing.status is VoucherState.QUEUED
        assert window.editor.read_only
