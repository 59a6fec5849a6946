"""The window's outbox runtime: a real sender and status sync against a sandbox on 127.0.0.1,
a desk that is not connected yet, and a data folder another sender already holds."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from outbox_rig import ACTOR, seed_signed
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_window

from treasury_desktop.api.connection import Connection, save_connection
from treasury_desktop.api.credentials import TOKEN_ENV
from treasury_desktop.outbox.model import Connectivity, ItemState
from treasury_desktop.outbox.runlock import SenderLock
from treasury_desktop.sandbox.server import running_sandbox
from treasury_desktop.ui.main_window import MainWindow
from treasury_desktop.ui.outbox.runtime import OutboxRuntime
from treasury_desktop.usecases.submit import SubmitService

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "chaos"))

from signed_desk import TOKEN, UNIT, SigningKit, make_kit  # noqa: E402


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> SigningKit:
    return make_kit(tmp_path_factory.mktemp("ca"))


def queue(desk: Desk, count: int, kit: SigningKit | None = None) -> list[str]:
    conn = desk.ctx.connect()
    ids = seed_signed(conn, count, **({"sign": kit.sign} if kit else {}))
    SubmitService(conn, ACTOR, lambda: datetime.now(UTC)).queue(ids)
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
            qtbot.waitUntil(lambda: all(i.state is ItemState.DELIVERED
                                        for i in runtime.sender.snapshot()), timeout=15000)
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


def test_a_desk_not_yet_connected_pauses_with_what_to_do(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch,
    runtime_in: list[tuple[MainWindow, OutboxRuntime]],
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    queue(desk, 1)
    with open_window(qtbot, desk) as window:
        runtime = OutboxRuntime(window, use_tray=False)
        runtime_in.append((window, runtime))
        indicator = runtime.parts.indicator
        qtbot.waitUntil(lambda: indicator.status is not None
                        and indicator.status.connectivity is Connectivity.PAUSED, timeout=5000)
        assert indicator.text().startswith("Tạm dừng gửi: Cấu hình kết nối Kho bạc chưa đúng")
        assert "treasury-desktop connect" in indicator.toolTip()
        runtime.close()
        runtime_in.clear()


def test_a_folder_another_sender_holds_is_only_watched(
    qtbot: QtBot, desk: Desk, runtime_in: list[tuple[MainWindow, OutboxRuntime]],
) -> None:
    queue(desk, 2)
    with SenderLock(desk.ctx.data_dir), open_window(qtbot, desk) as window:
        runtime = OutboxRuntime(window, use_tray=False)
        runtime_in.append((window, runtime))
        indicator = runtime.parts.indicator
        qtbot.waitUntil(lambda: indicator.text() == "Đã kết nối · 2 chờ gửi", timeout=5000)
        assert runtime.lock is None and runtime.sync is None
        runtime.close()
        runtime_in.clear()
