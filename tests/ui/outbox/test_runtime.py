"""The window's outbox runtime: a real sender and status sync against a sandbox on 127.0.0.1,
a desk that is not connected yet, and a data folder another sender already holds."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from outbox_rig import ACTOR, ScriptedTreasury, queue_signed, register_signers, seed_signed
from PySide6.QtNetwork import QNetworkInformation
from pytestqt.qtbot import QtBot
from signed_desk import TOKEN, UNIT, SigningKit
from ui_harness import Desk, open_window

from treasury_desktop.api.connection import Connection, save_connection
from treasury_desktop.api.credentials import TOKEN_ENV
from treasury_desktop.api.port import TreasuryUnavailable
from treasury_desktop.clock import Backoff
from treasury_desktop.context import AppContext
from treasury_desktop.delivery import Delivery
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.outbox.model import ItemState
from treasury_desktop.outbox.runlock import SenderLock
from treasury_desktop.outbox.sender import Sender
from treasury_desktop.sandbox.server import running_sandbox
from treasury_desktop.sync.service import StatusSync
from treasury_desktop.ui.main_window import MainWindow
from treasury_desktop.ui.outbox.runtime import OutboxRuntime


def queue(desk: Desk, count: int, kit: SigningKit | None = None) -> list[str]:
    """Signed vouchers in the outbox: really signed and checked with ``kit``."""
    conn = desk.ctx.connect()
    if kit is None:
        ids: list[str] = seed_signed(conn, count)
        queue_signed(conn, ids)
        return ids
    register_signers(conn, (kit.chief_cert, SignerRole.CHIEF_ACCOUNTANT),
                     (kit.holder_cert, SignerRole.ACCOUNT_HOLDER))
    ids = seed_signed(conn, count, sign=kit.sign)
    queue_signed(conn, ids, trust=False)
    return ids


@pytest.fixture
def runtime_in(qtbot: QtBot, desk: Desk) -> Iterator[list[tuple[MainWindow, OutboxRuntime]]]:
    made: list[tuple[MainWindow, OutboxRuntime]] = []
    yield made
    for _window, runtime in made:
        runtime.close()


def test_sends_to_the_sandbox_and_follows_the_vouchers_to_paid(
    qtbot: QtBot, desk: Desk, kit: SigningKit, monkeypatch: pytest.MonkeyPatch,
    runtime_in: list[tuple[MainWindow, OutboxRuntime]],
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    with running_sandbox(kit.sandbox_config(step_seconds=0.05, return_rate=0.0)) as sandbox:
        save_connection(desk.profile, Connection(sandbox.url, UNIT))
        ids = queue(desk, 3, kit)
        with open_window(qtbot, desk) as window:
            runtime = OutboxRuntime(window, use_tray=False)
            runtime_in.append((window, runtime))
            parts = runtime.parts
            qtbot.waitUntil(lambda: runtime.delivery is not None, timeout=5000)
            delivery = runtime.delivery
            assert delivery is not None
            qtbot.waitUntil(lambda: all(i.state is ItemState.DELIVERED
                                        for i in delivery.sender.snapshot()), timeout=15000)
            qtbot.waitUntil(lambda: parts.indicator.text() == "Đã kết nối", timeout=5000)

            def all_paid() -> bool:
                parts.bridge.sync_now()  # the clerk moves on in the sandbox; ask again
                return len(parts.notifier.shown) > 0 and all(
                    f"Chứng từ số {n} đã được Kho bạc thanh toán." in "\n".join(
                        parts.notifier.shown) for n in (1, 2, 3))

            qtbot.waitUntil(all_paid, timeout=20000)
            runtime.close()
            runtime_in.clear()
    assert len(ids) == 3


def test_a_desk_not_yet_connected_says_so_and_send_now_connects(
    qtbot: QtBot, desk: Desk, kit: SigningKit, monkeypatch: pytest.MonkeyPatch,
    runtime_in: list[tuple[MainWindow, OutboxRuntime]],
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    (voucher,) = queue(desk, 1, kit)
    with open_window(qtbot, desk) as window:
        runtime = OutboxRuntime(window, use_tray=False)
        runtime_in.append((window, runtime))
        indicator = runtime.parts.indicator
        qtbot.waitUntil(lambda: indicator.text() == "Chưa kết nối Kho bạc · 1 chờ gửi",
                        timeout=5000)
        assert "treasury-desktop connect" in indicator.toolTip()
        assert "Gửi ngay" in indicator.toolTip()
        with running_sandbox(kit.sandbox_config(step_seconds=3600)) as sandbox:
            save_connection(desk.profile, Connection(sandbox.url, UNIT))  # `connect` was run
            monkeypatch.setenv(TOKEN_ENV, TOKEN)
            runtime.parts.actions["send_now"].trigger()  # Send now: try again
            qtbot.waitUntil(lambda: runtime.delivery is not None, timeout=5000)
            qtbot.waitUntil(lambda: indicator.text() == "Đã kết nối", timeout=10000)
            assert runtime.delivery is not None
            (item,) = runtime.delivery.sender.snapshot()
            assert item.voucher_id == voucher and item.state is ItemState.DELIVERED
            runtime.close()
            runtime_in.clear()


def test_a_folder_another_sender_holds_is_only_watched(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch,
    runtime_in: list[tuple[MainWindow, OutboxRuntime]],
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    save_connection(desk.profile, Connection("http://127.0.0.1:9", UNIT))
    queue(desk, 2)
    with SenderLock(desk.ctx.data_dir), open_window(qtbot, desk) as window:
        runtime = OutboxRuntime(window, use_tray=False)
        runtime_in.append((window, runtime))
        indicator = runtime.parts.indicator
        qtbot.waitUntil(lambda: indicator.text() == "Nơi khác đang gửi · 2 chờ gửi",
                        timeout=5000)
        assert "Một cửa sổ hoặc lệnh khác đang gửi" in indicator.toolTip()
        assert runtime.delivery is None
        runtime.close()
        runtime_in.clear()


class ClosableTreasury(ScriptedTreasury):
    """The scripted fake as the delivery's client (which is closed with it)."""

    def finish_within(self, seconds: float) -> None:
        self.finish_in = seconds

    def close(self) -> None:
        self.closed = True


