"""Issue 12 point 6: a voucher's history agrees with its state and shows the reason."""

from __future__ import annotations

from outbox_rig import ACTOR, Rig
from pytestqt.qtbot import QtBot

from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.ui.outbox.follow_up import FollowUpPanel

REASON = "Đơn vị không có dự toán chương 422, ngành 073, nguồn 13."


def test_a_rejected_voucher_shows_the_rejection_and_its_reason(qtbot: QtBot, rig: Rig) -> None:
    (rejected, paid) = rig.queue(2)
    repo = SqliteVoucherRepository(rig.conn)
    # Moved by the treasury's word without a recorded step (another desk sent it, an import).
    repo.set_status(rejected, VoucherState.REJECTED, actor=ACTOR, reason=REASON)
    for state in (VoucherState.SENT, VoucherState.RECEIVED, VoucherState.PAID):
        repo.set_status(paid, state, actor=ACTOR)
    panel = FollowUpPanel(rig.bridge)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_voucher(rejected, VoucherState.REJECTED)
    qtbot.waitUntil(lambda: any("chối" in row[0] for row in panel.timeline.rows), timeout=5000)
    words, _when, _detail, reason = panel.timeline.rows[-1]
    assert reason == REASON  # in plain view, not only in a tooltip
    assert panel.timeline.reasons() == [REASON]
    assert panel.copy_button.isVisible()
    panel.show_voucher(paid, VoucherState.PAID)
    qtbot.waitUntil(lambda: bool(panel.timeline.rows)
                    and "thanh toán" in panel.timeline.rows[-1][0], timeout=5000)
    texts = [row[0] for row in panel.timeline.rows]
    assert all("chưa được gửi" not in text for text in texts)
