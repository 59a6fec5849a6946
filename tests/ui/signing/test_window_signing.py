"""The main window's signing actions (Ctrl+K): sign what is selected, then the list refreshes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot
from signing_harness import FAKE_PIN, register, type_text
from ui_harness import Desk, FakePrompter, open_window, settle, voucher

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.signing.fake_token import FakeSlots, FakeToken
from treasury_desktop.signing.testca import SoftwareCA
from treasury_desktop.ui.signing.window_hookup import SHORTCUTS
from treasury_desktop.usecases.trust import open_trust_store

CHIEF = SignerRole.CHIEF_ACCOUNTANT


def test_ctrl_k_signs_the_selected_vouchers_and_refreshes_the_list(
    qtbot: QtBot, desk: Desk, make_fake: Callable[..., FakeToken], test_ca: SoftwareCA,
) -> None:
    token = make_fake()
    register(desk.ctx.connect(), token.keys[0][1], CHIEF)
    open_trust_store(desk.ctx.data_dir).add(test_ca.cert_path.read_bytes())  # the unit's CA
    made = [desk.add(voucher(i)) for i in range(3)]
    prompter = FakePrompter()
    with open_window(qtbot, desk, prompter) as window:
        signing = window.signing
        signing.load = lambda: FakeSlots([token])
        action = signing.actions[CHIEF]
        assert action.text() == "Ký (Kế toán trưởng)"
        assert action.shortcut().toString() == SHORTCUTS[CHIEF]
        assert signing.actions[SignerRole.ACCOUNT_HOLDER].text() == "Ký (Chủ tài khoản)"
        table, model = window.list_pane.table, window.list_pane.model
        chosen = [v.id for v in made[:2]]
        selection = table.selectionModel()
        selection.clearSelection()
        for voucher_id in chosen:
            row = model.row_of(voucher_id)
            selection.select(model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                             | QItemSelectionModel.SelectionFlag.Rows)
        assert sorted(signing.selected_ids()) == sorted(chosen)
        action.trigger()
        flow = signing.flow
        qtbot.waitUntil(lambda: flow.pin_dialog is not None and flow.pin_dialog.isVisible())
        dialog = flow.pin_dialog
        assert dialog is not None and dialog.request.count == 2
        assert window.statusBar().currentMessage() == ""  # "preparing" gone once it asks
        with qtbot.waitSignal(flow.finished, timeout=10_000):
            type_text(dialog.field, FAKE_PIN)
            dialog.sign_button.click()
        settle(qtbot, window)
        assert "Đã ký 2/2 chứng từ (Kế toán trưởng)." in window.statusBar().currentMessage()
        assert not prompter.messages and not prompter.crashes
        for v in made:
            stored = desk.repo.get(v.id)
            assert stored is not None
            expected = VoucherState.SIGNED_CHIEF if v.id in chosen else VoucherState.DRAFT
            assert stored.status is expected
            row = model.row_of(v.id)
            assert row >= 0 and model.row_record(row).status is expected  # the list shows it
