"""The editor's small widgets: a labelled field with its error beneath, dates, money, codes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QWidget,
)

from treasury_desktop.domain.catalog import BudgetCatalog, CatalogKind
from treasury_desktop.domain.money import parse_vnd
from treasury_desktop.ui.code_lookup import CODE_ROLE, code_title, look_up, widen_popup
from treasury_desktop.ui.field_input import (
    add_calendar,
    amount_validator,
    excel_grouping,
    opens_calendar,
    shown_date,
)
from treasury_desktop.ui.texts import dmy, iso_from_dmy, money

SUGGESTIONS = 30


class FieldBox(QWidget):
    """Label, editor, a grey hint beside it (a code's name), and the error in red beneath."""

    def __init__(self, label: str, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        # Children from birth: showing a parentless label would open it as a window for a
        # moment and take the focus away from the main window.
        self.label = QLabel(label, self)
        self.label.setBuddy(editor)
        self.label.setVisible(bool(label))
        if label:  # screen readers say the printed label
            editor.setAccessibleName(label)
        self.hint = ElidedLabel(self)
        self.hint.setObjectName("fieldHint")
        # The error's line is kept under every field, empty or not: the form does not jump
        # while typing (a longer message ends in "…", whole in its tooltip).
        self._note: QLabel | None = NoteLabel(self)
        self._grid = grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)
        grid.addWidget(self.label, 0, 0)
        grid.addWidget(editor, 0, 1)
        grid.addWidget(self.hint, 0, 2)
        grid.addWidget(self._note, 1, 1, 1, 2)
        bounded = editor.maximumWidth() < 1000
        grid.setColumnStretch(1, 0 if bounded else 1)
        grid.setColumnStretch(2, 1 if bounded else 0)

    @property
    def note(self) -> QLabel:
        """The red line under the field (hidden, its room kept, while there is no error)."""
        assert self._note is not None
        return self._note

    @property
    def error(self) -> str:
        """The error shown under the field ('' when none)."""
        return self._note.text() if self._note is not None else ""

    @property
    def warning(self) -> bool:
        """Whether the note under the field is a warning (amber), not an error (red)."""
        return self._note is not None and self._note.objectName() == "fieldWarning"

    def set_error(self, message: str, *, warning: bool = False) -> None:
        """Show ``message`` under the field, in red, or in amber for a ``warning`` that never
        blocks (or clear it with '')."""
        if message == self.error and warning == self.warning:
            return
        self.editor.setProperty("invalid", bool(message) and not warning)
        self.editor.setProperty("doubtful", bool(message) and warning)
        self.editor.style().unpolish(self.editor)
        self.editor.style().polish(self.editor)
        self.note.setObjectName("fieldWarning" if warning else "fieldNote")
        self.note.style().unpolish(self.note)
        self.note.style().polish(self.note)
        self.note.setText(("⚠ " if warning else "") + message if message else "")
        self.note.setToolTip(message)
        self.note.setVisible(bool(message))

    def set_hint(self, hint: str) -> None:
        """A grey note beside the field (e.g. the name of a code)."""
        self.hint.setText(hint)
        self.hint.setToolTip(hint)


class ElidedLabel(QLabel):
    """One line of grey text that ends in "…" when the room runs out (never widens a row)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                              self.width())
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignVCenter), shown)


class NoteLabel(ElidedLabel):
    """The one line under a field for its error: its room is kept while hidden."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldNote")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.hide()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, self.fontMetrics().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()


class DateLine(QLineEdit):
    """A date typed as dd/mm/yyyy (ISO typed is shown so once left); the voucher keeps ISO
    text. A calendar opens from the button at its end, Alt+↓ or F4."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("dd/mm/yyyy")
        self.setMaximumWidth(132)
        self.calendar = add_calendar(self, self._date)
        self.editingFinished.connect(lambda: self.setText(shown_date(self.text())))

    def _date(self) -> date | None:
        try:
            return date.fromisoformat(self.iso())
        except ValueError:
            return None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if opens_calendar(event):
            self.calendar.open_under(self._date())
            return
        super().keyPressEvent(event)

    def iso(self) -> str:
        """The date as ISO text (or the raw text when it cannot be read)."""
        return iso_from_dmy(self.text())

    def set_iso(self, value: str) -> None:
        """Show an ISO date as dd/mm/yyyy."""
        self.setText(dmy(value) if value else "")


class MoneyLine(QLineEdit):
    """An amount in whole đồng, shown 1.234.567 once the field is left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setValidator(amount_validator(self))  # letters cannot be typed into an amount
        self.editingFinished.connect(self._reformat)

    def amount(self) -> int:
        """The amount typed (0 when empty or unreadable)."""
        return parse_amount(self.text())

    def set_amount(self, value: int) -> None:
        """Show ``value`` grouped with dots ('' for 0)."""
        self.setText(money(value) if value else "")

    def _reformat(self) -> None:
        value = self.amount()
        if value:
            self.setText(money(value))


