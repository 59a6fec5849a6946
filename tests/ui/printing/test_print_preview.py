"""Print preview (Ctrl+P): the selected vouchers' PDF, page by page, printed through Qt's
printer and saved as PDF; the pages are the renderer's own (pypdfium2), never a second layout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_window, voucher

sys.path.insert(0, str(Path(__file__).parents[1] / "signing"))

from signing_harness import FAKE_PIN, fake_token, register, type_text  # noqa: E402

from treasury_desktop.domain.roles import SignerRole  # noqa: E402
from treasury_desktop.domain.voucher import BudgetLine  # noqa: E402
from treasury_desktop.signing.fake_token import FakeSlots  # noqa: E402
from treasury_desktop.signing.testca import make_test_ca  # noqa: E402


def _pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])


def _text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True)
    return " ".join(done.stdout.split())


def test_ctrl_p_previews_prints_and_saves_the_selected_vouchers(
    qtbot: QtBot, desk: Desk, tmp_path: Path,
) -> None:
    lines = tuple(BudgetLine(content=f"Văn phòng phẩm đợt {i + 1}", ndkt="6551", chapter="422",
                             industry="072", source="13", amount=100_000 + i) for i in range(40))
    long = desk.add(voucher(1, lines=lines))
    short = desk.add(voucher(2))
    with open_window(qtbot, desk) as window:
        action = window.printing.action
        assert action.shortcut().toString() == "Ctrl+P"
        table, model = window.list_pane.table, window.list_pane.model
        selection = table.selectionModel()
        selection.clearSelection()
        for chosen in (long, short):
            selection.select(model.index(model.row_of(chosen.id), 0),
                             QItemSelectionModel.SelectionFlag.Select
                             | QItemSelectionModel.SelectionFlag.Rows)
        action.trigger()
        qtbot.waitUntil(lambda: window.printing.preview is not None
                        and window.printing.preview.isVisible(), timeout=20000)
        preview = window.printing.preview
        assert preview is not None
        saved = tmp_path / "saved.pdf"
        preview.save_to(saved)
        pages = _pdf_pages(saved)
        assert pages >= 3 and len(preview.page_labels) == pages
        text = _text(saved)
        assert "Số: 1 " in text and "Số: 2 " in text and "Trang 2/" in text
        assert "Văn phòng phẩm đợt 40" in text

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printed = tmp_path / "printed.pdf"
        printer.setOutputFileName(str(printed))
        assert preview.print_to(printer) == pages
        assert _pdf_pages(printed) == pages
        preview.grab().save(str(tmp_path / "preview.png"))
        preview.close()


def test_the_previewed_pdf_is_signed_on_the_token_from_the_window(
    qtbot: QtBot, desk: Desk, tmp_path: Path,
) -> None:
    ca = make_test_ca(tmp_path / "ca")
    token = fake_token(ca)
    register(desk.ctx.connect(), token.keys[0][1], SignerRole.CHIEF_ACCOUNTANT)
    made = desk.add(voucher(3))
    with open_window(qtbot, desk) as window:
        window.signing.load = lambda: FakeSlots([token])
        assert window.list_pane.select(made.id)
        window.printing.action.trigger()
        qtbot.waitUntil(lambda: window.printing.preview is not None
                        and window.printing.preview.isVisible(), timeout=20000)
        preview = window.printing.preview
        assert preview is not None
        preview.sign_buttons[SignerRole.CHIEF_ACCOUNTANT].click()
        flow = window.printing.pdf_flow
        assert flow is not None
        qtbot.waitUntil(lambda: flow.pin_dialog is not None and flow.pin_dialog.isVisible(),
                        timeout=20000)
        dialog = flow.pin_dialog
        assert dialog is not None
        type_text(dialog.field, FAKE_PIN)
        dialog.sign_button.click()
        qtbot.waitUntil(lambda: not preview.signed_label.isHidden(), timeout=20000)
        signed = tmp_path / "signed.pdf"
        preview.save_to(signed)
        report = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True).stdout
        assert report.count("Signature is Valid.") == 1, report
        assert "Nguyễn Thị Lan" in report
        window.signing.close()
        preview.close()
