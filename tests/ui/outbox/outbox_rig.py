"""The outbox tests' rig: a real Sender over the in-memory treasury, the worker, the bridge.

The treasury can hold requests in flight (``gate``) or fail them per voucher (``failing``), so
every state is reached on purpose.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot
from ui_harness import Desk

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "outbox"))  # signed_vouchers

from signed_vouchers import ACTOR, seed_signed  # noqa: E402

from treasury_desktop.outbox.fake import FakeTreasury  # noqa: E402
from treasury_desktop.outbox.model import OutboxItem  # noqa: E402
from treasury_desktop.outbox.port import SubmitAnswer  # noqa: E402
from treasury_desktop.outbox.sender import Sender  # noqa: E402
from treasury_desktop.ui.outbox.bridge import OutboxBridge, OutboxSnapshot  # noqa: E402
from treasury_desktop.ui.session import Session  # noqa: E402
from treasury_desktop.usecases.submit import SubmitService  # noqa: E402


class ScriptedTreasury(FakeTreasury):
    """The fake treasury, plus: hold every request at ``gate``; fail chosen vouchers."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.gate = threading.Event()
        self.gate.set()
        self.failing: dict[str, BaseException] = {}

    def submit(self, unit: str, document_id: str, document: bytes,
               signature: bytes) -> SubmitAnswer:
        self.gate.wait(10)
        error = self.failing.get(document_id)
        if error is not None:
            raise error
        return super().submit(unit, document_id, document, signature)


@dataclass
class Rig:
    """Everything a test drives."""

    desk: Desk
    conn: sqlite3.Connection
    session: Session
    sender: Sender
    bridge: OutboxBridge
    treasury: ScriptedTreasury
    qtbot: QtBot
    started: bool = False

    def queue(self, count: int, start: int = 1) -> list[str]:
        """Fully signed vouchers, queued (as the Send button does)."""
        ids = seed_signed(self.conn, count, start=start)
        SubmitService(self.conn, ACTOR, lambda: datetime.now(UTC)).queue(ids)
        return ids

    def start(self) -> None:
        self.sender.start()
        self.started = True

    def snapshot(self) -> OutboxSnapshot:
        """A fresh snapshot, read through the bridge on the worker."""
        got: list[OutboxSnapshot] = []
        self.bridge.snapshot_ready.connect(got.append)
        self.bridge.refresh()
        self.qtbot.waitUntil(lambda: bool(got), timeout=5000)
        self.bridge.snapshot_ready.disconnect(got.append)
        return got[-1]

    def item(self, voucher_id: str) -> OutboxItem:
        return next(i for i in self.sender.snapshot() if i.voucher_id == voucher_id)

    def idle(self) -> None:
        self.qtbot.waitUntil(self.session.worker.idle, timeout=5000)
