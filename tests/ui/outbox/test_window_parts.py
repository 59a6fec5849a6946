"""The outbox in the main window: dock, indicator, actions, copy as new, timeline, estimate."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from outbox_rig import ACTOR, Rig, seed_signed
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from ui_harness import UNIT, open_voucher, open_window, settle, voucher

from treasury_desktop.api.port import BudgetBalance, ServerReason
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.outbox.fake import FakeTreasury
from treasury_desktop.outbox.model import ItemState
from treasury_desktop.store.records import Folder
from treasury_desktop.sync.balances import BalanceBook
from treasury_desktop.sync.feed import FinalNotice
from treasury_desktop.sync.service import StatusSync
from treasury_desktop.ui.launch import FONT
from treasury_desktop.ui.main_window import MainWindow
from treasury_desktop.ui.outbox.window_parts import OutboxWindowParts
from treasury_desktop.ui.style import STYLE_SHEET

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "chaos"))
from signed_desk import make_kit  # noqa: E402

REASON = "Số tiền vượt dự toán còn lại của chương 422, ngành kinh tế 072, nguồn 13."


def shoot(widget: QWidget, name: str, tmp_path: Path) -> Path:
    """Render to a PNG (into $OUTBOX_SHOTS when set, to look at) and check it was written."""
    folder = Path(os.environ.get("OUTBOX_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path), "PNG")
    return path


@contextmanager
def app_look() -> Iterator[None]:
    """The app's font and style sheet (launch.py), so the screenshots look like the app."""
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


@contextmanager
def window_with_outbox(qtbot: QtBot, rig: Rig) -> Iterator[tuple[MainWindow, OutboxWindowParts]]:
    with app_look(), open_window(qtbot, rig.desk) as window:
        parts = OutboxWindowParts(window, rig.sender, use_tray=False)
        window.activateWindow()  # shortcuts act in the active window
        qtbot.waitUntil(window.isActiveWindow)
        try:
            yield window, parts
        finally:
            parts.close()


def test_the_window_gets_the_indicator_the_dock_and_the_actions(
    qtbot: QtBot, rig: Rig, tmp_path: Path
) -> None:
    rig.queue(2)
    with window_with_outbox(qtbot, rig) as (window, parts):
        qtbot.waitUntil(lambda: parts.indicator.text() == "Đã kết nối · 2 chờ gửi")
        shortcuts = {a.objectName(): a.shortcut().toString()
                     for a in window.findChildren(QAction) if a.objectName().startswith(
                         "action_outbox")}
        assert shortcuts == {"action_outbox_send_now": "F9", "action_outbox_pause": "Shift+F9",
                             "action_outbox_show": "Ctrl+7", "action_outbox_queue": "Ctrl+Return"}
        assert parts.actions["send_now"].text() == "Gửi ngay"
        assert parts.dock.isHidden()
        qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: parts.dock.isVisible() and parts.view.model.rowCount() == 2)
        parts.actions["pause"].trigger()
        qtbot.waitUntil(lambda: parts.indicator.text().startswith("Tạm dừng gửi:"))
        assert parts.actions["pause"].text() == "Tiếp tục gửi"
        settle(qtbot, window)
        shoot(window, "window_paused", tmp_path)
        qtbot.keyClick(window, Qt.Key.Key_F9)  # Send now lifts the pause and sends
        rig.start()
        qtbot.waitUntil(lambda: rig.treasury.puts == 2 and parts.indicator.text() == "Đã kết nối",
                        timeout=5000)
        # statuses moved: the list and the counts follow by themselves
        qtbot.waitUntil(lambda: window.folders.count_of(Folder.SENT) == 2, timeout=5000)
        settle(qtbot, window)


