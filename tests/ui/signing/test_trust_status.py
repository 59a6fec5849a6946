"""The certificate's trust status in the window: refused before the PIN when revoked, shown in
the PIN dialog when good ("checked at …"), and in the certificate chooser from the cache."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from signing_harness import FAKE_PIN, login_calls, make_vouchers, register, shot
from tests.trust.pki import RevocationServer, TestPki
from ui_harness import FakePrompter

from treasury_desktop.context import AppContext
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.fake_token import FakeSlots, FakeToken
from treasury_desktop.signing.fetch import HttpFetcher
from treasury_desktop.signing.revocation import RevocationCache, RevocationChecker
from treasury_desktop.signing.status import CertificateChecker
from treasury_desktop.signing.trust import AnchorSource, TrustAnchor
from treasury_desktop.store.records import Actor
from treasury_desktop.ui.signing.runtime import TokenRuntime
from treasury_desktop.ui.signing.sign_flow import SignFlow, SigningDeps
from treasury_desktop.ui.worker import BackgroundWorker
from treasury_desktop.usecases.trust import DeskTrust

CHIEF = SignerRole.CHIEF_ACCOUNTANT


@pytest.fixture
def pki(tmp_path: Path) -> Iterator[tuple[TestPki, RevocationServer]]:
    made = TestPki(tmp_path / "pki")
    server = RevocationServer(made)
    yield made, server
    server.close()


@pytest.fixture
def trusted(ctx: AppContext, pki: tuple[TestPki, RevocationServer]) -> Iterator[DeskTrust]:
    made, _ = pki
    fetcher = HttpFetcher(timeout=2.0)
    anchors = [TrustAnchor.from_der(made.root_der, AnchorSource.USER)]
    checker = CertificateChecker(
        lambda: anchors,
        RevocationChecker(fetcher, RevocationCache(ctx.data_dir / "trust" / "revocation.json")),
        intermediates=[made.ca_der],
    )
    yield DeskTrust(checker, None, fetcher)
    fetcher.close()


@pytest.fixture
def flow_over(
    ctx: AppContext, executor: TokenExecutor, worker: BackgroundWorker[None],
    prompter: FakePrompter, trusted: DeskTrust, vi: None,
) -> Iterator[Callable[[list[FakeToken]], SignFlow]]:
    flows: list[SignFlow] = []

    def make(tokens: list[FakeToken]) -> SignFlow:
        runtime = TokenRuntime(lambda: FakeSlots(tokens), executor=executor)
        deps = SigningDeps(runtime, worker.submit, ctx.connect, Actor("lan", "chief"), prompter,
                           watch_interval=0.05, trust=lambda _conn: trusted)
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


def _token(made: TestPki, holder: str, label: str) -> FakeToken:
    key, der = made.issue(holder)
    return FakeToken(label=label, user_pin=FAKE_PIN, keys=[(key, der)], serial=label)


def test_a_good_certificate_shows_when_it_was_checked_in_the_pin_dialog(
    qtbot: QtBot, ctx: AppContext, example_document: dict[str, Any], shots: Path | None,
    pki: tuple[TestPki, RevocationServer], flow_over: Callable[..., SignFlow],
) -> None:
    made, server = pki
    token = _token(made, "Nguyễn Thị Lan", "KTT")
    register(ctx.connect(), token.keys[0][1], CHIEF)
    ids = make_vouchers(ctx, example_document, 2)
    flow = flow_over([token])
    flow.start(CHIEF, ids)
    qtbot.waitUntil(lambda: flow.pin_dialog is not None and flow.pin_dialog.isVisible(),
                    timeout=10_000)
    assert flow.pin_dialog is not None
    assert flow.pin_dialog.trust_status.text().startswith("Còn hiệu lực, kiểm tra lúc")
    shot(flow.pin_dialog, shots, "pin-trust-good")
    assert server.ocsp_requests == 1


def test_a_revoked_certificate_is_refused_before_the_pin_dialog(
    qtbot: QtBot, ctx: AppContext, example_document: dict[str, Any], prompter: FakePrompter,
    pki: tuple[TestPki, RevocationServer], flow_over: Callable[..., SignFlow],
) -> None:
    made, _ = pki
    token = _token(made, "Lê Văn Thu Hồi", "KTT")
    register(ctx.connect(), token.keys[0][1], CHIEF)
    made.revoke(token.keys[0][1])
    ids = make_vouchers(ctx, example_document, 1)
    flow = flow_over([token])
    with qtbot.waitSignal(flow.finished, timeout=10_000) as done:
        flow.start(CHIEF, ids)
    assert done.args[0] is None and flow.pin_dialog is None
    assert len(prompter.messages) == 1 and "đã bị thu hồi" in prompter.messages[0]
    assert login_calls(token) == 0


def test_the_chooser_shows_each_certificates_last_known_status(
    qtbot: QtBot, ctx: AppContext, example_document: dict[str, Any], trusted: DeskTrust,
    shots: Path | None,
    pki: tuple[TestPki, RevocationServer], flow_over: Callable[..., SignFlow],
) -> None:
    made, _ = pki
    first, second = _token(made, "Nguyễn Thị Lan", "KTT-1"), _token(made, "Nguyễn Thị Lan", "KTT-2")
    conn = ctx.connect()
    register(conn, first.keys[0][1], CHIEF)
    register(conn, second.keys[0][1], CHIEF)
    status = trusted.checker.check(first.keys[0][1])  # checked earlier today: in the cache
    assert trusted.checker.known_label(first.keys[0][1]) is not None, status
    ids = make_vouchers(ctx, example_document, 1)
    flow = flow_over([first, second])
    flow.start(CHIEF, ids)
    qtbot.waitUntil(lambda: flow.chooser is not None and flow.chooser.isVisible(),
                    timeout=10_000)
    assert flow.chooser is not None
    rows = [item.text(3) for item in flow.chooser._items()]
    assert len(rows) == 2
    assert sum("kiểm tra lúc" in row for row in rows) == 1, rows
    flow.chooser._select(next(iter(flow.chooser._choices)))
    assert flow.chooser.details.trust.text().startswith("Còn hiệu lực, kiểm tra lúc")
    shot(flow.chooser, shots, "chooser-trust")
