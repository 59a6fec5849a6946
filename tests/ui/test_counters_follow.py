"""Issue 12 point 10: the problem counter follows the voucher in view (never a stale one);
point 12: one English word for a refusal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_voucher, open_window, voucher

from treasury_desktop.i18n import text


def test_the_problem_counter_follows_the_voucher_in_view(qtbot: QtBot, desk: Desk) -> None:
    broken = desk.add(voucher(1, number=""), problems=1)
    clean = desk.add(voucher(2))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, broken.id)
        assert window.state_label.text() != ""
        open_voucher(qtbot, window, clean.id)
        assert window.state_label.text() == ""  # not the previous voucher's count
        open_voucher(qtbot, window, broken.id)
        assert window.state_label.text() != ""


def test_rejected_is_one_english_word() -> None:
    words = {text(key, "en") for key in ("status.rejected", "folder.refused",
                                         "outbox.state.refused")}
    assert words == {"Rejected"}


def test_down_from_the_search_box_reaches_the_results(qtbot: QtBot, desk: Desk) -> None:
    for i in range(3):
        desk.add(voucher(i))
    with open_window(qtbot, desk) as window:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        pane = window.list_pane
        pane.search.setFocus()
        qtbot.keyClick(pane.search, Qt.Key.Key_Down)
        assert pane.table.hasFocus()
        assert pane.table.selectionModel().hasSelection()


def test_each_state_word_means_one_thing() -> None:
    signed, queued = text("status.signed_holder", "vi"), text("status.queued", "vi")
    assert signed == "Đã ký đủ" and queued == "Chờ gửi"  # signed, not queued / in the outbox
    assert "chờ gửi" in text("folder.to_send", "vi").lower()  # the folder holds both
    assert text("folder.to_send", "vi") not in (signed, queued)
