"""Issue 12 point 4 / issue 17 "small screens": every dialog fits a 1366×768 and a 1280×720
laptop (a 40 px panel below) and its buttons can be reached.

Each dialog is made as the window makes it, opened over the window, fitted to the available
area as the window fits every dialog it opens, and then: its frame lies inside the area, its
smallest size does too, and every button shows inside the dialog (in a scroll area: that
area lies inside the dialog, the button is reached by scrolling).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QScrollArea, QWidget
from pytestqt.qtbot import QtBot
from test_excel_window import sheet
from ui_harness import Desk, open_window, settle, voucher

from treasury_desktop.domain.catalog import CatalogKind
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import Message
from treasury_desktop.packages.format import Desk as PackageDesk
from treasury_desktop.signing.errors import PinIncorrect, PinState
from treasury_desktop.ui.code_lookup import CodeLookup
from treasury_desktop.ui.desk.help_dialog import HandbookDialog
from treasury_desktop.ui.desk.hookup import DeskHookup
from treasury_desktop.ui.excel.import_dialog import ImportDialog
from treasury_desktop.ui.launch import FONT
from treasury_desktop.ui.main_window import MainWindow
from treasury_desktop.ui.packages.dialogs import ReceiveReport, SendDialog
from treasury_desktop.ui.printing.pages import page_images
from treasury_desktop.ui.printing.preview import PrintPreview
from treasury_desktop.ui.screen_fit import FRAME, fit_dialog
from treasury_desktop.ui.signing.cert_chooser import CertificateChooser
from treasury_desktop.ui.signing.pin_dialog import PinDialog, PinRequest
from treasury_desktop.ui.signing.report import SigningOutcome, SigningReport
from treasury_desktop.ui.signing.trust_dialog import TrustDialog
from treasury_desktop.ui.style import STYLE_SHEET
from treasury_desktop.usecases.package_import import ImportResult, ItemOutcome, ItemResult
from treasury_desktop.usecases.printing import PrintService, treasury_roots
from treasury_desktop.usecases.trust import open_trust_store

SCREENS = [QSize(1366, 768), QSize(1280, 720)]
PANEL = 40
Maker = Callable[[MainWindow, Path], QDialog]


@contextmanager
def app_look() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font, sheet_ = app.font(), app.styleSheet()
    app.setFont(QFont(*FONT))
    app.setStyleSheet(STYLE_SHEET)
    try:
        yield
    finally:
        app.setStyleSheet(sheet_)
        app.setFont(font)


class _NoFiles:
    """The package dialogs' file chooser, never asked here."""

    def save_file(self, suggested: Path) -> Path | None:
        return None

    def open_file(self, start: Path) -> Path | None:
        return None

    def folder(self, start: Path) -> Path | None:
        return None


def pin(window: MainWindow, _tmp: Path) -> QDialog:
    """After a wrong PIN, with every note a batch can carry."""
    notes = tuple(Message("signing.estimate.voucher", {
        "number": str(i), "warning_vi": "Đơn vị chưa có dự toán cho chương 422, ngành kinh tế"
        " 073, nguồn 13 (số liệu Kho bạc cập nhật 1 giờ trước): Kho bạc sẽ từ chối khoản"
        " 2.000.000 đồng này. Hãy kiểm tra lại mã chương, ngành, nguồn trước khi ký.",
        "warning_en": "no estimate"}) for i in range(4))
    request = PinRequest(
        SignerRole.CHIEF_ACCOUNTANT, "VNPT-CA KTT", "0011223344", PinState.COUNT_LOW, False,
        "Nguyễn Thị Lan", "Trường THCS Phú Lương", "VNPT Certification Authority",
        datetime(2028, 5, 1, tzinfo=UTC), 48, 3_002_345_678, refused=2, warnings=notes)
    dialog = PinDialog(request, lambda _pin: None, window)
    dialog.show()
    dialog.begin()
    dialog.show_wrong_pin(PinIncorrect(token="VNPT-CA KTT", pin_state=PinState.FINAL_TRY))
    return dialog


def through_hookup(name: str) -> Maker:
    def make(window: MainWindow, _tmp: Path) -> QDialog:
        hookup = DeskHookup(window, interactive=False)
        getattr(hookup, f"open_{name}")()
        QApplication.processEvents()
        found: list[QDialog] = []

        def shown() -> None:
            dialog = getattr(hookup, f"{name}_dialog" if name == "settings" else "setup_wizard")
            assert dialog is not None and dialog.isVisible()
            found.append(dialog)

        window.session.worker.idle()
        _wait(shown)
        return found[-1]
    return make


def handbook(window: MainWindow, _tmp: Path) -> QDialog:
    dialog = HandbookDialog(window)
    dialog.show()
    return dialog


def trust(window: MainWindow, _tmp: Path) -> QDialog:
    dialog = TrustDialog(open_trust_store(window.session.ctx.data_dir), window.prompter, window)
    dialog.show()
    return dialog


def excel_import(window: MainWindow, tmp: Path) -> QDialog:
    dialog = ImportDialog(window.session, sheet(tmp / "so-sach.xlsx"), lambda *_a: "", None,
                          window)
    dialog.show()
    _wait(lambda: _true(dialog.proposal is not None))
    return dialog


def package_send(window: MainWindow, tmp: Path) -> QDialog:
    dialog = SendDialog(12, _NoFiles(), tmp, "chung-tu-12.tdpkg", window)
    dialog.show()
    return dialog


