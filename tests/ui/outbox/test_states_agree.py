"""Issue 12 point 6: one source of truth for a voucher's state.

A voucher delivered and then rejected by the treasury shows "Từ chối" in the list, in the
outbox panel (never a green "Đã gửi") and in the editor, whose banner carries the treasury's
reason in plain view; the outbox panel's timeline follows the rejection without reselecting.
"""

from __future__ import annotations

from outbox_rig import ACTOR, Rig
from pytestqt.qtbot import QtBot
from test_window_parts import app_look
from ui_harness import UNIT, open_voucher, open_window, settle

from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.outbox.model import ItemState
from treasury_desktop.sync.service import StatusSync
from treasury_desktop.ui.outbox.outbox_model import COLUMNS, STATE_COLOURS
from treasury_desktop.ui.outbox.window_parts import OutboxWindowParts
from treasury_desktop.ui.texts import STATUS_COLOURS

REASON = "Đơn vị không có dự toán chương 422, ngành 073, nguồn 13."


def test_a_rejection_after_delivery_reads_the_same_in_list_outbox_and_editor(
    qtbot: QtBot, rig: Rig
) -> None:
    rejected, checked = rig.queue(2, start=41)
    rig.start()
    qtbot.waitUntil(lambda: all(rig.item(v).state is ItemState.DELIVERED
                                for v in (rejected, checked)), timeout=5000)
    sync = StatusSync(rig.desk.ctx.connect, rig.treasury, UNIT.code, actor=ACTOR, period=3600)
    with app_look(), open_window(qtbot, rig.desk) as window:
        parts = OutboxWindowParts(window, rig.sender, sync, use_tray=False)
        try:
            view = parts.view
            view.show_delivered.setChecked(True)
            parts.show_outbox()
            model = view.model
            qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
            state = COLUMNS.index("state")
            row = model.row_of(rejected)
            assert model.texts(row)[state] == "Đã gửi"  # delivered, nothing heard yet
            view.table.selectRow(row)
            qtbot.waitUntil(lambda: len(view.timeline.rows) == 2, timeout=5000)
            height = parts.dock.height()

            rig.treasury.advance(UNIT.code, rejected, "rejected", "Từ chối", REASON)
            rig.treasury.advance(UNIT.code, checked, "checking", "Chuyên viên đang kiểm soát")
            sync.start()

            # the outbox row: the voucher's word and colour, and the reason beside it
            def rejected_row() -> None:
                r = model.row_of(rejected)
                assert model.texts(r)[state] == "Từ chối"
            qtbot.waitUntil(rejected_row, timeout=8000)
            r = model.row_of(rejected)
            assert model.look(r).colour == STATUS_COLOURS[VoucherState.REJECTED]
            assert model.look(r).colour != STATE_COLOURS[ItemState.DELIVERED]
            assert REASON in model.texts(r)[COLUMNS.index("error")]
            assert model.texts(model.row_of(checked))[state] == "Đang kiểm soát"
            # the panel's detail follows without reselecting: the reason in plain view
            qtbot.waitUntil(lambda: view.timeline.reasons() == [REASON], timeout=5000)
            assert view.detail_error.isVisibleTo(window) and REASON in view.detail_error.text()
            assert view.copy_button.isVisibleTo(window)
            assert parts.dock.height() == height  # the panel keeps its height

            # the list says the same word
            listed = window.list_pane.model
            qtbot.waitUntil(lambda: listed.row_of(rejected) >= 0 and listed.data(
                listed.index(listed.row_of(rejected), 5)) == "Từ chối", timeout=5000)
            # and the editor: read-only, the treasury's reason in its banner (not a tooltip)
            open_voucher(qtbot, window, rejected)
            qtbot.waitUntil(lambda: window.editing.status is VoucherState.REJECTED, timeout=5000)
            banner = window.editor.banner
            assert banner.isVisibleTo(window)
            assert banner.text().startswith("Kho bạc đã từ chối chứng từ này. Lý do: " + REASON)
            assert "Ctrl+D" in banner.text()
            assert window.editor.read_only
            settle(qtbot, window)
        finally:
            parts.close()
            sync.close()
