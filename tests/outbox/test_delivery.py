"""The window's wiring: sender and sync in the background over one client, one per folder."""

from __future__ import annotations

import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from signed_vouchers import seed_signed, trust_test_signatures

sys.path.insert(0, str(Path(__file__).parents[1] / "chaos"))

from signed_desk import TOKEN, UNIT, make_kit  # noqa: E402

from treasury_desktop.api.connection import Connection, save_connection  # noqa: E402
from treasury_desktop.context import AppContext  # noqa: E402
from treasury_desktop.delivery import open_delivery  # noqa: E402
from treasury_desktop.domain.workflow import VoucherState  # noqa: E402
from treasury_desktop.i18n import ExpectedError  # noqa: E402
from treasury_desktop.outbox.model import OutboxChange  # noqa: E402
from treasury_desktop.sandbox.server import running_sandbox  # noqa: E402
from treasury_desktop.sync.balances import BalanceBook  # noqa: E402
from treasury_desktop.sync.feed import FinalNotice  # noqa: E402
from treasury_desktop.usecases.queueing import QueueService  # noqa: E402


def test_background_delivery_and_notifications(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TREASURY_API_TOKEN", TOKEN)
    kit = make_kit(tmp_path / "ca")
    conn = ctx.connect()
    ids = seed_signed(conn, 6, sign=kit.sign)
    with running_sandbox(kit.sandbox_config(step_seconds=0.02, return_rate=0.0)) as sandbox:
        save_connection(ctx.repositories(conn)[1], Connection(sandbox.url, UNIT))
        delivery = open_delivery(ctx, sync_period=0.1)
        finals: list[FinalNotice] = []
        all_paid = threading.Event()

        def told(batch: tuple[FinalNotice, ...]) -> None:
            finals.extend(batch)
            if len(finals) == len(ids):
                all_paid.set()

        changes: list[OutboxChange] = []
        delivery.sender.subscribe(changes.append)
        delivery.sync.on_final(told)
        delivery.start()
        try:
            second = open_delivery(ctx)
            with pytest.raises(ExpectedError):
                second.start()  # a second sender on this folder is refused
            second.close()
            QueueService(conn, ctx.actor, lambda: datetime.now(UTC),
                          on_queued=delivery.sender.send_now,
                          verify=trust_test_signatures).queue(ids)
            assert all_paid.wait(30), "every voucher paid and notified"
        finally:
            delivery.close()
        assert {n.status for n in finals} == {VoucherState.PAID}
        book = BalanceBook(conn, lambda: datetime.now(UTC))
        sheet = book.cached(UNIT, ctx.clock().year)
        assert sheet is not None and sheet.items, "balances kept for offline use"
        assert (ctx.data_dir / "catalogs" / f"{ctx.clock().year}.json").exists()
        assert changes and changes[-1].status.empty
