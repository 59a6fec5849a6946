"""The whole flow over fake tokens: wrong PIN, locked PIN, PIN pad, Cancel, a token pulled out
mid-batch, and a window that keeps breathing while the token works."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from signing_harness import (
    FAKE_PIN,
    Heartbeat,
    SlowFakeToken,
    login_calls,
    make_vouchers,
    register,
    shot,
    type_text,
)
from ui_harness import FakePrompter

from treasury_desktop.context import AppContext
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.settings import DEMO_SIGNERS
from treasury_desktop.signing.errors import PinState
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.fake_token import FakeSlots, FakeToken
from treasury_desktop.signing.testca import SoftwareCA, generate_key, issue_certificate
from treasury_desktop.ui.signing.pin_dialog import Mode, PinDialog
from treasury_desktop.ui.signing.sign_flow import SignFlow

CHIEF = SignerRole.CHIEF_ACCOUNTANT
MakeFlow = Callable[[Any], SignFlow]


def statuses(ctx: AppContext, ids: list[str]) -> list[VoucherState]:
    repo, _ = ctx.repositories()
    found = [repo.get(i) for i in ids]
    return [s.status for s in found if s is not None]


def pin_dialog(qtbot: QtBot, flow: SignFlow) -> PinDialog:
    qtbot.waitUntil(lambda: flow.pin_dialog is not None and flow.pin_dialog.isVisible())
    assert flow.pin_dialog is not None
    return flow.pin_dialog


def press_sign(dialog: PinDialog, pin: str) -> None:
    type_text(dialog.field, pin)
    dialog.sign_button.click()


@pytest.fixture
def setup(ctx: AppContext, example_document: dict[str, Any], make_fake: Callable[..., FakeToken],
          make_flow: MakeFlow) -> Callable[..., tuple[SignFlow, FakeToken, list[str]]]:
    """``setup(count, **token settings)`` -> a flow over one registered fake token."""

    def make(count: int = 3, token: FakeToken | None = None,
             **settings: Any) -> tuple[SignFlow, FakeToken, list[str]]:
        token = token or make_fake(**settings)
        register(ctx.connect(), token.keys[0][1], CHIEF)
        ids = make_vouchers(ctx, example_document, count)
        return make_flow(FakeSlots([token])), token, ids

    return make


def test_right_pin_signs_the_batch_and_the_pin_is_never_logged(
    qtbot: QtBot, ctx: AppContext, setup: Callable[..., Any], prompter: FakePrompter,
    caplog: pytest.LogCaptureFixture, executor: TokenExecutor,
) -> None:
    caplog.set_level(logging.DEBUG)
    flow, token, ids = setup(3)
    assert flow.start(CHIEF, ids)
    dialog = pin_dialog(qtbot, flow)  # one registered certificate: no chooser
    assert flow.chooser is None
    with qtbot.waitSignal(flow.finished, timeout=10_000) as done:
        press_sign(dialog, FAKE_PIN)
    outcome = done.args[0]
    assert outcome is not None and outcome.signed == tuple(ids) and outcome.complete
    assert flow.report is None and not prompter.messages and not prompter.crashes
    assert statuses(ctx, ids) == [VoucherState.SIGNED_CHIEF] * 3
    assert login_calls(token) == 1
    # Every token call ran on the token thread: the GUI thread never touched the token.
    assert token.calls and {thread for _, thread in token.calls} == {executor.thread_id}
    assert FAKE_PIN not in caplog.text
    assert all(FAKE_PIN not in repr(value) for value in vars(flow).values())


def test_wrong_pin_shows_the_new_state_and_is_not_retried(
    qtbot: QtBot, ctx: AppContext, setup: Callable[..., Any], shots: Path | None,
) -> None:
    flow, token, ids = setup(2)
    flow.start(CHIEF, ids)
    dialog = pin_dialog(qtbot, flow)
    assert dialog.state is PinState.NORMAL
    press_sign(dialog, "1111")
    qtbot.waitUntil(lambda: dialog.mode is Mode.ENTRY)
    assert dialog.state is PinState.COUNT_LOW
    assert "không đúng" in dialog.message.text() and "còn ít lần thử" in dialog.message.text()
    assert dialog.field.text() == "" and not dialog.sign_button.isEnabled()
    qtbot.wait(300)
    assert login_calls(token) == 1  # the app did not try again by itself
    assert statuses(ctx, ids) == [VoucherState.DRAFT] * 2
    shot(dialog, shots, "flow_wrong_pin")
    with qtbot.waitSignal(flow.finished, timeout=10_000):
        press_sign(dialog, FAKE_PIN)
    assert login_calls(token) == 2
    assert statuses(ctx, ids) == [VoucherState.SIGNED_CHIEF] * 2


def test_wrong_pin_on_the_last_try_locks_and_offers_no_retry(
    qtbot: QtBot, ctx: AppContext, setup: Callable[..., Any], prompter: FakePrompter,
) -> None:
    flow, token, ids = setup(1, tries_left=1)
    flow.start(CHIEF, ids)
    dialog = pin_dialog(qtbot, flow)
    assert dialog.state is PinState.FINAL_TRY
    press_sign(dialog, "1111")
    qtbot.waitUntil(lambda: dialog.mode is Mode.CLOSED_ONLY)
    assert dialog.state is PinState.LOCKED
    assert not dialog.sign_button.isVisible() and not dialog.field.isVisible()
    assert "SO PIN" in dialog.message.text()
    qtbot.wait(200)
    assert login_calls(token) == 1
    with qtbot.waitSignal(flow.finished) as done:
        dialog.cancel_button.click()
    assert done.args[0] is None and not prompter.crashes
    assert statuses(ctx, ids) == [VoucherState.DRAFT]


def test_a_locked_token_is_explained_before_any_pin_is_asked(
    qtbot: QtBot, setup: Callable[..., Any], prompter: FakePrompter,
) -> None:
    flow, token, ids = setup(1, tries_left=0)
    with qtbot.waitSignal(flow.finished, timeout=10_000) as done:
        flow.start(CHIEF, ids)
    assert done.args[0] is None and flow.pin_dialog is None
    assert len(prompter.messages) == 1 and "đã bị khóa" in prompter.messages[0]
    assert login_calls(token) == 0


def test_pin_pad_signs_without_a_field(
    qtbot: QtBot, ctx: AppContext, setup: Callable[..., Any],
) -> None:
    typed = threading.Event()

    def typed_on_the_reader() -> str:  # on the token thread, like C_Login on a PIN pad
        assert typed.wait(10)
        return FAKE_PIN

    flow, token, ids = setup(2, protected_auth_path=True, pin_pad=typed_on_the_reader)
    flow.start(CHIEF, ids)
    dialog = pin_dialog(qtbot, flow)
    # The login is already waiting on the reader; the window is not.
    qtbot.waitUntil(lambda: login_calls(token) == 1)
    assert dialog.mode is Mode.PAD
    assert not dialog.field.isVisible() and dialog.pad_label.isVisible()
    assert "Hãy nhập mã PIN trên bàn phím của thiết bị" in dialog.pad_label.text()
    with qtbot.waitSignal(flow.finished, timeout=10_000) as done:
        typed.set()
    assert done.args[0].signed == tuple(ids)
    assert statuses(ctx, ids) == [VoucherState.SIGNED_CHIEF] * 2


def test_cancel_on_the_pin_pad_is_not_an_error(
    qtbot: QtBot, ctx: AppContext, setup: Callable[..., Any], prompter: FakePrompter,
) -> None:
    flow, token, ids = setup(1, protected_auth_path=True, pin_pad=lambda: None)
    with qtbot.waitSignal(flow.finished, timeout=10_000) as done:
        flow.start(CHIEF, ids)
    assert done.args[0] is None
    assert not prompter.messages and not prompter.crashes
    assert statuses(ctx, ids) == [VoucherState.DRAFT]


def test_cancel_in_the_pin_dialog_signs_nothing_and_says_nothing(
    qtbot: QtBot, ctx: AppContext, setup: Callable[..., Any], prompter: FakePrompter,
) -> None:
    flow, token, ids = setup(2)
    flow.start(CHIEF, ids)
    dialog = pin_dialog(qtbot, flow)
    type_text(dialog.field, "12")
    with qtbot.waitSignal(flow.finished) as done:
        dialog.cancel_button.click()
    assert done.args[0] is None and not flow.busy
    assert not prompter.messages and not prompter.crashes and flow.report is None
    assert login_calls(token) == 0
    assert statuses(ctx, ids) == [VoucherState.DRAFT] * 2


def test_token_pulled_at_the_third_voucher_reports_two_signed(
    qtbot: QtBot, ctx: AppContext, setup: Callable[..., Any], shots: Path | None,
) -> None:
    flow, token, ids = setup(5, remove_on_sign=3)
    flow.start(CHIEF, ids)
    dialog = pin_dialog(qtbot, flow)
    with qtbot.waitSignal(flow.finished, timeout=10_000) as done:
        press_sign(dialog, FAKE_PIN)
    outcome = done.args[0]
    assert outcome.signed == tuple(ids[:2]) and outcome.not_attempted == tuple(ids[3:])
    assert outcome.token_pulled
    report = flow.report
    assert report is not None and report.isVisible()
    said = report.plain_text()
    assert "Đã ký 2/5 chứng từ." in said
    assert "Token đã bị rút ra giữa chừng" in said
    for number in ("200", "201"):
        assert f"Chứng từ số {number}" in said
    assert "Chứng từ số 202: Token “FAKE-KTT” đã bị rút ra" in said
    assert "Chưa ký, không thay đổi (2)" in said
    assert statuses(ctx, ids) == [VoucherState.SIGNED_CHIEF] * 2 + [VoucherState.DRAFT] * 3
    shot(report, shots, "report_token_pulled")


def test_vouchers_that_cannot_be_signed_are_listed_and_the_others_signed(
    qtbot: QtBot, ctx: AppContext, setup: Callable[..., Any],
) -> None:
    flow, token, ids = setup(3)
    # The account holder's step is not this one: a voucher already signed is left out.
    repo, _ = ctx.repositories()
    repo.set_status(ids[0], VoucherState.SIGNED_CHIEF, actor=ctx.actor)
    flow.start(CHIEF, ids)
    dialog = pin_dialog(qtbot, flow)
    assert "1 chứng từ khác" in dialog.notes.text()
    assert dialog.summary.text() == "Ký 2 chứng từ, tổng 2.468.000 đồng"
    with qtbot.waitSignal(flow.finished, timeout=10_000) as done:
        press_sign(dialog, FAKE_PIN)
    assert done.args[0].signed == tuple(ids[1:])
    assert flow.report is not None
    said = flow.report.plain_text()
    assert "Không đưa vào ký (1)" in said and "Chứng từ số 200" in said


def test_the_event_loop_keeps_running_during_a_batch(
    qtbot: QtBot, ctx: AppContext, setup: Callable[..., Any], test_ca: SoftwareCA,
) -> None:
    key = generate_key("EC P-256")
    der = issue_certificate(test_ca, key.public_key(), holder_name="Nguyễn Thị Lan",
                            unit_name="Trường THCS Phú Lương")
    # Each signature takes 150 ms: an event loop that waited on one would stall that long.
    slow = SlowFakeToken(label="SLOW", user_pin=FAKE_PIN, keys=[(key, der)], delay=0.15)
    flow, token, ids = setup(10, token=slow)
    flow.start(CHIEF, ids)
    dialog = pin_dialog(qtbot, flow)
    beat = Heartbeat()
    progress: list[int] = []
    dialog.progress.valueChanged.connect(progress.append)
    beat.start()
    with qtbot.waitSignal(flow.finished, timeout=20_000):
        press_sign(dialog, FAKE_PIN)
    beat.stop()
    assert len(beat.ticks) > 15  # the batch took ~1.5 s and the timer kept firing
    # Below one signature's time, with room for a busy shared machine (speed: benchmarks/).
    assert beat.worst < 0.12, f"event loop blocked {beat.worst * 1000:.0f} ms"
    assert progress and progress[-1] == 10
    assert statuses(ctx, ids) == [VoucherState.SIGNED_CHIEF] * 10


def test_token_pulled_while_the_pin_is_typed_is_said_at_once(
    qtbot: QtBot, ctx: AppContext, setup: Callable[..., Any], prompter: FakePrompter,
) -> None:
    flow, token, ids = setup(2)
    flow.start(CHIEF, ids)
    dialog = pin_dialog(qtbot, flow)
    type_text(dialog.field, "24")
    token.pull_out()
    qtbot.waitUntil(lambda: dialog.mode is Mode.CLOSED_ONLY)
    assert "đã bị rút ra" in dialog.message.text()
    assert not dialog.field.isVisible() and not dialog.sign_button.isVisible()
    assert dialog.field.text() == ""
    with qtbot.waitSignal(flow.finished) as done:
        dialog.cancel_button.click()
    assert done.args[0] is None and login_calls(token) == 0 and not prompter.crashes
    assert statuses(ctx, ids) == [VoucherState.DRAFT] * 2


def test_practice_mode_shows_the_demo_pin(
    qtbot: QtBot, ctx: AppContext, setup: Callable[..., Any],
) -> None:
    _, profile = ctx.repositories()
    DEMO_SIGNERS.write(profile, [{"role": CHIEF.value, "label": "FAKE-KTT", "pin": FAKE_PIN,
                                  "holder": "Nguyễn Thị Lan"}])
    flow, token, ids = setup(1)
    flow.start(CHIEF, ids)
    dialog = pin_dialog(qtbot, flow)
    assert dialog.demo_hint.isVisible()
    assert dialog.demo_hint.text() == f"Chế độ thử: mã PIN của token FAKE-KTT là {FAKE_PIN}."
