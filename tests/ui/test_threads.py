"""The GUI thread never runs SQL; payees used before are offered while typing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from ui_harness import PAYEES, Desk, open_voucher, open_window, settle, voucher

from treasury_desktop.store.vouchers import SqliteVoucherRepository

_WATCHED = ("count", "page", "count_and_page", "folder_counts", "get", "save", "create",
            "recent_payees",
            "delete_draft")


def test_the_gui_thread_runs_no_sql(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.bulk(450)
    gui = threading.main_thread()
    on_gui: list[str] = []

    def watch(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(self: SqliteVoucherRepository, *args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is gui:
                on_gui.append(name)
            return method(self, *args, **kwargs)

        return wrapper

    for name in _WATCHED:
        monkeypatch.setattr(SqliteVoucherRepository, name,
                            watch(name, getattr(SqliteVoucherRepository, name)))
    with open_window(qtbot, desk) as window:
        pane = window.list_pane
        pane.table.scrollToBottom()
        qtbot.waitUntil(lambda: pane.model.rowCount() > 80)
        qtbot.keyClicks(pane.search, "vnpt")
        qtbot.waitUntil(lambda: pane.model.query.text == "vnpt")
        pane.select_first()
        qtbot.waitUntil(lambda: window.editing.voucher_id is not None)
        settle(qtbot, window)
        number = window.editor.widget("number")
        assert isinstance(number, QLineEdit)
        qtbot.keyClicks(number, "5")
        qtbot.keyClick(number, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        settle(qtbot, window)
    assert on_gui == []


def test_payees_used_before_are_offered(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1, payee=PAYEES[1]))
    desk.add(voucher(2, payee=PAYEES[2]))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        window.action_map["new"].trigger()
        settle(qtbot, window)
        name = window.editor.widget("payee.name")
        assert isinstance(name, QLineEdit)
        name.setFocus()
        qtbot.keyClicks(name, "VNPT")
        completer = name.completer()
        popup = completer.popup()
        assert popup is not None and popup.isVisible()
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        assert name.text() == "VNPT Thái Nguyên"
        account = window.editor.widget("payee.account")
        bank = window.editor.widget("payee.bank")
        assert isinstance(account, QLineEdit) and isinstance(bank, QLineEdit)
        assert account.text() == PAYEES[1].account
        assert bank.text() == PAYEES[1].bank
        settle(qtbot, window)