def test_copy_as_new_of_a_refused_voucher_opens_a_draft_with_the_reason(
    qtbot: QtBot, rig: Rig, tmp_path: Path
) -> None:
    (refused,) = rig.queue(1, start=12)
    rig.treasury.refuse = {refused: (ServerReason("over_estimate", "total", REASON),)}
    rig.start()
    qtbot.waitUntil(lambda: rig.item(refused).state is ItemState.REFUSED, timeout=5000)
    with window_with_outbox(qtbot, rig) as (window, parts):
        parts.show_outbox()
        view = parts.view
        qtbot.waitUntil(lambda: view.selected_id() == refused and len(view.timeline.rows) == 2)
        settle(qtbot, window)
        shoot(window, "window_outbox_refused", tmp_path)
        shoot(view, "outbox_view_refused", tmp_path)
        view.copy_button.click()
        qtbot.waitUntil(lambda: window.editing.voucher_id not in (None, refused)
                        and window.editor.banner.isVisibleTo(window), timeout=5000)
        settle(qtbot, window)
        banner = window.editor.banner.text()
        assert banner.startswith("Bản sao của chứng từ số 12 bị Kho bạc từ chối.")
        assert REASON in banner
        assert window.editing.status is VoucherState.DRAFT
        assert not window.editor.read_only
        draft = window.editor.voucher()
        assert draft is not None and draft.number == "" and draft.total == 1_234_000
        shoot(window, "window_copied_draft", tmp_path)


def test_a_sent_voucher_shows_its_timeline_under_the_editor(
    qtbot: QtBot, rig: Rig, tmp_path: Path
) -> None:
    sent, refused = rig.queue(2)
    rig.treasury.refuse = {refused: (ServerReason("over_estimate", "total", REASON),)}
    rig.start()
    qtbot.waitUntil(lambda: rig.item(sent).state is ItemState.DELIVERED
                    and rig.item(refused).state is ItemState.REFUSED, timeout=5000)
    rig.treasury.advance(UNIT.code, sent, "checking", "Chuyên viên đã hoàn thiện chứng từ")
    with window_with_outbox(qtbot, rig) as (window, parts):
        open_voucher(qtbot, window, sent)
        panel = parts.panel
        qtbot.waitUntil(lambda: len(panel.timeline.rows) == 2)
        assert panel.box.isVisibleTo(window)
        assert [r[0] for r in panel.timeline.rows] == ["Chờ gửi", "Đã gửi"]
        assert not panel.copy_button.isVisibleTo(window)
        open_voucher(qtbot, window, refused)
        qtbot.waitUntil(lambda: panel.timeline.reasons() == [REASON])
        assert panel.copy_button.isVisibleTo(window)
        settle(qtbot, window)
        shoot(window, "window_rejected_timeline", tmp_path)
        panel.copy_button.click()
        qtbot.waitUntil(lambda: window.editing.status is VoucherState.DRAFT
                        and REASON in window.editor.banner.text(), timeout=5000)
        assert not panel.box.isVisibleTo(window)


def test_a_draft_over_the_estimate_is_warned_under_the_editor(
    qtbot: QtBot, rig: Rig, tmp_path: Path
) -> None:
    yesterday = datetime.now(UTC) - timedelta(days=2, hours=1)
    treasury = FakeTreasury(balances_items=(
        BudgetBalance("422", "072", "13", estimate=10_000_000, remaining=1_000_000),))
    BalanceBook(rig.conn, lambda: yesterday).refresh(treasury, UNIT.code, 2026)
    draft = rig.desk.add(voucher(4, amount=2_500_000))
    with window_with_outbox(qtbot, rig) as (window, parts):
        open_voucher(qtbot, window, draft.id)
        label = parts.panel.estimate
        qtbot.waitUntil(lambda: label.isVisibleTo(window), timeout=3000)
        assert "số liệu Kho bạc cập nhật 2 ngày trước" in label.text()
        assert "vượt dự toán còn lại 1.000.000 đồng" in label.text()
        settle(qtbot, window)
        shoot(window, "window_estimate_warning", tmp_path)


def test_send_to_the_treasury_queues_the_voucher_shown_and_sends_it(
    qtbot: QtBot, rig: Rig, tmp_path: Path
) -> None:
    # The window verifies both signatures before queuing: real ones, by registered signers.
    kit = make_kit(tmp_path / "ca")
    kit.register_on_desk(rig.conn)
    (signed,) = seed_signed(rig.conn, 1, start=5, sign=kit.sign)
    rig.start()
    with window_with_outbox(qtbot, rig) as (window, parts):
        open_voucher(qtbot, window, signed)
        queue = parts.actions["queue"]
        assert queue.isEnabled() and queue.text() == "Gửi Kho bạc"
        qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: rig.treasury.puts == 1, timeout=5000)
        qtbot.waitUntil(lambda: window.editing.status in (VoucherState.QUEUED, VoucherState.SENT)
                        and window.editor.read_only, timeout=5000)
        assert not queue.isEnabled()
        qtbot.waitUntil(lambda: rig.item(signed).state is ItemState.DELIVERED)
        settle(qtbot, window)


