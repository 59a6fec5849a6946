"""Helpers for the signing UI tests: fake tokens from a test CA, vouchers, a flow to drive."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from treasury_desktop.context import AppContext
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.voucher import from_document
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.fake_token import FakeToken
from treasury_desktop.signing.testca import SoftwareCA, generate_key, issue_certificate
from treasury_desktop.signing.token import SignatureAlgorithm, Token, TokenInfo
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import RegisteredSigner, SignerRegistry
from treasury_desktop.usecases.drafting import DraftingService

FAKE_PIN = "2468"


def fake_token(ca: SoftwareCA, label: str = "FAKE-KTT", serial: str = "FAKE0001",
               holder: str = "Nguyễn Thị Lan", **kwargs: Any) -> FakeToken:
    """A fake token holding one EC P-256 key and its certificate from ``ca``."""
    key = generate_key("EC P-256")
    der = issue_certificate(ca, key.public_key(), holder_name=holder,
                            unit_name="Trường THCS Phú Lương")
    return FakeToken(label=label, user_pin=FAKE_PIN, keys=[(key, der)], serial=serial, **kwargs)


@dataclass
class SlowFakeToken(FakeToken):
    """A fake token whose every signature takes ``delay`` seconds (a slow USB token)."""

    delay: float = 0.03

    def sign(self, cert_sha256: str, data: bytes, algorithm: SignatureAlgorithm) -> bytes:
        time.sleep(self.delay)
        return super().sign(cert_sha256, data, algorithm)


def make_vouchers(ctx: AppContext, doc: dict[str, Any], count: int) -> list[str]:
    """``count`` complete drafts numbered 200, 201 …"""
    repo, profile = ctx.repositories()
    drafting = DraftingService(repo, profile, ctx.catalog, ctx.actor, lambda: date(2026, 11, 20))
    ids = []
    for i in range(count):
        voucher = from_document({**doc, "number": str(200 + i)}, assign_id=False)
        voucher = voucher.with_changes(id=drafting.new_draft().id)
        result = drafting.save(voucher)
        assert not result.problems, result.problems
        ids.append(voucher.id)
    return ids


def register(conn: sqlite3.Connection, der: bytes, role: SignerRole) -> None:
    """Record a certificate for a role in the unit profile."""
    info = CertificateInfo.from_der(der)
    SignerRegistry(conn).add(
        RegisteredSigner(info.sha256, role, info.holder_name, der), actor=Actor("admin")
    )


class Borrowed:
    """The session's SoftHSM2 module, lent to a runtime that must not unload it."""

    def __init__(self, module: Any) -> None:
        self._module = module

    def tokens(self) -> Sequence[Token]:
        return list(self._module.tokens())

    def token_infos(self) -> Sequence[TokenInfo]:
        return list(self._module.token_infos())


def type_text(widget: QWidget, typed: str) -> None:
    """Type the way an input method (Unikey, ibus) does: one committed string."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(typed)
    QApplication.sendEvent(widget, event)


@dataclass
class Heartbeat:
    """A 10 ms timer on the GUI thread; ``worst`` is the longest gap between two ticks."""

    interval_ms: int = 10
    ticks: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(self.interval_ms)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))

    def start(self) -> None:
        self.ticks = [time.monotonic()]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.ticks.append(time.monotonic())

    @property
    def worst(self) -> float:
        return max(b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False))


def login_calls(token: FakeToken) -> int:
    """How many times the token was asked to log in."""
    return sum(1 for name, _ in token.calls if name == "login")


def texts(items: Sequence[tuple[str, bool, str]]) -> str:
    return "\n".join(" | ".join(str(x) for x in row) for row in items)


def shot(widget: QWidget, folder: Path | None, name: str) -> None:
    """Save a PNG of ``widget`` when a screenshot folder is given (SIGNING_SHOTS)."""
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(folder / f"{name}.png"), "PNG")