def test_the_network_coming_back_wakes_the_sender(
    qtbot: QtBot, desk: Desk, runtime_in: list[tuple[MainWindow, OutboxRuntime]],
) -> None:
    treasury = ClosableTreasury()

    def fake_delivery(ctx: AppContext) -> Delivery:
        sender = Sender(ctx.connect, treasury, actor=ACTOR, rng=random.Random(7),
                        backoff=Backoff(base=3600.0, cap=3600.0))
        sync = StatusSync(ctx.connect, treasury, UNIT, actor=ACTOR, period=3600)
        return Delivery(sender, sync, treasury,  # type: ignore[arg-type]
                        SenderLock(ctx.data_dir), lambda _conn: None)

    (voucher,) = queue(desk, 1)
    treasury.failing[voucher] = TreasuryUnavailable("network unreachable", offline=True)
    with open_window(qtbot, desk) as window:
        runtime = OutboxRuntime(window, use_tray=False, open_delivery=fake_delivery)
        runtime_in.append((window, runtime))
        indicator = runtime.parts.indicator
        qtbot.waitUntil(lambda: indicator.text() == "Mất kết nối · 1 chờ gửi", timeout=5000)
        del treasury.failing[voucher]  # the cable is back; the backoff still has up to an hour
        runtime.network_reachability(QNetworkInformation.Reachability.Online)
        qtbot.waitUntil(lambda: indicator.text() == "Đã kết nối", timeout=5000)
        assert runtime.delivery is not None
        (item,) = runtime.delivery.sender.snapshot()
        assert item.state is ItemState.DELIVERED and item.attempts == 2
        runtime.close()
        runtime_in.clear()
    assert treasury.closed
