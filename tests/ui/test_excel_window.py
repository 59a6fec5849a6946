"""The Excel menu in the window: the import dialog (mapping, preview, progress, report) and the
export of the list as shown, over a real data folder and real .xlsx files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_window, settle

from treasury_desktop.sheets.columns import IGNORED

HEADER = ("Số chứng từ", "Ngày", "Nội dung", "Mã NDKT", "Mã chương", "Mã ngành KT", "Mã nguồn",
          "Số tiền", "Đơn vị nhận tiền", "Tài khoản", "Ngân hàng", "Người lập")
ELECTRICITY = ("Công ty Điện lực Thái Nguyên", 102010000123456, "VietinBank Thái Nguyên")
WATER = ("Công ty Nước sạch Thái Nguyên", "116000012345", "Vietcombank Thái Nguyên")


def sheet(path: Path) -> Path:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    for row in (
        HEADER,
        (11, datetime(2026, 11, 2), "Tiền điện tháng 10", 6501, 422, 72, 13, 1234000,
         *ELECTRICITY, "Lan"),
        (11, "02/11/2026", "Tiền điện chiếu sáng", 6501, 422, 72, 13, "250.000", None, None,
         None, "Lan"),
        (12, "03/11/2026", "Tiền nước tháng 10", 6502, 422, 72, 13, "1.100.000", *WATER, "Lan"),
        (13, "04/11/2026", "Văn phòng phẩm", 6551, 422, 7, 13, 300000, *WATER, "Lan"),
    ):
        ws.append(list(row))
    workbook.save(path)
    return path


def test_import_dialog_then_export_the_list_as_shown(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    source = sheet(tmp_path / "so-sach.xlsx")
    saved: dict[str, str] = {}

    def choose_save(title: str, suggested: str) -> str:
        saved[suggested] = str(tmp_path / suggested)
        return saved[suggested]

    with open_window(qtbot, desk) as window:
        window.excel.choose_open = lambda _title, _name: str(source)
        window.excel.choose_save = choose_save
        window.excel.actions["import"].trigger()
        dialog = window.excel.dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.proposal is not None)
        assert dialog.preview.rowCount() == 4 and dialog.preview.item(1, 7).text() == "250.000"
        assert not dialog.start.isEnabled() and "«Người lập»" in dialog.check_label.text()
        dialog.set_field(len(HEADER) - 1, IGNORED)  # the accountant says: read past it
        assert dialog.start.isEnabled()
        dialog.grab().save(str(tmp_path / "dialog.png"))  # looked at while building it
        qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.finished_result is not None, timeout=10000)
        result = dialog.finished_result
        assert result is not None and (result.stored, result.refused_count) == (2, 1)
        report = dialog.report.toPlainText()
        assert "dòng 5" in report and "Mã ngành KT" in report
        assert dialog.bar.value() == dialog.bar.maximum()
        settle(qtbot, window)
        assert window.list_pane.model.rowCount() == 2
        dialog.save_errors.click()
        errors = Path(saved["so-sach-loi.xlsx"])
        qtbot.waitUntil(lambda: errors.exists() and window.session.worker.idle())
        rows = list(load_workbook(errors).active.iter_rows(values_only=True))  # type: ignore[union-attr]
        assert len(rows) == 2 and rows[1][0] == 13 and "«7»" in rows[1][-1]
        dialog.close()

        window.list_pane.search.setText("nuoc")
        window.list_pane.refresh()
        settle(qtbot, window)
        window.excel.actions["export"].trigger()
        out = Path(saved["danh-sach-chung-tu.xlsx"])
        qtbot.waitUntil(lambda: out.exists() and window.session.worker.idle())
        settle(qtbot, window)
        lines = list(load_workbook(out).worksheets[0].iter_rows(min_row=2, values_only=True))
        assert [r[4] for r in lines[:-1]] == ["Tiền nước tháng 10"]
        assert lines[-1][9] == 1_100_000
        assert "1.100.000" in window.statusBar().currentMessage()
