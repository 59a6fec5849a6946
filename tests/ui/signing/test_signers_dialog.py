"""«Người ký»: the unit's signers listed, recorded from a token (fake and SoftHSM2) and removed;
token work on the token thread, database work on the worker lane, the GUI never waits."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot
from signing_harness import FAKE_PIN, Borrowed, Heartbeat, register, shot
from ui_harness import UNIT, Desk, FakePrompter, open_window, settle

from treasury_desktop.api.port import TreasurySigner
from treasury_desktop.context import AppContext
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import set_language
from treasury_desktop.outbox.fake import FakeTreasury
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.fake_token import FakeSlots, FakeToken
from treasury_desktop.signing.testca import SoftwareCA, generate_key, issue_certificate
from treasury_desktop.signing.token import Token, TokenInfo
from treasury_desktop.store.audit import audit_entries
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import RegisteredSigner, SignerRegistry
from treasury_desktop.ui.signing.cert_chooser import CertificateChooser
from treasury_desktop.ui.signing.runtime import TokenRuntime, WatchableSource
from treasury_desktop.ui.signing.signers_dialog import SignersDeps, SignersDialog
from treasury_desktop.ui.worker import BackgroundWorker
from treasury_desktop.usecases.signers import refresh_from_treasury

CHIEF, HOLDER = SignerRole.CHIEF_ACCOUNTANT, SignerRole.ACCOUNT_HOLDER
ACTOR = Actor("lan", "admin")


@pytest.fixture
def make_dialog(
    qtbot: QtBot, ctx: AppContext, executor: TokenExecutor, worker: BackgroundWorker[None],
    prompter: FakePrompter, vi: None,
) -> Iterator[Callable[[WatchableSource], SignersDialog]]:
    """A shown SignersDialog over ``source`` on the test's token thread and worker lane."""
    ProfileStore(ctx.connect()).set_unit(UNIT)
    made: list[SignersDialog] = []

    def make(source: WatchableSource) -> SignersDialog:
        runtimes: list[TokenRuntime] = []

        def runtime() -> TokenRuntime:
            if not runtimes:
                runtimes.append(TokenRuntime(lambda: source, executor=executor))
            return runtimes[0]

        deps = SignersDeps(runtime, worker.submit, ctx.connect, ACTOR, prompter,
                           watch_interval=0.05)
        dialog = SignersDialog(deps)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.reload()
        qtbot.waitUntil(worker.idle)
        made.append(dialog)
        return dialog

    yield make
    for dialog in made:
        if dialog.chooser is not None:
            dialog.chooser.reject()
        if dialog.watcher is not None:
            dialog.watcher.stop()


def certificate(ca: SoftwareCA, holder: str, **dates: datetime) -> bytes:
    return issue_certificate(ca, generate_key("EC P-256").public_key(), holder_name=holder,
                             unit_name="Trường THCS Phú Lương", **dates)


def entry(der: bytes, role: SignerRole) -> TreasurySigner:
    info = CertificateInfo.from_der(der)
    return TreasurySigner(info.sha256, der, role, info.holder_name, "", "")


def open_chooser(qtbot: QtBot, dialog: SignersDialog, role: SignerRole) -> CertificateChooser:
    dialog.add_buttons[role].click()
    qtbot.waitUntil(lambda: dialog.chooser is not None and dialog.chooser.isVisible(),
                    timeout=10_000)
    assert dialog.chooser is not None
    return dialog.chooser


def pick(chooser: CertificateChooser, holder: str) -> None:
    tree = chooser.tree
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        assert top is not None
        for j in range(top.childCount()):
            item: QTreeWidgetItem | None = top.child(j)
            if item is not None and item.text(0).startswith(holder):
                tree.setCurrentItem(item)
                item.setSelected(True)
                return
    raise AssertionError(f"no certificate of {holder}")


def wait_done(qtbot: QtBot, dialog: SignersDialog, worker: BackgroundWorker[None]) -> None:
    qtbot.waitUntil(lambda: worker.idle() and not dialog.busy, timeout=10_000)


