"""Language, errors, the screenshot entry point, and the PySide6 6.12 regression guard."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from ui_harness import Desk, FakePrompter, open_voucher, open_window, voucher

from treasury_desktop.i18n import ExpectedError, set_language
from treasury_desktop.ui.dialogs import CrashDialog
from treasury_desktop.ui.launch import run_gui


def test_english_mode_shows_english_labels(qtbot: QtBot, desk: Desk) -> None:
    v = desk.add(voucher(1))
    set_language("en")
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        assert window.folders.item(1).text() == "Drafts"
        model = window.list_pane.model
        across = Qt.Orientation.Horizontal
        headers = [model.headerData(c, across) for c in range(model.columnCount())]
        assert headers == ["No.", "Date", "Payee", "Content", "Amount", "Status"]
        assert window.editor.box("unit.code").label.text() == "Budget unit code"
        assert window.editor.title.text() == "BUDGET ESTIMATE WITHDRAWAL"
        assert window.action_map["new"].text() == "New"
        assert model.index(0, 1).data() == "01/02/2026"  # dates stay dd/mm/yyyy


def test_vietnamese_is_the_default(qtbot: QtBot, desk: Desk) -> None:
    with open_window(qtbot, desk) as window:
        names = [window.folders.item(r).text() for r in range(window.folders.count())]
        assert names == ["Tất cả", "Nháp", "Chờ ký", "Ký đủ / chờ gửi", "Đã gửi", "Bị từ chối",
                         "Nhận từ máy khác"]
        shortcuts = {k: a.shortcut().toString() for k, a in window.action_map.items()}
        assert shortcuts["new"] == "Ctrl+N" and shortcuts["copy"] == "Ctrl+D"
        assert shortcuts["add_line"] == "Ctrl+Shift+L" and shortcuts["refresh"] == "F5"
        assert [shortcuts[f"folder{i}"] for i in range(1, 7)] == [f"Ctrl+{i}" for i in range(1, 7)]


def test_expected_errors_are_plain_messages_and_bugs_go_to_the_crash_dialog(
    qtbot: QtBot, desk: Desk
) -> None:
    prompter = FakePrompter()
    with open_window(qtbot, desk, prompter) as window:
        window.report_error(ExpectedError("store.not_found", id="abc"))
        assert prompter.messages == ["Không tìm thấy chứng từ abc. Hãy kiểm tra lại mã chứng từ."]
        bug = RuntimeError("boom")
        window.report_error(bug)
        assert prompter.crashes == [bug]


def test_crash_dialog_hides_the_traceback_until_asked(qtbot: QtBot, tmp_path: Path) -> None:
    try:
        raise ValueError("secret internals")
    except ValueError as error:
        dialog = CrashDialog(error, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel) if label.isVisible())
    assert "Traceback" not in shown and "secret internals" not in shown
    assert not dialog.details.isVisible()
    assert dialog.details_button.text() == "Chi tiết"
    dialog.details_button.click()
    assert dialog.details.isVisible()
    assert "secret internals" in dialog.details.toPlainText()
    bundle = dialog.save_bundle()
    assert bundle.parent == tmp_path / "diagnostics"
    with zipfile.ZipFile(bundle) as archive:
        assert "secret internals" in archive.read("error.txt").decode()
        assert "PySide6" in archive.read("environment.txt").decode()
    assert str(bundle) in dialog.saved.text()


def test_screenshot_writes_a_png(qtbot: QtBot, desk: Desk, tmp_path: Path) -> None:
    desk.add(voucher(1))
    target = tmp_path / "shot" / "main.png"
    assert run_gui(desk.ctx, screenshot=target, demo=True) == 0
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000
    QApplication.processEvents()


def test_twenty_thousand_void_calls_do_not_abort(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python 3.11 leaks None per void call and aborts near 5,000 (FACTS.md)."""
    label = QLabel()
    qtbot.addWidget(label)
    for i in range(20_000):
        label.setText(str(i))
    assert label.text() == "19999"


def test_qt_own_texts_are_vietnamese(qtbot: QtBot, desk: Desk, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QLineEdit

    from treasury_desktop.ui.qt_texts import VietnameseQtTexts

    app = QApplication.instance()
    assert app is not None
    translator = VietnameseQtTexts()
    app.installTranslator(translator)
    try:
        field = QLineEdit("Tiền điện")
        qtbot.addWidget(field)
        menu = field.createStandardContextMenu()
        texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
        assert "&Sao chép" in texts and "&Dán" in texts and "Chọn tất cả" in texts
        menu.deleteLater()
        native = QKeySequence.SequenceFormat.NativeText
        assert QKeySequence("Ctrl+N").toString(native) == "Ctrl+N"  # untouched texts stay
    finally:
        app.removeTranslator(translator)


def test_toolbar_shows_the_shortcuts(qtbot: QtBot, desk: Desk) -> None:
    with open_window(qtbot, desk) as window:
        assert window.action_map["new"].iconText() == "Lập mới  Ctrl+N"
        assert window.action_map["new"].text() == "Lập mới"
        assert window.action_map["refresh"].iconText() == "Làm mới  F5"
