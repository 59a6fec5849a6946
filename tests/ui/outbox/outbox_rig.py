"""The outbox tests' rig: a real Sender over the in-memory treasury, the worker, the bridge.

The treasury can hold requests in flight (``gate``) or fail them per voucher (``failing``), so
every state is reached on purpose.
"""

from __future__ import annotations

import inspect
import sqlite3
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot
from ui_harness import Desk

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "outbox"))  # signed_vouchers
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "chaos"))  # signed_desk

from signed_vouchers import ACTOR, seed_signed  # noqa: E402

from treasury_desktop.api.port import DeliveryAnswer  # noqa: E402
from treasury_desktop.domain.roles import SignerRole  # noqa: E402
from treasury_desktop.outbox.fake import FakeTreasury  # noqa: E402
from treasury_desktop.outbox.model import OutboxItem  # noqa: E402
from treasury_desktop.outbox.sender import Sender  # noqa: E402
from treasury_desktop.signing.certificates import CertificateInfo  # noqa: E402
from treasury_desktop.store.records import Actor  # noqa: E402
from treasury_desktop.store.signatures import RegisteredSigner, SignerRegistry  # noqa: E402
from treasury_desktop.ui.outbox.bridge import OutboxBridge, OutboxSnapshot  # noqa: E402
from treasury_desktop.ui.session import Session  # noqa: E402
from treasury_desktop.usecases.queueing import QueueService  # noqa: E402

__all__ = ["ACTOR", "Rig", "ScriptedTreasury", "queue_signed", "register_signers", "seed_signed"]


def _trusted(conn: sqlite3.Connection, document: bytes, cms: bytes, number: str,
             now: datetime) -> None:
    """Delivery tests only: placeholder signatures are taken as they are (the desk's own
    verification before queuing is the core's test; the window's is tested with real ones)."""


def queue_signed(conn: sqlite3.Connection, ids: Sequence[str], *, trust: bool = True) -> None:
    """Queue ``ids`` as the window does (``trust``: skip the signature check, when the core
    has one)."""
    options: dict[str, Any] = {}
    if trust and "verify" in inspect.signature(QueueService).parameters:
        options["verify"] = _trusted
    results = QueueService(conn, ACTOR, lambda: datetime.now(UTC), **options).queue(ids)
    assert all(r.ok for r in results), [r.message.render() for r in results]


def register_signers(conn: sqlite3.Connection, *certificates: tuple[bytes, SignerRole]) -> None:
    """Record certificates as the desk's signers, as ``signers add`` does."""
    registry = SignerRegistry(conn)
    for der, role in certificates:
        info = CertificateInfo.from_der(der)
        registry.add(RegisteredSigner(info.sha256, role, info.holder_name, der),
                     actor=Actor("test", "admin"))


class ScriptedTreasury(FakeTreasury):
    """The fake treasury, plus: hold every request at ``gate``; fail chosen vouchers."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.gate = threading.Event()
        self.gate.set()
        self.failing: dict[str, BaseException] = {}

    def deliver(self, unit: str, voucher_id: str, document: bytes,
               signature: bytes) -> DeliveryAnswer:
        self.gate.wait(10)
        error = self.failing.get(voucher_id)
        if error is not None:
            raise error
        return super().deliver(unit, voucher_id, document, signature)


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
        queue_signed(self.conn, ids)
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