AMOUNT_CAP = 10**18  # beyond any real amount (validation says so), within SQLite's integers


def parse_amount(raw: str) -> int:
    """'1.234.567' (or Excel's '1,234,567') -> 1234567; empty or unreadable -> 0 (validation
    then says it is missing)."""
    try:
        return min(parse_vnd(excel_grouping(raw)), AMOUNT_CAP) if raw.strip() else 0
    except ValueError:
        return 0


class CodeCompleter(QCompleter):
    """Suggests "code — name" from the catalogue and inserts only the code."""

    def __init__(
        self, kind: CatalogKind, catalog: Callable[[], BudgetCatalog | None], parent: QWidget
    ) -> None:
        self._items = QStandardItemModel(parent)
        super().__init__(self._items, parent)
        self.kind = kind
        self._catalog = catalog
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setMaxVisibleItems(12)

    def refresh(self, typed: str) -> int:
        """Fill the suggestions for ``typed`` (diacritic-insensitive); how many there are."""
        catalog = self._catalog()
        entries = catalog.search(self.kind, typed, SUGGESTIONS) if catalog else []
        self._items.clear()
        for entry in entries:
            item = QStandardItem(f"{entry.code} — {entry.name}")
            item.setData(entry.code, CODE_ROLE)
            self._items.appendRow(item)
        return len(entries)

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802
        return str(index.data(CODE_ROLE) or "")

    def suggestions(self) -> list[str]:
        """What the popup lists ("code — name")."""
        return [self._items.item(i).text() for i in range(self._items.rowCount())]


class CodeLine(QLineEdit):
    """A budget-code field with type-ahead over the year's catalogue; F4 looks the code up in
    the whole list, and the tooltip names the code typed."""

    def __init__(
        self, kind: CatalogKind, catalog: Callable[[], BudgetCatalog | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind, self._catalog = kind, catalog
        self._choosing = False
        self.picker = CodeCompleter(kind, catalog, self)
        self.setCompleter(self.picker)
        self.textEdited.connect(self._suggest)
        self.textChanged.connect(self._name_it)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_F4:
            self.look_up()
            return
        super().keyPressEvent(event)

    def look_up(self) -> None:
        """F4: choose from the whole list; the code chosen is typed in as if by hand."""
        if (popup := self.picker.popup()) is not None:
            popup.hide()
        # Parented to the field: a grid cell's editor then stays open while the list is up.
        code = look_up(self.kind, self._catalog, self.text(), self)
        if code:
            self._choosing = True  # typed in whole: no type-ahead popup over it
            self.setText(code)
            self.textEdited.emit(code)
            self._choosing = False

    def _suggest(self, typed: str) -> None:
        if self._choosing:
            return
        if self.picker.refresh(typed) and typed.strip():
            if (shown := self.picker.popup()) is not None:
                widen_popup(self, shown, self.picker.suggestions())
            self.picker.complete()
        elif (popup := self.picker.popup()) is not None:
            popup.hide()

    def _name_it(self, typed: str) -> None:
        self.setToolTip(code_title(self._catalog(), self.kind, typed))


class NameCompleter(QCompleter):
    """Plain suggestions (payee names used before), filtered as typed, any position."""

    def __init__(self, parent: QWidget) -> None:
        self._names = QStringListModel(parent)
        super().__init__(self._names, parent)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)

    def set_names(self, names: Sequence[str]) -> None:
        """Replace the suggestions."""
        self._names.setStringList(list(names))


class ChoiceField(QWidget):
    """Two or more exclusive choices as radio buttons, like the boxes of the printed form."""

    changed = Signal(str)

    def __init__(self, choices: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        for value, label in choices:
            button = QRadioButton(label)
            button.setObjectName(f"choice_{value}")
            self.group.addButton(button)
            self.buttons[value] = button
            row.addWidget(button)
        row.addStretch(1)
        self.group.buttonToggled.connect(self._toggled)
        self._tab_to_checked()

    def value(self) -> str:
        """The chosen value."""
        for value, button in self.buttons.items():
            if button.isChecked():
                return value
        return next(iter(self.buttons))

    def set_value(self, value: str) -> None:
        """Choose ``value`` without emitting ``changed``."""
        button = self.buttons.get(value)
        if button is not None:
            self.group.blockSignals(True)
            button.setChecked(True)
            self.group.blockSignals(False)
            self._tab_to_checked()

    def set_read_only(self, read_only: bool) -> None:
        """Disable the choices of a voucher that can no longer change."""
        for button in self.buttons.values():
            button.setEnabled(not read_only)

    def _tab_to_checked(self) -> None:
        # Tab enters the group at the checked box (arrows move between boxes), as on a form.
        for button in self.buttons.values():
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if button.isChecked() else Qt.FocusPolicy.ClickFocus
            )

    def _toggled(self, button: QAbstractButton, checked: bool) -> None:
        self._tab_to_checked()
        if checked:
            self.changed.emit(self.value())
