"""Helpers for the signing UI tests: fake tokens from a test CA, vouchers, a flow to drive."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from treasury_desktop.signing.fake_token import FakeToken
from treasury_desktop.signing.testca import SoftwareCA, generate_key, issue_certificate
from treasury_desktop.signing.token import SignatureAlgorithm, Token, TokenInfo

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


_shared = sys.modules["treasury_signing_fixtures"]  # loaded by tests/conftest.py
# Shared with tests/usecases: one copy, in tests/signing/fixtures.py.
make_vouchers = _shared.make_vouchers
register = _shared.register


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
