"""Fixtures of the outbox window tests: a desk with a real sender running its own threads."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from outbox_rig import ACTOR, Rig, ScriptedTreasury
from pytestqt.qtbot import QtBot
from signed_desk import SigningKit, make_kit
from ui_harness import Desk

from treasury_desktop.clock import Backoff
from treasury_desktop.outbox.sender import Sender
from treasury_desktop.ui.outbox.bridge import OutboxBridge
from treasury_desktop.ui.session import Session


@pytest.fixture
def rig(qtbot: QtBot, desk: Desk) -> Iterator[Rig]:
    treasury = ScriptedTreasury()
    session = Session(desk.ctx)
    sender = Sender(desk.ctx.connect, treasury, actor=ACTOR, rng=random.Random(7),
                    backoff=Backoff(base=3600.0, cap=3600.0), concurrency=2)
    bridge = OutboxBridge(sender, session)
    made = Rig(desk, desk.ctx.connect(), session, sender, bridge, treasury, qtbot)
    yield made
    treasury.gate.set()
    bridge.close()
    session.close()
    sender.close()


@pytest.fixture(scope="session")
def kit(tmp_path_factory: pytest.TempPathFactory) -> SigningKit:
    """Two software signers under a test CA (real signatures, no token)."""
    return make_kit(tmp_path_factory.mktemp("ca"))
