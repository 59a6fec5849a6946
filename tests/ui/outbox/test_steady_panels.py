"""Issue 12 point 10: panels keep their size.

* The timeline under the editor takes at most a third of its height: the form keeps the rest
  (it never shrinks to three rows); a long history scrolls in its own box.
* The outbox dock keeps its height under the pointer whichever voucher is chosen, however long
  its history or its reason.
"""

from __future__ import annotations

import pytest
from outbox_rig import ACTOR, Rig
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication, QScrollArea
from pytestqt.qtbot import QtBot
from test_window_parts import window_with_outbox
from ui_harness import open_voucher, settle

from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.outbox.model import ItemState
from treasury_desktop.store.timeline import EventSource, add_event
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.ui.outbox.follow_up import SHARE
from treasury_desktop.ui.screen_fit import place_window

REASON = "Không có dự toán trên tổ hợp chương 422, ngành 073, nguồn 13 của đơn vị. " * 3
STEPS = ("received", "checking", "received", "checking", "checking", "checking", "rejected")


def long_history(rig: Rig, voucher_id: str) -> None:
    """A voucher the treasury looked at many times, then rejected with a long reason."""
    for i, status in enumerate(STEPS):
        add_event(rig.conn, voucher_id, status, f"2026-11-20T1{i}:00:00+07:00",
                  detail="Chuyên viên kiểm soát đã ghi chú về chứng từ này" if i % 2 else "",
                  reason=REASON if status == "rejected" else "", source=EventSource.TREASURY)
    rig.conn.commit()
    SqliteVoucherRepository(rig.conn).set_status(
        voucher_id, VoucherState.REJECTED, actor=ACTOR, reason=REASON)


@pytest.mark.parametrize("screen", [QSize(1366, 768), QSize(1280, 720)])
def test_a_long_history_leaves_the_form_its_room_and_the_dock_its_height(
    qtbot: QtBot, rig: Rig, screen: QSize
) -> None:
    long, short = rig.queue(2, start=51)
    rig.start()
    qtbot.waitUntil(lambda: all(rig.item(v).state is ItemState.DELIVERED
                                for v in (long, short)), timeout=5000)
    long_history(rig, long)
    with window_with_outbox(qtbot, rig) as (window, parts):
        place_window(window, None, QRect(0, 0, screen.width(), screen.height() - 40))
        open_voucher(qtbot, window, long)
        panel = parts.panel
        qtbot.waitUntil(lambda: len(panel.timeline.rows) == 2 + len(STEPS), timeout=5000)
        QApplication.processEvents()
        editor = window.editor
        form = editor.findChild(QScrollArea)
        assert form is not None
        assert panel.history.height() <= int(editor.height() * SHARE) + 1
        # the history scrolls instead (its range is set once its layout has been processed)
        qtbot.waitUntil(lambda: panel.history.verticalScrollBar().maximum() > 0, timeout=2000)
        body = form.widget()
        first = [editor.widget(n) for n in editor.tab_fields()[:5]]
        lowest = max(w.mapTo(body, QPoint(0, w.height())).y() for w in first)
        assert lowest <= form.viewport().height()  # the form's first rows show together
        assert form.viewport().height() >= editor.height() // 2

        # the outbox dock: the same height whichever row is chosen
        view = parts.view
        view.show_delivered.setChecked(True)
        parts.show_outbox()
        qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
        view.table.selectRow(view.model.row_of(short))
        qtbot.waitUntil(lambda: len(view.timeline.rows) == 2, timeout=5000)
        QApplication.processEvents()
        height, frame = parts.dock.height(), window.frameGeometry()
        view.table.selectRow(view.model.row_of(long))
        qtbot.waitUntil(lambda: len(view.timeline.rows) == 2 + len(STEPS), timeout=5000)
        QApplication.processEvents()
        assert REASON.strip() in view.detail_error.text()
        assert parts.dock.height() == height
        assert window.frameGeometry() == frame  # the window did not grow either
        settle(qtbot, window)
