"""Fields that speak the format they show (issue 12 point 8).

* An amount field refuses letters as they are typed, and reads "1,500,000" as an Excel user
  means it (commas grouping thousands), like "1.500.000".
* A date field shows dd/mm/yyyy: a date typed as ISO is shown dd/mm/yyyy once left, its
  errors quote dd/mm/yyyy, and a calendar opens from the field (Alt+↓ or the button).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QRegularExpression, Qt
from PySide6.QtGui import QAction, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QStyle, QWidget

from treasury_desktop.domain.problems import Problem
from treasury_desktop.ui.texts import dmy, t

# Digits with dots, commas or spaces between groups, and an optional đ: no letters.
_TYPED_AMOUNT = QRegularExpression(r"^[0-9][0-9., \x{00a0}]*\s*[đ₫]?$|^$")
_EXCEL_GROUPS = re.compile(r"^\s*[0-9]{1,3}(?:,[0-9]{3})+\s*$")
_ISO = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


def amount_validator(parent: QWidget) -> QRegularExpressionValidator:
    """Refuses a letter in an amount while it is typed ("12a500" cannot be typed)."""
    return QRegularExpressionValidator(_TYPED_AMOUNT, parent)


def excel_grouping(raw: str) -> str:
    """"1,500,000" -> "1.500.000" (commas grouping thousands, as Excel shows amounts)."""
    return raw.replace(",", ".") if _EXCEL_GROUPS.match(raw) else raw


def shown_date(raw: str) -> str:
    """A date typed as ISO ("2026-11-20") shown as the field shows dates (20/11/2026)."""
    return dmy(raw.strip()) if _ISO.match(raw) else raw


def screen_message(problem: Problem) -> str:
    """The problem's sentence as the window's fields show values (dates dd/mm/yyyy)."""
    if problem.code == "date.invalid":
        return t("field_input.date_invalid", value=dmy(str(problem.params.get("value", ""))))
    return problem.message()


class CalendarPopup(QCalendarWidget):
    """A month to click a date in; the date chosen is typed into the field."""

    def __init__(self, field: QLineEdit) -> None:
        super().__init__(field)
        self.setWindowFlags(Qt.WindowType.Popup)
        self.setObjectName("datePopup")
        self.setGridVisible(True)
        self._field = field
        self.clicked.connect(self._chosen)
        self.activated.connect(self._chosen)

    def open_under(self, current: date | None) -> None:
        """Show under the field on ``current`` (today when the field has no date)."""
        day = current or date.today()
        self.setSelectedDate(QDate(day.year, day.month, day.day))
        self.move(self._field.mapToGlobal(self._field.rect().bottomLeft()))
        self.show()
        self.setFocus()

    def _chosen(self, day: QDate) -> None:
        self.hide()
        self._field.setText(f"{day.day():02d}/{day.month():02d}/{day.year():04d}")
        self._field.textEdited.emit(self._field.text())
        self._field.setFocus()


def add_calendar(field: QLineEdit, current: Callable[[], date | None]) -> CalendarPopup:
    """A calendar button at the field's end (and Alt+↓) that opens :class:`CalendarPopup`."""
    popup = CalendarPopup(field)
    icon = field.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarUnshadeButton)
    action = QAction(icon, t("field_input.calendar"), field)
    action.setObjectName("openCalendar")
    action.setToolTip(t("field_input.calendar"))
    action.triggered.connect(lambda: popup.open_under(current()))
    field.addAction(action, QLineEdit.ActionPosition.TrailingPosition)
    return popup


def opens_calendar(event: QKeyEvent) -> bool:
    """Alt+↓ or F4 in a date field."""
    return (event.key() == Qt.Key.Key_Down and
            bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)) or \
        event.key() == Qt.Key.Key_F4
