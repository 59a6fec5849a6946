"""The status-bar indicator follows a real sender: online, sending n, offline, paused."""

from __future__ import annotations

import os
from pathlib import Path

from outbox_rig import Rig
from pytestqt.qtbot import QtBot

from treasury_desktop.api.port import TreasuryAuthRefused, TreasuryUnavailable
from treasury_desktop.i18n import Message, set_language
from treasury_desktop.outbox.model import Connectivity, ItemState, OutboxStatus
from treasury_desktop.ui.outbox.outbox_view import OutboxView
from treasury_desktop.ui.outbox.status_indicator import OutboxIndicator


def make_indicator(qtbot: QtBot, rig: Rig) -> tuple[OutboxIndicator, list[tuple[str, str]]]:
    """The indicator, and every (connectivity, text) it showed, in order."""
    indicator = OutboxIndicator()
    qtbot.addWidget(indicator)
    seen: list[tuple[str, str]] = []

    def show(status: OutboxStatus) -> None:
        indicator.set_status(status)
        seen.append((status.connectivity.value, indicator.text()))

    rig.bridge.status_changed.connect(show)
    return indicator, seen


def test_online_then_sending_n_then_online(qtbot: QtBot, rig: Rig) -> None:
    indicator, seen = make_indicator(qtbot, rig)
    rig.queue(3)
    rig.snapshot()
    assert indicator.text() == "Đã kết nối · 3 chờ gửi"
    rig.treasury.gate.clear()  # requests stay in flight until the gate opens
    rig.start()
    qtbot.waitUntil(lambda: seen[-1][0] == "sending")
    assert indicator.text() == "Đang gửi 3"
    assert indicator.dot.styleSheet().startswith("background: #1f5fa8")
    rig.treasury.gate.set()
    qtbot.waitUntil(lambda: rig.bridge.status is not None and rig.bridge.status.empty
                    and rig.bridge.status.connectivity is Connectivity.ONLINE)
    rig.snapshot()
    assert indicator.text() == "Đã kết nối"


def test_offline_when_the_treasury_cannot_be_reached(qtbot: QtBot, rig: Rig) -> None:
    indicator, seen = make_indicator(qtbot, rig)
    (voucher,) = rig.queue(1)
    rig.treasury.failing[voucher] = TreasuryUnavailable("connection refused", offline=True)
    rig.start()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == "offline")
    assert indicator.text() == "Mất kết nối · 1 chờ gửi"
    assert "sẽ tự gửi lại khi có mạng" in indicator.toolTip()


def test_send_now_wakes_the_sender(qtbot: QtBot, rig: Rig) -> None:
    (voucher,) = rig.queue(1)
    rig.treasury.failing[voucher] = TreasuryUnavailable("connection reset", offline=True)
    view = OutboxView(rig.bridge)
    qtbot.addWidget(view)
    rig.start()
    qtbot.waitUntil(lambda: rig.item(voucher).attempts == 1
                    and rig.item(voucher).state is ItemState.PENDING)
    waiting = rig.item(voucher)
    assert waiting.next_attempt_at is not None  # backoff: up to an hour away
    del rig.treasury.failing[voucher]  # the network is back
    view.send_button.click()
    qtbot.waitUntil(lambda: rig.item(voucher).state is ItemState.DELIVERED, timeout=5000)
    assert rig.item(voucher).attempts == 2


def test_pause_shows_paused_with_the_reason_and_resume_lifts_it(
    qtbot: QtBot, rig: Rig
) -> None:
    indicator, _seen = make_indicator(qtbot, rig)
    view = OutboxView(rig.bridge)
    qtbot.addWidget(view)
    rig.queue(2)
    rig.snapshot()
    view.pause_button.click()
    qtbot.waitUntil(lambda: view.pause_button.text() == "Tiếp tục gửi")
    reason = "Người dùng đã tạm dừng. Bấm «Gửi ngay» để gửi tiếp."
    assert indicator.text() == f"Tạm dừng gửi: {reason}"
    assert view.paused_note.isVisibleTo(view)
    assert reason in view.paused_note.text()
    assert {view.model.texts(r)[5] for r in range(view.model.rowCount())} == {"khi tiếp tục gửi"}
    rig.start()  # paused: nothing is sent
    rig.snapshot()
    assert rig.treasury.puts == 0
    view.pause_button.click()
    qtbot.waitUntil(lambda: rig.treasury.puts == 2 and rig.bridge.status is not None
                    and rig.bridge.status.empty)
    assert view.pause_button.text() == "Tạm dừng"
    assert not view.paused_note.isVisibleTo(view)


def test_a_refused_credential_pauses_with_what_to_do(qtbot: QtBot, rig: Rig) -> None:
    indicator, seen = make_indicator(qtbot, rig)
    (voucher,) = rig.queue(1)
    rig.treasury.failing[voucher] = TreasuryAuthRefused("401 Unauthorized")
    rig.start()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == "paused")
    assert indicator.text().startswith(
        "Tạm dừng gửi: Kho bạc từ chối thông tin đăng nhập của máy này (401 Unauthorized).")
    assert "Hãy kết nối lại" in indicator.toolTip()


def test_every_state_reads_well_in_both_languages(qtbot: QtBot, tmp_path: Path) -> None:
    paused = Message("outbox.paused.auth", {"detail": "401 Unauthorized"})
    states = {
        "online": OutboxStatus(Connectivity.ONLINE, 0, 0, 0, None, None),
        "waiting": OutboxStatus(Connectivity.ONLINE, 4, 0, 1, None, None),
        "sending": OutboxStatus(Connectivity.SENDING, 7, 5, 0, None, None),
        "offline": OutboxStatus(Connectivity.OFFLINE, 3, 0, 0, None, None),
        "paused": OutboxStatus(Connectivity.PAUSED, 3, 0, 0, paused, None),
    }
    expected = {
        "vi": ["Đã kết nối", "Đã kết nối · 4 chờ gửi · 1 bị từ chối", "Đang gửi 12",
               "Mất kết nối · 3 chờ gửi",
               "Tạm dừng gửi: Kho bạc từ chối thông tin đăng nhập của máy này"],
        "en": ["Online", "Online · 4 waiting · 1 refused", "Sending 12", "Offline · 3 waiting",
               "Paused: The treasury refused this desk's credential"],
    }
    folder = Path(os.environ.get("OUTBOX_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for lang in ("vi", "en"):
            set_language(lang)  # type: ignore[arg-type]
            shown = []
            for name, status in states.items():
                indicator = OutboxIndicator()
                qtbot.addWidget(indicator)
                indicator.set_status(status)
                shown.append(indicator.text())
                indicator.resize(indicator.sizeHint())
                assert indicator.grab().save(str(folder / f"indicator_{name}_{lang}.png"))
            assert shown[:4] == expected[lang][:4]
            assert shown[4].startswith(expected[lang][4])
    finally:
        set_language("vi")
