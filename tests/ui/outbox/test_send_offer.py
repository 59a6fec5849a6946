"""Issue 12 point 9: after the account holder's signature, "Gửi Kho bạc" is offered there."""

from __future__ import annotations

from pathlib import Path

from outbox_rig import Rig, seed_signed
from pytestqt.qtbot import QtBot
from test_window_parts import make_kit, window_with_outbox
from ui_harness import open_voucher, settle

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.ui.signing.report import SigningOutcome


def test_gui_kho_bac_is_offered_after_the_last_signature_and_queues(
    qtbot: QtBot, rig: Rig, tmp_path: Path,
) -> None:
    kit = make_kit(tmp_path / "ca")  # real signatures: the window checks them before queuing
    kit.register_on_desk(rig.conn)
    (signed,) = seed_signed(rig.conn, 1, start=31, sign=kit.sign)
    with window_with_outbox(qtbot, rig) as (window, parts):
        window.refresh()
        settle(qtbot, window)
        open_voucher(qtbot, window, signed)
        offer = parts.send_offer
        assert offer.isHidden()
        # The chief accountant's signature leaves the holder's: nothing offered yet.
        window.signing._finished(SigningOutcome(SignerRole.CHIEF_ACCOUNTANT, (signed,)))
        assert offer.isHidden()
        window.signing._finished(SigningOutcome(SignerRole.ACCOUNT_HOLDER, (signed,)))
        settle(qtbot, window)
        assert offer.isVisible() and offer.ids == (signed,)
        assert "chỉ còn gửi Kho bạc" in offer.words.text()
        assert offer.button.text() == "Gửi Kho bạc"
        offer.button.click()
        repo = SqliteVoucherRepository(rig.conn)

        def queued() -> None:
            stored = repo.get(signed)
            assert stored is not None and stored.status is VoucherState.QUEUED

        qtbot.waitUntil(queued, timeout=5000)
        assert offer.isHidden()
        settle(qtbot, window)
