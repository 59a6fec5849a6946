"""The flow over real PKCS#11 (SoftHSM2): the chief accountant signs three vouchers, the PIN
typed into the dialog; then the account holder signs them with the EC token."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot
from signing_harness import Borrowed, Heartbeat, make_vouchers, register, shot, type_text
from ui_harness import FakePrompter

from treasury_desktop.context import AppContext
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.store.signatures import SignatureStore
from treasury_desktop.ui.signing.sign_flow import SignFlow

CHIEF, HOLDER = SignerRole.CHIEF_ACCOUNTANT, SignerRole.ACCOUNT_HOLDER


def sign_with_pin(qtbot: QtBot, flow: SignFlow, role: SignerRole, ids: list[str],
                  pin: str, shots: Path | None = None) -> Any:
    assert flow.start(role, ids)
    qtbot.waitUntil(lambda: flow.pin_dialog is not None and flow.pin_dialog.isVisible(),
                    timeout=10_000)
    dialog = flow.pin_dialog
    assert dialog is not None
    assert dialog.summary.text() == "Ký 3 chứng từ, tổng 3.702.000 đồng"
    type_text(dialog.field, pin)
    shot(dialog, shots, f"softhsm_pin_{role.value}")
    beat = Heartbeat()
    beat.start()
    with qtbot.waitSignal(flow.finished, timeout=20_000) as done:
        dialog.sign_button.click()
    beat.stop()
    assert beat.worst < 0.05, f"event loop blocked {beat.worst * 1000:.0f} ms"
    return done.args[0]


def test_two_signers_over_softhsm(
    qtbot: QtBot, ctx: AppContext, softhsm: Any, softhsm_module_loaded: Any,
    example_document: dict[str, Any], make_flow: Callable[[Any], SignFlow],
    prompter: FakePrompter, shots: Path | None,
) -> None:
    conn = ctx.connect()
    register(conn, softhsm.chief.key.certificate_der, CHIEF)
    register(conn, softhsm.holder.key.certificate_der, HOLDER)
    ids = make_vouchers(ctx, example_document, 3)
    flow = make_flow(Borrowed(softhsm_module_loaded))

    outcome = sign_with_pin(qtbot, flow, CHIEF, ids, softhsm.chief.user_pin, shots)
    assert outcome is not None and outcome.signed == tuple(ids) and outcome.complete
    assert not prompter.messages and not prompter.crashes
    repo, _ = ctx.repositories()
    assert all(repo.get(i).status is VoucherState.SIGNED_CHIEF for i in ids)  # type: ignore[union-attr]

    outcome = sign_with_pin(qtbot, flow, HOLDER, ids, softhsm.holder.user_pin)
    assert outcome.signed == tuple(ids)
    for voucher_id in ids:
        stored = repo.get(voucher_id)
        assert stored is not None and stored.status is VoucherState.SIGNED_HOLDER
        assert [s.role for s in SignatureStore(conn).of(voucher_id)] == [CHIEF, HOLDER]