def test_a_voucher_not_signed_by_both_is_not_queued(qtbot: QtBot, rig: Rig) -> None:
    draft = rig.desk.add(voucher(8))
    with window_with_outbox(qtbot, rig) as (window, parts):
        open_voucher(qtbot, window, draft.id)
        assert not parts.actions["queue"].isEnabled()
        parts.queue_shown()  # even if asked: nothing happens
        settle(qtbot, window)
        assert rig.sender.snapshot() == []


def test_moves_from_the_feed_reach_the_list_and_the_timeline(qtbot: QtBot, rig: Rig) -> None:
    (sent,) = rig.queue(1)
    rig.start()
    qtbot.waitUntil(lambda: rig.item(sent).state is ItemState.DELIVERED, timeout=5000)
    sync = StatusSync(rig.desk.ctx.connect, rig.treasury, UNIT.code, actor=ACTOR, period=3600)
    with app_look(), open_window(qtbot, rig.desk) as window:
        parts = OutboxWindowParts(window, rig.sender, sync, use_tray=False)
        try:
            open_voucher(qtbot, window, sent)
            qtbot.waitUntil(lambda: len(parts.panel.timeline.rows) == 2)
            rig.treasury.advance(UNIT.code, sent, "checking", "Chuyên viên đã hoàn thiện chứng từ")
            sync.start()  # not a final word: no notice, but the window follows
            qtbot.waitUntil(lambda: [r[0] for r in parts.panel.timeline.rows][-1:]
                            == ["Đang kiểm soát"], timeout=8000)
            model = window.list_pane.model
            qtbot.waitUntil(lambda: model.row_of(sent) >= 0 and "Đang kiểm soát"
                            in model.data(model.index(model.row_of(sent), 5)), timeout=5000)
            assert parts.notifier.shown == []
            settle(qtbot, window)
        finally:
            parts.close()
            sync.close()


def test_a_notice_in_the_window_opens_its_voucher(
    qtbot: QtBot, rig: Rig, tmp_path: Path
) -> None:
    first, second = rig.desk.add(voucher(1)), rig.desk.add(voucher(2))
    with window_with_outbox(qtbot, rig) as (window, parts):
        open_voucher(qtbot, window, first.id)
        reason = "Trả lại chứng từ để bổ sung: hồ sơ chưa kèm đủ hợp đồng, biên bản nghiệm thu."
        parts.notifier.notify([FinalNotice(second.id, "2", VoucherState.RETURNED, reason)])
        assert parts.notifier.isVisibleTo(window)
        assert parts.notifier.words == f"Kho bạc trả lại chứng từ số 2 để bổ sung: {reason}"
        assert parts.notifier.toolTip() == parts.notifier.words
        settle(qtbot, window)
        shoot(window, "window_notice", tmp_path)
        qtbot.mouseClick(parts.notifier, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.editing.voucher_id == second.id)
        assert parts.notifier.isHidden()
        settle(qtbot, window)


def test_ctrl_d_on_a_rejected_voucher_copies_it_with_the_reason(qtbot: QtBot, rig: Rig) -> None:
    (refused,) = rig.queue(1, start=31)
    rig.treasury.refuse = {refused: (ServerReason("over_estimate", "total", REASON),)}
    other = rig.desk.add(voucher(32))
    rig.start()
    qtbot.waitUntil(lambda: rig.item(refused).state is ItemState.REFUSED, timeout=5000)
    with window_with_outbox(qtbot, rig) as (window, _parts):
        open_voucher(qtbot, window, refused)
        qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: window.editing.status is VoucherState.DRAFT
                        and REASON in window.editor.banner.text(), timeout=5000)
        settle(qtbot, window)
        open_voucher(qtbot, window, other.id)  # any other voucher: the window's own copy
        qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: window.editing.status is None, timeout=5000)
        assert not window.editor.banner.isVisibleTo(window)
        settle(qtbot, window)
