"""Issue 8 (window half): the window works over one worker connection, and learns about
statuses from the core's events, not by polling: the list, the editor and the outbox timeline
follow a voucher from the outbox to the treasury's final word without being reselected."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot
from signed_desk import TOKEN, UNIT, SigningKit
from test_runtime import queue
from ui_harness import Desk, open_window

from treasury_desktop.api.connection import Connection, save_connection
from treasury_desktop.api.credentials import TOKEN_ENV
from treasury_desktop.context import AppContext
from treasury_desktop.delivery import Delivery, open_delivery
from treasury_desktop.domain.workflow import FINAL
from treasury_desktop.outbox.model import ItemState
from treasury_desktop.sandbox.server import running_sandbox
from treasury_desktop.sync.pace import SyncPace
from treasury_desktop.ui.outbox.runtime import OutboxRuntime

QUICK = SyncPace(expecting=0.2, expecting_cap=0.5, idle=3600.0)  # the real pace, in seconds


@pytest.fixture
def opened_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The name of the thread each connection of the data folder is opened on."""
    threads: list[str] = []
    connect = AppContext.connect

    def counted(self: AppContext) -> sqlite3.Connection:
        threads.append(threading.current_thread().name)
        return connect(self)

    monkeypatch.setattr(AppContext, "connect", counted)
    yield threads


def test_every_window_feature_uses_the_worker_lanes_one_connection(
    qtbot: QtBot, desk: Desk, kit: SigningKit, monkeypatch: pytest.MonkeyPatch,
    opened_on: list[str],
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    with running_sandbox(kit.sandbox_config(step_seconds=3600)) as sandbox:
        save_connection(desk.profile, Connection(sandbox.url, UNIT))
        ids = queue(desk, 2, kit)
        with open_window(qtbot, desk) as window:
            for voucher_id in ids:  # the editor, its problems and estimates
                window.editing.open(voucher_id)
                qtbot.waitUntil(lambda v=voucher_id: window.editing.voucher_id == v,
                                timeout=10000)
            window.printing.open_preview()  # Ctrl+P renders on the worker
            qtbot.waitUntil(lambda: window.printing.preview is not None, timeout=20000)
            window.printing.preview.close()
            window.packages.show_arrivals()  # «Nhận từ máy khác», read on the worker
            window.show_signers()  # «Người ký», read on the worker
            qtbot.waitUntil(lambda: window.session.worker.idle(), timeout=10000)
            window.signing.signers_dialog.close()
            runtime = OutboxRuntime(window, use_tray=False)
            try:
                parts = runtime.parts
                qtbot.waitUntil(lambda: runtime.delivery is not None, timeout=10000)
                parts.show_outbox()  # the outbox's rows, read on the worker
                parts.bridge.pause()  # its controls, run on the worker
                qtbot.waitUntil(lambda: parts.bridge.status is not None
                                and parts.bridge.status.paused_reason is not None,
                                timeout=10000)
                parts.bridge.resume()
                qtbot.waitUntil(lambda: all(i.state is ItemState.DELIVERED
                                            for i in runtime.delivery.sender.snapshot()),
                                timeout=20000)
                qtbot.waitUntil(lambda: window.session.worker.idle(), timeout=10000)
            finally:
                runtime.close()
    on_worker = [name for name in opened_on if name.startswith("treasury-worker")]
    assert on_worker == ["treasury-worker_0"], opened_on


def test_list_editor_and_outbox_timeline_follow_the_treasurys_news(
    qtbot: QtBot, desk: Desk, kit: SigningKit, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    with running_sandbox(kit.sandbox_config(step_seconds=0.05, return_rate=0.0)) as sandbox:
        save_connection(desk.profile, Connection(sandbox.url, UNIT))
        (voucher,) = queue(desk, 1, kit)
        with open_window(qtbot, desk) as window:
            assert window.list_pane.select(voucher)
            qtbot.waitUntil(lambda: window.editing.voucher_id == voucher)
            session = window.session

            def quick_delivery(ctx: AppContext) -> Delivery:  # on the worker, as the window's
                return open_delivery(ctx, sync_pace=QUICK, conn=session.connection())

            runtime = OutboxRuntime(window, use_tray=False, open_delivery=quick_delivery)
            try:
                parts = runtime.parts
                parts.show_outbox()
                view = parts.view
                view.show_delivered.setChecked(True)  # the voucher stays listed once delivered
                qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
                view.table.selectionModel().setCurrentIndex(
                    view.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                # Nobody reselects anything nor asks for a sync: the news arrives by itself.
                qtbot.waitUntil(lambda: window.editing.status in FINAL, timeout=30000)
                final = window.editing.status
                assert final is not None
                words = {"paid": "Đã thanh toán", "rejected": "Từ chối",
                         "returned": "Trả lại để bổ sung"}[final.value]
                qtbot.waitUntil(lambda: bool(view.timeline.rows)  # the outbox's timeline
                                and view.timeline.rows[-1][0] == words, timeout=5000)
                qtbot.waitUntil(lambda: bool(parts.panel.timeline.rows)  # the editor's
                                and parts.panel.timeline.rows[-1][0] == words, timeout=5000)
                model = window.list_pane.model
                qtbot.waitUntil(lambda: model.row_record(model.row_of(voucher)).status is final,
                                timeout=5000)
                assert runtime.delivery is not None
                assert runtime.delivery.sync.awaiting() == 0
            finally:
                runtime.close()