def package_receive(window: MainWindow, _tmp: Path) -> QDialog:
    items = tuple(ItemResult(
        f"{i:08d}-0000-4000-8000-000000000000", str(100 + i),
        ItemOutcome.IMPORTED if i % 3 else ItemOutcome.CONFLICT,
        Message("package.item.imported" if i % 3 else "package.item.conflict", {"number": i}),
        (SignerRole.CHIEF_ACCOUNTANT,), False) for i in range(60))
    result = ImportResult("a1b2c3d4e5", PackageDesk("d1", "Máy kế toán trưởng"),
                          "2026-11-20T09:00:00+07:00", None, items, False)
    dialog = ReceiveReport(result, window)
    dialog.show()
    return dialog


def print_preview(window: MainWindow, _tmp: Path) -> QDialog:
    ctx = window.session.ctx
    ids = [v.id for v in window.session.ctx.repositories()[0].recent(2026, 3)]
    pdf = PrintService(ctx.connect(), treasury_roots(ctx.data_dir)).pdf(ids)
    dialog = PrintPreview(pdf, page_images(pdf, 96.0), "chung-tu.pdf", window,
                          sign=lambda _role, _pdf: None)
    dialog.show()
    return dialog


def lookup(window: MainWindow, _tmp: Path) -> QDialog:
    catalog = window.session.catalog(2026)
    assert catalog is not None
    dialog = CodeLookup(CatalogKind.NDKT, catalog, "6501", window)
    dialog.show()
    return dialog


def chooser(window: MainWindow, _tmp: Path) -> QDialog:
    dialog = CertificateChooser(SignerRole.ACCOUNT_HOLDER, frozenset(), window)
    dialog.show()
    return dialog


def signing_report(window: MainWindow, _tmp: Path) -> QDialog:
    failed = tuple((f"id{i}", Message("signing.voucher.changed", {"number": str(i)}))
                   for i in range(25))
    outcome = SigningOutcome(SignerRole.CHIEF_ACCOUNTANT, tuple(f"ok{i}" for i in range(30)),
                             failed, numbers={f"id{i}": str(i) for i in range(25)})
    dialog = SigningReport(outcome, window)
    dialog.show()
    return dialog


DIALOGS: dict[str, Maker] = {
    "pin": pin, "settings": through_hookup("settings"), "setup": through_hookup("setup"),
    "handbook": handbook, "trust": trust, "excel_import": excel_import,
    "package_send": package_send, "package_receive": package_receive,
    "print_preview": print_preview, "lookup": lookup, "chooser": chooser,
    "signing_report": signing_report,
}

_QTBOT: list[QtBot] = []


def _true(value: bool) -> None:
    assert value


def _wait(check: Callable[[], None]) -> None:
    _QTBOT[-1].waitUntil(check, timeout=20_000)


def inside(dialog: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size())


def assert_buttons_reachable(dialog: QDialog) -> None:
    """Every button shown lies inside the dialog; one inside a scroll area is reached by
    scrolling, so the area itself must lie inside."""
    for button in dialog.findChildren(QAbstractButton):
        if not button.isVisibleTo(dialog) or button.window() is not dialog:
            continue
        holder = button.parentWidget()
        area: QScrollArea | None = None
        while holder is not None and holder is not dialog:
            if isinstance(holder, QScrollArea):
                area = holder
            holder = holder.parentWidget()
        shown = area if area is not None else button
        rect = inside(dialog, shown)
        label = button.text() or button.toolTip() or button.objectName()
        assert dialog.rect().contains(rect), (label, rect, dialog.rect())
        assert rect.width() > 0 and rect.height() > 0, label


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s.width()}x{s.height()}")
@pytest.mark.parametrize("name", list(DIALOGS))
def test_every_dialog_fits_a_laptop_and_its_buttons_are_reachable(
    qtbot: QtBot, desk: Desk, tmp_path: Path, name: str, screen: QSize,
) -> None:
    _QTBOT.append(qtbot)
    for i in range(3):
        desk.add(voucher(i + 1))
    room = QRect(0, 0, screen.width(), screen.height() - PANEL)
    with app_look(), open_window(qtbot, desk) as window:
        dialog = DIALOGS[name](window, tmp_path)
        try:
            fit_dialog(dialog, room)
            QApplication.processEvents()
            frame = QRect(dialog.pos(), dialog.size() + FRAME)
            assert room.contains(frame), (name, frame, room)
            least = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
            assert least.width() + FRAME.width() <= room.width(), (name, least)
            assert least.height() + FRAME.height() <= room.height(), (name, least)
            assert_buttons_reachable(dialog)
        finally:
            dialog.close()
            dialog.deleteLater()
        settle(qtbot, window)


def test_the_window_fits_each_dialog_it_opens_to_the_screen(qtbot: QtBot, desk: Desk) -> None:
    """Not only in this test: any dialog opened over the window is fitted when shown."""
    with app_look(), open_window(qtbot, desk) as window:
        dialog = QDialog(window)
        dialog.resize(4000, 3000)  # larger than any screen
        dialog.show()
        QApplication.processEvents()
        room = window.screen().availableGeometry()
        assert dialog.width() + FRAME.width() <= room.width()
        assert dialog.height() + FRAME.height() <= room.height()
        assert room.contains(QRect(dialog.pos(), dialog.size()))
        dialog.close()
        settle(qtbot, window)
