"""Fixtures for the signing window tests: the token thread, the worker lane, fake tokens,
a data folder with vouchers. Qt warnings fail these tests (tests/ui/conftest.py)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from signing_harness import FAKE_PIN, fake_token
from ui_harness import FakePrompter

from treasury_desktop.context import AppContext
from treasury_desktop.i18n import set_language
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.fake_token import FakeToken
from treasury_desktop.signing.testca import SoftwareCA, make_test_ca
from treasury_desktop.store.records import Actor
from treasury_desktop.ui.launch import FONT
from treasury_desktop.ui.signing.runtime import TokenRuntime, WatchableSource
from treasury_desktop.ui.signing.sign_flow import SignFlow, SigningDeps
from treasury_desktop.ui.style import STYLE_SHEET
from treasury_desktop.ui.worker import BackgroundWorker

__all__ = ["FAKE_PIN"]


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> SoftwareCA:
    """One test CA for the fake tokens of the session."""
    return make_test_ca(tmp_path_factory.mktemp("fake-ca"))


@pytest.fixture
def make_fake(test_ca: SoftwareCA) -> Callable[..., FakeToken]:
    """``make_fake(label=…, serial=…, tries_left=…)`` -> a fake token with one certificate."""
    return lambda **kwargs: fake_token(test_ca, **kwargs)


@pytest.fixture
def vi() -> Iterator[None]:
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def executor() -> Iterator[TokenExecutor]:
    with TokenExecutor(name="token-test") as ex:
        yield ex


@pytest.fixture
def worker(ctx: AppContext) -> Iterator[BackgroundWorker[None]]:
    """The worker lane (as the window's Session has one)."""
    lane: BackgroundWorker[None] = BackgroundWorker(lambda: None)
    yield lane
    lane.close()


@pytest.fixture
def prompter() -> FakePrompter:
    return FakePrompter()


@pytest.fixture
def shots(qapp: QApplication) -> Iterator[Path | None]:
    """Where to save screenshots (set SIGNING_SHOTS=folder), or None; with the app's look."""
    folder = os.environ.get("SIGNING_SHOTS")
    if not folder:
        yield None
        return
    font, sheet = qapp.font(), qapp.styleSheet()
    qapp.setFont(QFont(*FONT))
    qapp.setStyleSheet(STYLE_SHEET)
    yield Path(folder)
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)


@pytest.fixture
def make_flow(
    ctx: AppContext, executor: TokenExecutor, worker: BackgroundWorker[None],
    prompter: FakePrompter, vi: None,
) -> Iterator[Callable[[WatchableSource], SignFlow]]:
    """A SignFlow over ``source`` on the test's token thread and worker lane."""
    flows: list[SignFlow] = []

    def make(source: WatchableSource) -> SignFlow:
        runtime = TokenRuntime(lambda: source, executor=executor)
        deps = SigningDeps(runtime, worker.submit, ctx.connect, Actor("lan", "chief"), prompter,
                           watch_interval=0.05)
        flow = SignFlow(deps)
        flows.append(flow)
        return flow

    yield make
    for flow in flows:
        for dialog in (flow.pin_dialog, flow.chooser, flow.report):
            if dialog is not None:
                dialog.close_quietly() if hasattr(dialog, "close_quietly") else dialog.reject()
        if flow.watcher is not None:
            flow.watcher.stop()
