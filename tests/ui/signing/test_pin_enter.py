"""Issue 12 point 1: after a wrong PIN, Enter with the right PIN signs (never cancels)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from signing_harness import FAKE_PIN, register, type_text
from test_pin_dialog import Recorder, open_dialog, request_for
from ui_harness import Desk, FakePrompter, open_window, settle, voucher

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.signing.errors import PinIncorrect, PinState
from treasury_desktop.signing.fake_token import FakeSlots, FakeToken
from treasury_desktop.signing.testca import SoftwareCA
from treasury_desktop.ui.signing.pin_dialog import Mode
from treasury_desktop.usecases.trust import open_trust_store


def test_wrong_pin_then_right_pin_then_enter_signs(
    qtbot: QtBot, make_fake: Callable[..., FakeToken], vi: None,
) -> None:
    recorder = Recorder()
    dialog = open_dialog(qtbot, request_for(make_fake()), recorder)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    type_text(dialog.field, "0000")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert recorder.calls == [True] and recorder.matched == [False]
    qtbot.wait(50)  # the token checks the PIN on its thread meanwhile
    dialog.show_wrong_pin(PinIncorrect(token="FAKE-KTT", pin_state=PinState.COUNT_LOW))
    assert dialog.mode is Mode.ENTRY and dialog.isVisible()
    # The right PIN, then Enter: signs, the dialog stays open and busy.
    type_text(dialog.field, FAKE_PIN)
    assert dialog.sign_button.isDefault() and not dialog.cancel_button.isDefault()
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert recorder.calls == [True, True] and recorder.matched == [False, True]
    assert dialog.isVisible() and dialog.mode is Mode.CHECKING
    # Also when the focus wandered to Cancel and came back by Tab.
    dialog.show_wrong_pin(PinIncorrect(token="FAKE-KTT", pin_state=PinState.FINAL_TRY))
    dialog.cancel_button.setFocus()
    qtbot.wait(20)
    dialog.field.setFocus()
    type_text(dialog.field, FAKE_PIN)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Enter)
    assert recorder.calls == [True, True, True] and dialog.isVisible()


def test_in_the_window_wrong_pin_then_right_pin_and_enter_signs_and_cancel_is_said(
    qtbot: QtBot, desk: Desk, make_fake: Callable[..., FakeToken], test_ca: SoftwareCA,
) -> None:
    token = make_fake()
    register(desk.ctx.connect(), token.keys[0][1], SignerRole.CHIEF_ACCOUNTANT)
    open_trust_store(desk.ctx.data_dir).add(test_ca.cert_path.read_bytes())
    made = desk.add(voucher(0))
    with open_window(qtbot, desk, FakePrompter()) as window:
        signing = window.signing
        signing.load = lambda: FakeSlots([token])
        window.list_pane.table.selectRow(window.list_pane.model.row_of(made.id))
        signing.actions[SignerRole.CHIEF_ACCOUNTANT].trigger()
        flow = signing.flow
        qtbot.waitUntil(lambda: flow.pin_dialog is not None and flow.pin_dialog.isVisible())
        dialog = flow.pin_dialog
        assert dialog is not None
        type_text(dialog.field, "0000")
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.mode is Mode.ENTRY and dialog.message.isVisible(),
                        timeout=10_000)
        type_text(dialog.field, FAKE_PIN)
        with qtbot.waitSignal(flow.finished, timeout=10_000) as done:
            qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
        assert done.args is not None and done.args[0] is not None
        assert done.args[0].signed == (made.id,)
        settle(qtbot, window)
        stored = desk.repo.get(made.id)
        assert stored is not None and stored.status is VoucherState.SIGNED_CHIEF
        # A cancelled signing is said in the status bar.
        other = desk.add(voucher(1))
        window.refresh()
        settle(qtbot, window)
        window.list_pane.table.selectRow(window.list_pane.model.row_of(other.id))
        signing.actions[SignerRole.CHIEF_ACCOUNTANT].trigger()
        qtbot.waitUntil(lambda: flow.pin_dialog is not None and flow.pin_dialog.isVisible()
                        and flow.pin_dialog is not dialog)
        with qtbot.waitSignal(flow.finished, timeout=10_000):
            assert flow.pin_dialog is not None
            flow.pin_dialog.cancel_button.click()
        assert "Đã hủy ký" in window.statusBar().currentMessage()
