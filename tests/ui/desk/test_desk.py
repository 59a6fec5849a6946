"""The desk's menus with real widgets: setup assistant, settings, backups, handbook (F1), About."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot
from treasury_sandbox_world import TOKEN, UNIT
from ui_harness import Desk, open_window

from treasury_desktop.api.connection import load_connection
from treasury_desktop.settings import BACKUP_FOLDER, PKCS11_MODULES
from treasury_desktop.store.backup import list_backups
from treasury_desktop.ui.desk.help_dialog import HandbookDialog, topic_in_front
from treasury_desktop.ui.desk.hookup import DeskHookup
from treasury_desktop.ui.main_window import MainWindow
from treasury_desktop.usecases.backups import PENDING, apply_pending_restore
from treasury_desktop.version import app_version


def _memory_keyring() -> object:
    """The API tests' in-memory keyring (tests/api/keyrings.py), one copy for both folders."""
    import importlib.util
    import sys

    name = "api_test_keyrings"
    if name not in sys.modules:
        path = Path(__file__).parents[2] / "api" / "keyrings.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name].MemoryKeyring()


def type_text(widget: QLineEdit, text: str) -> None:
    """Type as an input method does (keyClicks aborts on Vietnamese: FACTS.md)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def window(qtbot: QtBot, desk: Desk) -> Iterator[tuple[MainWindow, DeskHookup]]:
    with open_window(qtbot, desk) as main:
        yield main, DeskHookup(main, interactive=False)


def test_about_names_the_version_from_pyproject(window) -> None:  # type: ignore[no-untyped-def]
    main, hookup = window
    titles = [a.text().replace("&", "") for a in main.menuBar().actions()]
    assert "Cài đặt" in titles and "Trợ giúp" in titles
    box = hookup.show_about()
    assert app_version() in box.text()
    box.close()


def test_f1_opens_the_section_of_the_dialog_in_front(qtbot: QtBot, window) -> None:  # type: ignore[no-untyped-def]
    main, hookup = window
    main.activateWindow()
    hookup.f1.activated.emit()
    handbook = main.findChild(HandbookDialog, "handbookDialog")
    assert handbook is not None and handbook.shown_anchor() == "start"
    handbook.close()
    hookup.open_settings()
    qtbot.waitUntil(lambda: hookup.settings_dialog is not None
                    and hookup.settings_dialog.isVisible())
    dialog = hookup.settings_dialog
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(lambda: topic_in_front() == "settings")
    dialog.tabs.setCurrentIndex(3)
    dialog.backup_folder.setFocus()
    qtbot.waitUntil(lambda: topic_in_front() == "backup")
    hookup.f1.activated.emit()
    opened = [w for w in QApplication.topLevelWidgets()
              if isinstance(w, HandbookDialog) and w.isVisible()]
    assert opened and opened[-1].shown_anchor() == "backup"
    opened[-1].search.setText("khoa PIN")
    assert opened[-1].shown_anchor() == "pin-locked"
    dialog.reject()


def test_settings_save_backup_folder_and_drivers(qtbot: QtBot, window, desk: Desk,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    main, hookup = window
    hookup.open_settings()
    qtbot.waitUntil(lambda: hookup.settings_dialog is not None)
    dialog = hookup.settings_dialog
    assert dialog is not None
    assert not dialog.proxy.isEnabled(), "a proxy needs a connection first"
    usb = tmp_path / "usb"
    dialog.backup_folder.setText(str(usb))
    dialog.modules.addItem("/opt/vnpt/vnptca_p11_v8.so")
    dialog.backup_now()
    qtbot.waitUntil(lambda: len(list_backups(usb)) == 1)
    qtbot.waitUntil(lambda: dialog.backups.count() == 1)
    dialog._save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert BACKUP_FOLDER.read(desk.profile) == str(usb)
    assert PKCS11_MODULES.read(desk.profile) == ["/opt/vnpt/vnptca_p11_v8.so"]


def test_restore_from_settings_happens_at_the_next_start(
    qtbot: QtBot, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usb = tmp_path / "usb"
    with open_window(qtbot, desk) as main:
        hookup = DeskHookup(main, interactive=False)
        taken: list[object] = []
        hookup.backup_now(str(usb), taken.append)
        qtbot.waitUntil(lambda: bool(taken))
        desk.profile.set("after_backup", True)  # a change the restore must undo
        hookup.open_settings()
        qtbot.waitUntil(lambda: hookup.settings_dialog is not None)
        dialog = hookup.settings_dialog
        assert dialog is not None
        dialog.backup_folder.setText(str(usb))
        dialog.refresh_backups()
        qtbot.waitUntil(lambda: dialog.backups.count() == 1)
        dialog.backups.setCurrentRow(0)
        monkeypatch.setattr(QMessageBox, "question",
                            lambda *a, **k: QMessageBox.StandardButton.Yes)
        dialog.restore_chosen()
        qtbot.waitUntil(lambda: (desk.ctx.data_dir / PENDING).exists() and not main.isVisible())
    desk.ctx.close()
    aside = apply_pending_restore(desk.ctx.data_dir, desk.ctx.database_path, datetime.now())
    assert aside is not None and (aside / "treasury.sqlite3").exists()
    assert not (desk.ctx.data_dir / PENDING).exists()
    conn = sqlite3.connect(desk.ctx.database_path)
    try:
        assert conn.execute("SELECT value FROM profile WHERE key='after_backup'").fetchone() is None
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_first_run_offers_the_assistant_which_stores_the_unit_and_connects(  # type: ignore[no-untyped-def]
    qtbot: QtBot, desk: Desk, sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.profile.set("unit", None)
    monkeypatch.delenv("TREASURY_API_TOKEN", raising=False)
    previous = keyring.get_keyring()
    memory = _memory_keyring()
    keyring.set_keyring(memory)
    try:
        with open_window(qtbot, desk) as main:
            hookup = DeskHookup(main, interactive=True)
            qtbot.waitUntil(lambda: hookup.setup_wizard is not None, timeout=5000)
            wizard = hookup.setup_wizard
            assert wizard is not None
            page = wizard.unit_page
            page.code.setText(UNIT)
            type_text(page.name, "Trường Mầm non Hoa Sen")
            page.account.setText(f"9523.2.{UNIT}")
            page.treasury.setEditText("0011")
            wizard.next()
            qtbot.waitUntil(lambda: desk.profile.unit() is not None
                            and desk.profile.unit().name == "Trường Mầm non Hoa Sen")
            connection = wizard.connection_page
            connection.server.setText(sandbox.url)
            connection.credential.setText("wrong-credential")
            connection.try_connect()
            qtbot.waitUntil(lambda: connection.check.isEnabled(), timeout=15000)
            assert connection.result.text() and "Traceback" not in connection.result.text()
            assert load_connection(desk.profile) is None
            connection.credential.setText(TOKEN)
            connection.try_connect()
            qtbot.waitUntil(lambda: connection.check.isEnabled(), timeout=15000)
            assert load_connection(desk.profile) is not None
            assert connection.credential.text() == "", "the credential is not kept in the form"
            assert list(memory.secrets.values()) == [TOKEN]
            wizard.next()
            qtbot.waitUntil(lambda: "process:" in wizard.tokens_page.report.toPlainText())
            wizard.reject()
            hookup2 = DeskHookup(main, interactive=True)
            qtbot.wait(200)
            assert hookup2.setup_wizard is None, "offered once; then from the Settings menu"
    finally:
        keyring.set_keyring(previous)
    assert not [p for p in desk.ctx.data_dir.rglob("*") if p.is_file()
                and TOKEN.encode() in p.read_bytes()]


def test_daily_backup_once_a_day(qtbot: QtBot, window, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    main, hookup = window
    hookup.daily_backup()
    folder = desk.ctx.data_dir / "backups"
    qtbot.waitUntil(lambda: len(list_backups(folder)) == 1)
    hookup.daily_backup()
    qtbot.wait(300)
    assert len(list_backups(folder)) == 1
    assert os.stat(list_backups(folder)[0].path).st_mode & 0o777 == 0o600
    assert Qt.Key.Key_F1  # F1 is the handbook's key (see test_f1_...)


def test_f1_knows_the_signing_dialogs_by_name(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QDialog

    pin = QDialog()
    pin.setObjectName("pinDialog")  # as ui/signing/pin_dialog.py names it
    field = QLineEdit(pin)
    qtbot.addWidget(pin)
    pin.show()
    pin.activateWindow()
    field.setFocus()
    qtbot.waitUntil(lambda: topic_in_front() == "pin-locked")