def test_lists_role_holder_fingerprint_validity_source_and_the_register_warning(
    qtbot: QtBot, ctx: AppContext, test_ca: SoftwareCA, make_fake: Callable[..., FakeToken],
    make_dialog: Callable[[WatchableSource], SignersDialog], shots: Path | None,
    tmp_path: Path,
) -> None:
    conn = ctx.connect()
    token = make_fake(label="KTT-LAN")
    lan = token.keys[0][1]
    SignerRegistry(conn).add(RegisteredSigner(
        CertificateInfo.from_der(lan).sha256, CHIEF, "Nguyễn Thị Lan", lan, "KTT-LAN", "FAKE0001",
        "/usr/lib/x.so"), actor=ACTOR)
    now = datetime.now(UTC)
    old = certificate(test_ca, "Lê Văn Hùng", not_before=now - timedelta(days=800),
                      not_after=now - timedelta(days=70))
    SignerRegistry(conn).add(RegisteredSigner(
        CertificateInfo.from_der(old).sha256, HOLDER, "Lê Văn Hùng", old, "CTK-CU",
        source="demo"), actor=ACTOR)
    minh = certificate(test_ca, "Trần Văn Minh")
    refresh_from_treasury(conn, FakeTreasury(register={UNIT.code: (entry(minh, HOLDER),)}),
                          UNIT.code, ACTOR)

    dialog = make_dialog(FakeSlots([token]))
    rows = {r[1]: r for r in dialog.rows()}
    assert set(rows) == {"Nguyễn Thị Lan", "Trần Văn Minh", "Lê Văn Hùng"}
    lan_row = rows["Nguyễn Thị Lan"]
    assert lan_row[0] == "Kế toán trưởng" and lan_row[4] == "Trên token" and lan_row[5] == "KTT-LAN"
    sha = CertificateInfo.from_der(lan).sha256.upper()
    assert lan_row[2] == ":".join(sha[i:i + 2] for i in range(0, 16, 2)) + "…"
    assert lan_row[3].count("/") == 4 and " – " in lan_row[3]  # dd/mm/yyyy – dd/mm/yyyy
    assert rows["Trần Văn Minh"][0] == "Chủ tài khoản"
    assert rows["Trần Văn Minh"][4] == "Kho bạc" and rows["Trần Văn Minh"][5] == "—"
    assert rows["Lê Văn Hùng"][4] == "Demo" and rows["Lê Văn Hùng"][3].startswith("Đã hết hạn (")
    assert dialog.register_note.text().startswith(
        "Đã đối chiếu với danh sách người ký của Kho bạc lấy về lúc ")
    warnings = dialog.warnings.text()
    assert dialog.warnings.isVisible()
    assert "Nguyễn Thị Lan (Kế toán trưởng) chưa đăng ký với Kho bạc" in warnings
    assert "Lê Văn Hùng (Chủ tài khoản) chưa đăng ký với Kho bạc" in warnings
    assert "Trần Văn Minh" not in warnings

    # A treasury signer cannot be removed here; the button says why.
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(
        [r[1] for r in dialog.rows()].index("Trần Văn Minh")))
    assert not dialog.remove_button.isEnabled()
    assert "do Kho bạc ghi nhận" in dialog.remove_button.toolTip()
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(
        [r[1] for r in dialog.rows()].index("Nguyễn Thị Lan")))
    assert dialog.remove_button.isEnabled()
    assert dialog.details.fingerprint() == sha.lower()
    qtbot.wait(20)  # the layout follows the new texts on the next turn of the event loop
    shot(dialog, shots, "signers_dialog")
    assert dialog.grab().save(str(tmp_path / "signers.png"), "PNG")


