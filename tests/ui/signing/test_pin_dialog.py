"""The PIN dialog on its own: the PIN state before typing, the field, PIN pads, Cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from signing_harness import FAKE_PIN, shot, type_text

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import set_language
from treasury_desktop.signing.errors import PinIncorrect, PinState
from treasury_desktop.signing.fake_token import FakeToken
from treasury_desktop.ui.signing.pin_dialog import Mode, PinDialog, PinRequest
from treasury_desktop.ui.signing.visuals import PIN_STATE_COLOURS

# (fake token settings, state it reports, words the dialog shows)
STATES = {
    "normal": ({}, PinState.NORMAL, "Bình thường"),
    "count_low": ({"tries_left": 3}, PinState.COUNT_LOW, "còn ít lần thử"),
    "final_try": ({"tries_left": 1}, PinState.FINAL_TRY, "Lần thử cuối cùng"),
    "locked": ({"tries_left": 0}, PinState.LOCKED, "Đã khóa"),
    "unknown": ({"report_pin_state": False}, PinState.UNKNOWN, "Không rõ"),
}


def request_for(token: FakeToken, count: int = 3, total: int = 3_702_000) -> PinRequest:
    info, cert = token.info(), token.certificates()[0]
    return PinRequest(
        SignerRole.CHIEF_ACCOUNTANT, info.label, info.serial, info.pin_state,
        info.protected_auth_path, cert.holder_name, cert.organisation, cert.issuer_name,
        cert.not_after, count, total,
    )


class Recorder:
    """Stands in for the flow: counts submissions (and never keeps the PIN itself)."""

    def __init__(self) -> None:
        self.calls: list[bool] = []  # True when a PIN came, False for a PIN pad
        self.matched: list[bool] = []

    def __call__(self, pin: str | None) -> None:
        self.calls.append(pin is not None)
        self.matched.append(pin == FAKE_PIN)


def open_dialog(qtbot: QtBot, request: PinRequest, recorder: Recorder) -> PinDialog:
    dialog = PinDialog(request, recorder)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.begin()
    return dialog


@pytest.mark.parametrize("name", list(STATES))
def test_the_pin_state_is_shown_before_anything_is_typed(
    qtbot: QtBot, make_fake: Callable[..., FakeToken], vi: None, name: str,
    shots: Path | None,
) -> None:
    settings, state, words = STATES[name]
    token = make_fake(**settings)
    dialog = open_dialog(qtbot, request_for(token), Recorder())
    assert dialog.state is state
    assert words in dialog.state_label.text()
    assert PIN_STATE_COLOURS[state] in dialog.state_label.styleSheet()
    assert dialog.summary.text() == "Ký 3 chứng từ, tổng 3.702.000 đồng"
    assert any("Nguyễn Thị Lan" in label.text() for label in dialog.findChildren(QLabel))
    if state is PinState.LOCKED:
        assert dialog.mode is Mode.CLOSED_ONLY
        assert not dialog.field.isVisible() and not dialog.sign_button.isVisible()
        explained = dialog.message.text()
        assert "SO PIN" in explained and "nhà cung cấp chữ ký số" in explained
        assert dialog.cancel_button.text() == "Đóng"
    else:
        assert dialog.field.isVisible() and not dialog.sign_button.isEnabled()
    shot(dialog, shots, f"pin_dialog_{name}")


def test_sign_is_enabled_by_typing_and_the_field_is_cleared_on_submit(
    qtbot: QtBot, make_fake: Callable[..., FakeToken], vi: None,
) -> None:
    recorder = Recorder()
    dialog = open_dialog(qtbot, request_for(make_fake()), recorder)
    field = dialog.field
    assert field.echoMode() is field.EchoMode.Password
    assert not dialog.sign_button.isEnabled()
    type_text(field, FAKE_PIN)
    assert field.text() == FAKE_PIN and dialog.sign_button.isEnabled()
    dialog.sign_button.click()
    assert recorder.calls == [True] and recorder.matched == [True]
    assert field.text() == "" and dialog.mode is Mode.CHECKING
    # Nothing in the dialog holds the PIN any more.
    assert all(FAKE_PIN not in repr(value) for value in vars(dialog).values())
    # While the token checks it, neither Sign nor Cancel does anything.
    dialog.sign_button.click()
    dialog.reject()
    assert recorder.calls == [True] and dialog.isVisible()


def test_a_wrong_pin_shows_the_new_state_and_waits_for_the_user(
    qtbot: QtBot, make_fake: Callable[..., FakeToken], vi: None, shots: Path | None,
) -> None:
    recorder = Recorder()
    dialog = open_dialog(qtbot, request_for(make_fake()), recorder)
    type_text(dialog.field, "0000")
    dialog.sign_button.click()
    dialog.show_wrong_pin(PinIncorrect(token="FAKE-KTT", pin_state=PinState.FINAL_TRY))
    assert dialog.state is PinState.FINAL_TRY
    assert "Chỉ còn MỘT lần thử" in dialog.message.text()
    assert dialog.mode is Mode.ENTRY and dialog.field.text() == ""
    assert not dialog.sign_button.isEnabled()
    qtbot.wait(100)
    assert recorder.calls == [True]  # not resubmitted
    shot(dialog, shots, "pin_dialog_wrong_pin")


def test_a_pin_pad_reader_has_no_field_and_logs_in_at_once(
    qtbot: QtBot, make_fake: Callable[..., FakeToken], vi: None, shots: Path | None,
) -> None:
    recorder = Recorder()
    dialog = open_dialog(qtbot, request_for(make_fake(protected_auth_path=True)), recorder)
    assert not dialog.field.isVisible()
    assert dialog.pad_label.isVisible()
    assert "Hãy nhập mã PIN trên bàn phím của thiết bị" in dialog.pad_label.text()
    assert recorder.calls == [False] and dialog.mode is Mode.PAD
    shot(dialog, shots, "pin_dialog_pin_pad")


def test_cancel_closes_without_submitting_and_clears_the_field(
    qtbot: QtBot, make_fake: Callable[..., FakeToken], vi: None,
) -> None:
    recorder = Recorder()
    dialog = open_dialog(qtbot, request_for(make_fake()), recorder)
    type_text(dialog.field, "13")
    with qtbot.waitSignal(dialog.rejected):
        dialog.cancel_button.click()
    assert recorder.calls == [] and dialog.field.text() == ""


def test_enter_in_the_field_signs_once(
    qtbot: QtBot, make_fake: Callable[..., FakeToken], vi: None,
) -> None:
    recorder = Recorder()
    dialog = open_dialog(qtbot, request_for(make_fake()), recorder)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)  # nothing typed: nothing sent
    assert recorder.calls == []
    type_text(dialog.field, FAKE_PIN)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)  # a second Enter while the token checks
    assert recorder.calls == [True] and recorder.matched == [True]


def test_the_dialog_speaks_english_too(
    qtbot: QtBot, make_fake: Callable[..., FakeToken], vi: None,
) -> None:
    set_language("en")
    dialog = open_dialog(qtbot, request_for(make_fake(tries_left=1)), Recorder())
    assert dialog.windowTitle() == "Sign — Chief accountant"
    assert dialog.summary.text() == "Sign 3 vouchers, total 3.702.000 VND"
    assert "Last try" in dialog.state_label.text()
