"""After sending: timelines from the treasury's feed, notifications, estimate warnings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from outbox_rig import ACTOR, Rig
from pytestqt.qtbot import QtBot
from ui_harness import UNIT, voucher

from treasury_desktop.api.port import BudgetBalance
from treasury_desktop.domain.events import StatusChanged
from treasury_desktop.domain.voucher import Voucher
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.outbox.fake import FakeTreasury
from treasury_desktop.outbox.model import ItemState
from treasury_desktop.store.timeline import TimelineEvent
from treasury_desktop.sync.balances import BalanceBook
from treasury_desktop.sync.feed import FinalNotice
from treasury_desktop.sync.service import StatusSync
from treasury_desktop.ui.outbox.bridge import OutboxBridge
from treasury_desktop.ui.outbox.estimate_warning import EstimateCheck, EstimateWarningLabel
from treasury_desktop.ui.outbox.formatting import moment
from treasury_desktop.ui.outbox.notifier import Notifier
from treasury_desktop.ui.outbox.timeline_view import TimelineView

RETURN_REASON = "Hồ sơ chưa kèm hợp đồng và biên bản nghiệm thu. Đề nghị bổ sung."
REJECT_REASON = "Sai mã nguồn ngân sách: nguồn 13 không còn dự toán."


@pytest.fixture
def synced(rig: Rig) -> Iterator[tuple[OutboxBridge, StatusSync]]:
    sync = StatusSync(rig.desk.ctx.connect, rig.treasury, UNIT.code, actor=ACTOR, period=3600)
    bridge = OutboxBridge(rig.sender, rig.session, sync=sync)
    yield bridge, sync
    bridge.close()
    sync.close()


def deliver(rig: Rig, count: int) -> list[str]:
    ids = rig.queue(count)
    rig.start()
    rig.qtbot.waitUntil(
        lambda: all(rig.item(v).state is ItemState.DELIVERED for v in ids), timeout=5000)
    return ids


def test_feed_moves_timelines_and_notifies_paid_rejected_returned(
    qtbot: QtBot, rig: Rig, synced: tuple[OutboxBridge, StatusSync]
) -> None:
    bridge, sync = synced
    paid, rejected, returned = deliver(rig, 3)
    unit = UNIT.code
    rig.treasury.advance(unit, paid, "checking", "Chuyên viên đã hoàn thiện chứng từ")
    rig.treasury.advance(unit, paid, "paid", "Đã thanh toán")
    rig.treasury.advance(unit, rejected, "rejected", "TP từ chối", reason=REJECT_REASON)
    rig.treasury.advance(unit, returned, "returned", "Trả lại để bổ sung", reason=RETURN_REASON)
    notifier = Notifier(use_tray=False)
    qtbot.addWidget(notifier)
    opened: list[str] = []
    notifier.activated.connect(opened.append)
    rig.session.events.subscribe(StatusChanged, notifier.tell)  # the window's one bus
    sync.start()  # its own thread, as in the app
    qtbot.waitUntil(lambda: bool(notifier.shown), timeout=5000)

    (shown,) = notifier.shown  # one page, one notice (in the order the feed first named them)
    assert sorted(shown.splitlines()) == sorted([
        "Chứng từ số 1 đã được Kho bạc thanh toán.",
        f"Kho bạc từ chối chứng từ số 2: {REJECT_REASON}",
        f"Kho bạc trả lại chứng từ số 3 để bổ sung: {RETURN_REASON}",
    ])
    assert notifier.isVisibleTo(notifier.parentWidget() or notifier)
    assert notifier.words == shown
    notifier.clicked.emit()
    assert len(opened) == 1 and opened[0] in (rejected, returned)  # what needs the accountant

    view = TimelineView()
    qtbot.addWidget(view)
    got: dict[str, list[TimelineEvent]] = {}
    for voucher_id in (paid, rejected, returned):
        bridge.timeline(voucher_id,
                        lambda events, voucher_id=voucher_id: got.__setitem__(voucher_id, events))
    qtbot.waitUntil(lambda: len(got) == 3)

    view.set_events(got[paid])
    assert [r[0] for r in view.rows] == [
        "Chờ gửi", "Đã gửi", "KBNN tiếp nhận", "Đang kiểm soát", "Đã thanh toán"]
    assert [r[1] for r in view.rows] == [moment(e.at) for e in got[paid]]
    assert all(r[1] for r in view.rows)
    assert view.rows[3][2] == "Chuyên viên đã hoàn thiện chứng từ"
    assert view.reasons() == []

    view.set_events(got[rejected])
    assert view.rows[-1][0] == "Từ chối"
    assert view.reasons() == [REJECT_REASON]
    view.set_events(got[returned])
    assert view.rows[-1][0] == "Trả lại để bổ sung"
    assert view.reasons() == [RETURN_REASON]


def test_many_notices_at_once_make_one_sentence(qtbot: QtBot) -> None:
    notifier = Notifier(use_tray=False)
    qtbot.addWidget(notifier)
    notices = [FinalNotice(f"id{i}", str(i), VoucherState.PAID, "") for i in range(5)]
    notices.append(FinalNotice("idr", "9", VoucherState.REJECTED, "Sai"))
    notifier.notify(notices)
    assert notifier.shown == [
        "6 chứng từ có kết quả mới: 5 đã thanh toán, 1 bị từ chối, 0 bị trả lại."]


def test_the_estimate_warning_says_how_old_the_figure_is(qtbot: QtBot, rig: Rig) -> None:
    three_hours_ago = datetime.now(UTC) - timedelta(hours=3, minutes=5)
    treasury = FakeTreasury(balances_items=(
        BudgetBalance("422", "072", "13", estimate=50_000_000, remaining=2_000_000),))
    BalanceBook(rig.conn, lambda: three_hours_ago).refresh(treasury, UNIT.code, 2026)
    rig.queue(1)  # 1.234.000 on its way on the same codes
    draft = voucher(1, amount=1_500_000)
    label = EstimateWarningLabel()
    qtbot.addWidget(label)
    shown: list[Voucher] = [draft]
    check = EstimateCheck(label, lambda: shown[0], rig.bridge.over_estimate)
    check.check_now()
    qtbot.waitUntil(lambda: bool(label.warnings))
    assert label.isVisibleTo(label.parentWidget() or label)
    assert label.text() == (
        "Số tiền 1.500.000 đồng vượt dự toán còn lại 766.000 đồng (chương 422, ngành kinh tế 072,"
        " nguồn 13; số liệu Kho bạc cập nhật 3 giờ trước, đã trừ các chứng từ đang gửi)."
        " Kho bạc có thể từ chối chứng từ này.")
    shown[0] = voucher(1, amount=500_000)
    check.edited()
    qtbot.waitUntil(lambda: not label.warnings, timeout=3000)
    assert label.isHidden()


# The offscreen platform has no tray to wire to; a real desktop (with a tray) says nothing.
@pytest.mark.qt_log_ignore(r"^QObject::connect: No such signal "
                           r"QPlatformNativeInterface::systemTrayWindowChanged")
def test_with_a_tray_the_notice_goes_to_the_tray(qtbot: QtBot) -> None:
    notifier = Notifier(use_tray=True)
    qtbot.addWidget(notifier)
    assert notifier.tray is not None
    opened: list[str] = []
    notifier.activated.connect(opened.append)
    notifier.notify([FinalNotice("id-r", "7", VoucherState.RETURNED, "Thiếu hợp đồng.")])
    assert notifier.shown == ["Kho bạc trả lại chứng từ số 7 để bổ sung: Thiếu hợp đồng."]
    assert notifier.isHidden()  # no in-window notice while the tray speaks
    notifier.tray.messageClicked.emit()
    assert opened == ["id-r"]
    notifier.close_tray()


def test_a_move_short_of_final_reaches_the_window_as_an_event(
    qtbot: QtBot, rig: Rig, synced: tuple[OutboxBridge, StatusSync]
) -> None:
    bridge, sync = synced
    (voucher,) = deliver(rig, 1)
    rig.treasury.advance(UNIT.code, voucher, "checking", "Chuyên viên đang kiểm soát")
    news: list[StatusChanged] = []
    rig.session.events.subscribe(StatusChanged, news.append)
    sync.start()  # the sync's own thread publishes; the bus hands it to the GUI thread
    qtbot.waitUntil(lambda: any(voucher in n.voucher_ids for n in news), timeout=5000)
    assert sync.last is not None and sync.last.moved >= 1 and sync.last.error is None
