"""The certificate chooser over SoftHSM2 tokens and over fake tokens plugged in and out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from signing_harness import FAKE_PIN, Borrowed, make_vouchers, register, shot, texts, type_text

from treasury_desktop.context import AppContext
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import Message
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.fake_token import FakeSlots, FakeToken
from treasury_desktop.signing.testca import SoftwareCA, generate_key, issue_certificate
from treasury_desktop.ui.signing.cert_chooser import CertificateChooser
from treasury_desktop.ui.signing.runtime import Survey, TokenRuntime, survey
from treasury_desktop.ui.signing.sign_flow import SignFlow
from treasury_desktop.ui.signing.token_watch import TokenWatcher
from treasury_desktop.usecases.tokens import ModuleProblem

CHIEF = SignerRole.CHIEF_ACCOUNTANT


@pytest.fixture
def softhsm_runtime(executor: TokenExecutor, softhsm_module_loaded: Any) -> TokenRuntime:
    return TokenRuntime(lambda: Borrowed(softhsm_module_loaded), executor=executor)


def chooser_for(qtbot: QtBot, registered: set[str]) -> CertificateChooser:
    chooser = CertificateChooser(CHIEF, frozenset(registered))
    qtbot.addWidget(chooser)
    chooser.show()
    return chooser


def test_softhsm_certificates_listed_expired_greyed_registered_preselected(
    qtbot: QtBot, softhsm: Any, softhsm_runtime: TokenRuntime, vi: None, shots: Path | None,
) -> None:
    chief_sha = softhsm.chief.key.cert_sha256
    found = softhsm_runtime.executor.call(survey, softhsm_runtime, datetime.now(UTC))
    chooser = chooser_for(qtbot, {chief_sha})
    chooser.set_survey(found)
    rows = chooser.certificate_rows()
    listed = texts(rows)
    expired = [r for r in rows if "Phạm Thị Hoa (hết hạn)" in r[0]]
    assert len(expired) == 1 and not expired[0][1], listed
    assert expired[0][2].startswith("Đã hết hạn ("), listed
    future = [r for r in rows if "(chưa hiệu lực)" in r[0]]
    assert len(future) == 1 and not future[0][1] and "Chưa có hiệu lực" in future[0][2]
    chief = [r for r in rows if r[0].startswith("Nguyễn Thị Lan")]
    assert len(chief) == 1 and chief[0][1] and "★ Đã đăng ký: Kế toán trưởng" in chief[0][2]
    choice = chooser.chosen()
    assert choice is not None and choice[0].label == "KTT-RSA"
    assert choice[1].sha256 == chief_sha
    assert chooser.details.fingerprint() == chief_sha
    assert chooser.details.values["key_type"].text() == "RSA-2048"
    assert chooser.details.values["holder"].text() == "Nguyễn Thị Lan"
    assert chooser.choose_button.isEnabled()
    # Greyed rows say why in their tooltip, in a full sentence.
    tree = chooser.tree
    tips = [tree.topLevelItem(i).child(j).toolTip(0)  # type: ignore[union-attr]
            for i in range(tree.topLevelItemCount())
            for j in range(tree.topLevelItem(i).childCount())]  # type: ignore[union-attr]
    assert any("đã hết hạn ngày" in tip for tip in tips)
    shot(chooser, shots, "chooser_softhsm")


def test_expiring_soon_is_a_warning_and_module_problems_are_plain_words(
    qtbot: QtBot, test_ca: SoftwareCA, vi: None, executor: TokenExecutor, shots: Path | None,
) -> None:
    key = generate_key("EC P-256")
    now = datetime.now(UTC)
    der = issue_certificate(test_ca, key.public_key(), holder_name="Trần Văn Minh",
                            unit_name="Trường THCS Phú Lương", not_before=now - timedelta(days=700),
                            not_after=now + timedelta(days=12))
    token = FakeToken(label="CTK", user_pin=FAKE_PIN, keys=[(key, der)], serial="S-2")
    problem = ModuleProblem("C:/Windows/SysWOW64/eps2003csp11.dll", Message(
        "signing.module.wrong_bits", {"module": "eps2003csp11.dll", "bits": 32, "app_bits": 64}))
    found = survey(FakeSlots([token]), now)
    chooser = chooser_for(qtbot, set())
    chooser.set_survey(Survey(found.tokens, (problem,)))
    [row] = chooser.certificate_rows()
    assert row[1] and "Sắp hết hạn (" in row[2] and "Chưa đăng ký cho Kế toán trưởng" in row[2]
    assert chooser.chosen() is None  # not registered for the role: not preselected
    assert chooser.problems.isVisible()
    assert "32-bit" in chooser.problems.text() and "64-bit" in chooser.problems.text()
    shot(chooser, shots, "chooser_warnings")


@pytest.fixture
def two_tokens(make_fake: Callable[..., FakeToken]) -> tuple[FakeToken, FakeToken]:
    return (make_fake(label="KTT-LAN", serial="S-1"),
            make_fake(label="CTK-MINH", serial="S-2", holder="Trần Văn Minh"))


@pytest.fixture
def watched(
    qtbot: QtBot, executor: TokenExecutor, two_tokens: tuple[FakeToken, FakeToken], vi: None,
) -> Iterator[tuple[CertificateChooser, FakeSlots]]:
    slots = FakeSlots(list(two_tokens))
    runtime = TokenRuntime(lambda: slots, executor=executor)
    chooser = chooser_for(qtbot, {two_tokens[0].certificates()[0].sha256})
    watcher = TokenWatcher(runtime, lambda: datetime.now(UTC), interval=0.02)
    watcher.changed.connect(chooser.set_survey)
    watcher.start()
    yield chooser, slots
    watcher.stop()


def holders(chooser: CertificateChooser) -> list[str]:
    return [row[0].split(" — ")[0] for row in chooser.certificate_rows()]


def test_plugging_and_pulling_tokens_updates_the_chooser(
    qtbot: QtBot, watched: tuple[CertificateChooser, FakeSlots],
    two_tokens: tuple[FakeToken, FakeToken], shots: Path | None,
) -> None:
    chooser, _slots = watched
    lan, minh = two_tokens
    qtbot.waitUntil(lambda: len(holders(chooser)) == 2)
    assert chooser.chosen() is not None and chooser.chosen()[0].label == "KTT-LAN"  # type: ignore[index]
    minh.pull_out()
    qtbot.waitUntil(lambda: holders(chooser) == ["Nguyễn Thị Lan"])
    assert chooser.chosen() is not None  # the selection survived
    lan.pull_out()
    qtbot.waitUntil(lambda: chooser.empty.isVisible())
    assert chooser.chosen() is None and not chooser.choose_button.isEnabled()
    assert "Chưa thấy token nào" in chooser.empty.text()
    shot(chooser, shots, "chooser_no_tokens")
    lan.plug_in()
    qtbot.waitUntil(lambda: holders(chooser) == ["Nguyễn Thị Lan"])
    # The registered certificate comes back selected.
    assert chooser.chosen() is not None and chooser.choose_button.isEnabled()
    minh.plug_in()
    qtbot.waitUntil(lambda: len(holders(chooser)) == 2)


def test_with_two_registered_certificates_the_flow_asks_which(
    qtbot: QtBot, ctx: AppContext, example_document: dict[str, Any],
    two_tokens: tuple[FakeToken, FakeToken], make_flow: Callable[[Any], SignFlow],
) -> None:
    lan, minh = two_tokens
    conn = ctx.connect()
    for token in two_tokens:
        register(conn, token.keys[0][1], CHIEF)
    ids = make_vouchers(ctx, example_document, 2)
    flow = make_flow(FakeSlots([lan, minh]))
    flow.start(CHIEF, ids)
    qtbot.waitUntil(lambda: flow.chooser is not None and flow.chooser.isVisible())
    chooser = flow.chooser
    chooser_watch = flow.watcher
    assert chooser is not None and chooser_watch is not None and chooser_watch.running
    chooser.tree.clearSelection()
    target = next(i for i in chooser._items() if i.text(0).startswith("Trần Văn Minh"))
    target.setSelected(True)
    chooser.choose_button.click()
    qtbot.waitUntil(lambda: flow.pin_dialog is not None)
    assert not chooser_watch.running  # the chooser's watcher stopped with it
    dialog = flow.pin_dialog
    assert dialog is not None and dialog.request.token_label == "CTK-MINH"
    with qtbot.waitSignal(flow.finished, timeout=10_000) as done:
        type_text(dialog.field, FAKE_PIN)
        dialog.sign_button.click()
    assert done.args[0].signed == tuple(ids)
    assert [n for n, _ in minh.calls].count("login") == 1
    assert [n for n, _ in lan.calls].count("login") == 0
    repo, _ = ctx.repositories()
    assert all(repo.get(i).status is VoucherState.SIGNED_CHIEF for i in ids)  # type: ignore[union-attr]


def test_cancel_in_the_chooser_ends_quietly(
    qtbot: QtBot, ctx: AppContext, example_document: dict[str, Any],
    two_tokens: tuple[FakeToken, FakeToken], make_flow: Callable[[Any], SignFlow],
    prompter: Any,
) -> None:
    ids = make_vouchers(ctx, example_document, 1)
    flow = make_flow(FakeSlots(list(two_tokens)))  # nothing registered: the chooser asks
    flow.start(CHIEF, ids)
    qtbot.waitUntil(lambda: flow.chooser is not None and flow.chooser.isVisible())
    assert flow.chooser is not None and flow.chooser.chosen() is None
    with qtbot.waitSignal(flow.finished) as done:
        flow.chooser.reject()
    assert done.args[0] is None and not prompter.messages and not prompter.crashes
