"""The outbox view over a real sender: state, attempts, next try, last error in plain words."""

from __future__ import annotations

import re

from outbox_rig import Rig
from pytestqt.qtbot import QtBot

from treasury_desktop.api.port import ServerReason, TreasuryUnavailable
from treasury_desktop.outbox.model import ItemState, OutboxChange
from treasury_desktop.ui.outbox.formatting import moment
from treasury_desktop.ui.outbox.outbox_model import COLUMNS
from treasury_desktop.ui.outbox.outbox_view import OutboxView

DMY_HM = re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d$")
REASON = "Số tiền vượt dự toán còn lại của chương 422, ngành kinh tế 072, nguồn 13."


def column(name: str) -> int:
    return COLUMNS.index(name)


def settled(rig: Rig, ids: list[str], attempts: int = 1) -> None:
    def done() -> None:
        items = {i.voucher_id: i for i in rig.sender.snapshot()}
        assert all(items[v].state is not ItemState.IN_FLIGHT and items[v].attempts >= attempts
                   for v in ids)

    rig.qtbot.waitUntil(done, timeout=5000)


def test_lists_each_voucher_with_state_attempts_next_try_and_error(
    qtbot: QtBot, rig: Rig
) -> None:
    delivered, busy, refused, waiting = rig.queue(4)
    rig.treasury.failing[busy] = TreasuryUnavailable("503 Service Unavailable")
    rig.treasury.refuse = {refused: (ServerReason("over_estimate", "lines[0].amount", REASON),)}
    rig.treasury.failing[waiting] = TreasuryUnavailable("connection reset", offline=True)
    view = OutboxView(rig.bridge)
    qtbot.addWidget(view)
    view.show_delivered.setChecked(True)
    rig.start()
    settled(rig, [delivered, busy, refused, waiting])
    rig.snapshot()
    rig.idle()

    model = view.model
    assert model.rowCount() == 4
    rows = {model.items[r].voucher_id: model.texts(r) for r in range(model.rowCount())}
    state, attempts, nxt, error = (column(c) for c in ("state", "attempts", "next", "error"))

    assert rows[delivered][state] == "Đã gửi"
    assert rows[delivered][error] == "" and rows[delivered][nxt] == ""

    assert rows[busy][state] == "Chờ gửi"
    assert rows[busy][attempts] == "1"
    assert DMY_HM.match(rows[busy][nxt])
    assert rows[busy][nxt] == moment(rig.item(busy).next_attempt_at)
    assert rows[busy][error] == (
        "Hệ thống Kho bạc đang bận (503 Service Unavailable). Phần mềm sẽ tự gửi lại.")

    assert rows[waiting][error].startswith("Không kết nối được tới Kho bạc (connection reset).")

    assert rows[refused][state] == "Từ chối"  # the list's word (one source of truth)
    assert REASON in rows[refused][error]
    assert "\n" not in rows[refused][error]
    assert rows[refused][column("number")] == "3"
    assert rows[refused][column("total")] == "1.234.000"
    assert rows[refused][column("payee")] == "Công ty Điện lực Thái Nguyên"


def test_delivered_vouchers_are_listed_only_on_demand(qtbot: QtBot, rig: Rig) -> None:
    ids = rig.queue(3)
    view = OutboxView(rig.bridge)
    qtbot.addWidget(view)
    rig.start()
    settled(rig, ids)
    rig.snapshot()
    assert view.model.rowCount() == 0
    assert view.summary.text() == "Hộp thư đi trống: không còn chứng từ nào chờ gửi."
    view.show_delivered.setChecked(True)
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)


def test_selecting_a_refused_voucher_shows_its_reason_and_timeline(
    qtbot: QtBot, rig: Rig
) -> None:
    (refused,) = rig.queue(1)
    rig.treasury.refuse = {refused: (ServerReason("over_estimate", "total", REASON),)}
    view = OutboxView(rig.bridge)
    qtbot.addWidget(view)
    rig.start()
    settled(rig, [refused])
    rig.snapshot()
    qtbot.waitUntil(lambda: len(view.timeline.rows) == 2)
    assert view.selected_id() == refused
    assert REASON in view.detail_error.text()
    assert view.copy_button.isVisibleTo(view)
    assert [r[0] for r in view.timeline.rows] == ["Chờ gửi", "Từ chối"]
    assert view.timeline.reasons() == [REASON]
    assert view.timeline.rows[1][2] == "Kho bạc từ chối khi tiếp nhận"


def test_a_long_drain_is_read_in_a_few_snapshots_not_one_per_change(
    qtbot: QtBot, rig: Rig
) -> None:
    ids = rig.queue(150)
    view = OutboxView(rig.bridge)
    qtbot.addWidget(view)
    view.show()  # on screen: rows are re-read after changes, coalesced
    changes: list[object] = []
    reads: list[object] = []
    rig.session.events.subscribe(OutboxChange, changes.append)
    rig.bridge.snapshot_ready.connect(reads.append)
    rig.start()
    qtbot.waitUntil(lambda: rig.bridge.status is not None and rig.bridge.status.empty
                    and view.model.rowCount() == 0, timeout=10000)
    assert len(changes) >= 75  # at least one per pair of vouchers in flight
    assert len(reads) < len(changes) // 2  # coalesced: at most one read per 250 ms
    assert view.summary.text() == "Hộp thư đi trống: không còn chứng từ nào chờ gửi."
    assert all(rig.item(v).state is ItemState.DELIVERED for v in ids[:3])


def test_activating_a_row_opens_the_voucher(qtbot: QtBot, rig: Rig) -> None:
    rig.queue(2)
    view = OutboxView(rig.bridge)
    qtbot.addWidget(view)
    opened: list[str] = []
    view.open_requested.connect(opened.append)
    rig.snapshot()
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 0))
    view.table.activated.emit(view.model.index(0, 0))  # Enter or a double click
    assert opened == [view.model.items[0].voucher_id]
