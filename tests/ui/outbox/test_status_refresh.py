"""Issue 12 point 7: Cập nhật trạng thái asks the treasury now; unread news stays."""

from __future__ import annotations

from outbox_rig import ACTOR, Rig
from pytestqt.qtbot import QtBot
from test_window_parts import app_look, window_with_outbox
from ui_harness import UNIT, open_voucher, open_window, settle

from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.outbox.model import ItemState
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.sync.feed import FinalNotice
from treasury_desktop.sync.service import StatusSync
from treasury_desktop.ui.outbox.window_parts import OutboxWindowParts


def test_ctrl_f5_asks_the_treasury_at_once(qtbot: QtBot, rig: Rig) -> None:
    (sent,) = rig.queue(1)
    rig.start()
    qtbot.waitUntil(lambda: rig.item(sent).state is ItemState.DELIVERED, timeout=5000)
    # An hour between rounds: only the action can bring the answer within the test.
    sync = StatusSync(rig.desk.ctx.connect, rig.treasury, UNIT.code, actor=ACTOR, period=3600)
    repo = SqliteVoucherRepository(rig.conn)
    with app_look(), open_window(qtbot, rig.desk) as window:
        parts = OutboxWindowParts(window, rig.sender, sync, use_tray=False)
        try:
            action = parts.status_sync
            assert action.text() == "Cập nhật trạng thái"
            assert action.shortcut().toString() == "Ctrl+F5"
            sync.start()
            open_voucher(qtbot, window, sent)
            qtbot.wait(300)  # the first round is done; the next one is an hour away
            rig.treasury.advance(UNIT.code, sent, "checking", "Đang kiểm soát")
            qtbot.wait(300)

            def status() -> VoucherState:
                stored = repo.get(sent)
                assert stored is not None
                return stored.status

            assert status() is not VoucherState.CHECKING
            action.trigger()
            assert "Đang hỏi Kho bạc" in window.statusBar().currentMessage()
            qtbot.waitUntil(lambda: status() is VoucherState.CHECKING, timeout=5000)
            settle(qtbot, window)
        finally:
            parts.close()
            sync.close()


def test_without_a_connection_the_action_says_so(qtbot: QtBot, rig: Rig) -> None:
    with window_with_outbox(qtbot, rig) as (window, parts):
        parts.status_sync.trigger()
        assert "Chưa kết nối được Kho bạc" in window.statusBar().currentMessage()
        settle(qtbot, window)


def test_unread_news_stays_until_seen(qtbot: QtBot, rig: Rig) -> None:
    with window_with_outbox(qtbot, rig) as (window, parts):
        parts.notifier.notify([FinalNotice("x", "7", VoucherState.REJECTED, "Sai mã")])
        assert parts.notifier.isVisibleTo(window)
        qtbot.wait(200)
        assert parts.notifier.isVisibleTo(window)  # no timer takes it away
        settle(qtbot, window)
