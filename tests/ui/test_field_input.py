"""Issue 12 point 8: fields speak the format they show; amounts refuse letters; a calendar."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_voucher, open_window, settle, voucher

from treasury_desktop.ui.fields import DateLine, MoneyLine


def test_an_amount_refuses_letters_and_reads_excel_commas(qtbot: QtBot) -> None:
    field = MoneyLine()
    qtbot.addWidget(field)
    field.show()
    qtbot.keyClicks(field, "12a500")
    assert field.text() == "12500" and field.amount() == 12_500
    field.clear()
    qtbot.keyClicks(field, "1,500,000")
    assert field.amount() == 1_500_000
    field.editingFinished.emit()
    assert field.text() == "1.500.000"
    field.clear()
    qtbot.keyClicks(field, "1.234.567")
    assert field.amount() == 1_234_567


def test_a_date_typed_as_iso_is_shown_as_the_field_shows_dates(qtbot: QtBot) -> None:
    field = DateLine()
    qtbot.addWidget(field)
    field.show()
    qtbot.keyClicks(field, "2026-11-20")
    field.editingFinished.emit()
    assert field.text() == "20/11/2026" and field.iso() == "2026-11-20"


def test_the_calendar_opens_on_f4_and_types_the_date_clicked(qtbot: QtBot) -> None:
    field = DateLine()
    qtbot.addWidget(field)
    field.show()
    field.set_iso("2026-11-20")
    typed: list[str] = []
    field.textEdited.connect(typed.append)
    qtbot.keyClick(field, Qt.Key.Key_F4)
    popup = field.calendar
    assert popup.isVisible() and popup.selectedDate() == QDate(2026, 11, 20)
    popup.clicked.emit(QDate(2026, 11, 25))
    assert not popup.isVisible()
    assert field.text() == "25/11/2026" and typed == ["25/11/2026"]
    assert field.actions() and field.actions()[0].objectName() == "openCalendar"


def test_a_wrong_date_is_explained_in_the_format_the_field_shows(
    qtbot: QtBot, desk: Desk,
) -> None:
    v = desk.add(voucher(1))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, v.id)
        field = window.editor.widget("date")
        assert isinstance(field, DateLine)
        field.selectAll()
        qtbot.keyClicks(field, "31/02/2026")
        settle(qtbot, window)
        error = window.editor.box("date").error
        assert "31/02/2026" in error and "ngày/tháng/năm" in error
        assert "năm-tháng-ngày" not in error and "2026-11-20" not in error
        field.selectAll()
        qtbot.keyClicks(field, "20/11/2026")
        settle(qtbot, window)
        assert window.editor.box("date").error == ""