def test_empty_before_any_register_then_a_token_certificate_is_recorded(
    qtbot: QtBot, ctx: AppContext, test_ca: SoftwareCA, make_fake: Callable[..., FakeToken],
    make_dialog: Callable[[WatchableSource], SignersDialog], worker: BackgroundWorker[None],
    prompter: FakePrompter, shots: Path | None,
) -> None:
    token = make_fake(label="KTT-LAN", serial="S-LAN")
    now = datetime.now(UTC)
    expired = FakeToken(label="CU", user_pin=FAKE_PIN, serial="S-OLD", keys=[(
        key := generate_key("EC P-256"),
        issue_certificate(test_ca, key.public_key(), holder_name="Phạm Thị Hoa",
                          unit_name="Trường THCS Phú Lương",
                          not_before=now - timedelta(days=800), not_after=now - timedelta(days=1)),
    )])
    dialog = make_dialog(FakeSlots([token, expired]))
    assert dialog.rows() == [] and dialog.empty.isVisible() and not dialog.tree.isVisible()
    assert dialog.register_note.text().startswith("Chưa có danh sách người ký từ Kho bạc")
    assert not dialog.warnings.isVisible()
    shot(dialog, shots, "signers_dialog_empty")

    chooser = open_chooser(qtbot, dialog, CHIEF)
    assert chooser.windowTitle() == "Thêm người ký — Kế toán trưởng"
    assert chooser.choose_button.text() == "Ghi nhận"
    listed = chooser.certificate_rows()
    assert [(name.split(" — ")[0], usable) for name, usable, _ in listed] == [
        ("Phạm Thị Hoa", False), ("Nguyễn Thị Lan", True)]  # only the usable can be chosen
    shot(chooser, shots, "signers_chooser")
    pick(chooser, "Nguyễn Thị Lan")
    chooser.choose_button.click()
    wait_done(qtbot, dialog, worker)
    assert not prompter.messages and not prompter.crashes
    [recorded] = SignerRegistry(ctx.connect()).all()
    assert (recorded.role, recorded.holder_name, recorded.token_label, recorded.token_serial,
            recorded.source) == (CHIEF, "Nguyễn Thị Lan", "KTT-LAN", "S-LAN", "local")
    assert dialog.status.text() == "Đã ghi nhận Nguyễn Thị Lan là Kế toán trưởng."
    assert [r[1] for r in dialog.rows()] == ["Nguyễn Thị Lan"]
    assert [e.action for e in audit_entries(ctx.connect())][-1] == "signer_added"
    assert dialog.chooser is None and dialog.watcher is None


def test_a_certificate_recorded_for_the_other_role_is_refused_with_the_reason(
    qtbot: QtBot, ctx: AppContext, make_fake: Callable[..., FakeToken],
    make_dialog: Callable[[WatchableSource], SignersDialog], worker: BackgroundWorker[None],
    prompter: FakePrompter,
) -> None:
    token = make_fake(label="KTT-LAN")
    register(ctx.connect(), token.keys[0][1], HOLDER)
    dialog = make_dialog(FakeSlots([token]))
    chooser = open_chooser(qtbot, dialog, CHIEF)
    pick(chooser, "Nguyễn Thị Lan")
    chooser.choose_button.click()
    wait_done(qtbot, dialog, worker)
    [said] = prompter.messages
    assert said.startswith(
        "Chứng thư số của Nguyễn Thị Lan đã được ghi nhận là Chủ tài khoản."), said
    assert [(s.role, s.holder_name) for s in SignerRegistry(ctx.connect()).all()] == [
        (HOLDER, "Nguyễn Thị Lan")]
    assert all(b.isEnabled() for b in dialog.add_buttons.values())


def test_cancelling_the_chooser_records_nothing(
    qtbot: QtBot, ctx: AppContext, make_fake: Callable[..., FakeToken],
    make_dialog: Callable[[WatchableSource], SignersDialog],
) -> None:
    dialog = make_dialog(FakeSlots([make_fake()]))
    open_chooser(qtbot, dialog, HOLDER).reject()
    assert dialog.chooser is None and not dialog.busy
    assert SignerRegistry(ctx.connect()).all() == []


def test_remove_asks_first_and_keeps_the_other_signer(
    qtbot: QtBot, ctx: AppContext, make_fake: Callable[..., FakeToken],
    make_dialog: Callable[[WatchableSource], SignersDialog], worker: BackgroundWorker[None],
    prompter: FakePrompter,
) -> None:
    chief, holder = make_fake(), make_fake(holder="Trần Văn Minh", label="CTK")
    register(ctx.connect(), chief.keys[0][1], CHIEF)
    register(ctx.connect(), holder.keys[0][1], HOLDER)
    dialog = make_dialog(FakeSlots([]))
    index = [r[1] for r in dialog.rows()].index("Trần Văn Minh")
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(index))
    prompter.answers = [False]
    dialog.remove_button.click()
    wait_done(qtbot, dialog, worker)
    [asked] = prompter.questions
    assert asked.startswith("Bỏ chứng thư số của Trần Văn Minh khỏi vai trò Chủ tài khoản?")
    assert len(SignerRegistry(ctx.connect()).all()) == 2
    dialog.remove_button.click()  # yes this time
    wait_done(qtbot, dialog, worker)
    assert [r[1] for r in dialog.rows()] == ["Nguyễn Thị Lan"]
    assert [s.holder_name for s in SignerRegistry(ctx.connect()).all()] == ["Nguyễn Thị Lan"]
    assert dialog.status.text() == "Đã bỏ Trần Văn Minh khỏi vai trò Chủ tài khoản."
    assert [e.action for e in audit_entries(ctx.connect())][-1] == "signer_removed"


