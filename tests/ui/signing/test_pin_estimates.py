"""Issue 12 point 3: the PIN dialog warns, before the signature, of a line the treasury would
refuse for its estimate — no estimate at all on its chương/ngành/nguồn, or over what is left —
as the editor does while drafting. The warning never blocks: the voucher is signed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from signing_harness import FAKE_PIN, register, type_text
from ui_harness import UNIT, Desk, FakePrompter, open_window, settle, voucher

from treasury_desktop.api.port import BudgetBalance
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.voucher import BudgetLine
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.outbox.fake import FakeTreasury
from treasury_desktop.signing.fake_token import FakeSlots, FakeToken
from treasury_desktop.signing.testca import SoftwareCA
from treasury_desktop.sync.balances import BalanceBook
from treasury_desktop.ui.signing.pin_dialog import Mode
from treasury_desktop.usecases.estimate_check import SHOWN, estimate_warnings
from treasury_desktop.usecases.trust import open_trust_store


def balances(desk: Desk) -> None:
    """The treasury's figures, an hour old: an estimate on 422/072/13 only."""
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1, minutes=2)
    treasury = FakeTreasury(balances_items=(
        BudgetBalance("422", "072", "13", estimate=50_000_000, remaining=20_000_000),))
    conn = desk.ctx.connect()
    BalanceBook(conn, lambda: an_hour_ago).refresh(treasury, UNIT.code, 2026)
    conn.close()


def test_no_estimate_is_warned_in_the_pin_dialog_and_the_voucher_still_signs(
    qtbot: QtBot, desk: Desk, make_fake: Callable[..., FakeToken], test_ca: SoftwareCA,
) -> None:
    token = make_fake()
    register(desk.ctx.connect(), token.keys[0][1], SignerRole.CHIEF_ACCOUNTANT)
    open_trust_store(desk.ctx.data_dir).add(test_ca.cert_path.read_bytes())
    balances(desk)
    unknown = desk.add(voucher(7).with_changes(lines=(
        BudgetLine(content="Mua sắm", ndkt="6501", chapter="422", industry="073", source="13",
                   amount=2_000_000),)))
    with open_window(qtbot, desk, FakePrompter()) as window:
        signing = window.signing
        signing.load = lambda: FakeSlots([token])
        window.list_pane.table.selectRow(window.list_pane.model.row_of(unknown.id))
        signing.actions[SignerRole.CHIEF_ACCOUNTANT].trigger()
        flow = signing.flow
        qtbot.waitUntil(lambda: flow.pin_dialog is not None and flow.pin_dialog.isVisible(),
                        timeout=10_000)
        dialog = flow.pin_dialog
        assert dialog is not None
        assert dialog.notes.isVisible()
        (line,) = [n for n in dialog.notes.text().split("\n") if n.startswith("Chứng từ số 7")]
        assert line.startswith(
            "Chứng từ số 7: Đơn vị chưa có dự toán cho chương 422, ngành kinh tế 073, nguồn 13")
        assert "Kho bạc sẽ từ chối khoản 2.000.000 đồng này" in dialog.notes.text()
        type_text(dialog.field, FAKE_PIN)  # a warning, not a block: Enter signs
        with qtbot.waitSignal(flow.finished, timeout=10_000) as done:
            qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
        assert done.args is not None and done.args[0] is not None
        assert dialog.mode is not Mode.ENTRY or not dialog.isVisible()
        settle(qtbot, window)
        stored = desk.repo.get(unknown.id)
        assert stored is not None and stored.status is VoucherState.SIGNED_CHIEF


def test_a_batch_names_a_few_warnings_and_counts_the_rest(desk: Desk) -> None:
    balances(desk)
    over = voucher(1, amount=25_000_000)  # over the 20.000.000 left on 422/072/13
    fine = voucher(2, amount=1_000)
    unknown = [voucher(10 + i).with_changes(lines=(BudgetLine(
        content="Mua sắm", ndkt="6501", chapter="422", industry="073", source="12",
        amount=1_000_000),)) for i in range(SHOWN + 2)]
    for v in (over, fine, *unknown):
        desk.add(v)
    conn = desk.ctx.connect()
    now = datetime.now(UTC)
    words = [m.render() for m in estimate_warnings(conn, [over.id, fine.id], lambda: now)]
    assert len(words) == 1 and words[0].startswith("Chứng từ số 1: ")
    assert "25.000.000" in words[0]
    messages = estimate_warnings(conn, [over.id, *(v.id for v in unknown)], lambda: now)
    assert len(messages) == SHOWN
    assert messages[-1].render().startswith(f"… và {len(unknown) + 1 - SHOWN + 1} cảnh báo")
    assert messages[0].render("en").startswith("Voucher no. 1: ")
    conn.close()