class _SlowSource:
    """Tokens that take ``delay`` seconds to list (a driver probing USB)."""

    def __init__(self, inner: FakeSlots, delay: float) -> None:
        self._inner, self._delay = inner, delay

    def tokens(self) -> Sequence[Token]:
        time.sleep(self._delay)
        return self._inner.tokens()

    def token_infos(self) -> Sequence[TokenInfo]:
        return self._inner.token_infos()


def test_the_gui_never_waits_for_a_slow_token(
    qtbot: QtBot, make_fake: Callable[..., FakeToken],
    make_dialog: Callable[[WatchableSource], SignersDialog],
) -> None:
    dialog = make_dialog(_SlowSource(FakeSlots([make_fake()]), 0.4))
    beat = Heartbeat()
    beat.start()
    dialog.add_buttons[CHIEF].click()
    assert dialog.busy and dialog.status.text() == "Đang đọc token…"
    assert not any(b.isEnabled() for b in dialog.add_buttons.values())
    qtbot.waitUntil(lambda: dialog.chooser is not None and dialog.chooser.isVisible(),
                    timeout=10_000)
    beat.stop()
    # The token takes 0.4 s: a GUI that waited on it would block that long (speed: benchmarks/).
    assert beat.worst < 0.2, f"event loop blocked {beat.worst * 1000:.0f} ms"


def test_a_softhsm_certificate_is_recorded_with_its_token(
    qtbot: QtBot, ctx: AppContext, softhsm: Any, softhsm_module_loaded: Any,
    make_dialog: Callable[[WatchableSource], SignersDialog], worker: BackgroundWorker[None],
    prompter: FakePrompter, shots: Path | None,
) -> None:
    dialog = make_dialog(Borrowed(softhsm_module_loaded))
    chooser = open_chooser(qtbot, dialog, HOLDER)
    rows = chooser.certificate_rows()
    assert any(not usable for _, usable, _ in rows)  # the expired and future ones are greyed
    shot(chooser, shots, "signers_chooser_softhsm")
    holder = softhsm.holder.key
    info = CertificateInfo.from_der(holder.certificate_der)
    pick(chooser, info.holder_name)
    assert chooser.details.fingerprint() == holder.cert_sha256
    chooser.choose_button.click()
    wait_done(qtbot, dialog, worker)
    assert not prompter.messages and not prompter.crashes
    [recorded] = SignerRegistry(ctx.connect()).all()
    assert recorded.cert_sha256 == holder.cert_sha256 and recorded.role is HOLDER
    assert recorded.token_label == softhsm.holder.label and recorded.module_path


def test_the_signing_menu_opens_the_dialog_in_english_too(
    qtbot: QtBot, desk: Desk, make_fake: Callable[..., FakeToken], shots: Path | None,
) -> None:
    token = make_fake()
    register(desk.ctx.connect(), token.keys[0][1], CHIEF)
    prompter = FakePrompter()
    with open_window(qtbot, desk, prompter) as window:
        signing = window.signing
        signing.load = lambda: FakeSlots([token])
        action = signing.signers_action
        assert action.text() == "Người ký…"
        [menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Ký số"]
        assert action in menu.actions()  # type: ignore[union-attr]
        action.trigger()
        dialog = signing.signers_dialog
        assert dialog is not None and dialog.isVisible()
        qtbot.waitUntil(lambda: len(dialog.rows()) == 1)
        assert dialog.windowTitle() == "Người ký của đơn vị"
        assert signing.show_signers() is dialog  # one at a time
        dialog.reject()
        settle(qtbot, window)
        assert signing.signers_dialog is None
        set_language("en")
        try:
            action.trigger()
            english = signing.signers_dialog
            assert english is not None
            qtbot.waitUntil(lambda: len(english.rows()) == 1)
            assert english.windowTitle() == "The unit's signers"
            assert english.rows()[0][0] == "Chief accountant"
            assert english.rows()[0][4] == "From a token"
            assert english.add_buttons[HOLDER].text() == "Add account holder…"
            qtbot.wait(20)
            shot(english, shots, "signers_dialog_en")
            english.reject()
        finally:
            set_language("vi")
        assert not prompter.messages and not prompter.crashes


def test_the_window_loads_no_signing_code_until_it_is_used() -> None:
    code = ("import sys, treasury_desktop.ui.main_window\n"
            "heavy = [m for m in sys.modules if m.endswith(('signers_dialog', 'usecases.signers',"
            " 'cert_chooser', 'PyKCS11'))]\n"
            "print(heavy)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
